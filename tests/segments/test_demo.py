"""The demo data `make run` loads: complete canvases in Spanish and English, with segments."""

from __future__ import annotations

from django.core.management import call_command

from canvas_app.models import Block, Canvas, Note
from segments.models import Persona, PrioritySettings, ProfileItem, Score, Segment, ValueItem


def test_it_loads_complete_canvases_with_segments_once(db):
    call_command("load_demo")
    canvases = list(Canvas.objects.order_by("pk"))
    assert [c.language for c in canvases] == ["es", "en"]
    for canvas in canvases:
        assert set(canvas.notes.values_list("block", flat=True)) == set(Block.values)
        segments = list(Segment.objects.of_canvas(canvas))
        assert len(segments) == canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).count() == 3
        assert Persona.objects.filter(segment__in=segments).exists()
        assert ProfileItem.objects.filter(segment__in=segments).exists()
        assert ValueItem.objects.filter(segment__in=segments, addresses__isnull=False).exists()
        reviewers = set(Score.objects.filter(segment__in=segments).values_list("reviewer", flat=True))
        assert len(reviewers) >= 2
        # Each reviewer scored every segment on every criterion.
        assert Score.objects.filter(segment__in=segments).count() == len(reviewers) * 3 * canvas.criteria.count()
        assert PrioritySettings.objects.get(canvas=canvas).primary_segment in segments
        assert all(s.linked_notes.exists() for s in segments)
        relationships = canvas.notes.filter(block=Block.CUSTOMER_RELATIONSHIPS)
        assert all(note.relationship_type for note in relationships)

    counts = (Canvas.objects.count(), Note.objects.count(), Score.objects.count(), Persona.objects.count())
    call_command("load_demo")
    assert (Canvas.objects.count(), Note.objects.count(), Score.objects.count(), Persona.objects.count()) == counts
