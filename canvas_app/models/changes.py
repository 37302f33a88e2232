"""The one place that records a change to a canvas' content.

Every change to what a canvas holds (its details, notes, and what other apps hang on it:
segments, personas, fit, criteria, scores) runs inside `recording()`. It raises the canvas'
revision, which the live board and the PDF cache compare, and keeps a Change row saying who
did what to which object and when: the activity feed, undo and snapshots read those rows.

Views never call it: they call model methods (or a use-case function) that do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..signals import canvas_day_started


class Action(models.TextChoices):
    ADD = "add", _("added")
    EDIT = "edit", _("edited")
    MOVE = "move", _("moved")
    DELETE = "delete", _("deleted")
    RESTORE = "restore", _("restored")
    LINK = "link", _("linked")
    SCORE = "score", _("scored")


class Step(models.TextChoices):
    UNDO = "undo", _("undo")
    REDO = "redo", _("redo")


LABEL_LENGTH = 120


class Change(models.Model):
    canvas = models.ForeignKey("canvas_app.Canvas", on_delete=models.CASCADE, related_name="changes")
    #: The canvas' revision this change led to: one per change, in the order they committed.
    revision = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    #: What was changed: a model's label ("canvas_app.note") and primary key.
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: What the history shows and undo applies: "fields", and "before" / "after" (each a
    #: dict of field name to value, as `jsonable` writes them).
    data = models.JSONField(default=dict, blank=True)
    #: The note the change is about (a segment's parts are about the segment's note), its
    #: block and a few words of it, as they were: the history filters and shows these
    #: without reading the objects, which may be gone.
    note_id = models.PositiveBigIntegerField(null=True, blank=True)
    block = models.CharField(max_length=32, blank=True)
    label = models.CharField(max_length=LABEL_LENGTH, blank=True)
    #: An undo or a redo of `step_of` (by the same person), or "" for a change of its own.
    step = models.CharField(max_length=8, choices=Step.choices, blank=True)
    step_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: Set while this change stands undone: the revision of the undo (redo clears it).
    undone_in = models.PositiveBigIntegerField(null=True, blank=True)
    #: False once an undo of it was refused (a teammate changed the object since).
    undoable = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["canvas", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["canvas", "revision"], name="one_change_per_revision"),
        ]
        indexes = [
            models.Index(fields=["by", "action", "target_type", "at"], name="change_by_whom"),
            models.Index(fields=["canvas", "target_type", "target_id"], name="change_of_object"),
            models.Index(fields=["canvas", "note_id", "revision"], name="change_of_note"),
            models.Index(fields=["canvas", "by", "revision"], name="change_of_person"),
        ]

    def __str__(self) -> str:
        return f"{self.canvas_id} r{self.revision} {self.action} {self.target_type}:{self.target_id}"


@dataclass
class ChangeInProgress:
    """What `recording()` hands to its block: set `target` (and `data`) once they are known,
    or call `cancel()` when the block found nothing to change after all."""

    target: models.Model | None = None
    data: dict = field(default_factory=dict)
    cancelled: bool = False
    revision: int = 0

    def cancel(self) -> None:
        self.cancelled = True


@contextmanager
def recording(
    canvas: models.Model | int, *, by, action: str, target: models.Model | None = None, data: dict | None = None
) -> Iterator[ChangeInProgress]:
    """Run the block as one recorded change of `canvas` by user `by` (None: the system).

    The canvas' row is updated first, so the block holds the canvas lock: changes to one
    canvas queue behind each other (and note positions stay consistent), and always take
    their locks in the same order (canvas, then its content), so they cannot deadlock.
    On the way out the Change is written; if the block raises, or cancels, the revision
    goes back too."""
    canvas_id = canvas if isinstance(canvas, int) else canvas.pk
    change = ChangeInProgress(target=target, data=dict(data or {}))
    named = _key(target)  # before the block: a deleted object loses its key
    step = _step.get()
    with transaction.atomic():
        now = timezone.now()
        change.revision = _next_revision(canvas_id, now)
        yield change
        if change.cancelled:
            transaction.set_rollback(True)
            return
        target_type, target_id = _key(change.target) if _key(change.target)[1] is not None else named
        note_id, block, label = _about(change.target)
        Change.objects.create(
            canvas_id=canvas_id,
            revision=change.revision,
            at=now,
            by=by if getattr(by, "is_authenticated", False) else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=change.data,
            note_id=note_id,
            block=block,
            label=label[:LABEL_LENGTH],
            step=step[0] if step else "",
            step_of_id=step[1] if step else None,
        )
    if not isinstance(canvas, int) and not change.cancelled:
        canvas.revision, canvas.updated_at = change.revision, now


#: Set by `as_step()` while an undo or a redo runs: (Step, the id of the change it steps).
_step: ContextVar[tuple[str, int] | None] = ContextVar("change_step", default=None)


@contextmanager
def as_step(step: str, of: Change) -> Iterator[None]:
    """Record the changes made in the block as an undo or a redo of `of`."""
    token = _step.set((step, of.pk))
    try:
        yield
    finally:
        _step.reset(token)


def _about(target: models.Model | None) -> tuple[int | None, str, str]:
    """(note id, block, label) of what the change is about, from `target.history_about()`."""
    about = getattr(target, "history_about", None)
    return about() if about is not None else (None, "", "" if target is None else str(target))


def jsonable(value):
    """A field's value as the change record keeps it in JSON."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return sorted(getattr(item, "pk", item) for item in value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def values_of(instance: models.Model, names) -> dict:
    """These fields of `instance` (by name, foreign keys as ids), ready for a change's data."""
    return {name: jsonable(getattr(instance, instance._meta.get_field(name).attname)) for name in names}


def _key(target: models.Model | None) -> tuple[str, int | None]:
    return ("", None) if target is None else (target._meta.label_lower, target.pk)


def _next_revision(canvas_id: int, now) -> int:
    """Raise the canvas' revision and read it back in one statement (which also takes the
    row's lock until the transaction ends). The first change of a day first keeps the canvas
    as it was in a daily snapshot."""
    canvases = Change._meta.get_field("canvas").related_model
    table = connection.ops.quote_name(canvases._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET revision = revision + 1, updated_at = %s WHERE id = %s "
            "RETURNING revision, daily_snapshot_on",
            [connection.ops.adapt_datetimefield_value(now), canvas_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise canvases.DoesNotExist(canvas_id)
    revision, snapshot_on = row
    today = timezone.localdate(now)
    if snapshot_on is None or str(snapshot_on) < today.isoformat():
        canvases.objects.filter(pk=canvas_id).update(daily_snapshot_on=today)
        # canvas_app.snapshots keeps the canvas as the day before left it (before this change).
        canvas_day_started.send(sender=canvases, canvas=canvases.objects.get(pk=canvas_id), revision=revision - 1)
    return revision


def recent_changes_by(user, *, action: str, target_type: str, within: timedelta) -> int:
    """How many such changes `user` made in the last `within` (for rate limits)."""
    since = timezone.now() - within
    return Change.objects.filter(by=user, action=action, target_type=target_type, at__gt=since).count()
