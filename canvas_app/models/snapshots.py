"""Versions of a canvas: a named snapshot ("before the investor meeting"), or the daily one
taken on the first change of a day (so it holds the canvas as the day before left it). Each
holds the canvas' document (canvas_app.serializer, the same as export) and which note each of
its references stood for, so that two versions, or a version and now, can be compared."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_LENGTH = 120


class Snapshot(models.Model):
    canvas = models.ForeignKey("canvas_app.Canvas", on_delete=models.CASCADE, related_name="snapshots")
    name = models.CharField(_("name"), max_length=NAME_LENGTH, blank=True)
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: The canvas' revision it shows.
    revision = models.PositiveBigIntegerField()
    document = models.JSONField()
    #: {note reference in `document`: the note's id then}.
    note_ids = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["canvas", "-created_at", "-pk"]
        indexes = [models.Index(fields=["canvas", "-created_at"], name="snapshot_of_canvas")]

    def __str__(self) -> str:
        return self.name or str(self.created_at)
