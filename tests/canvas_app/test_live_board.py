"""The live board's poll: a cheap 204 while nothing changed; a few notes' changes behind, only
those notes, out of band; otherwise the whole board."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.models import Block
from tests.conftest import make_notes
from canvas_app.live import DELTA_LIMIT
from canvas_app.models import Note
from tests.markup import HTMX, element, has_element, is_partial, parse

# Session, user, the canvas with the user's role: nothing about the notes.
UNCHANGED_QUERIES = 3


def changes_url(canvas, version: str) -> str:
    return reverse("canvas_app:board_changes", args=[canvas.pk]) + f"?version={version}"


def poller(html: bytes):
    """The form that polls for the board (htmx, every 5 s) and carries the version it shows."""
    return element(html, "board-live")


def version_of(html: bytes) -> str:
    """The version a board (or a catch-up, out of band) tells the poll to ask from next."""
    field = element(html, "board-version")
    assert field.attrs["name"] == "version"
    return field.attrs["value"]


def out_of_band(html: bytes) -> dict[str, str]:
    """The ids of what a catch-up swaps in, and how."""
    return {e.attrs["id"]: e.attrs["hx-swap-oob"] for e in parse(html).elements if "hx-swap-oob" in e.attrs}


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


def test_a_teammates_new_note_comes_with_its_block_only(client, viewer, editor, canvas):
    make_notes(canvas, 30)
    client.force_login(viewer)
    version = board_version(client, canvas)
    canvas.add_note(block=Block.CHANNELS, text="Nota de Eduardo", by=editor)
    response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 200
    assert is_partial(response.content) and not has_element(response.content, "board")
    assert response["HX-Reswap"] == "none"  # everything comes out of band
    assert out_of_band(response.content) == {
        "board-version": "true", "notes-channels": "morph:#notes-channels", "block-channels-count": "true",
    }  # fmt: skip
    channel_notes = canvas.notes.filter(block=Block.CHANNELS).order_by("position")
    listed = [e.attrs["data-note-id"] for e in element(response.content, "notes-channels").find_all("li")]
    assert listed == [str(note.pk) for note in channel_notes]
    assert int(version_of(response.content)) == int(version) + 1


def test_a_teammates_edit_brings_that_note_alone(client, viewer, editor, canvas):
    notes = make_notes(canvas, 300)
    client.force_login(viewer)
    version = board_version(client, canvas)
    edited = Note.objects.get(pk=notes[40].pk)
    edited.edit(by=editor, text="Reescrita por Eduardo")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changes_url(canvas, version), **HTMX)
    assert out_of_band(response.content) == {"board-version": "true", f"note-{edited.pk}": f"morph:#note-{edited.pk}"}
    assert "Reescrita por Eduardo" in element(response.content, f"note-{edited.pk}").text
    assert len(response.content) < 3_000
    few = len(queries)
    for note in notes[:5]:
        Note.objects.get(pk=note.pk).edit(by=editor, text=f"{note.text}, otra vez")
    with CaptureQueriesContext(connection) as queries:
        client.get(changes_url(canvas, version), **HTMX)
    assert len(queries) == few  # however many notes changed


def test_a_move_brings_both_blocks_and_a_delete_leaves_its_note_out(client, viewer, editor, canvas, note):
    client.force_login(viewer)
    version = board_version(client, canvas)
    other = canvas.add_note(block=Block.KEY_PARTNERS, text="Tostadora local", by=editor)
    other.move(block=Block.CHANNELS, position=1, by=editor)
    note.delete_softly(by=editor)
    response = client.get(changes_url(canvas, version), **HTMX)
    assert set(out_of_band(response.content)) == {
        "board-version", "notes-key_partners", "block-key_partners-count", "notes-channels",
        "block-channels-count", f"notes-{note.block}", f"block-{note.block}-count",
    }  # fmt: skip
    assert has_element(response.content, f"note-{other.pk}")
    assert f"note-{other.pk}" in {e.attrs.get("id") for e in element(response.content, "notes-channels").descendants}
    assert not has_element(response.content, f"note-{note.pk}")


def test_the_whole_board_when_a_segment_changes_or_far_behind_or_for_the_canvas_details(client, viewer, editor, canvas):
    client.force_login(viewer)
    version = board_version(client, canvas)
    canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Oficinas", by=editor)  # a segment: legend, filter
    assert has_element(client.get(changes_url(canvas, version), **HTMX).content, "board")
    version = board_version(client, canvas)
    canvas.edit_details(by=editor, title="Tostadores Boreal", description="", language="es")
    assert has_element(client.get(changes_url(canvas, version), **HTMX).content, "board")
    version = board_version(client, canvas)
    note = canvas.add_note(block=Block.CHANNELS, text="Web", by=editor)
    for number in range(DELTA_LIMIT):
        Note.objects.get(pk=note.pk).edit(by=editor, text=f"Web {number}")
    assert has_element(client.get(changes_url(canvas, version), **HTMX).content, "board")
    assert not has_element(client.get(changes_url(canvas, str(int(version) + 1)), **HTMX).content, "board")


def test_a_note_a_teammate_deleted_is_not_on_the_new_board(client, viewer, editor, canvas, note):
    client.force_login(viewer)
    version = board_version(client, canvas)
    note.delete_softly(by=editor)
    response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 200
    assert not has_element(response.content, f"note-{note.pk}")
    assert has_element(response.content, f"notes-{note.block}")


def test_my_own_change_raises_the_version_too(client, editor, canvas):
    client.force_login(editor)
    version = board_version(client, canvas)
    client.post(reverse("canvas_app:note_add", args=[canvas.pk, Block.CHANNELS]), {"text": "Nueva"}, **HTMX)
    response = client.get(changes_url(canvas, version), **HTMX)
    assert response.status_code == 200  # the poll brings my note's block (the morph changes nothing)
    assert "Nueva" in element(response.content, "notes-channels").text
    assert client.get(changes_url(canvas, version_of(response.content)), **HTMX).status_code == 204


def test_outsiders_cannot_poll(client, outsider, canvas):
    client.force_login(outsider)
    assert client.get(changes_url(canvas, "0"), **HTMX).status_code == 404
