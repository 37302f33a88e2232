"""Customer segments: who a canvas serves, their personas, how the team ranks them, and how
well the offer fits each one. A segment is the note that stands for it in the Customer
Segments block, plus everything described here."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canvas_app.models import Action, Block, Canvas, CanvasContent, Note, VersionedModel, recording

from .marks import SegmentColour, next_marks
from .relationship.models import RelationshipItem  # noqa: F401 (the relationship plan, a model of this app)
from .undo import AboutSegment, Undoable

#: Blocks whose notes can be linked to the segments they serve.
LINKABLE_BLOCKS = [block for block in Block if block != Block.CUSTOMER_SEGMENTS]
#: Blocks that make two segments look alike when they are linked to exactly the same notes.
DISTINCTNESS_BLOCKS = [Block.VALUE_PROPOSITIONS, Block.CHANNELS, Block.CUSTOMER_RELATIONSHIPS]
STALE_AFTER = timedelta(days=90)


class MarketKind(models.TextChoices):
    MASS = "mass", _("Mass market")
    NICHE = "niche", _("Niche market")
    SEGMENTED = "segmented", _("Segmented")
    DIVERSIFIED = "diversified", _("Diversified")
    MULTI_SIDED = "multi_sided", _("Multi-sided platform")


class CustomerType(models.TextChoices):
    B2C = "b2c", _("Consumers (B2C)")
    B2B = "b2b", _("Businesses (B2B)")


class Basis(models.TextChoices):
    DEMOGRAPHIC = "demographic", _("Demographic (post hoc)")
    NEEDS = "needs", _("Needs-based")
    VALUE = "value", _("Value-based")


class WillingnessToPay(models.TextChoices):
    UNKNOWN = "", _("Not known yet")
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class SegmentQuerySet(models.QuerySet):
    def of_canvas(self, canvas: Canvas) -> SegmentQuerySet:
        """The segments whose note is live in the canvas' Customer Segments block, in board order."""
        return (
            self.filter(
                note__canvas=canvas, note__block=Block.CUSTOMER_SEGMENTS, note__deleted_at__isnull=True
            )
            .select_related("note")
            .order_by("note__position")
        )


class Segment(AboutSegment, VersionedModel):
    note = models.OneToOneField(Note, on_delete=models.CASCADE, related_name="segment")
    # Told apart by colour and, for whoever cannot tell the colours apart, by letter: both
    # are given when the segment is made (segments.marks) and stay with it.
    colour = models.PositiveSmallIntegerField(_("colour"), choices=SegmentColour.choices, default=SegmentColour.ROSE)
    letter = models.CharField(_("letter"), max_length=3, default="", editable=False)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    market_kind = models.CharField(_("kind of market"), max_length=16, choices=MarketKind.choices, blank=True)
    customer_type = models.CharField(_("customers"), max_length=3, choices=CustomerType.choices, default=CustomerType.B2C)
    basis = models.CharField(_("basis of segmentation"), max_length=16, choices=Basis.choices, blank=True)
    # B2C attributes
    age_min = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True, validators=[MaxValueValidator(120)])
    age_max = models.PositiveSmallIntegerField(_("age to"), null=True, blank=True, validators=[MaxValueValidator(120)])
    gender = models.CharField(_("gender"), max_length=80, blank=True)
    marital_status = models.CharField(_("marital status"), max_length=80, blank=True)
    life_stage = models.CharField(_("life stage"), max_length=120, blank=True)
    interests = models.TextField(_("interests"), max_length=1000, blank=True)
    needs = models.TextField(_("needs"), max_length=1000, blank=True)
    # B2B attributes
    industry = models.CharField(_("industry"), max_length=120, blank=True)
    company_size = models.CharField(_("company size"), max_length=80, blank=True)
    company_revenue = models.CharField(_("company revenue"), max_length=80, blank=True)
    previous_purchases = models.TextField(_("previous purchases"), max_length=1000, blank=True)
    replaces = models.TextField(_("what we would replace"), max_length=1000, blank=True)
    # Both
    location = models.CharField(_("location"), max_length=120, blank=True)
    estimated_size = models.PositiveBigIntegerField(
        _("estimated size (customers)"), null=True, blank=True, validators=[MaxValueValidator(10**12)]
    )
    growth_rate = models.DecimalField(
        _("growth rate (% a year)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("1000"))],
    )
    revenue_potential = models.DecimalField(
        _("revenue potential (a year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost_to_serve = models.DecimalField(
        _("cost to serve (a year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    willingness_to_pay = models.CharField(
        _("willingness to pay"), max_length=8, choices=WillingnessToPay.choices, blank=True
    )
    gives_up = models.TextField(_("what the customer gives up to adopt us"), max_length=1000, blank=True)
    linked_notes = models.ManyToManyField(Note, related_name="segments", blank=True, verbose_name=_("notes that serve it"))
    reviewed_at = models.DateTimeField(_("last reviewed"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SegmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True) | models.Q(age_max__isnull=True) | models.Q(age_min__lte=models.F("age_max")),
                name="segment_age_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def changed_canvas(self) -> int:
        return self.note.canvas_id

    @property
    def name(self) -> str:
        return self.note.text

    @property
    def canvas_id(self) -> int:
        return self.note.canvas_id

    @property
    def is_stale(self) -> bool:
        return timezone.now() - self.reviewed_at > STALE_AFTER

    def mark_reviewed(self) -> None:
        self.reviewed_at = timezone.now()
        Segment.objects.filter(pk=self.pk).update(reviewed_at=self.reviewed_at)

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and not self.letter:
            self.colour, self.letter = self.marks_for_new(self.note.canvas_id, 1)[0]
        super().save(*args, **kwargs)

    @classmethod
    def marks_for_new(cls, canvas_id: int, count: int) -> list[tuple[int, str]]:
        """(colour, letter) for `count` new segments of the canvas. Its segments whose note
        is deleted but may come back, or moved out of the block for now, keep theirs."""
        used = list(cls.objects.filter(note__canvas_id=canvas_id).values_list("colour", "letter"))
        return next_marks(
            [colour for colour, _letter in used],
            [letter for _colour, letter in used],
            count=count,
            palette_size=len(SegmentColour),
        )

    @classmethod
    def ensure_for_notes(cls, notes: list[Note]) -> None:
        """Every live Customer Segments note stands for a segment: create the missing ones,
        in board order, each with its own colour and letter. Idempotent and safe against a
        concurrent request doing the same (which, holding the canvas' lock, runs before or
        after this one)."""
        candidates = [n for n in notes if n.block == Block.CUSTOMER_SEGMENTS and n.deleted_at is None]
        if not candidates:
            return
        existing = set(cls.objects.filter(note__in=candidates).values_list("note_id", flat=True))
        by_canvas: dict[int, list[Note]] = {}
        for note in sorted(candidates, key=lambda n: (n.canvas_id, n.position, n.pk)):
            if note.pk not in existing:
                by_canvas.setdefault(note.canvas_id, []).append(note)
        missing = []
        for canvas_id, new_notes in by_canvas.items():
            marks = cls.marks_for_new(canvas_id, len(new_notes))
            # note_id, not note: a Segment(note=n) would leave itself, unsaved, in n's cache.
            missing += [
                cls(note_id=n.pk, colour=colour, letter=letter) for n, (colour, letter) in zip(new_notes, marks)
            ]
        if missing:
            cls.objects.bulk_create(missing, ignore_conflicts=True)


class Persona(Undoable):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(_("name"), max_length=120)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True, validators=[MaxValueValidator(120)])
    occupation = models.CharField(_("role or occupation"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    goals = models.TextField(_("goals"), max_length=1000, blank=True)
    pains = models.TextField(_("pains"), max_length=1000, blank=True)
    motivations = models.TextField(_("motivations"), max_length=1000, blank=True)
    jobs = models.TextField(_("jobs to be done"), max_length=1000, blank=True)
    channels = models.TextField(_("preferred channels"), max_length=500, blank=True)
    quote = models.CharField(_("a quote"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def changed_canvas(self) -> int:
        return self.segment.note.canvas_id

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w[:1].isalpha()]
        return "".join(w[0] for w in words[:2]).upper() or self.name[:1].upper()


# Prioritisation -------------------------------------------------------------------------


class Axis(models.TextChoices):
    ATTRACTIVENESS = "attractiveness", _("Attractiveness of the segment")
    ABILITY = "ability", _("Our ability to serve it")


DEFAULT_CRITERIA = [
    (_("Size"), 3, Axis.ATTRACTIVENESS),
    (_("Growth potential"), 2, Axis.ATTRACTIVENESS),
    (_("Profitability"), 3, Axis.ATTRACTIVENESS),
    (_("Fit with our offer"), 3, Axis.ABILITY),
    (_("Accessible through our channels"), 2, Axis.ABILITY),
    (_("Willingness to pay"), 2, Axis.ATTRACTIVENESS),
]


class PrioritySettings(CanvasContent):
    """Per canvas: the primary segment and the thresholds the warnings use."""

    canvas = models.OneToOneField(Canvas, on_delete=models.CASCADE, related_name="priority_settings")
    primary_segment = models.ForeignKey(Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    min_segment_size = models.PositiveBigIntegerField(
        _("smallest useful segment (customers)"), default=1000, validators=[MaxValueValidator(10**12)]
    )

    class Meta:
        verbose_name = _("prioritisation settings")
        verbose_name_plural = _("prioritisation settings")

    def changed_canvas(self) -> int:
        return self.canvas_id

    @classmethod
    def for_canvas(cls, canvas: Canvas) -> PrioritySettings:
        """The canvas' settings, created with the default criteria on first use."""
        settings_, created = cls.objects.get_or_create(canvas=canvas)
        if created and not canvas.criteria.exists():
            from django.utils import translation

            with translation.override(canvas.language):
                Criterion.objects.bulk_create(
                    Criterion(canvas=canvas, name=str(name), weight=weight, axis=axis, position=index)
                    for index, (name, weight, axis) in enumerate(DEFAULT_CRITERIA, start=1)
                )
        return settings_


class Criterion(CanvasContent):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=80)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    axis = models.CharField(_("counts towards"), max_length=16, choices=Axis.choices, default=Axis.ATTRACTIVENESS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            # Two owners adding "Size" at the same moment get one criterion and an error.
            models.UniqueConstraint(F("canvas"), Lower("name"), name="one_criterion_name_per_canvas"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def create(cls, canvas: Canvas, *, by, name: str, weight: int, axis: str) -> Criterion:
        """A new criterion at the end of the canvas' list, as a change by `by`. IntegrityError
        if the canvas has one by that name (in any case)."""
        with recording(canvas, by=by, action=Action.ADD) as change:
            last = canvas.criteria.aggregate(last=Max("position"))["last"] or 0
            criterion = cls.objects.create(canvas=canvas, name=name, weight=weight, axis=axis, position=last + 1)
            change.target = criterion
        return criterion

    def changed_canvas(self) -> int:
        return self.canvas_id


class Score(models.Model):
    """One reviewer's score of one segment on one criterion."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="segment_scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["segment", "criterion", "reviewer"], name="one_score_per_reviewer"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_from_1_to_5"),
        ]


# Value-proposition fit -------------------------------------------------------------------


class ProfileKind(models.TextChoices):
    JOB = "job", _("Job to be done")
    PAIN = "pain", _("Pain")
    GAIN = "gain", _("Gain")


class ValueKind(models.TextChoices):
    PRODUCT = "product", _("Product or service")
    RELIEVER = "reliever", _("Pain reliever")
    CREATOR = "creator", _("Gain creator")


#: What each kind of value-map item addresses in the customer profile.
ADDRESSES = {ValueKind.PRODUCT: ProfileKind.JOB, ValueKind.RELIEVER: ProfileKind.PAIN, ValueKind.CREATOR: ProfileKind.GAIN}


class ProfileItem(Undoable):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="profile_items")
    kind = models.CharField(_("kind"), max_length=8, choices=ProfileKind.choices)
    text = models.CharField(_("text"), max_length=300)
    importance = models.PositiveSmallIntegerField(
        _("importance"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("customer profile item")
        verbose_name_plural = _("customer profile items")
        ordering = ["kind", "-importance", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(importance__gte=1, importance__lte=3), name="importance_from_1_to_3"),
        ]

    def __str__(self) -> str:
        return self.text

    def changed_canvas(self) -> int:
        return self.segment.note.canvas_id


class ValueItem(Undoable):
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="value_items")
    kind = models.CharField(_("kind"), max_length=8, choices=ValueKind.choices)
    text = models.CharField(_("text"), max_length=300)
    addresses = models.ManyToManyField(ProfileItem, related_name="addressed_by", blank=True, verbose_name=_("addresses"))
    notes = models.ManyToManyField(Note, related_name="value_items", blank=True, verbose_name=_("value propositions on the board"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("value map item")
        verbose_name_plural = _("value map items")
        ordering = ["kind", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text

    def changed_canvas(self) -> int:
        return self.segment.note.canvas_id
