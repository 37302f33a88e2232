"""Undo and redo on the board, by keyboard and by button, across a reload; and an undo refused
because a teammate changed the note after me."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas, Note
from tests.browser.conftest import expect_settled, log_in


def _edit(page: Page, note: Note, text: str) -> None:
    page.locator(f"#note-{note.pk} .note__text").dblclick()
    box = page.locator(f"#edit-{note.pk}-text")
    expect_settled(page.locator(f"#note-{note.pk}"))
    expect(box).to_be_focused()
    box.page.wait_for_function("e => e.selectionStart === e.value.length", arg=box.element_handle())  # board.js placed the caret
    box.fill(text)
    box.press("Enter")
    expect(page.locator(f"#note-{note.pk} .note__text")).to_have_text(text)


def test_ctrl_z_undoes_my_edit_and_ctrl_shift_z_redoes_it_even_after_a_reload(page: Page, canvas: Canvas, editor) -> None:
    note = canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco", by=editor)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/")
    _edit(page, note, "Café de origen")

    page.locator("h1").click()  # out of any text box
    page.keyboard.press("Control+z")
    expect(page.locator(f"#note-{note.pk} .note__text")).to_have_text("Café fresco")
    expect(page.locator("#board-step")).to_contain_text("Undone")
    page.reload()
    page.locator("h1").click()
    page.keyboard.press("Control+Shift+z")
    expect(page.locator(f"#note-{note.pk} .note__text")).to_have_text("Café de origen")
    note.refresh_from_db()
    assert note.text == "Café de origen"

    # A deletion comes back with the toolbar's button.
    page.locator(f"#note-{note.pk}-toggle").click()
    page.locator(f"#note-{note.pk}-actions button.button--danger").click()
    expect(page.locator(f"#note-{note.pk}.note--deleted")).to_be_visible()
    page.locator("#board-undo").click()
    expect(page.locator(f"#note-{note.pk} .note__text")).to_have_text("Café de origen")
    assert Note.objects.filter(pk=note.pk).exists()


def test_an_undo_over_a_teammates_later_change_is_refused_and_says_why(page: Page, new_context, canvas: Canvas, editor, owner) -> None:
    note = canvas.add_note(block=Block.CHANNELS, text="Web", by=owner)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/")
    _edit(page, note, "Web propia")

    # My teammate rewrites the note in their own browser.
    theirs = new_context().new_page()
    log_in(theirs, owner.username)
    theirs.goto(f"/canvases/{canvas.pk}/")
    _edit(theirs, note, "Web y app")

    page.locator("h1").click()
    page.keyboard.press("Control+z")
    refusal = page.locator("#board-step [role=alert]")
    expect(refusal).to_contain_text(f"{owner.username} changed “Web propia” after you")
    expect(page.locator(f"#note-{note.pk} .note__text")).to_have_text("Web y app")
    note.refresh_from_db()
    assert note.text == "Web y app"
