"""Use cases of segments that span several models."""

from __future__ import annotations

from django.db.models import Model

from canvas_app.models import Action, Canvas, Note, recording

from .models import Criterion, Persona, PrioritySettings, ProfileItem, RelationshipItem, Segment, ValueItem


def _clone(instance: Model, **changes) -> Model:
    fields = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    return type(instance)(**(fields | changes))


def copy_segments(*, source: Canvas, copy: Canvas, note_map: dict[int, Note]) -> None:
    """Give a duplicated canvas the source's segments with their descriptions, personas,
    fit and links, and its criteria. Scores stay behind: they are the source team's views."""
    old_settings = PrioritySettings.objects.filter(canvas=source).first()
    for criterion in Criterion.objects.filter(canvas=source):
        _clone(criterion, canvas_id=copy.pk).save()
    segment_map: dict[int, Segment] = {}
    for segment in Segment.objects.of_canvas(source).prefetch_related("linked_notes"):
        new = _clone(segment, note_id=note_map[segment.note_id].pk)
        new.save()
        new.linked_notes.set(note_map[n.pk] for n in segment.linked_notes.all() if n.pk in note_map)
        segment_map[segment.pk] = new
    for persona in Persona.objects.filter(segment__in=list(segment_map)):
        _clone(persona, segment_id=segment_map[persona.segment_id].pk).save()
    item_map: dict[int, ProfileItem] = {}
    for item in ProfileItem.objects.filter(segment__in=list(segment_map)):
        new_item = _clone(item, segment_id=segment_map[item.segment_id].pk)
        new_item.save()
        item_map[item.pk] = new_item
    for value in ValueItem.objects.filter(segment__in=list(segment_map)).prefetch_related("addresses", "notes"):
        new_value = _clone(value, segment_id=segment_map[value.segment_id].pk)
        new_value.save()
        new_value.addresses.set(item_map[i.pk] for i in value.addresses.all() if i.pk in item_map)
        new_value.notes.set(note_map[n.pk] for n in value.notes.all() if n.pk in note_map)
    for item in RelationshipItem.objects.filter(segment__in=list(segment_map)):
        channel = note_map.get(item.channel_id) if item.channel_id else None
        _clone(item, segment_id=segment_map[item.segment_id].pk, channel_id=channel.pk if channel else None).save()
    if old_settings is not None:
        primary = segment_map.get(old_settings.primary_segment_id)
        PrioritySettings.objects.create(
            canvas=copy, primary_segment=primary, min_segment_size=old_settings.min_segment_size
        )
    else:
        PrioritySettings.for_canvas(copy)


def on_canvas_duplicated(sender, *, source, copy, note_map, **kwargs) -> None:
    copy_segments(source=source, copy=copy, note_map=note_map)


def on_canvas_created(sender, *, canvas, **kwargs) -> None:
    """A new canvas starts with the default criteria, in its language."""
    PrioritySettings.for_canvas(canvas)


def on_notes_placed(sender, *, canvas, notes, **kwargs) -> None:
    """A note that arrives in Customer Segments stands for a segment from then on."""
    Segment.ensure_for_notes(notes)


def relink_note(note: Note, *, link: set[Segment], unlink: set[Segment], by) -> None:
    """Make `note` serve the `link` segments and stop serving the `unlink` ones, as one change."""
    data = {"linked": sorted(s.pk for s in link), "unlinked": sorted(s.pk for s in unlink)}
    with recording(note.canvas, by=by, action=Action.LINK, target=note, data=data):
        note.segments.remove(*unlink)
        note.segments.add(*link)


def relink_segment(segment: Segment, *, link: set[Note], unlink: set[Note], by) -> None:
    """Make the `link` notes serve `segment` and the `unlink` ones stop serving it, as one change."""
    data = {"linked": sorted(n.pk for n in link), "unlinked": sorted(n.pk for n in unlink)}
    with recording(segment.note.canvas, by=by, action=Action.LINK, target=segment, data=data):
        segment.linked_notes.remove(*unlink)
        segment.linked_notes.add(*link)
