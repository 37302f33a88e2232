"""What the segment pages share: finding a segment of the canvas, and the basic context."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from canvas_app.concurrent import ConcurrentEditForm
from canvas_app.models import Canvas, Role

from ..models import Segment


def posted(request: HttpRequest):
    """The posted data to bind a form to, even when empty (no box checked), else None."""
    return request.POST if request.method == "POST" else None


def get_segment(canvas: Canvas, segment_id: int) -> Segment:
    """A segment of this canvas whose note is live in the Customer Segments block, else 404."""
    segment = get_object_or_404(Segment.objects.of_canvas(canvas), pk=segment_id)
    segment.note.canvas = canvas
    return segment


def context(canvas: Canvas, **extra) -> dict:
    return {"canvas": canvas, "can_edit": Role(canvas.user_role).allows(Role.EDITOR), **extra}


def rejected_status(form: ConcurrentEditForm) -> int:
    """A teammate's conflicting change is a 409, another rejected value a 400."""
    if not form.errors:
        return 200
    return 409 if form.theirs else 400


def kept_message(labels: list[str]) -> str:
    return _("Someone else changed this meanwhile; their changes are kept too: %(fields)s.") % {
        "fields": ", ".join(labels)
    }
