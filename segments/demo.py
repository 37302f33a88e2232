"""Segments of the demo and example canvases: descriptions, personas, fit, criteria and the
team's scores, from fixtures/demo.json and fixtures/examples/."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from canvas_app.models import Block, Canvas

from .models import Criterion, Persona, PrioritySettings, ProfileItem, Score, Segment, ValueItem

SEGMENT_FIELDS = [
    "description", "market_kind", "customer_type", "basis", "age_min", "age_max", "gender",
    "marital_status", "life_stage", "interests", "needs", "industry", "company_size",
    "company_revenue", "previous_purchases", "replaces", "location", "estimated_size",
    "growth_rate", "revenue_potential", "cost_to_serve", "willingness_to_pay", "gives_up",
]


def load_segments(created: list[tuple[dict, Canvas]]) -> None:
    users = {user.username: user for user in get_user_model().objects.all()}
    for spec, canvas in created:
        load_canvas_segments(spec, canvas, users)


def load_canvas_segments(spec: dict, canvas: Canvas, users: dict) -> None:
    """What a data file says about the segments of `canvas` (made by canvas_app.demo's
    build_canvas from the same `spec`): their descriptions, personas, fit, the criteria and
    the scores of the people in `users` (by the names the file uses)."""
    notes = {note.text: note for note in canvas.notes.all()}
    Segment.ensure_for_notes(list(notes.values()))
    # Criteria of its own replace the defaults, which the canvas' settings make otherwise.
    Criterion.objects.bulk_create(
        Criterion(canvas=canvas, name=item["name"], weight=item["weight"], axis=item["axis"], position=index)
        for index, item in enumerate(spec.get("criteria", []), start=1)
    )
    settings = PrioritySettings.for_canvas(canvas)
    settings.min_segment_size = spec.get("min_segment_size", settings.min_segment_size)
    settings.save()
    segments = {}
    for name, data in spec.get("segments", {}).items():
        note = notes[name]
        assert note.block == Block.CUSTOMER_SEGMENTS, name
        segment = Segment.objects.get(note=note)
        for field in SEGMENT_FIELDS:
            if field in data:
                setattr(segment, field, data[field])
        segment.full_clean(exclude=["note"])
        segment.save()
        segment.linked_notes.set(notes[text] for text in data.get("serves", []))
        for persona in data.get("personas", []):
            Persona.objects.create(segment=segment, **persona)
        profile = {
            item["text"]: ProfileItem.objects.create(segment=segment, **item)
            for item in data.get("profile", [])
        }
        for item in data.get("value_map", []):
            value = ValueItem.objects.create(segment=segment, kind=item["kind"], text=item["text"])
            value.addresses.set(profile[text] for text in item.get("addresses", []))
            value.notes.set(notes[text] for text in item.get("notes", []))
        segments[name] = segment
    criteria = list(Criterion.objects.filter(canvas=canvas).order_by("position"))
    for username, by_segment in spec.get("scores", {}).items():
        for name, values in by_segment.items():
            Score.objects.bulk_create(
                Score(segment=segments[name], criterion=criterion, reviewer=users[username], value=value)
                for criterion, value in zip(criteria, values, strict=True)
            )
    first = next(iter(segments.values()), None)
    if first is not None:
        settings.primary_segment = first
        settings.save()
