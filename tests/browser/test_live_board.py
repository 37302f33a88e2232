"""The live board: a teammate's change shows up without a reload, and what I am typing stays."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas, Note
from tests.browser.conftest import expect_settled, log_in


def test_a_teammates_note_appears_while_mine_stays_in_progress(page: Page, new_context, canvas: Canvas, owner, editor) -> None:
    mine = canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    page.evaluate("window.lienzoMarker = 'no reload'")

    # I am halfway through an edit and through a new note.
    page.locator(f"#note-{mine.pk} .note__text").dblclick()
    editor_box = page.locator(f"#edit-{mine.pk}-text")
    expect_settled(page.locator(f"#note-{mine.pk}"))  # board.js has placed the caret by then
    expect(editor_box).to_be_focused()
    editor_box.fill("Café fresco, tostado esta semana")
    page.locator("#add-channels-text").fill("Boletín a medias")

    # My teammate adds a note in their own browser.
    theirs = new_context().new_page()
    log_in(theirs, editor.username)
    theirs.goto(f"/canvases/{canvas.pk}/")
    theirs.locator("#add-customer_segments-text").fill("Oficinas pequeñas")
    theirs.keyboard.press("Enter")
    expect(theirs.locator("#notes-customer_segments .note__text")).to_have_text(["Oficinas pequeñas"])

    # Within about ten seconds it is on my board, without a reload...
    expect(page.locator("#notes-customer_segments .note__text")).to_have_text(["Oficinas pequeñas"], timeout=12_000)
    assert page.evaluate("window.lienzoMarker") == "no reload"
    # ...and my work in progress is untouched.
    expect(page.locator(f"#edit-{mine.pk}-text")).to_have_value("Café fresco, tostado esta semana")
    expect(page.locator("#add-channels-text")).to_have_value("Boletín a medias")
    page.locator(f"#edit-{mine.pk}-text").press("Enter")
    expect(page.locator(f"#note-{mine.pk} .note__text")).to_have_text("Café fresco, tostado esta semana")
    mine.refresh_from_db()
    assert mine.text == "Café fresco, tostado esta semana"


def test_a_teammates_edit_move_and_delete_arrive_as_catch_ups_not_whole_boards(page: Page, canvas: Canvas, owner, editor) -> None:
    edited = canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco", by=editor)
    moved = canvas.add_note(block=Block.KEY_PARTNERS, text="Tostadora local", by=editor)
    gone = canvas.add_note(block=Block.CHANNELS, text="Mercado", by=editor)
    mine = canvas.add_note(block=Block.CHANNELS, text="Web", by=owner)
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    page.evaluate("window.lienzoMarker = 'no reload'")
    catch_ups = []
    page.on("response", lambda r: catch_ups.append(r.headers.get("hx-reswap")) if "/changes/" in r.url and r.status == 200 else None)
    page.locator(f"#note-{mine.pk} .note__text").dblclick()
    expect_settled(page.locator(f"#note-{mine.pk}"))
    box = page.locator(f"#edit-{mine.pk}-text")
    expect(box).to_be_focused()
    page.wait_for_function("e => e.selectionStart === e.value.length", arg=box.element_handle())  # board.js placed the caret
    page.locator(f"#edit-{mine.pk}-text").fill("Web a medias")

    Note.objects.get(pk=edited.pk).edit(by=editor, text="Café de origen")
    Note.objects.get(pk=moved.pk).move(block=Block.KEY_RESOURCES, position=1, by=editor)
    Note.objects.get(pk=gone.pk).delete_softly(by=editor)

    expect(page.locator(f"#note-{edited.pk} .note__text")).to_have_text("Café de origen", timeout=12_000)
    expect(page.locator("#notes-key_resources .note__text")).to_have_text(["Tostadora local"])
    expect(page.locator("#notes-key_partners .note")).to_have_count(0)
    expect(page.locator(f"#note-{gone.pk}")).to_have_count(0)
    expect(page.locator("#block-channels-count")).to_have_text("1 note")
    assert catch_ups and set(catch_ups) == {"none"}  # only what changed, out of band
    assert page.evaluate("window.lienzoMarker") == "no reload"
    expect(page.locator(f"#edit-{mine.pk}-text")).to_have_value("Web a medias")
