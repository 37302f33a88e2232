"""Moving a note: a step up or down in its block, or to a place in any block."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from canvas_app.models import Block, Canvas, Note
from tests.conftest import db_state, make_canvas, positions
from tests.markup import HTMX, element, has_element, is_partial

KP, CS = Block.KEY_PARTNERS, Block.CUSTOMER_SEGMENTS
NOT_POSSIBLE = "That move is not possible."


@pytest.fixture
def partners(canvas) -> list[Note]:
    return [canvas.add_note(block=KP, text=text) for text in ("uno", "dos", "tres")]


@pytest.fixture
def segments(canvas) -> list[Note]:
    return [canvas.add_note(block=CS, text=text) for text in ("cafés", "oficinas")]


def move_url(note) -> str:
    return reverse("canvas_app:note_move", args=[note.canvas_id, note.pk])


def texts(canvas, block) -> list[str]:
    return [text for _, text in positions(canvas, block)]


def test_it_requires_post(client, editor, partners):
    client.force_login(editor)
    assert client.get(move_url(partners[0])).status_code == 405


def test_it_requires_login(client, canvas, partners):
    before = db_state()
    response = client.post(move_url(partners[0]), {"direction": "down"})
    assert response["Location"].startswith(reverse("login"))
    assert db_state() == before


def test_it_hides_the_canvas_from_outsiders(client, outsider, partners):
    client.force_login(outsider)
    before = db_state()
    assert client.post(move_url(partners[0]), {"direction": "down"}).status_code == 404
    assert db_state() == before


def test_it_requires_edit_role(client, viewer, partners):
    client.force_login(viewer)
    before = db_state()
    assert client.post(move_url(partners[0]), {"direction": "down"}).status_code == 403
    assert db_state() == before


def test_a_plain_post_moves_and_redirects_to_the_note(client, editor, canvas, partners):
    client.force_login(editor)
    response = client.post(move_url(partners[0]), {"direction": "down"})
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("canvas_app:board", args=[canvas.pk]) + f"#note-{partners[0].pk}"
    )
    assert texts(canvas, KP) == ["dos", "uno", "tres"]


def test_an_htmx_post_redraws_the_board_and_focuses_the_note(client, editor, canvas, partners):
    client.force_login(editor)
    response = client.post(move_url(partners[2]), {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert is_partial(response.content)
    assert has_element(response.content, "board")
    assert all(has_element(response.content, f"block-{block}") for block in Block.values)
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "lienzo:focus": {"id": f"note-{partners[2].pk}-toggle", "target": "body"}
    }
    assert texts(canvas, KP) == ["uno", "tres", "dos"]


def test_up_from_the_top_and_down_from_the_bottom_stay_put(client, editor, canvas, partners):
    client.force_login(editor)
    client.post(move_url(partners[0]), {"direction": "up"})
    client.post(move_url(partners[2]), {"direction": "down"})
    assert positions(canvas, KP) == [(1, "uno"), (2, "dos"), (3, "tres")]


def test_it_moves_to_a_place_in_another_block(client, editor, canvas, partners, segments):
    client.force_login(editor)
    client.post(move_url(partners[1]), {"block": CS, "position": "2"})
    assert positions(canvas, KP) == [(1, "uno"), (2, "tres")]
    assert positions(canvas, CS) == [(1, "cafés"), (2, "dos"), (3, "oficinas")]


def test_without_a_position_it_goes_to_the_end_of_the_block(
    client, editor, canvas, partners, segments
):
    client.force_login(editor)
    client.post(move_url(partners[0]), {"block": CS})
    assert texts(canvas, CS) == ["cafés", "oficinas", "uno"]


def test_a_position_past_the_end_is_the_end(client, editor, canvas, partners):
    client.force_login(editor)
    client.post(move_url(partners[0]), {"block": KP, "position": "99"})
    assert positions(canvas, KP) == [(1, "dos"), (2, "tres"), (3, "uno")]


BAD_MOVES = [
    pytest.param({}, id="nothing"),
    pytest.param({"direction": "sideways"}, id="unknown-direction"),
    pytest.param({"block": "key_players"}, id="unknown-block"),
    pytest.param({"block": CS, "position": "0"}, id="position-0"),
    pytest.param({"block": CS, "position": "-3"}, id="negative-position"),
    pytest.param({"block": CS, "position": "second"}, id="position-not-a-number"),
    pytest.param({"position": "1"}, id="position-without-block"),
]


@pytest.mark.parametrize("data", BAD_MOVES)
def test_a_bad_move_says_so_on_the_board_and_changes_nothing(
    client, editor, canvas, partners, segments, data
):
    client.force_login(editor)
    before = db_state()
    response = client.post(move_url(partners[1]), data)
    # The move controls are buttons and a list of the nine blocks: a bad move comes from a
    # stale or forged request, and is told in the board's message area.
    assert response.status_code == 302
    assert response["Location"].endswith(f"#note-{partners[1].pk}")
    page = client.get(response["Location"]).content
    assert element(page, "messages").text == NOT_POSSIBLE
    assert db_state() == before


@pytest.mark.parametrize("data", BAD_MOVES)
def test_a_bad_move_over_htmx_redraws_the_board_with_the_reason_on_the_note(
    client, editor, canvas, partners, segments, data
):
    client.force_login(editor)
    before = db_state()
    response = client.post(move_url(partners[1]), data, **HTMX)
    assert response.status_code == 400  # swapped by the page (responseHandling), unlike a 500
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#board", "outerHTML")
    # The board as it is (a refused drag goes back), the server's reason on the note moved.
    assert texts(canvas, KP) == [n.text for n in partners]
    assert element(response.content, f"note-{partners[1].pk}-refusal").text == NOT_POSSIBLE
    note = element(response.content, f"note-{partners[1].pk}")
    assert f"note-{partners[1].pk}-refusal" in [e.attrs.get("id") for e in note.descendants]
    assert db_state() == before


def test_a_move_into_a_full_segments_block_is_refused_with_the_limit(
    client, editor, canvas, partners, segments, monkeypatch
):
    monkeypatch.setattr(Canvas, "MAX_SEGMENTS", 2)
    client.force_login(editor)
    before = db_state()
    response = client.post(move_url(partners[0]), {"block": CS}, **HTMX)
    assert response.status_code == 422
    assert "at most 2 customer segments" in element(response.content, f"note-{partners[0].pk}-refusal").text
    assert db_state() == before


def test_a_note_deleted_meanwhile_says_so_in_place(client, editor, owner, canvas, partners):
    partners[1].delete_softly(by=owner)
    client.force_login(editor)
    before = db_state()
    response = client.post(move_url(partners[1]), {"direction": "up"}, **HTMX)
    assert response.status_code == 410  # swapped by the page, where the note was
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#note-{partners[1].pk}", "outerHTML")
    assert "someone deleted it" in element(response.content, f"note-{partners[1].pk}-gone").text
    assert db_state() == before


def test_without_htmx_a_deleted_note_is_named_gone_on_the_board(client, editor, deleted_note):
    client.force_login(editor)
    before = db_state()
    response = client.post(move_url(deleted_note), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == reverse("canvas_app:board", args=[deleted_note.canvas_id])
    assert "someone deleted it" in element(client.get(response["Location"]).content, "messages").text
    assert db_state() == before


def test_a_note_of_another_canvas_is_not_moved(client, owner, partners):
    other = make_canvas(owner, "Otro")
    client.force_login(owner)
    before = db_state()
    url = reverse("canvas_app:note_move", args=[other.pk, partners[0].pk])
    assert client.post(url, {"direction": "down"}, **HTMX).status_code == 410
    assert client.post(url, {"direction": "down"}).status_code == 302
    assert db_state() == before


def test_it_bumps_the_canvas_change_time(client, editor, canvas, partners):
    client.force_login(editor)
    canvas.refresh_from_db()
    before = canvas.updated_at
    client.post(move_url(partners[0]), {"block": CS})
    canvas.refresh_from_db()
    assert canvas.updated_at > before
