"""The acceptance test: a new user fills a canvas, rearranges it, and finds it again in Spanish."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Locator, Page, expect

from canvas_app.models import Block, Canvas, Note
from accounts.tasks import EMAIL_QUEUE
from tests.browser.conftest import board_in_db, board_on_page, expect_settled
from tests.tasks import run_tasks

MARKER = "window.lienzoMarker"
EDITED = "Café de especialidad, tostado esta mañana"
SPANISH_TITLES = {
    Block.KEY_PARTNERS: "Socios clave",
    Block.KEY_ACTIVITIES: "Actividades clave",
    Block.KEY_RESOURCES: "Recursos clave",
    Block.VALUE_PROPOSITIONS: "Propuestas de valor",
    Block.CUSTOMER_RELATIONSHIPS: "Relaciones con los clientes",
    Block.CHANNELS: "Canales",
    Block.CUSTOMER_SEGMENTS: "Segmentos de clientes",
    Block.COST_STRUCTURE: "Estructura de costes",
    Block.REVENUE_STREAMS: "Fuentes de ingresos",
}


def note_text(block: Block, number: int) -> str:
    return f"Señal ñandú café {number} · {block.value}"


def drag_to_end_of(page: Page, source: Locator, target_list: Locator) -> None:
    """Drag `source` with the mouse and drop it below the last note of `target_list`.

    The pointer goes round the board (up, right, down) and enters the target list from its
    side, below its notes: SortableJS moves a note into every list the pointer crosses, so a
    straight line would drop it in a block on the way.
    """
    start = source.bounding_box()
    board = page.locator("#board").bounding_box()
    end = target_list.bounding_box()
    assert start and board and end
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    end_y = end["y"] + end["height"] - 8
    page.mouse.move(x, y)
    page.mouse.down()
    for waypoint in [
        (x + 6, y + 6),  # a few pixels to start the drag
        (x, board["y"] - 12),  # above the board
        (board["x"] + board["width"] + 12, board["y"] - 12),  # past its right edge
        (board["x"] + board["width"] + 12, end_y),  # down beside the target list
        (end["x"] + end["width"] / 2, end_y),  # into the list, below its notes
    ]:
        page.mouse.move(*waypoint, steps=8)
    page.mouse.up()


def test_a_new_user_fills_a_canvas_and_finds_it_again_in_spanish(page: Page) -> None:
    page.goto("/accounts/signup/")
    page.locator("input[name=username]").fill("lucia")
    page.locator("input[name=email]").fill("lucia@example.com")
    page.locator("input[name=password1]").fill("un-café-con-ñandú-42")
    page.locator("input[name=password2]").fill("un-café-con-ñandú-42")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    run_tasks(EMAIL_QUEUE)  # the worker sends the confirmation
    link = re.search(r"https?://[^/]+(/accounts/activate/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm my account").click()
    expect(page.locator("h1")).to_have_text("My canvases")

    page.locator("input[name=title]").fill("Tostadores Ñandú")
    page.get_by_role("button", name="Create canvas").click()
    expect(page.locator("h1")).to_have_text("Tostadores Ñandú")
    canvas = Canvas.objects.get(title="Tostadores Ñandú")
    assert canvas.memberships.get().user.username == "lucia"

    # Everything up to the language switch happens on this one page, without a reload.
    page.evaluate(f"{MARKER} = 'no reload'")

    for number, block in enumerate(Block, start=1):
        field = page.locator(f"#add-{block.value}-text")
        field.click()
        field.press_sequentially(note_text(block, number))
        field.press("Enter")
        expect(page.locator(f"#notes-{block.value} .note__text")).to_have_text(
            [note_text(block, number)]
        )
        expect(field).to_have_value("")
        expect(field).to_be_focused()
    assert page.evaluate(MARKER) == "no reload"
    assert dict(Note.objects.filter(canvas=canvas).values_list("block", "text")) == {
        block.value: note_text(block, number) for number, block in enumerate(Block, start=1)
    }

    # Edit a note in place through its ⋯ menu.
    edited = Note.objects.get(canvas=canvas, block=Block.VALUE_PROPOSITIONS)
    note = page.locator(f"#note-{edited.pk}")
    note.locator(".note__menu-toggle").click()
    note.get_by_role("link", name="Edit").click()
    expect_settled(page.locator(f"#note-{edited.pk}.note--editing"))
    editor = page.locator(f"#edit-{edited.pk}-text")
    expect(editor).to_be_focused()
    editor.fill(EDITED)
    editor.press("Enter")
    expect(page.locator(f"#note-{edited.pk} .note__text")).to_have_text(EDITED)
    expect(page.locator(f"#note-{edited.pk} textarea")).to_have_count(0)
    edited.refresh_from_db()
    assert edited.text == EDITED

    # Drag the key partners' note below the customer segments' one.
    moved = Note.objects.get(canvas=canvas, block=Block.KEY_PARTNERS)
    stayed = Note.objects.get(canvas=canvas, block=Block.CUSTOMER_SEGMENTS)
    segments_list = page.locator("#notes-customer_segments")
    move_url = f"/canvases/{canvas.pk}/notes/{moved.pk}/move/"
    with page.expect_response(lambda response: response.url.endswith(move_url)) as move:
        drag_to_end_of(page, page.locator(f"#note-{moved.pk} .note__text"), segments_list)
    assert move.value.request.method == "POST"
    assert move.value.ok
    expect(page.locator(f"#notes-customer_segments > #note-{moved.pk}")).to_be_visible()
    expect(page.locator("#notes-key_partners > .note")).to_have_count(0)
    moved.refresh_from_db()
    assert (moved.block, moved.position) == (Block.CUSTOMER_SEGMENTS, 2)
    assert board_on_page(page) == board_in_db(canvas)
    assert page.evaluate(MARKER) == "no reload"

    # Switch to Spanish with the header's language switcher, then come back later.
    page.locator("select#language-select").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Tostadores Ñandú")
    expect(page.locator("select#language-select")).to_have_value("es")

    expected = board_in_db(canvas)
    assert board_on_page(page) == expected
    assert expected[Block.KEY_PARTNERS] == []
    assert expected[Block.CUSTOMER_SEGMENTS] == [stayed.pk, moved.pk]
    texts = {block: [note_text(block, number)] for number, block in enumerate(Block, start=1)}
    texts[Block.KEY_PARTNERS] = []
    texts[Block.VALUE_PROPOSITIONS] = [EDITED]
    texts[Block.CUSTOMER_SEGMENTS].append(note_text(Block.KEY_PARTNERS, 1))
    for block, block_texts in texts.items():
        expect(page.locator(f"#notes-{block.value} .note__text")).to_have_text(block_texts)

    for block, title in SPANISH_TITLES.items():
        expect(page.locator(f"#block-{block.value}-title")).to_have_text(title)
    expect(page.locator(".role-badge")).to_have_text("Tu rol: Propietario")
