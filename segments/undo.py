"""Undo for the parts of a segment: a persona, a job, pain or gain, or an item of the value
map that was deleted by mistake comes back, as a note does. A deleted row stays, marked, for
the notes' undo window. The default manager reads live rows only, and so do the related
managers built on it (segment.personas, item.addresses...); a join or a count written by
hand filters on `deleted_at` itself."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from canvas_app.models import Action, Block, VersionedModel, recording
from canvas_app.models.notes import UNDO_WINDOW


class LiveManager(models.Manager):
    """Rows that have not been deleted (deleted ones wait a while for an undo)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class AboutSegment:
    """For the change record: a segment, and each of its parts, is about the segment's note."""

    def history_about(self) -> tuple[int | None, str, str]:
        segment = getattr(self, "segment", self)
        return segment.note_id, Block.CUSTOMER_SEGMENTS, str(self)


class Undoable(AboutSegment, VersionedModel):
    """A part of a segment (a model with a `segment`) whose deletion can be undone for a while."""

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def delete_softly(self, *, by) -> bool:
        """Take it away, keeping it for an undo. False if it was deleted already."""
        canvas_id = self.changed_canvas()
        with recording(canvas_id, by=by, action=Action.DELETE, target=self) as change:
            now = timezone.now()
            if not type(self).objects.filter(pk=self.pk).update(deleted_at=now):
                change.cancel()
                return False
            self.deleted_at = now
            # Those deleted longer ago than the undo window can no longer come back.
            type(self).all_objects.filter(
                segment__note__canvas_id=canvas_id, deleted_at__lt=now - UNDO_WINDOW
            ).delete()
        return True

    def restore(self, *, by) -> bool:
        """Undo the deletion: it returns with its links. False if it was not deleted."""
        with recording(self.changed_canvas(), by=by, action=Action.RESTORE, target=self) as change:
            if not type(self).all_objects.filter(pk=self.pk, deleted_at__isnull=False).update(deleted_at=None):
                change.cancel()
                return False
            self.deleted_at = None
        return True
