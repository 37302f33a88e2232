"""What a canvas holds, as seen by the change record: every model of a canvas' content (here
and in other apps) derives from CanvasContent, and changes through its methods, which run
inside `recording()`. VersionedModel adds the optimistic concurrency check for rows that
several people edit at once (canvas_app.concurrent merges two edits field by field)."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from .canvas import Canvas
from .changes import Action, recording


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

    def save_changes(self, *, by, fields: list[str]) -> None:
        """Save these fields as a change by `by` (no version check: see VersionedModel)."""
        with recording(self.changed_canvas(), by=by, action=Action.EDIT, target=self, data={"fields": fields}):
            self.save(update_fields=fields)

    def remove(self, *, by) -> None:
        with recording(self.changed_canvas(), by=by, action=Action.DELETE, target=self):
            self.delete()


class VersionedModel(CanvasContent):
    """A row several people edit at once. Every write through save_if_unchanged raises its
    version, so a write based on an older read is caught instead of undoing someone's change."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_unchanged(self, *, fields: list[str], by=None, then=None) -> bool:
        """Write these fields, as a change by `by`, unless the row changed since this
        instance was read: then nothing is written and the answer is False. `then()` runs
        in the same change once the row is written (say, to save many-to-many links)."""
        with recording(
            self.changed_canvas(), by=by, action=Action.EDIT, target=self, data={"fields": fields}
        ) as change:
            rows = type(self)._default_manager.filter(pk=self.pk, version=self.version)
            written = rows.update(**{name: getattr(self, name) for name in fields}, version=F("version") + 1)
            if not written:
                change.cancel()
            elif then is not None:
                then()
        if written:
            self.version += 1
        return bool(written)
