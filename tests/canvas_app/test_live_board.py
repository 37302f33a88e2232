"""The live board's poll: a cheap 204 while nothing changed, the board once something did."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.models import Block
from tests.conftest import make_notes
from tests.markup import HTMX, element, has_element, is_partial

# Session, user, the canvas with the user's role: nothing about the notes.
UNCHANGED_QUERIES = 3


def changes_url(canvas, version: str) -> str:
    return reverse("canvas_app:board_changes", args=[canvas.pk]) + f"?version={version}"


def poller(html: bytes):
    """The form that polls for the board (htmx, every 5 s) and carries the version it shows."""
    return element(html, "board-live")


def version_of(html: bytes) -> str:
    return poller(html).find_all("input", name="version")[0].attrs["value"]


def board_version(client, canvas) -> str:
    return version_of(client.get(reverse("canvas_app:board", args=[canvas.pk])).content)


def test_the_board_polls_with_htmx_and_morphs_itself(client, viewer, canvas):
    client.force_login(viewer)
    html = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
    form = poller(html)
    assert form in element(html, "board").descendants  # morphed with the board: the version follows it
    assert form.attrs["hx-get"] == reverse("canvas_app:board_changes", args=[canvas.pk])
    assert form.attrs["hx-trigger"] == "every 5s"
    assert (form.attrs["hx-target"], form.attrs["hx-swap"], form.attrs["hx-ext"]) == ("#board", "morph:outerHTML", "morph")
    assert version_of(html) == str(canvas.revision)


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
    assert int(version_of(response.content)) == int(version) + 1


def test_a_note_a_teammate_deleted_is_not_on_the_new_board(client, viewer, editor, canvas, note):
    client.force_login(viewer)
    version = board_version(client, canvas)
    note.delete_softly(by=editor)
    response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 200
    assert not has_element(response.content, f"note-{note.pk}")
    assert has_element(response.content, "board")


def test_my_own_change_raises_the_version_too(client, editor, canvas):
    client.force_login(editor)
    version = board_version(client, canvas)
    client.post(reverse("canvas_app:note_add", args=[canvas.pk, Block.CHANNELS]), {"text": "Nueva"}, **HTMX)
    response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 200  # the poll brings the board with my note (the morph changes nothing)
    assert "Nueva" in element(response.content, "notes-channels").text
    assert client.get(changes_url(canvas, version_of(response.content)), **HTMX).status_code == 204


def test_outsiders_cannot_poll(client, outsider, canvas):
    client.force_login(outsider)
    assert client.get(changes_url(canvas, "0"), **HTMX).status_code == 404
