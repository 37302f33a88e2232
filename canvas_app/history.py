"""Undo and redo of one's own changes to the board's notes, from the change record, so that
they survive a reload. My undo stack is my changes of notes that stand (newest first); my
redo stack is the ones I undid since my newest change that stands (last undone first). A new
change of mine clears the redo stack by standing newer than what it held.

An undo (or redo) is itself a recorded change, marked as a step of the one it undoes, so the
history tells it and the live board shows it. It is refused, with who and when, when a
teammate has changed the same thing of the note since: undoing would overwrite their change.
A refused change leaves my undo stack, so that the next undo reaches the one before it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import LEARNING_CARD, TEST_CARD, Action, Canvas, CanvasLimitError, Change, Note, NoteGoneError, Snapshot
from .models.changes import Step, as_step
from .snapshots import restore

NOTE = "canvas_app.note"
CANVAS = "canvas_app.canvas"  # a version restored: the whole canvas
#: What each kind of change touches: two changes collide when these overlap ("*": all).
_EVERYTHING = frozenset({"*"})
_PLACE = frozenset({"block", "position"})


class UndoRefused(Exception):
    """Nothing was undone (or redone); the message says why. `drop`: take the change off
    the undo stack (it can no longer be undone)."""

    def __init__(self, message: str, *, drop: bool = False):
        super().__init__(message)
        self.drop = drop


@dataclass
class Stepped:
    change: Change  # the change undone or redone
    note: Note | None  # None: a restored version, the whole canvas
    message: str


def undo(canvas: Canvas, user) -> Stepped:
    """Undo `user`'s newest standing change of a note on `canvas`."""
    change = _undo_stack(canvas, user).first()
    if change is None:
        raise UndoRefused(_("Nothing to undo: you have made no change to this board's notes."))
    try:
        with transaction.atomic():
            _refuse_if_overwritten(canvas, user, change, since=change.revision, step=Step.UNDO)
            note = _note(canvas, change) if change.target_type == NOTE else None
            with as_step(Step.UNDO, change):
                _apply(note, change, undo=True, by=user) if note else _restore(canvas, change, undo=True, by=user)
            change.undone_in = canvas.revision
            change.save(update_fields=["undone_in"])
    except UndoRefused as refusal:
        if refusal.drop:  # after the rollback: this stays
            Change.objects.filter(pk=change.pk).update(undoable=False)
        raise
    return Stepped(change, note, _message(change, undo=True))


def redo(canvas: Canvas, user) -> Stepped:
    """Do again `user`'s change undone last (since their newest change that stands)."""
    standing = _undo_stack(canvas, user).values_list("revision", flat=True).first() or 0
    change = _own_changes(canvas, user).filter(undone_in__gt=standing).order_by("-undone_in").first()
    if change is None:
        raise UndoRefused(_("Nothing to redo."))
    with transaction.atomic():
        _refuse_if_overwritten(canvas, user, change, since=change.undone_in, step=Step.REDO)
        note = _note(canvas, change) if change.target_type == NOTE else None
        with as_step(Step.REDO, change):
            _apply(note, change, undo=False, by=user) if note else _restore(canvas, change, undo=False, by=user)
        change.undone_in = None
        change.save(update_fields=["undone_in"])
    return Stepped(change, note, _message(change, undo=False))


def _own_changes(canvas: Canvas, user):
    steps = Q(target_type=NOTE) | Q(target_type=CANVAS, action=Action.RESTORE)
    return Change.objects.filter(steps, canvas=canvas, by=user, step="", undoable=True)


def _undo_stack(canvas: Canvas, user):
    return _own_changes(canvas, user).filter(undone_in__isnull=True).order_by("-revision")


def touched(change: Change) -> frozenset[str]:
    if change.action == Action.MOVE:
        return _PLACE
    if change.action == Action.EDIT:
        return frozenset(change.data.get("after", {})) or _EVERYTHING
    return _EVERYTHING


def _refuse_if_overwritten(canvas: Canvas, user, change: Change, *, since: int, step: str) -> None:
    mine = touched(change)
    later = Change.objects.filter(canvas=canvas, revision__gt=since).exclude(by=user)
    if change.target_type == NOTE:
        later = later.filter(target_type=NOTE, target_id=change.target_id)
    later = later.select_related("by").order_by("revision")
    for other in later:
        theirs = touched(other)
        if "*" in mine or "*" in theirs or mine & theirs:
            who = other.by.get_username() if other.by else _("someone")
            when = date_format(localtime(other.at), "SHORT_DATETIME_FORMAT")
            if step == Step.UNDO:
                raise UndoRefused(
                    _(
                        "Not undone: %(person)s changed “%(note)s” after you (%(when)s), and undoing would "
                        "overwrite their change. Undo again to go on with your change before it."
                    )
                    % {"person": who, "note": _words(change), "when": when},
                    drop=True,
                )
            raise UndoRefused(
                _("Not redone: %(person)s changed “%(note)s” since you undid it (%(when)s).")
                % {"person": who, "note": _words(change), "when": when}
            )


def _note(canvas: Canvas, change: Change) -> Note:
    note = Note.all_objects.filter(canvas=canvas, pk=change.target_id).first()
    if note is None:
        raise UndoRefused(
            _("“%(note)s” was deleted too long ago to come back.") % {"note": _words(change)}, drop=True
        )
    note.canvas = canvas
    return note


def _apply(note: Note, change: Change, *, undo: bool, by) -> None:
    """Put the note as it was before `change` (undo) or after it (redo)."""
    action, data = change.action, change.data
    values = data.get("before" if undo else "after", {})
    # Adding and restoring are undone by deleting, deleting by restoring; redoing repeats them.
    removes = {Action.ADD: undo, Action.RESTORE: undo, Action.DELETE: not undo}
    try:
        if action in removes:
            if removes[action]:
                note.delete_softly(by=by)
            else:
                note.restore(by=by)
        elif action == Action.MOVE:
            if note.is_deleted:
                raise NoteGoneError
            note.move(block=values["block"], position=values["position"], by=by)
        elif action == Action.EDIT:
            if note.is_deleted:
                raise NoteGoneError
            fields = {name: value for name, value in values.items() if name in EDITABLE}
            if not note.edit(by=by, **fields):
                raise UndoRefused(_("The note changed at this very moment: try again."))
    except NoteGoneError:
        raise UndoRefused(_("“%(note)s” is no longer on the board.") % {"note": _words(change)}) from None
    except CanvasLimitError as error:
        raise UndoRefused(str(error)) from None


def _restore(canvas: Canvas, change: Change, *, undo: bool, by) -> None:
    """Undo a version's restore by restoring what was there before it; redo it again."""
    key = "before_snapshot" if undo else "snapshot"
    snapshot = Snapshot.objects.filter(canvas=canvas, pk=change.data.get(key)).first()
    if snapshot is None:
        raise UndoRefused(_("The version this needs is gone."), drop=True)
    restore(canvas, snapshot, by=by)
    canvas.refresh_from_db(fields=["revision", "title", "description"])


def _message(change: Change, *, undo: bool) -> str:
    if change.target_type == CANVAS:
        if undo:
            return _("Undone: the version you restored; the canvas is as it was before.")
        return _("Redone: the version is restored again.")
    return str((_UNDONE if undo else _REDONE)[change.action] % {"note": _words(change)})


#: The fields of a note an undo may set back.
EDITABLE = {"text", "colour", "relationship_type", "status", *TEST_CARD, *LEARNING_CARD}


def _words(change: Change) -> str:
    return Truncator(change.label).chars(60)


_UNDONE = {
    Action.ADD: gettext_lazy("Undone: you added “%(note)s”; it is deleted again."),
    Action.EDIT: gettext_lazy("Undone: your edit of “%(note)s”."),
    Action.MOVE: gettext_lazy("Undone: “%(note)s” is back where it was."),
    Action.DELETE: gettext_lazy("Undone: “%(note)s” is back on the board."),
    Action.RESTORE: gettext_lazy("Undone: “%(note)s” is deleted again."),
}
_REDONE = {
    Action.ADD: gettext_lazy("Redone: “%(note)s” is back on the board."),
    Action.EDIT: gettext_lazy("Redone: your edit of “%(note)s”."),
    Action.MOVE: gettext_lazy("Redone: “%(note)s” moved again."),
    Action.DELETE: gettext_lazy("Redone: “%(note)s” is deleted again."),
    Action.RESTORE: gettext_lazy("Redone: “%(note)s” is back on the board."),
}
