"""The board without JavaScript: every change is a plain form post and a redirect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from canvas_app.models import Block, Canvas, Colour, Note
from tests.browser.conftest import board_in_db, board_on_page, log_in
from tests.conftest import make_canvas

CH = Block.CHANNELS.value
SATURDAYS = "Radio comunitaria, los sábados"


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context(java_script_enabled=False)


@pytest.fixture
def canvas(owner) -> Canvas:
    canvas = make_canvas(owner, title="Librería Cigüeña")
    canvas.add_note(block=CH, text="Feria del libro")
    return canvas


@pytest.fixture
def board(page: Page, owner, canvas: Canvas) -> Page:
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    expect(page.locator("h1")).to_have_text("Librería Cigüeña")
    # lienzo.js never ran: no "js" class, and the language form shows its own button.
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bjs\b"))
    expect(page.get_by_role("button", name="Change language")).to_be_visible()
    return page


def test_add_edit_delete_and_undo_are_plain_form_posts(board: Page, canvas: Canvas) -> None:
    page = board
    board_url = re.compile(rf"/canvases/{canvas.pk}/")
    channels = page.locator(f"#notes-{CH} .note__text")

    # Add with the form's own submit button.
    page.locator(f"#add-{CH}-text").fill("Radio comunitaria en español")
    page.locator(f"#add-{CH}").get_by_role("button", name="Add to Channels").click()
    added = Note.objects.get(canvas=canvas, text="Radio comunitaria en español")
    expect(page).to_have_url(re.compile(rf"/canvases/{canvas.pk}/#note-{added.pk}$"))
    expect(channels).to_have_text(["Feria del libro", "Radio comunitaria en español"])
    assert board_on_page(page) == board_in_db(canvas)

    # A blank note comes back as the full board with the error beside the field.
    page.locator(f"#add-{CH}").get_by_role("button", name="Add to Channels").click()
    error = page.locator(f"#add-{CH}-error")
    expect(error).to_have_text("Write something: a note cannot be empty.")
    assert canvas.notes.count() == 2

    # Edit through the Edit link: a page of its own.
    note = page.locator(f"#note-{added.pk}")
    note.locator(".note__menu-toggle").click()  # without JS, the menu is a page of its own
    expect(page).to_have_url(re.compile(rf"/canvases/{canvas.pk}/notes/{added.pk}/actions/\??$"))
    page.locator(f"#note-{added.pk}-actions").get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(rf"/canvases/{canvas.pk}/notes/{added.pk}/edit/$"))
    expect(page.locator("h1")).to_have_text("Edit note")
    page.locator(f"#edit-{added.pk}-text").fill(SATURDAYS)
    page.get_by_label("Pink").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/canvases/{canvas.pk}/#note-{added.pk}$"))
    expect(page.locator(f"#note-{added.pk} .note__text")).to_have_text(SATURDAYS)
    expect(page.locator(f"#note-{added.pk}")).to_have_class(re.compile(r"\bnote--pink\b"))
    added.refresh_from_db()
    assert (added.text, added.colour) == (SATURDAYS, Colour.PINK)

    # Delete the first note: the board comes back with an undo banner.
    first = Note.objects.get(canvas=canvas, text="Feria del libro")
    note = page.locator(f"#note-{first.pk}")
    note.locator(".note__menu-toggle").click()
    page.locator(f"#note-{first.pk}-actions").get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(rf"/canvases/{canvas.pk}/\?deleted={first.pk}$"))
    banner = page.locator("form.undo-banner")
    expect(banner).to_contain_text("Note “Feria del libro” deleted.")
    expect(channels).to_have_text([SATURDAYS])
    assert Note.all_objects.get(pk=first.pk).is_deleted
    assert board_on_page(page) == board_in_db(canvas)

    banner.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(board_url)
    expect(page.locator("#messages")).to_contain_text("Note restored.")
    expect(page.locator("form.undo-banner")).to_have_count(0)
    expect(channels).to_have_text(["Feria del libro", SATURDAYS])
    assert board_in_db(canvas)[CH] == [first.pk, added.pk]
    assert board_on_page(page) == board_in_db(canvas)
