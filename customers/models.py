"""A canvas' customer data: the purchases a team imported (kept as Parquet through Django's
storage API), the customers computed from them and the summary the pages show; and the jobs
that read an upload or compute again, with their progress.

An import replaces the data only when it has finished: until then the previous purchases,
customers and summary stay as they were."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canvas_app.models import Canvas, CanvasContent

from .analysis import EQUAL_BINS, QUINTILES, Options
from .reading import Layout
from .rfm import Campaign, grid_from_json


def _data_path(instance, filename: str) -> str:
    return f"customer-data/{instance.canvas_id}/{uuid.uuid4().hex}-{filename}"


class CustomerData(models.Model):
    class Binning(models.TextChoices):
        QUINTILES = QUINTILES, _("Quintile cut points (equal values, equal scores)")
        EQUAL_BINS = EQUAL_BINS, _("Equal-size bins (ties broken by customer id)")

    canvas = models.OneToOneField(Canvas, on_delete=models.CASCADE, related_name="customer_data")
    source_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    purchases = models.FileField(upload_to=_data_path, max_length=300)
    customers = models.FileField(upload_to=_data_path, max_length=300, blank=True)
    rows = models.PositiveBigIntegerField(default=0)
    bad_rows = models.PositiveBigIntegerField(default=0)
    first_date = models.DateField(null=True)
    last_date = models.DateField(null=True)
    has_orders = models.BooleanField(default=False)
    has_products = models.BooleanField(default=False)
    has_contacts = models.BooleanField(default=False)
    #: Purchases, or per-customer summaries (reading.PURCHASES, reading.SUMMARIES).
    source = models.CharField(max_length=10, default="purchases")
    attributes = models.JSONField(default=list, blank=True)
    # What the team chose.
    as_of = models.DateField(null=True, blank=True)
    binning = models.CharField(max_length=12, choices=Binning.choices, default=QUINTILES)
    grid = models.JSONField(default=dict, blank=True)
    churn_window = models.FloatField(null=True, blank=True)
    horizon_days = models.PositiveSmallIntegerField(default=90)
    #: The team's own campaign and playbook per group: {group: {"kind": ..., "playbook": ...}}.
    playbooks = models.JSONField(default=dict, blank=True)
    # What came out.
    summary = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("customer data")
        verbose_name_plural = _("customer data")

    def __str__(self) -> str:
        return self.source_name

    def options(self) -> Options:
        return Options(
            as_of=self.as_of,
            binning=self.binning,
            grid=grid_from_json(self.grid),
            churn_window=self.churn_window,
            horizon_days=self.horizon_days,
            has_orders=self.has_orders,
            attributes=list(self.attributes),
            has_products=self.has_products,
            source=self.source,
        )

    def delete(self, *args, **kwargs):
        names = [self.purchases.name, self.customers.name]
        result = super().delete(*args, **kwargs)
        transaction.on_commit(lambda: remove_files(names))
        return result


def remove_files(names) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


class Job(models.Model):
    """An upload being read, checked and computed, or the data computed again."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("import")
        RECOMPUTE = "recompute", _("new computation")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("waiting for the columns")
        READING = "reading", _("reading the file")
        CHECKED = "checked", _("waiting for your decision")
        COMPUTING = "computing", _("computing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    #: Statuses a worker is on.
    RUNNING = (Status.READING, Status.COMPUTING)
    #: A job whose worker died is given up after this long.
    STUCK = timedelta(hours=2)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="customer_jobs")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IMPORT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)
    upload = models.FileField(upload_to=_data_path, max_length=300, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    layout = models.JSONField(default=dict)
    attributes = models.JSONField(default=list, blank=True)
    staged = models.FileField(upload_to=_data_path, max_length=300, blank=True)
    # Progress.
    stage = models.CharField(max_length=12, blank=True)
    percent = models.FloatField(default=0)
    rows_read = models.PositiveBigIntegerField(default=0)
    # What reading found.
    valid_rows = models.PositiveBigIntegerField(default=0)
    bad_rows = models.PositiveBigIntegerField(default=0)
    by_reason = models.JSONField(default=dict, blank=True)
    first_bad = models.JSONField(default=list, blank=True)
    #: Why it failed, as a code the page says in the reader's language.
    error = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_name}"

    def get_layout(self) -> Layout:
        return Layout.from_json(self.layout)

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_open(self) -> bool:
        """Still to be decided or worked on."""
        return self.status in (self.Status.UPLOADED, self.Status.READING, self.Status.CHECKED, self.Status.COMPUTING)

    def report(self, **fields) -> None:
        """Save progress without touching what another process may have changed."""
        for name, value in fields.items():
            setattr(self, name, value)
        Job.objects.filter(pk=self.pk).update(**fields)

    def discard_files(self) -> None:
        """The upload and the staged rows, once they are no longer needed."""
        names = [self.upload.name, self.staged.name]
        self.report(upload="", staged="")
        transaction.on_commit(lambda: remove_files(names))


class PromotedGroup(CanvasContent):
    """A group of customers the team turned into a canvas segment: the segment keeps the
    group's figures, updated by each new import, with the ones before it for comparison."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="promoted_groups")
    segment = models.OneToOneField("segments.Segment", on_delete=models.CASCADE, related_name="data_group")
    group = models.CharField(max_length=24)
    #: The group's figures in the current data ({} once the data is deleted or the group empty).
    figures = models.JSONField(default=dict, blank=True)
    #: Its figures in the data before the latest import or computation, when there was one.
    previous = models.JSONField(null=True, blank=True)
    as_of = models.DateField(null=True)
    previous_as_of = models.DateField(null=True)
    promoted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["canvas", "group"], name="one_segment_per_group")]

    def __str__(self) -> str:
        return self.group

    def changed_canvas(self) -> int:
        return self.canvas_id


class PlannedCampaign(models.Model):
    """A campaign a team plans on a group of its customers (acquisition: on the Champions, as
    the profile of the look-alikes to find)."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="planned_campaigns")
    group = models.CharField(_("group"), max_length=24)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Campaign.choices)
    goal = models.CharField(_("goal"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=3000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "created_at"]

    def __str__(self) -> str:
        return self.name
