"""The segments a note serves, chosen on a page of their own (or in place on the board)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from canvas_app.access import canvas_view
from canvas_app.models import Block, Canvas, Note, Role

from .. import services
from ..forms import NoteSegmentsForm
from ..models import Segment
from .common import context, posted


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
