"""What segments add to the canvas board: colour markers on the notes that serve a
segment, a link from each segment's note to its page, and the board's segment filter."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from canvas_app.models import Block, Role
from canvas_app.signals import BoardFilter, Marker, NoteLink

from .models import Segment


def decorate_notes(sender, *, canvas, notes, request, **kwargs) -> list[BoardFilter]:
    """Two queries whatever the number of notes."""
    segments = list(Segment.objects.of_canvas(canvas))
    links = Segment.linked_notes.through.objects.filter(segment__in=segments).values_list("note_id", "segment_id")
    by_note: dict[int, list[int]] = defaultdict(list)
    for note_id, segment_id in links:
        by_note[note_id].append(segment_id)
    by_id = {segment.pk: segment for segment in segments}
    by_note_of_segment = {segment.note_id: segment for segment in segments}
    can_edit = Role(canvas.user_role).allows(Role.EDITOR)
    details_label, links_label = _("Segment details"), _("Segments it serves…")

    for note in notes:
        own = by_note_of_segment.get(note.pk)
        if own is not None:
            note.filter_keys.append(f"segment-{own.pk}")
            note.links.append(NoteLink(details_label, reverse("segments:detail", args=[canvas.pk, own.pk])))
            continue
        served = [by_id[pk] for pk in by_note.get(note.pk, []) if pk in by_id]
        served.sort(key=lambda s: s.note.position)
        note.markers.extend(Marker(s.name, s.colour) for s in served)
        note.filter_keys.extend(f"segment-{s.pk}" for s in served)
        if can_edit and note.block != Block.CUSTOMER_SEGMENTS:
            # Lazy: the board shows a note's actions only when its menu is opened.
            note.actions.append(NoteLink(links_label, reverse_lazy("segments:note_links", args=[canvas.pk, note.pk])))
    return [BoardFilter(f"segment-{s.pk}", s.name, s.colour) for s in segments]
