"""Building segments and their parts for tests."""

from __future__ import annotations

from canvas_app.models import Block, Canvas, Colour, Note
from segments.models import Criterion, Persona, PrioritySettings, ProfileItem, Score, Segment, ValueItem


def make_segment(canvas: Canvas, name: str = "Aficionados al café", colour: str = Colour.PURPLE, **fields) -> Segment:
    """A segment as users make one: a note added to the Customer Segments block."""
    note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text=name, colour=colour)
    Segment.ensure_for_notes([note])
    segment = Segment.objects.select_related("note").get(note=note)
    if fields:
        for key, value in fields.items():
            setattr(segment, key, value)
        segment.save()
    return segment


def make_persona(segment: Segment, name: str = "Lucía Pérez", **fields) -> Persona:
    return Persona.objects.create(segment=segment, name=name, **fields)


def make_note(canvas: Canvas, block: str = Block.VALUE_PROPOSITIONS, text: str = "Café fresco") -> Note:
    return canvas.add_note(block=block, text=text)


def default_criteria(canvas: Canvas) -> list[Criterion]:
    PrioritySettings.for_canvas(canvas)
    return list(canvas.criteria.all())


def score(segment: Segment, criterion: Criterion, reviewer, value: int) -> Score:
    return Score.objects.update_or_create(
        segment=segment, criterion=criterion, reviewer=reviewer, defaults={"value": value}
    )[0]


def make_profile_item(segment: Segment, kind: str, text: str, importance: int = 2) -> ProfileItem:
    return ProfileItem.objects.create(segment=segment, kind=kind, text=text, importance=importance)


def make_value_item(segment: Segment, kind: str, text: str, addresses=(), notes=()) -> ValueItem:
    item = ValueItem.objects.create(segment=segment, kind=kind, text=text)
    item.addresses.set(addresses)
    item.notes.set(notes)
    return item


def only_segment(canvas: Canvas) -> Segment:
    """The one segment of a canvas that a test gave a single segment."""
    return Segment.objects.of_canvas(canvas).get()


def make_criterion(canvas: Canvas, name: str, weight: int = 1, axis: str = "attractiveness") -> Criterion:
    """A criterion at the end of the canvas' list. The first one made on a canvas takes the
    place of the default criteria every canvas starts with: a test that makes its own criteria
    knows all of them."""
    PrioritySettings.objects.get_or_create(canvas=canvas)
    if list(canvas.criteria.values_list("name", flat=True)) == _default_names(canvas):
        canvas.criteria.all().delete()
    return Criterion.objects.create(
        canvas=canvas, name=name, weight=weight, axis=axis, position=canvas.criteria.count() + 1
    )


def _default_names(canvas: Canvas) -> list[str]:
    from django.utils import translation

    from segments.models import DEFAULT_CRITERIA

    with translation.override(canvas.language):
        return [str(name) for name, _weight, _axis in DEFAULT_CRITERIA]


def add_members(canvas: Canvas, count: int, role: str = "editor", prefix: str = "miembro") -> list:
    """`count` new users with `role` on the canvas."""
    from canvas_app.models import Membership
    from tests.conftest import make_user

    users = [make_user(f"{prefix}{index}") for index in range(1, count + 1)]
    Membership.objects.bulk_create(Membership(canvas=canvas, user=user, role=role) for user in users)
    return users


def segments_state() -> dict[str, list]:
    """Everything the segment pages could change beyond notes and canvases (see
    tests.conftest.db_state), to compare before and after a request."""
    segment_fields = [f.name for f in Segment._meta.concrete_fields]
    persona_fields = [f.name for f in Persona._meta.concrete_fields]
    return {
        "segments": list(Segment.objects.order_by("pk").values_list(*segment_fields)),
        "links": sorted(Segment.linked_notes.through.objects.values_list("segment_id", "note_id")),
        "personas": list(Persona.objects.order_by("pk").values_list(*persona_fields)),
        "profile": list(ProfileItem.objects.order_by("pk").values_list("pk", "segment_id", "kind", "text", "importance")),
        "value": list(ValueItem.objects.order_by("pk").values_list("pk", "segment_id", "kind", "text")),
        "addresses": sorted(ValueItem.addresses.through.objects.values_list("valueitem_id", "profileitem_id")),
        "value_notes": sorted(ValueItem.notes.through.objects.values_list("valueitem_id", "note_id")),
    }


def score_all(segment: Segment, criteria: list[Criterion], reviewer, values: list[int | None]) -> None:
    """One reviewer's scores of a segment, one value per criterion in order (None: not scored)."""
    for criterion, value in zip(criteria, values, strict=True):
        if value is not None:
            score(segment, criterion, reviewer, value)


def make_relationship_item(segment: Segment, topic: str, text: str, stage: str = "", channel: Note | None = None):
    from segments.models import RelationshipItem

    return RelationshipItem.objects.create(segment=segment, topic=topic, text=text, stage=stage, channel=channel)
