"""The board with the keyboard only: adding, validation, moving, deleting and undoing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from canvas_app.models import Block, Canvas, Note
from tests.browser.conftest import board_in_db, board_on_page, expect_settled, log_in
from tests.conftest import make_canvas

VP = Block.VALUE_PROPOSITIONS.value
CS = Block.CUSTOMER_SEGMENTS.value


def tab_to(page: Page, target: Locator, *, key: str = "Tab", limit: int = 120) -> None:
    """Press Tab (or `key`) until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {target}")


def open_menu(page: Page, note_id: int) -> None:
    """Tab to the note's ⋯ menu and open it with Enter."""
    summary = page.locator(f"#note-{note_id} .note__menu-toggle")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    expect(page.locator(f"#note-{note_id}-actions")).to_be_visible()


def texts(page: Page, block: str) -> Locator:
    return page.locator(f"#notes-{block} > .note .note__text")


def posts(page: Page) -> list[Request]:
    """Every POST the page sends from now on."""
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    return sent


@pytest.fixture
def canvas(owner) -> Canvas:
    return make_canvas(owner, title="Panadería Año Nuevo")


@pytest.fixture
def board(page: Page, owner, canvas: Canvas) -> Page:
    """The owner's board, opened after logging in through the form."""
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    expect(page.locator("h1")).to_have_text("Panadería Año Nuevo")
    page.evaluate("window.lienzoMarker = 'no reload'")
    return page


def assert_not_reloaded(page: Page) -> None:
    """Every change on the board so far went through htmx: the page was never reloaded."""
    assert page.evaluate("window.lienzoMarker") == "no reload"


@pytest.fixture
def three_notes(canvas: Canvas) -> list[Note]:
    return [canvas.add_note(block=VP, text=text) for text in ("Pan de leña", "Cruasán", "Ñoquis")]


def test_enter_adds_a_note_and_escape_cancels_the_next(board: Page, canvas: Canvas) -> None:
    page = board
    field = page.locator(f"#add-{VP}-text")
    tab_to(page, field)
    page.keyboard.type("Pan dulce de año nuevo")
    page.keyboard.press("Enter")
    expect(texts(page, VP)).to_have_text(["Pan dulce de año nuevo"])
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    saved = list(canvas.notes.values_list("block", "text", "position"))
    assert saved == [(VP, "Pan dulce de año nuevo", 1)]

    sent = posts(page)
    page.keyboard.type("Mejor no")
    page.keyboard.press("Escape")
    expect(field).to_have_value("")
    expect(field).not_to_be_focused()
    expect(texts(page, VP)).to_have_text(["Pan dulce de año nuevo"])
    assert sent == []
    assert canvas.notes.count() == 1
    assert_not_reloaded(page)


@pytest.mark.parametrize("typed", ["", "   "], ids=["empty", "blank"])
def test_blank_text_shows_the_error_beside_the_field_and_saves_nothing(
    board: Page, canvas: Canvas, typed: str
) -> None:
    page = board
    field = page.locator(f"#add-{VP}-text")
    tab_to(page, field)
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    error = page.locator(f"#add-{VP} #add-{VP}-error")
    expect(error).to_have_text("Write something: a note cannot be empty.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", f"add-{VP}-error")
    expect(field).to_be_focused()
    expect(page.locator("#board .note")).to_have_count(0)
    assert canvas.notes.count() == 0

    # Escape takes the error away with the text.
    page.keyboard.press("Escape")
    expect(error).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert_not_reloaded(page)


def test_text_over_500_characters_shows_the_error_and_saves_nothing(
    board: Page, canvas: Canvas
) -> None:
    page = board
    field = page.locator(f"#add-{VP}-text")
    tab_to(page, field)
    too_long = "ñ" * 501
    page.keyboard.insert_text(too_long)
    page.keyboard.press("Enter")
    expect(page.locator(f"#add-{VP}-error")).to_have_text(
        "A note holds at most 500 characters; this one has 501."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value(too_long)  # nothing typed is lost
    expect(field).to_be_focused()
    assert canvas.notes.count() == 0

    # Shortened to the limit, it saves, and the form is clean again.
    expect_settled(page.locator(f"#add-{VP}"))
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    expect(texts(page, VP)).to_have_text(["ñ" * 500])
    expect(page.locator(f"#add-{VP}-error")).to_have_count(0)
    expect(field).to_have_value("")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert list(canvas.notes.values_list("text", flat=True)) == ["ñ" * 500]
    assert_not_reloaded(page)


def test_menu_buttons_move_a_note_down_up_and_to_another_block(
    three_notes: list[Note], board: Page, canvas: Canvas
) -> None:
    page = board
    bread, croissant, gnocchi = three_notes
    summary = page.locator(f"#note-{bread.pk} .note__menu-toggle")

    open_menu(page, bread.pk)
    tab_to(page, page.locator(f"#note-{bread.pk}").get_by_role("button", name="Move down"))
    page.keyboard.press("Space")
    expect(texts(page, VP)).to_have_text(["Cruasán", "Pan de leña", "Ñoquis"])
    expect(summary).to_be_focused()
    assert board_on_page(page) == board_in_db(canvas)
    assert board_in_db(canvas)[VP] == [croissant.pk, bread.pk, gnocchi.pk]

    page.keyboard.press("Enter")  # the focus is on the menu: open it again
    tab_to(page, page.locator(f"#note-{bread.pk}").get_by_role("button", name="Move up"))
    page.keyboard.press("Enter")
    expect(texts(page, VP)).to_have_text(["Pan de leña", "Cruasán", "Ñoquis"])
    expect(summary).to_be_focused()
    assert board_in_db(canvas)[VP] == [bread.pk, croissant.pk, gnocchi.pk]
    assert board_on_page(page) == board_in_db(canvas)

    page.keyboard.press("Space")  # Space opens the menu too
    expect(page.locator(f"#note-{bread.pk}-actions")).to_be_visible()
    select = page.locator(f"#move-{bread.pk}")
    tab_to(page, select)
    expect(select).to_have_value(VP)
    options = Block.values
    for _ in range(options.index(CS) - options.index(VP)):
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(CS)
    expect(texts(page, CS)).to_have_count(0)  # choosing a block does not move the note yet
    tab_to(page, page.locator(f"#note-{bread.pk}").get_by_role("button", name="Move", exact=True))
    page.keyboard.press("Enter")
    expect(texts(page, CS)).to_have_text(["Pan de leña"])
    expect(texts(page, VP)).to_have_text(["Cruasán", "Ñoquis"])
    expect(summary).to_be_focused()
    assert board_in_db(canvas) == board_on_page(page)
    assert board_in_db(canvas)[CS] == [bread.pk]
    assert board_in_db(canvas)[VP] == [croissant.pk, gnocchi.pk]
    assert_not_reloaded(page)


def test_a_deleted_note_comes_back_at_its_place_with_undo(
    three_notes: list[Note], board: Page, canvas: Canvas
) -> None:
    page = board
    bread, croissant, gnocchi = three_notes

    open_menu(page, croissant.pk)
    tab_to(page, page.locator(f"#note-{croissant.pk}").get_by_role("button", name="Delete"))
    page.keyboard.press("Enter")
    placeholder = page.locator(f"#note-{croissant.pk}.note--deleted")
    expect(placeholder.get_by_role("status")).to_have_text("Note deleted.")
    expect(texts(page, VP)).to_have_text(["Pan de leña", "Ñoquis"])
    assert board_in_db(canvas)[VP] == [bread.pk, gnocchi.pk]
    assert board_on_page(page) == board_in_db(canvas)
    assert Note.all_objects.get(pk=croissant.pk).is_deleted

    # The focus moves from the vanished Delete button to Undo (which also keeps the
    # placeholder from expiring while a keyboard user is on it).
    expect(placeholder.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(texts(page, VP)).to_have_text(["Pan de leña", "Cruasán", "Ñoquis"])
    expect(page.locator(".note--deleted")).to_have_count(0)
    expect(page.locator(f"#note-{croissant.pk} .note__menu-toggle")).to_be_focused()
    assert board_in_db(canvas)[VP] == [bread.pk, croissant.pk, gnocchi.pk]
    assert board_on_page(page) == board_in_db(canvas)
    assert_not_reloaded(page)
