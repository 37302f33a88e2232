"""A canvas' memory: the activity feed (filtered by person, block or segment), one note's
history, and undo / redo of one's own changes on the board."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import activity
from ..access import canvas_view
from ..history import UndoRefused, redo, undo
from ..htmx import focus
from ..models import Block, Canvas, Note, Role
from .board import _board_partial


@canvas_view()
def canvas_activity(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    person, block, segment = _number(request.GET.get("person")), request.GET.get("block", ""), _number(
        request.GET.get("segment")
    )
    block = block if block in Block.values else ""
    changes = activity.filtered(canvas, person=person, block=block, note_id=segment)
    page = Paginator(changes, activity.PAGE_SIZE).get_page(request.GET.get("page"))
    people = canvas.memberships.select_related("user").order_by("user__username")
    segments = canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).only("pk", "text")
    context = {
        "canvas": canvas,
        "page": page,
        "entries": activity.entries(page.object_list),
        "people": [membership.user for membership in people],
        "blocks": Block.choices,
        "segments": list(segments),
        "chosen": {"person": person, "block": block, "segment": segment},
        "filtered": bool(person or block or segment),
    }
    return TemplateResponse(request, "canvas_app/activity.html", context)


@canvas_view()
def note_history(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    """Every change of one note (deleted or not): a segment's note also shows its segment's."""
    note = Note.all_objects.filter(canvas=canvas, pk=note_id).first()
    changes = activity.filtered(canvas, note_id=note_id)
    if note is None and not changes.exists():
        raise Http404
    page = Paginator(changes, activity.PAGE_SIZE).get_page(request.GET.get("page"))
    label = note.text if note else next(iter(page.object_list)).label
    context = {"canvas": canvas, "note": note, "label": label, "page": page, "entries": activity.entries(page.object_list)}
    return TemplateResponse(request, "canvas_app/note_history.html", context)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


@canvas_view(Role.EDITOR, methods=["POST"])
def board_undo(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    return _step(request, canvas, undo)


@canvas_view(Role.EDITOR, methods=["POST"])
def board_redo(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    return _step(request, canvas, redo)


def _step(request: HttpRequest, canvas: Canvas, step) -> HttpResponse:
    try:
        done = step(canvas, request.user)
    except UndoRefused as refusal:
        message, level, note, refused = str(refusal), messages.ERROR, None, True
    else:
        message, level, note, refused = done.message, messages.SUCCESS, done.note, False
    if request.htmx:
        canvas.refresh_from_db(fields=["revision", "updated_at", "title", "description"])
        response = _board_partial(
            request, canvas, status=422 if refused else 200, step_message=message, step_refused=refused
        )
        if note is not None and not note.is_deleted:
            return focus(response, f"note-{note.pk}-toggle")
        return response
    messages.add_message(request, level, message)
    url = reverse("canvas_app:board", args=[canvas.pk])
    return HttpResponseRedirect(f"{url}#note-{note.pk}" if note is not None and not note.is_deleted else url)

