"""Every change recorded with before and after; undo and redo of one's own changes on the board
(refused over a teammate's later change); the activity feed and a note's history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.history import UndoRefused, redo, undo
from canvas_app.models import Action, Block, Change, Colour, Note
from tests.conftest import positions

pytestmark = pytest.mark.django_db


def _last(canvas) -> Change:
    return Change.objects.filter(canvas=canvas).order_by("-revision").first()


def test_an_edit_records_who_and_each_fields_before_and_after(client, canvas, editor, note):
    client.force_login(editor)
    url = reverse("canvas_app:note_edit", args=[canvas.pk, note.pk])
    client.post(url, {"text": "Café de origen", "colour": Colour.BLUE}, HTTP_HX_REQUEST="true")
    change = _last(canvas)
    assert (change.by, change.action, change.note_id, change.block) == (editor, Action.EDIT, note.pk, note.block)
    assert change.data["before"] == {"text": "Café fresco", "colour": "orange"}
    assert change.data["after"] == {"text": "Café de origen", "colour": "blue"}
    assert change.label == "Café de origen"


def test_moves_deletes_and_additions_record_the_places(canvas, editor):
    first = canvas.add_note(block=Block.CHANNELS, text="Web", by=editor)
    assert _last(canvas).data["after"] == {"block": "channels", "position": 1, "text": "Web", "colour": first.colour}
    second = canvas.add_note(block=Block.CHANNELS, text="Tiendas", by=editor)
    second.move(block=Block.CHANNELS, position=1, by=editor)
    assert _last(canvas).data == {"before": {"block": "channels", "position": 2}, "after": {"block": "channels", "position": 1}}
    first.delete_softly(by=editor)
    assert _last(canvas).data == {"before": {"block": "channels", "position": 2}}


def test_recording_adds_no_query_to_a_note_edit(client, canvas, editor, note):
    """The before comes from the form's own read; the change row was already written."""
    client.force_login(editor)
    url = reverse("canvas_app:note_edit", args=[canvas.pk, note.pk])
    with CaptureQueriesContext(connection) as queries:
        client.post(url, {"text": "Café de origen", "colour": Colour.BLUE}, HTTP_HX_REQUEST="true")
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    change_writes = [sql for sql in writes if "canvas_app_change" in sql]
    assert len(change_writes) == 1  # the change itself, with before and after in it
    by_key = f'"canvas_app_note"."id" = {note.pk}'
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and by_key in q["sql"]]
    assert len(reads) == 1, reads  # the note, read once: no second read for the "before"


def test_undo_and_redo_an_edit(canvas, editor, note):
    note.edit(by=editor, text="Café de especialidad", colour=Colour.GREEN)
    done = undo(canvas, editor)
    note.refresh_from_db()
    assert (note.text, note.colour) == ("Café fresco", Colour.ORANGE)
    assert "Café de especialidad" in done.message
    assert _last(canvas).step == "undo" and _last(canvas).step_of_id == done.change.pk
    redo(canvas, editor)
    note.refresh_from_db()
    assert (note.text, note.colour) == ("Café de especialidad", Colour.GREEN)
    assert _last(canvas).step == "redo"


def test_undo_a_move_a_delete_and_an_addition(canvas, editor):
    a = canvas.add_note(block=Block.CHANNELS, text="A", by=editor)
    b = canvas.add_note(block=Block.CHANNELS, text="B", by=editor)
    b.move(block=Block.KEY_PARTNERS, position=1, by=editor)
    a.delete_softly(by=editor)
    undo(canvas, editor)  # the delete
    assert positions(canvas, Block.CHANNELS) == [(1, "A")]
    undo(canvas, editor)  # the move
    assert positions(canvas, Block.CHANNELS) == [(1, "A"), (2, "B")]
    assert positions(canvas, Block.KEY_PARTNERS) == []
    undo(canvas, editor)  # adding B
    assert positions(canvas, Block.CHANNELS) == [(1, "A")]
    redo(canvas, editor)  # B is back
    redo(canvas, editor)  # and moves again
    assert positions(canvas, Block.KEY_PARTNERS) == [(1, "B")]
    redo(canvas, editor)  # A deleted again
    assert positions(canvas, Block.CHANNELS) == []
    with pytest.raises(UndoRefused, match="Nothing to redo"):
        redo(canvas, editor)


def test_undo_is_refused_over_a_teammates_later_change_and_goes_on_with_the_one_before(canvas, editor, owner):
    mine = canvas.add_note(block=Block.CHANNELS, text="Web", by=editor)
    mine.edit(by=editor, text="Web propia")
    Note.objects.get(pk=mine.pk).edit(by=owner, text="Web y app")
    with pytest.raises(UndoRefused, match=f"{owner.username} changed “Web propia” after you") as refused:
        undo(canvas, editor)
    assert refused.value.drop
    mine.refresh_from_db()
    assert mine.text == "Web y app"  # their change stands
    # The next undo reaches my change before it: adding the note (which deletes it; their
    # edit came after that too, so that is refused as well).
    with pytest.raises(UndoRefused, match="after you"):
        undo(canvas, editor)
    with pytest.raises(UndoRefused, match="Nothing to undo"):
        undo(canvas, editor)


def test_a_teammates_change_of_another_field_does_not_stop_the_undo(canvas, editor, owner, note):
    note.edit(by=editor, text="Café de origen")
    Note.objects.get(pk=note.pk).edit(by=owner, colour=Colour.PINK)
    undo(canvas, editor)
    note.refresh_from_db()
    assert (note.text, note.colour) == ("Café fresco", Colour.PINK)


def test_a_teammates_move_of_another_note_does_not_stop_the_undo_of_mine(canvas, editor, owner):
    mine = canvas.add_note(block=Block.CHANNELS, text="Mía", by=owner)
    canvas.add_note(block=Block.CHANNELS, text="Suya", by=owner)
    mine.move(block=Block.CHANNELS, position=2, by=editor)
    Note.objects.get(text="Suya").move(block=Block.KEY_PARTNERS, position=1, by=owner)
    undo(canvas, editor)
    assert positions(canvas, Block.CHANNELS) == [(1, "Mía")]


def test_a_new_change_clears_what_could_be_redone(canvas, editor, note):
    note.edit(by=editor, text="Uno")
    undo(canvas, editor)
    note.refresh_from_db()
    note.edit(by=editor, text="Dos")
    with pytest.raises(UndoRefused, match="Nothing to redo"):
        redo(canvas, editor)
    undo(canvas, editor)
    note.refresh_from_db()
    assert note.text == "Café fresco"


def test_undo_keeps_to_my_own_changes(canvas, editor, owner, note):
    note.edit(by=owner, text="Del dueño")
    with pytest.raises(UndoRefused, match="Nothing to undo"):
        undo(canvas, editor)


def test_undo_through_the_board_says_what_it_did(client, canvas, editor, note):
    note.edit(by=editor, text="Café de origen")
    client.force_login(editor)
    response = client.post(reverse("canvas_app:board_undo", args=[canvas.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Undone: your edit of “Café de origen”." in response.text
    refused = client.post(reverse("canvas_app:board_undo", args=[canvas.pk]), HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text


def _fill(canvas, editor, owner, count: int) -> None:
    for number in range(count):
        note = canvas.add_note(block=Block.CHANNELS if number % 2 else Block.CUSTOMER_SEGMENTS, text=f"Nota {number}", by=owner)
        note.edit(by=editor, text=f"Nota {number}, mejor escrita para ver la diferencia palabra a palabra")


@pytest.mark.parametrize("count", [3, 40])
def test_the_activity_page_runs_the_same_queries_however_long_the_history(client, canvas, editor, owner, count, django_assert_max_num_queries):
    _fill(canvas, editor, owner, count)
    client.force_login(owner)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("canvas_app:activity", args=[canvas.pk]))
    assert response.status_code == 200


def test_the_activity_feed_filters_by_person_block_and_segment(client, canvas, editor, owner):
    _fill(canvas, editor, owner, 4)
    client.force_login(owner)
    url = reverse("canvas_app:activity", args=[canvas.pk])
    by_editor = client.get(url, {"person": editor.pk})
    assert by_editor.context["page"].paginator.count == 4
    assert all(entry.change.by == editor for entry in by_editor.context["entries"])
    channels = client.get(url, {"block": Block.CHANNELS})
    assert {entry.change.block for entry in channels.context["entries"]} == {Block.CHANNELS}
    segment = canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).first()
    one = client.get(url, {"segment": segment.pk})
    assert {entry.change.note_id for entry in one.context["entries"]} == {segment.pk}
    assert client.get(url, {"person": "x", "block": "nonsense"}).status_code == 200


def test_a_notes_history_shows_the_text_difference_word_by_word(client, canvas, editor, note):
    note.edit(by=editor, text="Café fresco de tostadores locales, cada semana")
    client.force_login(editor)
    response = client.get(reverse("canvas_app:note_history", args=[canvas.pk, note.pk]))
    assert "Café fresco<ins> de tostadores locales, cada semana</ins>" in response.text
    entries = response.context["entries"]
    assert [entry.change.action for entry in entries] == [Action.EDIT, Action.ADD]
    words = entries[0].fields[0].words
    assert ("same", "Café fresco") in words and any(kind == "added" and "tostadores" in text for kind, text in words)


@pytest.mark.parametrize("count", [2, 30])
def test_a_notes_history_runs_the_same_queries_however_long(client, canvas, editor, owner, note, count, django_assert_max_num_queries):
    for number in range(count):
        Note.objects.get(pk=note.pk).edit(by=editor if number % 2 else owner, text=f"Café fresco, versión {number}")
    client.force_login(owner)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("canvas_app:note_history", args=[canvas.pk, note.pk]))
    assert response.status_code == 200 and len(response.context["entries"]) == count + 1
