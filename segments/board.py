"""What segments add to the canvas board: each segment's mark (colour and letter) on its own
note and on the notes that serve it, a picker on those notes to choose the segments they
serve, a link from each segment's note to its page, and the board's segment filter and legend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from canvas_app.models import Block, Role
from canvas_app.signals import BoardFilter, Marker, NoteLink

from .models import CustomerType, ProfileItem, Score, Segment, ValueItem


@dataclass
class SegmentChoice:
    segment: Segment
    serves: bool


@dataclass
class SegmentPicker:
    """The picker of the segments a note serves. Closed, it is a button showing the note's
    markers; open, one toggle per segment of the canvas (segments/note_picker.html).

    The closed picker is written here rather than in a template: the board shows one on
    each of hundreds of notes, and the template engine would take as long for them as for
    the rest of the board."""

    note_id: int
    url: str  # GET: open (?open=1) or close it; POST: link or unlink a segment
    page_url: str  # the same choice on a page of its own, for browsers without JavaScript
    markers: list[Marker] = field(default_factory=list)
    open: bool = False
    choices: list[SegmentChoice] = field(default_factory=list)
    error: str = ""

    def start(self) -> SafeString:
        """The picker's box: whatever is sent from inside it replaces it."""
        state = " segment-picker--open" if self.open else "" if self.markers else " segment-picker--empty"
        return format_html(
            '<div id="note-{}-segments" class="segment-picker{}" hx-target="this" hx-swap="outerHTML">', self.note_id, state
        )

    def toggle(self) -> SafeString:
        """The button that opens and closes it, showing the note's markers."""
        marks = format_html_join(
            "", '<span class="marker segment-colour--{}" aria-hidden="true">{}</span>', ((m.colour, m.letter) for m in self.markers)
        ) or mark_safe('<span class="segment-picker__add" aria-hidden="true">+</span>')
        if self.markers:
            names = ", ".join(m.label for m in self.markers)
            label = f"{_('Serves:')} {names}. {_('Change the segments this note serves')}"
        else:
            label = _("Choose the segments this note serves")
        # The title names the button (its marks are hidden from screen readers) and shows on hover.
        return format_html(
            '<form method="get" action="{}" hx-get="{}{}"><button id="note-{}-segments-toggle" class="segment-picker__toggle"'
            ' aria-expanded="{}"{} title="{}">{}</button></form>',
            self.page_url,
            self.url,
            "" if self.open else "?open=1",
            self.note_id,
            "true" if self.open else "false",
            format_html(' aria-controls="note-{}-segments-panel"', self.note_id) if self.open else "",
            label,
            marks,
        )

    def __str__(self) -> SafeString:
        """The closed picker, as the board shows it on a note ({{ note.segment_picker }})."""
        return self.start() + self.toggle() + mark_safe("</div>")

    __html__ = __str__


def mark(segment: Segment) -> Marker:
    return Marker(segment.name, str(segment.colour), segment.letter)


def note_url(canvas_id: int, name: str) -> str:
    """The URL named `name` of a note of the canvas, up to the note's id ("…/notes/"), so that
    a board of hundreds of notes reverses it once."""
    return reverse(name, args=[canvas_id, 0]).replace("/notes/0/", "/notes/{}/", 1)


def decorate_notes(sender, *, canvas, notes, request, filters: bool = True, **kwargs) -> list[BoardFilter]:
    """Two queries whatever the number of notes (three at most without `filters`: then, for
    a few notes, only the segments they serve or stand for are read)."""
    if filters:
        segments = list(Segment.objects.of_canvas(canvas))
        links = Segment.linked_notes.through.objects.filter(segment__in=segments).values_list("note_id", "segment_id")
    else:
        ids = [note.pk for note in notes]
        links = list(Segment.linked_notes.through.objects.filter(note_id__in=ids).values_list("note_id", "segment_id"))
        wanted = Q(note_id__in=ids) | Q(pk__in={segment_id for _note_id, segment_id in links})
        segments = list(Segment.objects.of_canvas(canvas).filter(wanted))
    # Whether the canvas has segments at all: notes offer a picker of them.
    any_segments = bool(segments) or (not filters and Segment.objects.of_canvas(canvas).exists())
    by_note: dict[int, list[int]] = defaultdict(list)
    for note_id, segment_id in links:
        by_note[note_id].append(segment_id)
    by_id = {segment.pk: segment for segment in segments}
    by_note_of_segment = {segment.note_id: segment for segment in segments}
    can_edit = Role(canvas.user_role).allows(Role.EDITOR) and request is not None
    details_label = _("Segment details")
    picker_url, page_url = note_url(canvas.pk, "segments:note_picker"), note_url(canvas.pk, "segments:note_links")
    detail_url = reverse("segments:detail", args=[canvas.pk, 0]).removesuffix("0/")

    for note in notes:
        note.segment_mark, note.segment_picker = None, None
        own = by_note_of_segment.get(note.pk)
        if own is not None:
            note.segment_mark = mark(own)
            note.filter_keys.append(f"segment-{own.pk}")
            note.links.append(NoteLink(details_label, f"{detail_url}{own.pk}/"))
            continue
        served = [by_id[pk] for pk in by_note.get(note.pk, []) if pk in by_id]
        served.sort(key=lambda s: s.note.position)
        note.markers.extend(mark(s) for s in served)
        note.filter_keys.extend(f"segment-{s.pk}" for s in served)
        if can_edit and any_segments and note.block != Block.CUSTOMER_SEGMENTS:
            note.segment_picker = SegmentPicker(
                note.pk, url=picker_url.format(note.pk), page_url=page_url.format(note.pk), markers=note.markers
            )
    return legend(canvas, segments) if filters else []


def legend(canvas, segments: list[Segment]) -> list[BoardFilter]:
    """The board's filter options and legend: one per segment, in board order."""
    detail_url = reverse("segments:detail", args=[canvas.pk, 0]).removesuffix("0/")
    return [
        BoardFilter(f"segment-{s.pk}", s.name, str(s.colour), letter=s.letter, url=f"{detail_url}{s.pk}/")
        for s in segments
    ]


#: The fields of a segment's description ("its profile"); the customer type always has a value.
PROFILE_FIELDS = [
    "description", "market_kind", "basis", "age_min", "age_max", "gender", "marital_status", "life_stage",
    "interests", "needs", "industry", "company_size", "company_revenue", "previous_purchases", "replaces",
    "location", "estimated_size", "growth_rate", "revenue_potential", "cost_to_serve", "willingness_to_pay",
    "gives_up",
]  # fmt: skip


def deletion_notice(note) -> str:
    """What went with a deleted Customer Segments note, for its undo placeholder: its
    segment's profile, personas, fit and scores ("" when the segment held nothing). They are
    kept with the note for the undo window, so the undo brings them all back."""
    segment = Segment.objects.filter(note_id=note.pk).first()
    if segment is None:
        return ""
    parts = []
    if segment.customer_type != CustomerType.B2C or any(getattr(segment, f) not in (None, "") for f in PROFILE_FIELDS):
        parts.append(_("its profile"))
    if count := segment.personas.count():
        parts.append(ngettext("%(count)d persona", "%(count)d personas", count) % {"count": count})
    fit = ProfileItem.objects.filter(segment=segment).count() + ValueItem.objects.filter(segment=segment).count()
    if fit:
        parts.append(ngettext("%(count)d fit item", "%(count)d fit items", fit) % {"count": fit})
    if count := Score.objects.filter(segment=segment).count():
        parts.append(ngettext("%(count)d score", "%(count)d scores", count) % {"count": count})
    if count := segment.linked_notes.filter(deleted_at__isnull=True).count():
        parts.append(ngettext("its link to %(count)d note", "its links to %(count)d notes", count) % {"count": count})
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}
    return _("Deleting this segment also removed %(parts)s. Undo brings it all back.") % {"parts": listed}
