"""PDF exports, rendered by the task worker off the request path and kept per state of the
canvas: asking again for the same paper size of an unchanged canvas, the same day, gets the
same file at once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .canvas import Canvas
from .sharing import ShareLink


class ExportLimitError(Exception):
    """Too many new renders asked for: `wait` seconds until the next one may be."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


class ExportQuerySet(models.QuerySet):
    def alive(self) -> ExportQuerySet:
        """Exports that are or will be a file: not failed, and not a render that should have
        ended long ago (its worker died)."""
        stuck = timezone.now() - timedelta(seconds=2 * settings.PDF_RENDER_SECONDS + 60)
        return self.exclude(status=Export.Status.FAILED).exclude(status=Export.Status.RENDERING, started_at__lt=stuck)


class Export(models.Model):
    class Kind(models.TextChoices):
        CANVAS = "canvas", _("canvas")
        SEGMENT_REPORT = "segment_report", _("segment report")
        CUSTOMER_REPORT = "customer_report", _("customer data report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RENDERING = "rendering", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    #: How long a file is kept for another download.
    KEEP = timedelta(days=1)
    #: New renders (files not in the cache) one person, or one share link, may ask for...
    MAX_PER_USER = 10
    MAX_PER_SHARE_LINK = 5
    #: ... in this window.
    LIMIT_WINDOW = timedelta(minutes=10)

    # Random, so that a share link's holder cannot guess the export of another canvas.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CANVAS)
    size = models.CharField(max_length=8)
    #: What the file shows: the canvas' revision, and for a report what else it depends on
    #: (the team's roles), and the day it is dated.
    revision = models.PositiveBigIntegerField()
    basis = models.CharField(max_length=64, blank=True)
    day = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_link = models.ForeignKey(ShareLink, null=True, blank=True, on_delete=models.CASCADE, related_name="exports")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=300, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["canvas", "kind", "size", "revision", "day"], name="export_cache_key"),
            models.Index(fields=["requested_by", "requested_at"], name="export_by_user"),
            models.Index(fields=["share_link", "requested_at"], name="export_by_share_link"),
            models.Index(fields=["status", "requested_at"], name="export_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.canvas} · {self.kind} {self.size} r{self.revision} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @classmethod
    def request(
        cls,
        canvas: Canvas,
        *,
        kind: str,
        size: str,
        by=None,
        share_link: ShareLink | None = None,
        basis: str = "",
        enqueue,
    ) -> Export:
        """The export of the canvas as it is now in this size: the one made or being made
        already, else a new one handed to `enqueue(export_id)` (the task that renders it).
        A new one counts against the asker's limit: ExportLimitError when it is reached."""
        day = timezone.localdate()
        with transaction.atomic():
            # Serialises asks for one canvas: two clicks make one render, not two.
            canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
            key = {
                "canvas": canvas,
                "kind": kind,
                "size": size,
                "revision": canvas.revision,
                "basis": basis,
                "day": day,
            }
            existing = cls.objects.alive().filter(**key).order_by("-requested_at").first()
            if existing is not None:
                return existing
            wait = cls._wait(by=by, share_link=share_link)
            if wait:
                raise ExportLimitError(wait)
            cls.objects.filter(canvas=canvas, requested_at__lt=timezone.now() - cls.KEEP).delete()
            export = cls.objects.create(**key, requested_by=by if getattr(by, "is_authenticated", False) else None,
                                        share_link=share_link)  # fmt: skip
            enqueue(str(export.pk))
        return export

    @classmethod
    def _wait(cls, *, by, share_link: ShareLink | None) -> int:
        """Seconds until this asker may ask for another new render (0: now)."""
        if share_link is not None:
            asked, limit = cls.objects.filter(share_link=share_link), cls.MAX_PER_SHARE_LINK
        elif getattr(by, "is_authenticated", False):
            asked, limit = cls.objects.filter(requested_by=by, share_link__isnull=True), cls.MAX_PER_USER
        else:
            return 0
        since = timezone.now() - cls.LIMIT_WINDOW
        times = list(
            asked.filter(requested_at__gt=since)
            .order_by("-requested_at")
            .values_list("requested_at", flat=True)[:limit]
        )
        if len(times) < limit:
            return 0
        return max(1, int((times[-1] + cls.LIMIT_WINDOW - timezone.now()).total_seconds()) + 1)

    def ahead(self) -> int:
        """How many exports wait or are being made before this one."""
        if self.status != self.Status.QUEUED:
            return 0
        earlier = Q(status=self.Status.QUEUED, requested_at__lt=self.requested_at) | Q(status=self.Status.RENDERING)
        return Export.objects.alive().filter(earlier).count()

    def start(self) -> bool:
        """Claim the render; False if it is not waiting any more (another worker has it)."""
        now = timezone.now()
        claimed = Export.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(
            status=self.Status.RENDERING, started_at=now
        )
        self.status, self.started_at = self.Status.RENDERING, now
        return bool(claimed)

    def finish(self, content: bytes, filename: str) -> None:
        self.status, self.content, self.filename, self.finished_at = (
            self.Status.READY,
            content,
            filename,
            timezone.now(),
        )
        self.save(update_fields=["status", "content", "filename", "finished_at"])

    def fail(self, error: str) -> None:
        self.status, self.error, self.finished_at = self.Status.FAILED, error[:300], timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])
