"""First visit: a new account starts from an example of the gallery, or from a guided canvas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas
from segments.models import Persona, Score, Segment
from tests.browser.conftest import log_in
from tests.conftest import make_user

# Set to a folder to keep screenshots of the pages at a desktop and a phone width.
SHOTS = os.environ.get("LIENZO_EXAMPLE_SHOTS")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
GUIDED = "Guided canvas: each empty block also shows two short examples"


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)


def no_sideways_scroll(page: Page) -> None:
    width, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client, f"the page scrolls sideways: {width} px wide in {client}"


@pytest.mark.parametrize("size", WIDTHS)
def test_a_new_user_starts_from_an_example_and_lands_on_its_board(new_context, size: str) -> None:
    make_user("lucia")
    page = new_context(viewport=WIDTHS[size]).new_page()
    log_in(page, "lucia")
    expect(page.get_by_role("heading", name="No canvases yet. Start in one of three ways:")).to_be_visible()
    expect(page.get_by_role("radio", name=GUIDED)).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, f"dashboard-{size}")

    page.get_by_role("link", name="See the examples").click()
    expect(page.locator("h1")).to_have_text("Start from an example")
    expect(page.locator(".example-card")).to_have_count(3)
    no_sideways_scroll(page)
    shoot(page, f"gallery-{size}")

    card = page.locator("#example-coffee-subscription")
    expect(card.locator("h2")).to_have_text("Origin Club: speciality coffee by subscription")
    card.get_by_role("button", name="Use this example").click()

    expect(page.locator("h1")).to_have_text("Origin Club: speciality coffee by subscription")
    canvas = Canvas.objects.get()
    assert canvas.memberships.get().user.username == "lucia"
    assert (canvas.language, canvas.currency) == ("en", "GBP")
    for block in Block:
        texts = list(canvas.notes.filter(block=block).order_by("position").values_list("text", flat=True))
        assert texts, f"{block} is empty"
        expect(page.locator(f"#notes-{block.value} .note__text")).to_have_text(texts)
    expect(page.locator("#messages")).to_contain_text("is your own canvas now")
    segments = list(Segment.objects.of_canvas(canvas))
    assert len(segments) == 3
    assert Persona.objects.filter(segment__in=segments).exists()
    assert Score.objects.filter(segment__in=segments, reviewer=canvas.created_by).exists()
    shoot(page, f"example-board-{size}")


@pytest.mark.parametrize("locale", ["es-ES"])
def test_in_spanish_the_example_is_the_spanish_one(page: Page) -> None:
    make_user("lucia")
    log_in(page, "lucia")
    page.locator("#example-coffee-subscription, .start-example__list a").first.click()
    expect(page.locator("h1")).to_have_text("Empieza con un ejemplo")
    page.locator("#example-coffee-subscription").get_by_role("button", name="Usar este ejemplo").click()
    expect(page.locator("h1")).to_have_text("Club Origen: café de especialidad por suscripción")
    canvas = Canvas.objects.get()
    assert (canvas.language, canvas.currency) == ("es", "EUR")
    expect(page.locator(f"#notes-{Block.VALUE_PROPOSITIONS} .note__text").first).to_have_text(
        "Café tostado hace menos de una semana, en tu buzón"
    )


@pytest.mark.parametrize("size", WIDTHS)
def test_a_guided_canvas_shows_examples_until_the_first_note(new_context, size: str) -> None:
    make_user("lucia")
    page = new_context(viewport=WIDTHS[size]).new_page()
    log_in(page, "lucia")
    page.locator("input[name=title]").fill("Panadería Lucía")
    page.get_by_role("radio", name=GUIDED).check()
    page.get_by_role("button", name="Create canvas").click()
    expect(page.locator("h1")).to_have_text("Panadería Lucía")
    assert Canvas.objects.get().guided

    channels = page.locator(f"#block-{Block.CHANNELS}")
    toggle = channels.locator(".block__toggle")
    if size == "phone":  # a narrow screen shows the blocks folded, once the board's script ran
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(channels.locator(".block__examples")).to_be_visible()
    expect(channels.locator(".block__examples li")).to_have_text(
        ["e.g. Online shop and mobile app", "e.g. A sales team that visits restaurants"]
    )
    expect(page.locator(".block__examples li")).to_have_count(18)
    no_sideways_scroll(page)
    shoot(page, f"guided-board-{size}")

    field = page.locator(f"#add-{Block.CHANNELS}-text")
    field.fill("Our own shop on the high street")
    field.press("Enter")
    expect(channels.locator(".note__text")).to_have_text(["Our own shop on the high street"])
    expect(channels.locator(".block__examples")).to_be_hidden()
    # The other blocks keep theirs.
    expect(page.locator(f"#block-{Block.KEY_PARTNERS} .block__examples li")).to_have_count(2)
