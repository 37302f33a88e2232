"""The segments' part of a canvas document (canvas_app.serializer): every field of each
segment, its personas, fit (customer profile and value map, with their links), relationship
plan and linked notes; the canvas' criteria and the team's scores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from canvas_app.models.changes import jsonable

from .models import Criterion, Persona, ProfileItem, RelationshipItem, Score, Segment, ValueItem

#: Fields of a segment not in the document: its identity, version and bookkeeping.
SKIPPED = {"id", "note", "version", "updated_at", "reviewed_at"}


def _fields(instance, skip: set[str]) -> dict:
    return {
        field.name: jsonable(getattr(instance, field.attname))
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


def canvas_imported(sender, *, canvas, document: dict, note_map: dict, **kwargs) -> None:
    """The segments' part of an imported document: fields, links, personas, fit, plans,
    criteria (in place of the new canvas' defaults) and the scores of reviewers who exist."""
    from django.contrib.auth import get_user_model

    from canvas_app.importer import ImportProblem

    sections = document.get("segments") or []
    if not isinstance(sections, list):
        raise ImportProblem(_("The file's segments cannot be read."))
    by_note = {segment.note_id: segment for segment in Segment.objects.filter(note__in=[n.pk for n in note_map.values()])}
    editable = {field.name for field in Segment._meta.concrete_fields} - SKIPPED
    segment_of_ref: dict[str, Segment] = {}
    for section in sections:
        note = note_map.get(section.get("note"))
        segment = by_note.get(note.pk) if note else None
        if segment is None:
            continue
        for name, value in section.items():
            if name in editable and not isinstance(value, (list, dict)):
                setattr(segment, Segment._meta.get_field(name).attname, value)
        segment.full_clean(exclude=["note"])
        segment.save()
        segment.linked_notes.set([note_map[ref] for ref in section.get("linked_notes", []) if ref in note_map])
        for persona in section.get("personas", []):
            Persona(segment=segment, **_only(Persona, persona)).save()
        profile_map = {}
        for item in section.get("profile", []):
            profile_map[item.get("ref")] = ProfileItem.objects.create(segment=segment, **_only(ProfileItem, item))
        for value in section.get("value_map", []):
            created = ValueItem.objects.create(segment=segment, **_only(ValueItem, value))
            created.addresses.set([profile_map[ref] for ref in value.get("addresses", []) if ref in profile_map])
            created.notes.set([note_map[ref] for ref in value.get("notes", []) if ref in note_map])
        for item in section.get("relationship", []):
            RelationshipItem.objects.create(
                segment=segment, channel=note_map.get(item.get("channel")), **_only(RelationshipItem, item, skip={"channel"})
            )
        segment_of_ref[section["note"]] = segment
    if "criteria" in document:
        Criterion.objects.filter(canvas=canvas).delete()
        criteria = {c.get("ref"): Criterion.objects.create(canvas=canvas, **_only(Criterion, c)) for c in document["criteria"]}
        users = {u.username: u for u in get_user_model().objects.filter(username__in={s.get("reviewer") for s in document.get("scores", [])})}
        Score.objects.bulk_create(
            Score(segment=segment_of_ref[s["segment"]], criterion=criteria[s["criterion"]], reviewer=users[s["reviewer"]], value=s["value"])
            for s in document.get("scores", [])
            if s.get("segment") in segment_of_ref and s.get("criterion") in criteria and s.get("reviewer") in users
        )


def _only(model, data: dict, skip: set[str] = frozenset()) -> dict:
    """The document's values for the model's own plain fields."""
    names = {f.name for f in model._meta.concrete_fields if not f.is_relation and f.name not in {"id", "version"}}
    return {name: value for name, value in data.items() if name in names and name not in skip}
