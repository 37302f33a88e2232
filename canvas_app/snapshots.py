"""Taking, restoring and copying versions of a canvas (models.Snapshot)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .importer import fill, import_document
from .models import Action, Canvas, Note, Snapshot, recording
from .serializer import canvas_document


def state(canvas: Canvas) -> tuple[dict, dict[str, int]]:
    """The canvas as it is now: its document, and {note reference: note id} (compare)."""
    refs: dict[int, str] = {}
    document = canvas_document(canvas, refs=refs)
    return document, {ref: pk for pk, ref in refs.items()}


def take(canvas: Canvas, *, by, name: str = "", revision: int | None = None, automatic: bool = False) -> Snapshot:
    """The canvas as it is now, kept."""
    document, note_ids = state(canvas)
    return Snapshot.objects.create(
        canvas=canvas,
        name=name,
        automatic=automatic,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        revision=canvas.revision if revision is None else revision,
        document=document,
        note_ids=note_ids,
    )


def restore(canvas: Canvas, snapshot: Snapshot, *, by) -> Snapshot:
    """Make the canvas' content what the snapshot holds, as one change (undone by restoring
    the snapshot of what was there, which this takes first and returns)."""
    with transaction.atomic():
        canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
        name = snapshot.name or str(snapshot.created_at)
        before = take(canvas, by=by, name=_("Before restoring “%(name)s”") % {"name": name[:80]}, automatic=True)
        data = {"snapshot": snapshot.pk, "before_snapshot": before.pk}
        with recording(canvas, by=by, action=Action.RESTORE, target=canvas, data=data):
            Note.all_objects.filter(canvas=canvas).delete()  # with what hangs on the notes
            fields = snapshot.document["canvas"]
            canvas.title, canvas.description = fields["title"], fields.get("description") or ""
            canvas.save(update_fields=["title", "description"])
            fill(canvas, snapshot.document)
    return before


def copy(snapshot: Snapshot, *, owner) -> Canvas:
    """A new canvas of `owner` holding the snapshot's content."""
    document = {**snapshot.document, "canvas": dict(snapshot.document["canvas"])}
    name = snapshot.name or str(snapshot.created_at)
    document["canvas"]["title"] = _("%(title)s (%(version)s)") % {"title": document["canvas"]["title"], "version": name}
    return import_document(document, owner=owner)


def take_daily(sender, *, canvas: Canvas, revision: int, **kwargs) -> Snapshot:
    """The daily version (signals.canvas_day_started): the canvas as the day before left it."""
    return take(canvas, by=None, revision=revision, automatic=True)
