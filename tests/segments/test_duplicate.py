"""Duplicating a canvas takes its segments along: descriptions, personas, fit, links, criteria."""

from __future__ import annotations

from canvas_app.models import Block
from canvas_app.services import duplicate_canvas
from segments.models import PrioritySettings, ProfileKind, Segment, ValueKind
from tests.segments.factories import (
    default_criteria,
    make_note,
    make_persona,
    make_profile_item,
    make_segment,
    make_value_item,
    score,
)


def test_the_copy_has_its_own_segments_with_everything_but_the_scores(canvas, owner, editor):
    segment = make_segment(canvas, "Oficinas", estimated_size=3500, market_kind="niche")
    offer = make_note(canvas, Block.VALUE_PROPOSITIONS, "Plan oficina")
    segment.linked_notes.set([offer])
    make_persona(segment, "Marta Gil", age=44)
    pain = make_profile_item(segment, ProfileKind.PAIN, "Averías", 3)
    make_value_item(segment, ValueKind.RELIEVER, "Máquina en préstamo", addresses=[pain], notes=[])
    product = make_value_item(segment, ValueKind.PRODUCT, "Plan", notes=[offer])
    criteria = default_criteria(canvas)
    criteria[0].name = "Tamaño propio"
    criteria[0].save()
    settings = PrioritySettings.for_canvas(canvas)
    settings.primary_segment = segment
    settings.min_segment_size = 50
    settings.save()
    score(segment, criteria[0], editor, 4)

    copy = duplicate_canvas(canvas=canvas, user=owner, title="Copia")

    [copied] = Segment.objects.of_canvas(copy)
    assert copied.pk != segment.pk and copied.note.canvas_id == copy.pk
    assert (copied.name, copied.estimated_size, copied.market_kind) == ("Oficinas", 3500, "niche")
    assert [n.text for n in copied.linked_notes.all()] == ["Plan oficina"]
    assert copied.linked_notes.get().canvas_id == copy.pk
    assert [p.name for p in copied.personas.all()] == ["Marta Gil"]
    reliever = copied.value_items.get(kind=ValueKind.RELIEVER)
    assert [(i.text, i.segment_id) for i in reliever.addresses.all()] == [("Averías", copied.pk)]
    assert copied.value_items.get(kind=ValueKind.PRODUCT).notes.get().canvas_id == copy.pk
    assert [c.name for c in copy.criteria.all()][0] == "Tamaño propio"
    copied_settings = PrioritySettings.objects.get(canvas=copy)
    assert (copied_settings.primary_segment, copied_settings.min_segment_size) == (copied, 50)
    assert not copied.scores.exists()
    # The source is untouched.
    assert segment.scores.count() == 1 and product.notes.get() == offer


def test_what_was_deleted_for_an_undo_stays_behind(canvas, owner, editor):
    segment = make_segment(canvas, "Oficinas")
    make_persona(segment, "Marta Gil")
    make_persona(segment, "Pablo Borrado").delete_softly(by=editor)
    pain = make_profile_item(segment, ProfileKind.PAIN, "Averías", 3)
    gone = make_profile_item(segment, ProfileKind.PAIN, "Ruido", 1)
    make_value_item(segment, ValueKind.RELIEVER, "Máquina en préstamo", addresses=[pain, gone])
    make_value_item(segment, ValueKind.PRODUCT, "Plan antiguo").delete_softly(by=editor)
    gone.delete_softly(by=editor)

    copy = duplicate_canvas(canvas=canvas, user=owner, title="Copia")

    [copied] = Segment.objects.of_canvas(copy)
    assert [p.name for p in copied.personas.model.all_objects.filter(segment=copied)] == ["Marta Gil"]
    assert [i.text for i in copied.profile_items.model.all_objects.filter(segment=copied)] == ["Averías"]
    [reliever] = copied.value_items.model.all_objects.filter(segment=copied)
    assert [i.text for i in reliever.addresses.model.all_objects.filter(addressed_by=reliever)] == ["Averías"]
