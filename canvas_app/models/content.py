"""What a canvas holds, as seen by the change record: every model of a canvas' content (here
and in other apps) derives from CanvasContent, and changes through its methods, which run
inside `recording()`. VersionedModel adds the optimistic concurrency check for rows that
several people edit at once (canvas_app.concurrent merges two edits field by field)."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from .canvas import Canvas
from .changes import Action, recording, values_of

#: Fields the change record leaves out: bookkeeping, not content.
UNRECORDED = {"version", "created_at", "updated_at", "deleted_at", "reviewed_at", "canvas"}


def recorded_fields(instance: models.Model, names=None) -> list[str]:
    """The content fields of `instance` (or those of `names`) a change's before and after keep."""
    fields = instance._meta.concrete_fields
    return [
        f.name for f in fields if not f.primary_key and f.name not in UNRECORDED and (names is None or f.name in names)
    ]


def stored_values(instance: models.Model, names: list[str]) -> dict:
    """These fields as the database holds them now (one query): the "before" of an edit whose
    instance already holds the new values."""
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return values_of(stored, names) if stored is not None else {}


class CanvasContent(models.Model):
    class Meta:
        abstract = True

    def changed_canvas(self) -> Canvas | int:
        """The canvas (or its id) whose content this is: its revision records the change."""
        raise NotImplementedError

    def add(self, *, by, then=None) -> None:
        """Save this new object as a change by `by`; `then()` runs in the same change (say,
        to save many-to-many links once the object has its key)."""
        with recording(self.changed_canvas(), by=by, action=Action.ADD) as change:
            self.save()
            if then is not None:
                then()
            change.target = self
            change.data["after"] = values_of(self, recorded_fields(self))

    def save_changes(self, *, by, fields: list[str]) -> None:
        """Save these fields as a change by `by` (no version check: see VersionedModel)."""
        recorded = recorded_fields(self, fields)
        with recording(self.changed_canvas(), by=by, action=Action.EDIT, target=self) as change:
            change.data.update(fields=fields, before=stored_values(self, recorded), after=values_of(self, recorded))
            self.save(update_fields=fields)

    def remove(self, *, by) -> None:
        with recording(self.changed_canvas(), by=by, action=Action.DELETE, target=self) as change:
            change.data["before"] = values_of(self, recorded_fields(self))
            self.delete()

    def history_about(self) -> tuple[int | None, str, str]:
        """(the note this is about, its block, a few words naming it) for the change record."""
        return None, "", str(self)


class VersionedModel(CanvasContent):
    """A row several people edit at once. Every write through save_if_unchanged raises its
    version, so a write based on an older read is caught instead of undoing someone's change."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_unchanged(self, *, fields: list[str], by=None, then=None, before: dict | None = None) -> bool:
        """Write these fields, as a change by `by`, unless the row changed since this
        instance was read: then nothing is written and the answer is False. `then()` runs
        in the same change once the row is written (say, to save many-to-many links).
        `before`: the fields' values as read (else they are read again, one query)."""
        recorded = recorded_fields(self, fields)
        with recording(self.changed_canvas(), by=by, action=Action.EDIT, target=self) as change:
            if before is None:
                before = stored_values(self, recorded)
            after = values_of(self, recorded)
            # Only what changed: undo sets back these, and no other field a teammate changed.
            changed = [name for name in recorded if name not in before or before[name] != after[name]]
            change.data.update(
                fields=fields,
                before={name: before[name] for name in changed if name in before},
                after={name: after[name] for name in changed},
            )
            rows = type(self)._default_manager.filter(pk=self.pk, version=self.version)
            written = rows.update(**{name: getattr(self, name) for name in fields}, version=F("version") + 1)
            if not written:
                change.cancel()
            elif then is not None:
                then()
        if written:
            self.version += 1
        return bool(written)
