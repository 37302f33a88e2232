"""The segments' part of a canvas document (canvas_app.serializer): every field of each
segment, its personas, fit (customer profile and value map, with their links), relationship
plan and linked notes; the canvas' criteria and the team's scores."""

from __future__ import annotations

from canvas_app.serializer import plain

from .models import Criterion, Persona, ProfileItem, RelationshipItem, Score, Segment, ValueItem

#: Fields of a segment not in the document: its identity, version and bookkeeping.
SKIPPED = {"id", "note", "version", "updated_at", "reviewed_at"}


def _fields(instance, skip: set[str]) -> dict:
    return {
        field.name: plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in skip and not field.name.endswith("_at") and field.name != "deleted_at"
    }


def describe_canvas(sender, *, canvas, document: dict, note_refs: dict, for_markdown: bool = False, **kwargs) -> None:
    segments = list(Segment.objects.of_canvas(canvas).select_related("note").prefetch_related("linked_notes"))
    ids = [segment.pk for segment in segments]
    personas = list(Persona.objects.filter(segment__in=ids).order_by("created_at", "pk"))
    profile = list(ProfileItem.objects.filter(segment__in=ids).order_by(*ProfileItem._meta.ordering))
    values = list(ValueItem.objects.filter(segment__in=ids).prefetch_related("addresses", "notes").order_by(*ValueItem._meta.ordering))
    plan = list(RelationshipItem.objects.filter(segment__in=ids).order_by(*RelationshipItem._meta.ordering))
    profile_refs = {item.pk: f"p{index}" for index, item in enumerate(profile, 1)}
    sections = []
    for segment in segments:
        mine = segment.pk
        sections.append(
            {
                "note": note_refs.get(segment.note_id),
                **_fields(segment, SKIPPED),
                "linked_notes": sorted(
                    (note_refs[n.pk] for n in segment.linked_notes.all() if n.pk in note_refs), key=lambda r: int(r[1:])
                ),
                "personas": [_fields(p, {"id", "segment", "version"}) for p in personas if p.segment_id == mine],
                "profile": [
                    {"ref": profile_refs[i.pk], **_fields(i, {"id", "segment", "version"})} for i in profile if i.segment_id == mine
                ],
                "value_map": [
                    {
                        **_fields(v, {"id", "segment", "version"}),
                        "addresses": [profile_refs[a.pk] for a in v.addresses.all() if a.pk in profile_refs],
                        "notes": [note_refs[n.pk] for n in v.notes.all() if n.pk in note_refs],
                    }
                    for v in values
                    if v.segment_id == mine
                ],
                "relationship": [
                    {**_fields(i, {"id", "segment", "version", "channel"}), "channel": note_refs.get(i.channel_id)}
                    for i in plan
                    if i.segment_id == mine
                ],
            }
        )
    criteria = list(Criterion.objects.filter(canvas=canvas).order_by("position", "pk"))
    criterion_refs = {criterion.pk: f"c{index}" for index, criterion in enumerate(criteria, 1)}
    document["segments"] = sections
    document["criteria"] = [{"ref": criterion_refs[c.pk], **_fields(c, {"id", "canvas"})} for c in criteria]
    document["scores"] = [
        {"segment": note_refs.get(segment_note), "criterion": criterion_refs[score.criterion_id], "reviewer": score.reviewer.username, "value": score.value}
        for score, segment_note in (
            (score, score.segment.note_id)
            for score in Score.objects.filter(segment__in=ids).select_related("segment", "reviewer").order_by("segment__note__position", "criterion__position", "reviewer__username")
        )
    ]
    if for_markdown:
        details = document.setdefault("note_details", {})
        for segment, section in zip(segments, sections, strict=True):
            details[section["note"]] = _markdown(segment, section)


def _markdown(segment: Segment, section: dict) -> list[str]:
    lines = []
    for field in Segment._meta.concrete_fields:
        if field.name in SKIPPED or field.name in ("colour", "letter", "customer_type") or field.name.endswith("_at"):
            continue
        value = getattr(segment, f"get_{field.name}_display")() if field.choices else getattr(segment, field.attname)
        if value not in (None, ""):
            lines.append(f"- {str(field.verbose_name).capitalize()}: {' '.join(str(value).split())}")
    for persona in section["personas"]:
        lines.append(f"- {persona['name']}")
    return lines
