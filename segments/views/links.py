"""The segments a note serves: chosen in place on the board (the note's segment picker), on a
page of their own (without JavaScript), or from the segment's page (the notes it is served by)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from canvas_app.access import canvas_view
from canvas_app.htmx import focus
from canvas_app.models import Block, Canvas, Note, Role
from canvas_app.signals import decorate

from .. import services
from ..board import SegmentChoice, SegmentPicker, legend
from ..forms import NoteSegmentsForm, SegmentNotesForm, SegmentToggleForm
from ..models import Segment
from .common import context, get_segment, posted
from .pages import _detail_context, notes_to_pick


@canvas_view(Role.VIEWER, change=Role.EDITOR, methods=["GET", "POST"])
def note_links(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    note = get_object_or_404(Note.objects.exclude(block=Block.CUSTOMER_SEGMENTS), canvas=canvas, pk=note_id)
    note.canvas = canvas
    on_board = list(Segment.objects.of_canvas(canvas))
    served = _served(note, on_board)
    form = NoteSegmentsForm(posted(request), canvas=canvas, initial={"segments": served})
    saved = False
    if request.method == "POST" and form.is_valid():
        # Only the segments on the board are offered: links to others (a segment note moved
        # to another block, and perhaps back later) are left alone, as are boxes left as shown.
        link, unlink = form.changes(on_board)
        services.relink_note(note, link=link, unlink=unlink, by=request.user)
        if not request.htmx:
            messages.success(request, _("Segments of the note saved."))
            return HttpResponseRedirect(f"{reverse('canvas_app:board', args=[canvas.pk])}#note-{note.pk}")
        served = _served(note, on_board)
        form = NoteSegmentsForm(canvas=canvas, initial={"segments": served})
        saved = True
    context_ = context(canvas, note=note, form=form, saved=saved, served=served, block_label=Block(note.block).label)
    template = "segments/note_links.html#panel" if request.htmx else "segments/note_links.html"
    return TemplateResponse(request, template, context_, status=400 if form.errors else 200)


def _served(note: Note, on_board: list[Segment]) -> list[Segment]:
    """The segments on the board that the note serves, in board order: one query."""
    linked = set(note.segments.values_list("pk", flat=True))
    return [segment for segment in on_board if segment.pk in linked]


@canvas_view()
def segment_legend(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The board's legend of the canvas' segments, fetched again when the segments on the
    board change (added, renamed, recoloured, deleted); without htmx, the segment list."""
    if not request.htmx:
        return HttpResponseRedirect(reverse("segments:list", args=[canvas.pk]))
    items = legend(canvas, list(Segment.objects.of_canvas(canvas)))
    return TemplateResponse(request, "segments/legend.html", {"canvas": canvas, "board_filters": items, "refresh": True})


PICKER = "segments/note_picker.html"


def _board_url(canvas: Canvas, note: Note) -> str:
    return f"{reverse('canvas_app:board', args=[canvas.pk])}#note-{note.pk}"


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def note_picker(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    """The board's picker of the segments a note serves: GET opens it (`open=1`) or closes
    it, each POST adds or removes one segment at once. Without JavaScript the picker is the
    note's page of segments."""
    note = get_object_or_404(
        Note.all_objects.exclude(block=Block.CUSTOMER_SEGMENTS), canvas=canvas, pk=note_id
    )
    note.canvas = canvas
    if note.is_deleted:
        return _note_gone(request, canvas, note)
    if request.method != "POST":
        if not request.htmx:
            return HttpResponseRedirect(reverse("segments:note_links", args=[canvas.pk, note.pk]))
        is_open = request.GET.get("open") == "1"
        response = _picker(request, canvas, note, is_open=is_open)
        return focus(response, _first_toggle(note, response) if is_open else f"note-{note.pk}-segments-toggle")
    form = SegmentToggleForm(request.POST, canvas=canvas)
    if not form.is_valid():
        if request.htmx:
            return _picker(request, canvas, note, is_open=True, error=form.first_error(), status=400)
        on_board = list(Segment.objects.of_canvas(canvas))
        context_ = context(
            canvas,
            note=note,
            form=NoteSegmentsForm(canvas=canvas, initial={"segments": _served(note, on_board)}),
            served=_served(note, on_board),
            block_label=Block(note.block).label,
            refusal=form.first_error(),
        )
        return TemplateResponse(request, "segments/note_links.html", context_, status=400)
    link, unlink = form.changes()
    services.relink_note(note, link=link, unlink=unlink, by=request.user)
    if not request.htmx:
        return HttpResponseRedirect(_board_url(canvas, note))
    clicked = next(iter(link or unlink))
    return focus(_picker(request, canvas, note, is_open=True), f"note-{note.pk}-segment-{clicked.pk}")


def _picker(
    request: HttpRequest, canvas: Canvas, note: Note, *, is_open: bool, error: str = "", status: int = 200
) -> TemplateResponse:
    decorate(canvas, [note], request)  # the note's markers, and its (closed) picker
    picker = note.segment_picker or _bare_picker(request, canvas, note)  # or the canvas has no segments left
    if is_open:
        serving = set(note.segments.values_list("pk", flat=True))
        picker.open, picker.error = True, error
        picker.choices = [SegmentChoice(s, s.pk in serving) for s in Segment.objects.of_canvas(canvas)]
    note.segment_picker = picker
    context_ = {"canvas": canvas, "note": note, "picker": picker}
    return TemplateResponse(request, PICKER, context_, status=status)


def _first_toggle(note: Note, response: TemplateResponse) -> str:
    choices = response.context_data["picker"].choices
    return f"note-{note.pk}-segment-{choices[0].segment.pk}" if choices else f"note-{note.pk}-segments-toggle"


def _note_gone(request: HttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    message = _("This note is no longer on the board: someone deleted it a moment ago.")
    if not request.htmx:
        messages.error(request, message)
        return HttpResponseRedirect(reverse("canvas_app:board", args=[canvas.pk]))
    context_ = {"canvas": canvas, "note": note, "picker": _bare_picker(request, canvas, note), "gone": message}
    return TemplateResponse(request, PICKER, context_, status=410)


def _bare_picker(request: HttpRequest, canvas: Canvas, note: Note) -> SegmentPicker:
    return SegmentPicker(note.pk, url=request.path, page_url=reverse("segments:note_links", args=[canvas.pk, note.pk]))


# From the segment's page ----------------------------------------------------------------------


@canvas_view(Role.EDITOR, methods=["POST"])
def segment_notes(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    """The notes that serve the segment, chosen on its page: with JavaScript each click is
    saved at once, without it the whole list at once."""
    segment = get_segment(canvas, segment_id)
    form = SegmentNotesForm(request.POST, segment=segment)
    if form.is_valid():
        on_board = [note for _label, notes in notes_to_pick(segment) for note in notes]
        link, unlink = form.changes(on_board)
        services.relink_segment(segment, link=link, unlink=unlink, by=request.user)
        if not request.htmx:
            messages.success(request, _("Notes that serve the segment saved."))
            return HttpResponseRedirect(f"{reverse('segments:detail', args=[canvas.pk, segment.pk])}#served")
        changed = next(iter(link | unlink), None)
        response = TemplateResponse(request, "segments/detail.html#served", _detail_context(canvas, segment, notes_saved=True))
        return focus(response, f"served-note-{changed.pk}") if changed else response
    context_ = _detail_context(canvas, segment, notes_form=form)
    template = "segments/detail.html#served" if request.htmx else "segments/detail.html"
    return TemplateResponse(request, template, context_, status=400)
