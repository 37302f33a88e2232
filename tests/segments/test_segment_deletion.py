"""Deleting a segment's note says what goes with it (profile, personas, fit, scores) while the
undo is offered, and the undo brings all of it back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.models import Block, Note
from segments.board import deletion_notice
from segments.models import PrioritySettings, Segment, SegmentColour
from tests.markup import HTMX, element
from tests.segments.factories import (
    default_criteria,
    make_note,
    make_persona,
    make_profile_item,
    make_segment,
    make_value_item,
    score,
    segments_state,
)


@pytest.fixture
def described(canvas, owner):
    """A segment with a profile, 2 personas, 3 fit items, 6 scores, a note serving it, chosen
    as the primary segment and given a colour of its own."""
    make_segment(canvas, "Estudiantes")
    segment = make_segment(canvas, "Oficinas", description="Empresas de 10 a 50 personas", customer_type="b2b")
    segment.colour = SegmentColour.TEAL
    segment.save(update_fields=["colour"])
    make_persona(segment, "Lucía Pérez"), make_persona(segment, "Marta Ruiz")
    pain = make_profile_item(segment, "pain", "Café malo en la oficina", 3)
    make_profile_item(segment, "job", "Tener café para el equipo")
    offer = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café de especialidad")
    make_value_item(segment, "reliever", "Entrega semanal", addresses=[pain], notes=[])
    make_value_item(segment, "product", "Suscripción", notes=[offer])
    for criterion in default_criteria(canvas):
        score(segment, criterion, owner, 4)
    segment.linked_notes.add(offer)
    settings = PrioritySettings.for_canvas(canvas)
    settings.primary_segment = segment
    settings.save()
    return segment


def delete_url(note) -> str:
    return reverse("canvas_app:note_delete", args=[note.canvas_id, note.pk])


def restore_url(note) -> str:
    return reverse("canvas_app:note_restore", args=[note.canvas_id, note.pk])


def test_the_undo_placeholder_says_what_goes_with_the_segment(client, editor, described):
    client.force_login(editor)
    response = client.post(delete_url(described.note), **HTMX)
    assert response.status_code == 200
    placeholder = element(response.content, f"note-{described.note_id}")
    assert placeholder.find_all("span", role="status")[0].text == (
        "Note deleted. Deleting this segment also removed its profile, 2 personas, 4 fit items, 6 scores "
        "and its link to 1 note. Undo brings it all back."
    )


def test_the_undo_brings_it_all_back(client, editor, canvas, described):
    before = segments_state()
    client.force_login(editor)
    client.post(delete_url(described.note), **HTMX)
    assert list(Segment.objects.of_canvas(canvas).values_list("note__text", flat=True)) == ["Estudiantes"]
    response = client.post(restore_url(described.note), **HTMX)
    assert response.status_code == 200
    assert segments_state() == before  # description, personas, fit and its links, note links
    segment = Segment.objects.of_canvas(canvas).get(pk=described.pk)
    assert (segment.colour, segment.letter, segment.name) == (SegmentColour.TEAL, "B", "Oficinas")
    assert segment.scores.count() == 6
    assert PrioritySettings.objects.get(canvas=canvas).primary_segment_id == segment.pk
    board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
    marks = [e for e in element(board, f"note-{segment.note_id}").descendants if "note__segment-mark" in e.attrs.get("class", "")]
    assert [(m.attrs["class"], m.text) for m in marks] == [("marker note__segment-mark segment-colour--7", "B")]
    page = client.get(reverse("segments:detail", args=[canvas.pk, segment.pk]))
    assert page.status_code == 200 and b"Luc\xc3\xada P\xc3\xa9rez" in page.content


def test_a_segment_with_nothing_yet_says_only_that_the_note_was_deleted(client, editor, canvas):
    segment = make_segment(canvas, "Oficinas")
    client.force_login(editor)
    response = client.post(delete_url(segment.note), **HTMX)
    assert element(response.content, f"note-{segment.note_id}").find_all("span", role="status")[0].text == "Note deleted."


def test_other_notes_say_nothing_more(client, editor, canvas, described):
    offer = Note.objects.get(text="Café de especialidad")
    client.force_login(editor)
    response = client.post(delete_url(offer), **HTMX)
    assert element(response.content, f"note-{offer.pk}").find_all("span", role="status")[0].text == "Note deleted."


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param({"personas": 1}, "Deleting this segment also removed 1 persona. Undo brings it all back.", id="one"),
        pytest.param(
            {"personas": 2, "scores": 1},
            "Deleting this segment also removed 2 personas and 1 score. Undo brings it all back.",
            id="two",
        ),
    ],
)
def test_the_notice_counts_what_there_is(canvas, owner, parts, expected):
    segment = make_segment(canvas, "Oficinas")
    for n in range(parts.get("personas", 0)):
        make_persona(segment, f"Persona {n}")
    for criterion in default_criteria(canvas)[: parts.get("scores", 0)]:
        score(segment, criterion, owner, 3)
    assert deletion_notice(segment.note) == expected


def test_deleted_personas_do_not_count(canvas):
    segment = make_segment(canvas, "Oficinas")
    persona = make_persona(segment, "Lucía")
    make_persona(segment, "Marta")
    if hasattr(persona, "delete_softly"):
        persona.delete_softly(by=None)
    else:
        persona.delete()
    assert deletion_notice(segment.note) == "Deleting this segment also removed 1 persona. Undo brings it all back."
