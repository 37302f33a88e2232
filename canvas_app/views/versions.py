"""Versions of a canvas: name one, list them, open one read-only, compare two (or one with
now), restore one (as a change, undone like any other) or copy it into a new canvas."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import snapshots
from ..access import canvas_view
from ..compare import compare
from ..importer import ImportProblem
from ..models import Block, Canvas, Evidence, Role, Snapshot
from ..models.snapshots import NAME_LENGTH

NOW = "now"


class SnapshotForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name this version"),
        max_length=NAME_LENGTH,
        help_text=gettext_lazy("For example: before the investor meeting."),
        error_messages={"required": gettext_lazy("Give the version a name.")},
    )


def _snapshot(canvas: Canvas, snapshot_id: int) -> Snapshot:
    snapshot = Snapshot.objects.filter(canvas=canvas, pk=snapshot_id).first()
    if snapshot is None:
        raise Http404
    return snapshot


def _list_url(canvas: Canvas) -> str:
    return reverse("canvas_app:versions", args=[canvas.pk])


@canvas_view(Role.VIEWER, change=Role.EDITOR, methods=["GET", "POST"])
def versions(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    form, status = SnapshotForm(), 200
    if request.method == "POST":
        form = SnapshotForm(request.POST)
        if form.is_valid():
            snapshots.take(canvas, by=request.user, name=form.cleaned_data["name"])
            messages.success(request, _("Version “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
            return HttpResponseRedirect(_list_url(canvas))
        status = 400
    found = list(Snapshot.objects.filter(canvas=canvas).select_related("created_by").defer("document", "note_ids")[:200])
    context = {
        "canvas": canvas,
        "form": form,
        "snapshots": found,
        "can_edit": Role(canvas.user_role).allows(Role.EDITOR),
    }
    return TemplateResponse(request, "canvas_app/versions.html", context, status=status)


@canvas_view()
def version(request: HttpRequest, canvas: Canvas, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot(canvas, snapshot_id)
    context = {
        "canvas": canvas,
        "snapshot": snapshot,
        "blocks": document_blocks(snapshot.document, snapshot.note_ids),
        "can_edit": Role(canvas.user_role).allows(Role.EDITOR),
    }
    return TemplateResponse(request, "canvas_app/version.html", context)


@canvas_view()
def versions_compare(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """?a=...&b=... (a version's id, or "now"): the older one first; by default the newest
    version against now."""
    choices = list(Snapshot.objects.filter(canvas=canvas).defer("document", "note_ids")[:200])
    a, b = request.GET.get("a") or (str(choices[0].pk) if choices else NOW), request.GET.get("b") or NOW
    old, new = _side(canvas, a), _side(canvas, b)
    if old is None or new is None:
        raise Http404
    result = compare(old[0], old[1], new[0], new[1])
    context = {
        "canvas": canvas,
        "choices": choices,
        "a": a,
        "b": b,
        "comparison": result,
        "blocks": document_blocks(new[0], new[1], {pk: change.kinds for pk, change in result.notes.items()}),
    }
    return TemplateResponse(request, "canvas_app/versions_compare.html", context)


def _side(canvas: Canvas, key: str) -> tuple[dict, dict] | None:
    if key == NOW:
        return snapshots.state(canvas)
    if not (key.isascii() and key.isdigit() and len(key) < 19):
        return None
    snapshot = Snapshot.objects.filter(canvas=canvas, pk=int(key)).first()
    return (snapshot.document, snapshot.note_ids) if snapshot else None


@canvas_view(Role.EDITOR, methods=["POST"])
def version_restore(request: HttpRequest, canvas: Canvas, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot(canvas, snapshot_id)
    try:
        snapshots.restore(canvas, snapshot, by=request.user)
    except ImportProblem as problem:
        messages.error(request, str(problem))
        return HttpResponseRedirect(reverse("canvas_app:version", args=[canvas.pk, snapshot.pk]))
    messages.success(
        request,
        _("Version “%(name)s” restored. Undo (Ctrl+Z on the board) brings back what was there.")
        % {"name": snapshot.name or snapshot.created_at},
    )
    return HttpResponseRedirect(reverse("canvas_app:board", args=[canvas.pk]))


@canvas_view(Role.EDITOR, methods=["POST"])
def version_copy(request: HttpRequest, canvas: Canvas, snapshot_id: int) -> HttpResponse:
    snapshot = _snapshot(canvas, snapshot_id)
    try:
        copied = snapshots.copy(snapshot, owner=request.user)
    except ImportProblem as problem:
        messages.error(request, str(problem))
        return HttpResponseRedirect(reverse("canvas_app:version", args=[canvas.pk, snapshot.pk]))
    messages.success(request, _("A new canvas holds the version: “%(title)s”.") % {"title": copied.title})
    return HttpResponseRedirect(reverse("canvas_app:board", args=[copied.pk]))


def document_blocks(document: dict, note_ids: dict[str, int], kinds: dict[int, list[str]] | None = None) -> list[dict]:
    """The nine blocks of a document, each with its notes (dicts) in order, for a read-only
    board; `kinds` marks notes with what changed (compare)."""
    kinds = kinds or {}
    labels = dict(Evidence.choices)
    blocks = []
    for block in Block:
        notes = sorted((n for n in document["notes"] if n["block"] == block), key=lambda n: n.get("position") or 0)
        for note in notes:
            note["kinds"] = kinds.get(note_ids.get(note["ref"]), [])
            note["status_label"] = labels.get(note.get("status"), "") if note.get("status", "idea") != "idea" else ""
        blocks.append({"id": block.value, "label": block.label, "notes": notes})
    return blocks
