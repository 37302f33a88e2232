"""The board keeps the canvas' shape: the whole canvas in a desktop window, blocks that
scroll inside themselves, the focus view, zoom, the presentation, the keyboard, and the list
of blocks on a narrow screen."""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from canvas_app.models import STORY_ORDER, Block, Canvas, Colour, Note
from tests.browser.conftest import board_in_db, expect_settled, log_in
from tests.conftest import make_canvas

KP, KA, VP = Block.KEY_PARTNERS.value, Block.KEY_ACTIVITIES.value, Block.VALUE_PROPOSITIONS.value


@pytest.fixture
def demo_board(new_context) -> Page:
    """The demo canvas (`manage.py load_demo`) in a 1440x900 window, logged in as demo."""
    call_command("load_demo", stdout=open(os.devnull, "w"))
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, "demo", "lienzo-demo")
    canvas = Canvas.objects.filter(memberships__user__username="demo").order_by("pk").first()
    page.goto(f"/canvases/{canvas.pk}/")
    page.canvas = canvas
    return page


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_the_demo_canvas_fits_a_1440x900_window(demo_board: Page) -> None:
    page = demo_board
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]"
    )
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], f"the page scrolls: {sizes}"
    for block in Block:
        area = box(page, f"#block-{block.value}")
        assert area["y"] >= 0 and area["y"] + area["height"] <= 900, f"{block} is cut off: {area}"
        assert area["x"] >= 0 and area["x"] + area["width"] <= 1440
        assert area["height"] > 120, f"{block} is too small to work in: {area}"
    # The classic shape: five columns, Key Activities over Key Resources, Customer
    # Relationships over Channels, costs and revenue share the bottom row.
    ka, kr, vp = box(page, f"#block-{KA}"), box(page, "#block-key_resources"), box(page, f"#block-{VP}")
    cr, ch = box(page, "#block-customer_relationships"), box(page, "#block-channels")
    co, rs = box(page, "#block-cost_structure"), box(page, "#block-revenue_streams")
    assert ka["x"] == kr["x"] and ka["y"] < kr["y"] and cr["x"] == ch["x"] and cr["y"] < ch["y"]
    assert box(page, f"#block-{KP}")["x"] < ka["x"] < vp["x"] < cr["x"] < box(page, "#block-customer_segments")["x"]
    assert co["y"] == rs["y"] and co["x"] < rs["x"] and abs(co["width"] - rs["width"]) < 2
    assert co["y"] >= kr["y"] + kr["height"] - 1


def test_a_full_block_scrolls_inside_itself_and_says_how_many_notes_it_holds(demo_board: Page) -> None:
    page = demo_board
    canvas = page.canvas
    before = canvas.notes.filter(block=KP).count()
    for number in range(30):
        canvas.add_note(block=KP, text=f"Socio número {number}")
    page.reload()
    expect(page.locator(f"#block-{KP} .block__count")).to_have_text(f"{before + 30} notes")
    scroll = page.evaluate(f"(() => {{ const l = document.getElementById('notes-{KP}'); return [l.scrollHeight, l.clientHeight]; }})()")
    assert scroll[0] > scroll[1] * 2, scroll
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    # The last note can be reached, inside the block.
    last = page.locator(f"#notes-{KP} > .note").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0


def test_focus_view_fills_the_window_and_escape_returns(demo_board: Page) -> None:
    page = demo_board
    button = page.locator(f"#block-{VP} .block__focus")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    area = box(page, f"#block-{VP}")
    assert area["width"] == 1440 and area["height"] == 900
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_be_focused()
    assert box(page, f"#block-{VP}")["width"] < 400


def test_zoom_keeps_the_shape(demo_board: Page) -> None:
    page = demo_board
    note = page.locator(f"#notes-{VP} > .note").first
    size = lambda: float(note.evaluate("(n) => parseFloat(getComputedStyle(n).fontSize)"))  # noqa: E731
    before = size()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#board-zoom-level")).to_have_text("130%")
    assert size() > before * 1.25
    ka, vp = box(page, f"#block-{KA}"), box(page, f"#block-{VP}")
    assert ka["x"] < vp["x"] and ka["y"] == vp["y"]
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    page.get_by_role("button", name="Zoom out").click()
    expect(page.locator("#board-zoom-level")).to_have_text("115%")
    page.get_by_role("button", name="Reset the zoom").click()
    expect(page.locator("#board-zoom-level")).to_have_text("100%")
    assert size() == before


def test_the_presentation_walks_the_blocks_in_storytelling_order(demo_board: Page) -> None:
    page = demo_board
    page.get_by_role("button", name="Present").click()
    status = page.locator(".board-presenting-status")
    seen = []
    for index, block in enumerate(STORY_ORDER, start=1):
        expect(status).to_have_text(f"{index} of 9: {block.label}")
        expect(page.locator(f"#block-{block.value}")).to_have_class(re.compile(r"\bblock--current\b"))
        seen.append(block.value)
        page.keyboard.press("ArrowRight")
    assert seen[0] == "customer_segments" and seen[-1] == "cost_structure"
    expect(status).to_have_text(f"9 of 9: {Block.COST_STRUCTURE.label}")  # the end stays the end
    page.keyboard.press("ArrowLeft")
    expect(status).to_have_text(f"8 of 9: {Block.KEY_PARTNERS.label}")
    # Read-only while presenting: no add boxes, no note menus.
    expect(page.locator(".note-add").first).to_be_hidden()
    expect(page.locator(".note__menu-toggle").first).to_be_hidden()
    page.keyboard.press("Escape")
    expect(page.locator("#board-area")).not_to_have_class(re.compile("presenting"))
    expect(page.locator(".note-add").first).to_be_visible()


@pytest.fixture
def keyboard_board(page: Page, owner) -> tuple[Page, Canvas, list[Note]]:
    canvas = make_canvas(owner, title="Teclado")
    notes = [canvas.add_note(block=KA, text=text) for text in ("Tostar", "Catar", "Enviar")]
    canvas.add_note(block=VP, text="Café fresco")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    return page, canvas, notes


def test_arrow_keys_walk_notes_and_blocks_and_alt_arrows_move_a_note(keyboard_board) -> None:
    page, canvas, (roast, taste, send) = keyboard_board
    expect(page.locator("#segment-legend")).to_be_hidden()  # no segments yet: no empty legend
    page.locator(f"#note-{roast.pk}").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#note-{taste.pk}")).to_be_focused()
    page.keyboard.press("ArrowRight")
    fresh = canvas.notes.get(block=VP)
    expect(page.locator(f"#note-{fresh.pk}")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#note-{roast.pk}")).to_be_focused()

    page.locator(f"#note-{taste.pk}").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator(f"#notes-{KA} > .note .note__text")).to_have_text(["Catar", "Tostar", "Enviar"])
    assert board_in_db(canvas)[KA] == [taste.pk, roast.pk, send.pk]
    expect_settled(page.locator(f"#note-{taste.pk}"))
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator(f"#notes-{VP} > .note .note__text")).to_have_text(["Café fresco", "Catar"])
    assert board_in_db(canvas)[VP] == [fresh.pk, taste.pk]

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_notes_take_their_blocks_colour_and_the_editor_previews_a_new_one(keyboard_board) -> None:
    page, canvas, _ = keyboard_board
    field = page.locator(f"#add-{KP}-text")
    field.fill("Cooperativa de Huila")
    field.press("Enter")
    expect(page.locator(f"#notes-{KP} > .note")).to_have_count(1)
    note = canvas.notes.get(block=KP)
    assert note.colour == Block.KEY_PARTNERS.default_colour == Colour.PURPLE
    item = page.locator(f"#note-{note.pk}")
    expect(item).to_have_class(re.compile(r"\bnote--purple\b"))
    background = lambda: item.evaluate("(n) => getComputedStyle(n).backgroundColor")  # noqa: E731
    purple = background()
    item.locator(".note__text").dblclick()
    page.locator(f"#note-{note.pk} .swatch--pink").click()
    expect(item).not_to_have_css("background-color", purple)
    pink = background()
    page.keyboard.press("Escape")
    expect(item).to_have_css("background-color", purple)
    assert pink != purple


def test_the_add_box_grows_and_counts_as_the_limit_nears(keyboard_board) -> None:
    page, canvas, _ = keyboard_board
    field = page.locator(f"#add-{VP}-text")
    counter = page.locator(f"#add-{VP}-counter")
    height = field.evaluate("(f) => f.offsetHeight")
    field.fill("Una nota larga. " * 10)
    expect(counter).to_be_hidden()
    assert field.evaluate("(f) => f.offsetHeight") > height
    field.fill("x" * 420)
    expect(counter).to_have_text("420 of 500 characters")
    field.fill("x" * 510)
    expect(counter).to_have_text("510 of 500 characters: too long")
    expect(counter).to_have_class(re.compile("char-counter--over"))


def test_a_narrow_window_lists_the_blocks_to_open_and_close(new_context, owner) -> None:
    canvas = make_canvas(owner, title="Móvil")
    note = canvas.add_note(block=VP, text="Café fresco")
    page = new_context(viewport={"width": 800, "height": 900}).new_page()
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    toggle = page.get_by_role("button", name=str(Block.VALUE_PROPOSITIONS.label), exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"#note-{note.pk}")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#note-{note.pk}")).to_be_visible()
    boxes = [box(page, f"#block-{block.value}") for block in Block]
    assert all(b["x"] == boxes[0]["x"] for b in boxes), "one column"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_shared_board_can_be_presented_and_focused(new_context, owner) -> None:
    from django.urls import reverse

    from tests.conftest import make_share_link

    canvas = make_canvas(owner, title="Compartido")
    note = canvas.add_note(block=VP, text="Café fresco")
    link = make_share_link(canvas, owner)
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.goto(reverse("canvas_app:share_board", args=[link.token]))
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    page.locator(f"#block-{VP} .block__focus").click()
    assert box(page, f"#block-{VP}")["width"] == 1440
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Present").click()
    expect(page.locator(".board-presenting-status")).to_have_text(f"1 of 9: {Block.CUSTOMER_SEGMENTS.label}")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".board-presenting-status")).to_have_text(f"2 of 9: {Block.VALUE_PROPOSITIONS.label}")
    expect(page.locator(f"#note-{note.pk}")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#board-area")).not_to_have_class(re.compile("presenting"))
