"""The live board's poll: a cheap 204 while nothing changed, the board once something did."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.models import Block
from tests.conftest import make_notes
from tests.markup import HTMX, element, is_partial

# Session, user, the canvas with the user's role: nothing about the notes.
UNCHANGED_QUERIES = 3


def changes_url(canvas, version: str) -> str:
    return reverse("canvas_app:board_changes", args=[canvas.pk]) + f"?version={version}"


def board_version(client, canvas) -> str:
    board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
    return element(board, "board").attrs["data-version"]


def test_nothing_changed_is_a_204_that_reads_no_notes(client, viewer, canvas):
    make_notes(canvas, 300)
    client.force_login(viewer)
    version = board_version(client, canvas)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 204
    assert response.content == b""
    assert len(queries) == UNCHANGED_QUERIES


def test_a_teammates_change_returns_the_new_board(client, viewer, editor, canvas):
    client.force_login(viewer)
    version = board_version(client, canvas)
    canvas.add_note(block=Block.CHANNELS, text="Nota de Eduardo")
    response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 200
    assert is_partial(response.content)
    assert "Nota de Eduardo" in element(response.content, "notes-channels").text
    assert element(response.content, "board").attrs["data-version"] != version


def test_own_htmx_changes_report_the_versions_they_went_from_and_to(client, editor, canvas):
    client.force_login(editor)
    version = board_version(client, canvas)
    response = client.post(
        reverse("canvas_app:note_add", args=[canvas.pk, Block.CHANNELS]), {"text": "Nueva"}, **HTMX
    )
    assert response["X-Lienzo-Version-Before"] == version
    after = response["X-Lienzo-Version"]
    assert after != version
    assert client.get(changes_url(canvas, after), **HTMX).status_code == 204


def test_outsiders_cannot_poll(client, outsider, canvas):
    client.force_login(outsider)
    assert client.get(changes_url(canvas, "0"), **HTMX).status_code == 404
