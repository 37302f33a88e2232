"""A refused action says the server's own words where the user acted, and a note a teammate
deleted leaves my board (or says it is gone when I act on it): never a 404 page in the board,
never the page's general "that did not work"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas
from tests.browser.conftest import board_in_db, board_on_page, expect_settled, log_in


def open_menu(page: Page, note_id: int) -> None:
    page.locator(f"#note-{note_id}-toggle").click()
    expect(page.locator(f"#note-{note_id}-actions")).to_be_visible()


def test_a_refused_move_says_why_on_the_note(page: Page, canvas: Canvas, editor, monkeypatch) -> None:
    monkeypatch.setattr(Canvas, "MAX_SEGMENTS", 1)  # the live server runs in this process
    canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Oficinas pequeñas")
    partner = canvas.add_note(block=Block.KEY_PARTNERS, text="Tostadora local")
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/")

    open_menu(page, partner.pk)
    page.locator(f"#move-{partner.pk}").select_option(Block.CUSTOMER_SEGMENTS)
    page.locator(f"#note-{partner.pk}-actions .note__move-block button").click()

    refusal = page.locator(f"#note-{partner.pk} .note__refusal")
    expect(refusal).to_have_text("A canvas holds at most 1 customer segments: merge or delete some first.")
    expect(refusal).to_have_attribute("role", "alert")
    expect(page.locator("#messages")).to_have_text("")  # not the general message at the top
    assert board_on_page(page) == board_in_db(canvas)


def test_a_note_a_teammate_deleted_leaves_my_board(page: Page, new_context, canvas: Canvas, owner, editor) -> None:
    gone = canvas.add_note(block=Block.CHANNELS, text="Mercado del barrio")
    stays = canvas.add_note(block=Block.CHANNELS, text="Tienda en línea")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    expect(page.locator(f"#note-{gone.pk}")).to_be_visible()

    gone.delete_softly(by=editor)  # in their browser, a moment ago

    expect(page.locator(f"#note-{gone.pk}")).to_have_count(0, timeout=12_000)
    expect(page.locator(f"#note-{stays.pk}")).to_be_visible()
    assert board_on_page(page) == board_in_db(canvas)


def test_acting_on_a_note_deleted_meanwhile_says_so_in_place(page: Page, canvas: Canvas, owner, editor) -> None:
    note = canvas.add_note(block=Block.KEY_PARTNERS, text="Proveedor de leche")
    canvas.add_note(block=Block.KEY_PARTNERS, text="Tostadora local")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    open_menu(page, note.pk)  # an open menu stays open through the live board's updates

    note.delete_softly(by=editor)
    page.wait_for_timeout(6_000)  # a poll has come and gone: the note I am on stays in sight
    page.locator(f"#note-{note.pk}-actions").get_by_role("button", name="Move down").click()

    gone = page.locator(f"#note-{note.pk}-gone")
    expect(gone).to_have_text("This note is no longer on the board: someone deleted it a moment ago.")
    expect(gone).to_be_focused()
    expect(page.locator("#messages")).to_have_text("")
    page.locator(f"#note-{note.pk} .note__dismiss").click()
    expect(page.locator(f"#note-{note.pk}")).to_have_count(0)


def test_an_edit_open_when_a_teammate_deletes_the_note_keeps_my_text_and_says_it_is_gone(
    page: Page, canvas: Canvas, owner, editor
) -> None:
    note = canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    page.locator(f"#note-{note.pk} .note__text").dblclick()
    box = page.locator(f"#edit-{note.pk}-text")
    expect_settled(page.locator(f"#note-{note.pk}"))
    expect(box).to_be_focused()  # board.js has placed the caret by then
    box.fill("Café fresco, tostado esta semana")

    note.delete_softly(by=editor)
    page.wait_for_timeout(6_000)  # a poll has come and gone
    expect(box).to_have_value("Café fresco, tostado esta semana")  # my text is still in sight
    box.press("Enter")
    expect(page.locator(f"#note-{note.pk}-gone")).to_be_visible()
