"""A viewer reads the board but is offered nothing that changes it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Request, expect

from canvas_app.models import Block, Canvas, Note
from tests.browser.conftest import board_in_db, board_on_page, log_in


# How many of the board's lists SortableJS was started on.
SORTABLE_LISTS = "Array.from(document.querySelectorAll('ol.notes')).filter((list) => Sortable.get(list)).length"


def test_an_editor_gets_what_the_viewer_does_not(page: Page, canvas: Canvas, note: Note, editor) -> None:
    """The other side of the viewer's test: the selectors it expects to find nothing find
    the editor's controls."""
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/")
    expect(page.locator(f"#note-{note.pk}")).to_have_attribute("data-move-url", f"/canvases/{canvas.pk}/notes/{note.pk}/move/")
    expect(page.locator(f"#note-{note.pk}")).to_have_attribute("data-edit-url", f"/canvases/{canvas.pk}/notes/{note.pk}/edit/")
    expect(page.locator("#board form:not(#board-live)")).not_to_have_count(0)
    assert page.evaluate(SORTABLE_LISTS) == len(Block)


def test_a_viewer_sees_the_notes_and_no_way_to_change_them(
    page: Page, canvas: Canvas, note: Note, viewer
) -> None:
    other = canvas.add_note(block=Block.CHANNELS, text="Mercado del barrio")
    log_in(page, viewer.username)
    page.goto(f"/canvases/{canvas.pk}/")

    expect(page.locator("h1")).to_have_text("Tostadores Aurora")
    expect(page.locator(".role-badge")).to_have_text("Your role: Viewer")
    expect(page.locator(f"#notes-value_propositions > #note-{note.pk}")).to_have_text("Café fresco")
    expect(page.locator(f"#notes-channels > #note-{other.pk}")).to_have_text("Mercado del barrio")
    expect(page.get_by_role("link", name="Members")).to_be_visible()

    expect(page.locator("form.note-add")).to_have_count(0)
    expect(page.locator("#board textarea")).to_have_count(0)
    expect(page.locator(".note__menu")).to_have_count(0)
    # The one form on the board is the live board's poll, which only reads.
    expect(page.locator("#board form:not(#board-live)")).to_have_count(0)
    expect(page.locator("#board-live")).to_have_attribute("hx-get", f"/canvases/{canvas.pk}/changes/")
    expect(page.get_by_role("link", name="Rename")).to_have_count(0)
    expect(page.get_by_role("button", name="Duplicate")).to_have_count(0)
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    expect(page.locator("#board-help")).to_have_count(0)

    # Nor can the notes be dragged: SortableJS is not started on a read-only board.
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))  # the page's scripts have run
    expect(page.locator("#board")).not_to_have_class(re.compile(r"\bboard--editable\b"))
    expect(page.locator("[data-move-url], [data-edit-url]")).to_have_count(0)
    assert page.evaluate(SORTABLE_LISTS) == 0
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    start = page.locator(f"#note-{other.pk}").bounding_box()
    end = page.locator("#notes-value_propositions").bounding_box()
    assert start and end
    page.mouse.move(start["x"] + 20, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(end["x"] + 20, end["y"] + end["height"] - 10, steps=10)
    page.mouse.up()
    expect(page.locator(f"#notes-channels > #note-{other.pk}")).to_be_visible()
    assert sent == []
    assert board_on_page(page) == board_in_db(canvas)
    assert board_in_db(canvas)[Block.CHANNELS] == [other.pk]
