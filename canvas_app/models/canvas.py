"""Canvases, their nine blocks and who may use them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..money import Currency, default_currency
from ..signals import canvas_created, notes_placed
from .changes import Action, recent_changes_by, recording


class Block(models.TextChoices):
    """The nine building blocks, ids as in DOMAIN.md, in the order a reader meets them."""

    KEY_PARTNERS = "key_partners", _("Key Partners")
    KEY_ACTIVITIES = "key_activities", _("Key Activities")
    KEY_RESOURCES = "key_resources", _("Key Resources")
    VALUE_PROPOSITIONS = "value_propositions", _("Value Propositions")
    CUSTOMER_RELATIONSHIPS = "customer_relationships", _("Customer Relationships")
    CHANNELS = "channels", _("Channels")
    CUSTOMER_SEGMENTS = "customer_segments", _("Customer Segments")
    COST_STRUCTURE = "cost_structure", _("Cost Structure")
    REVENUE_STREAMS = "revenue_streams", _("Revenue Streams")

    @property
    def question(self) -> Promise:
        return BLOCK_QUESTIONS[self]

    @property
    def examples(self) -> tuple[Promise, Promise]:
        """Two short notes of the kind the block holds, shown in empty blocks of a guided canvas."""
        return BLOCK_EXAMPLES[self]

    @property
    def default_colour(self) -> str:
        """A new note's colour unless the user picks one: each block has its own, so a
        glance tells the blocks apart (neighbouring blocks never share one)."""
        return BLOCK_COLOURS[self]


BLOCK_QUESTIONS = {
    Block.KEY_PARTNERS: _("Who helps us? Which partners and suppliers do we rely on?"),
    Block.KEY_ACTIVITIES: _("What must we do well for the business model to work?"),
    Block.KEY_RESOURCES: _("What do we need to have: people, assets, knowledge, money?"),
    Block.VALUE_PROPOSITIONS: _("What value do we deliver? Which problem do we solve?"),
    Block.CUSTOMER_RELATIONSHIPS: _("What relationship does each segment expect from us?"),
    Block.CHANNELS: _("How do we reach our customers and deliver the value?"),
    Block.CUSTOMER_SEGMENTS: _("For whom do we create value? Who are our most important customers?"),
    Block.COST_STRUCTURE: _("What are the most important costs of running this model?"),
    Block.REVENUE_STREAMS: _("For what are our customers really willing to pay, and how?"),
}

# Two per block, from different kinds of business, so that neither reads as the answer.
BLOCK_EXAMPLES = {
    Block.KEY_PARTNERS: (
        _("Local farms that supply our ingredients"),
        _("A courier company for the last mile"),
    ),
    Block.KEY_ACTIVITIES: (
        _("Building and maintaining the app"),
        _("Finding and vetting new suppliers"),
    ),
    Block.KEY_RESOURCES: (
        _("A team of four engineers"),
        _("Our brand and a loyal community"),
    ),
    Block.VALUE_PROPOSITIONS: (
        _("Freshly roasted coffee at your door every two weeks"),
        _("Payroll done in ten minutes instead of a whole day"),
    ),
    Block.CUSTOMER_RELATIONSHIPS: (
        _("Self-service: change your plan in one click"),
        _("A dedicated account manager for large clients"),
    ),
    Block.CHANNELS: (
        _("Online shop and mobile app"),
        _("A sales team that visits restaurants"),
    ),
    Block.CUSTOMER_SEGMENTS: (
        _("Parents of children under five in big cities"),
        _("Small accounting firms with 5 to 20 people"),
    ),
    Block.COST_STRUCTURE: (
        _("Salaries, our biggest cost"),
        _("Servers and software licences"),
    ),
    Block.REVENUE_STREAMS: (
        _("A monthly subscription per user"),
        _("A small commission on every sale"),
    ),
}


class Colour(models.TextChoices):
    YELLOW = "yellow", pgettext_lazy("note colour", "Yellow")
    ORANGE = "orange", pgettext_lazy("note colour", "Orange")
    PINK = "pink", pgettext_lazy("note colour", "Pink")
    PURPLE = "purple", pgettext_lazy("note colour", "Purple")
    BLUE = "blue", pgettext_lazy("note colour", "Blue")
    GREEN = "green", pgettext_lazy("note colour", "Green")
    GREY = "grey", pgettext_lazy("note colour", "Grey")


# The order in which a canvas is told (Osterwalder's storytelling): the presentation walks it.
STORY_ORDER = [
    Block.CUSTOMER_SEGMENTS,
    Block.VALUE_PROPOSITIONS,
    Block.CHANNELS,
    Block.CUSTOMER_RELATIONSHIPS,
    Block.REVENUE_STREAMS,
    Block.KEY_RESOURCES,
    Block.KEY_ACTIVITIES,
    Block.KEY_PARTNERS,
    Block.COST_STRUCTURE,
]

BLOCK_COLOURS = {
    Block.KEY_PARTNERS: Colour.PURPLE,
    Block.KEY_ACTIVITIES: Colour.BLUE,
    Block.KEY_RESOURCES: Colour.GREEN,
    Block.VALUE_PROPOSITIONS: Colour.YELLOW,
    Block.CUSTOMER_RELATIONSHIPS: Colour.PINK,
    Block.CHANNELS: Colour.ORANGE,
    Block.CUSTOMER_SEGMENTS: Colour.YELLOW,
    Block.COST_STRUCTURE: Colour.GREY,
    Block.REVENUE_STREAMS: Colour.GREEN,
}


class RelationshipType(models.TextChoices):
    """Kinds of customer relationship (Osterwalder), for Customer Relationships notes."""

    PERSONAL_ASSISTANCE = "personal_assistance", _("Personal assistance")
    DEDICATED_ASSISTANCE = "dedicated_assistance", _("Dedicated personal assistance")
    SELF_SERVICE = "self_service", _("Self-service")
    AUTOMATED_SERVICES = "automated_services", _("Automated services")
    COMMUNITIES = "communities", _("Communities")
    CO_CREATION = "co_creation", _("Co-creation")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    #: Reads and comments; changes nothing else.
    COMMENTER = "commenter", _("Commenter")
    VIEWER = "viewer", _("Viewer")

    @property
    def rank(self) -> int:
        return {Role.VIEWER: 1, Role.COMMENTER: 2, Role.EDITOR: 3, Role.OWNER: 4}[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= Role(needed).rank


class CanvasQuerySet(models.QuerySet):
    def for_user(self, user) -> CanvasQuerySet:
        """The canvases `user` is a member of, each annotated with `user_role`."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).annotate(user_role=F("memberships__role"))


class CanvasLimitError(Exception):
    """A change would take a canvas past one of its limits: the message says which."""


class CanvasFullError(CanvasLimitError):
    """The canvas holds as much as one canvas may."""


class AddingTooFastError(CanvasLimitError):
    """One person added more notes within a minute than anyone types."""


class Canvas(models.Model):
    #: What one canvas may hold: enough for any real business model, and a bound on what a
    #: page, a poll or a PDF of it costs.
    MAX_NOTES = 2000
    MAX_SEGMENTS = 200
    #: Per person, across canvases: a script, not a person, adds notes faster.
    MAX_NOTES_PER_MINUTE = 60

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    language = models.CharField(
        _("language of the canvas"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Block titles are printed in this language."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.EUR,
        help_text=_("Amounts of money on this canvas (revenue, costs) are in this currency."),
    )
    guided = models.BooleanField(
        _("guided"),
        default=False,
        help_text=_("Empty blocks show two short examples under their question."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now, db_index=True)
    # Raised by every recorded change (changes.recording): the live board, exports and
    # history all tell one state of the canvas from another by it.
    revision = models.PositiveBigIntegerField(default=0, editable=False)
    #: The day of the last daily snapshot (models.snapshots): the first change of a later day takes one.
    daily_snapshot_on = models.DateField(default=timezone.localdate, null=True, editable=False)

    objects = CanvasQuerySet.as_manager()

    class Meta:
        verbose_name = _("canvas")
        verbose_name_plural = _("canvases")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def create_for(
        cls, user, *, title: str, description: str = "", language: str = "", currency: str = "", guided: bool = False
    ) -> Canvas:
        language = language or _current_language()
        with transaction.atomic():
            canvas = cls.objects.create(
                title=title,
                description=description,
                language=language,
                currency=currency or default_currency(language),
                guided=guided,
                created_by=user,
            )
            Membership.objects.create(canvas=canvas, user=user, role=Role.OWNER)
            with recording(canvas, by=user, action=Action.ADD, target=canvas):
                canvas_created.send(sender=cls, canvas=canvas)
        return canvas

    def role_of(self, user) -> Role | None:
        role = getattr(self, "user_role", None)
        if role is None and user.is_authenticated:
            role = self.memberships.filter(user=user).values_list("role", flat=True).first()
        return Role(role) if role else None

    @property
    def version(self) -> str:
        """What the live board compares: changes whenever anything on the canvas changes."""
        return str(self.revision)

    def notes_by_block(self) -> dict[str, list]:
        """Every live note, grouped by block id, in board order: one query."""
        grouped: dict[str, list] = {block.value: [] for block in Block}
        for note in self.notes.order_by("block", "position"):
            grouped[note.block].append(note)
        return grouped

    def lock(self) -> Canvas:
        """Lock this canvas' row until the transaction ends (a recorded change takes the
        same lock): changes that must not interleave take it first."""
        return Canvas.objects.select_for_update().get(pk=self.pk)

    def edit_details(
        self, *, by, title: str, description: str, language: str, currency: str = "", guided: bool | None = None
    ) -> None:
        with recording(self, by=by, action=Action.EDIT, target=self):
            self.title, self.description, self.language = title, description, language
            self.currency = currency or self.currency
            self.guided = self.guided if guided is None else guided
            self.save(update_fields=["title", "description", "language", "currency", "guided"])

    def add_note(self, *, block: str, text: str, colour: str = "", by=None):
        """A new note at the end of `block` (in the block's colour unless `colour` says
        otherwise); CanvasFullError when the canvas may hold no more
        (notes, or segments in Customer Segments)."""
        if by is not None:
            added = recent_changes_by(by, action=Action.ADD, target_type="canvas_app.note", within=timedelta(minutes=1))
            if added >= self.MAX_NOTES_PER_MINUTE:
                raise AddingTooFastError(
                    _("You added %(limit)d notes within a minute, the most there can be: wait a moment.")
                    % {"limit": self.MAX_NOTES_PER_MINUTE}
                )
        with recording(self, by=by, action=Action.ADD) as change:
            self.check_room_for(block)
            position = self.notes.filter(block=block).count() + 1
            colour = colour or Block(block).default_colour
            note = self.notes.create(block=block, text=text, colour=colour, position=position)
            change.target = note
            change.data["after"] = {**note.place(), "text": text, "colour": colour}
            notes_placed.send(sender=Canvas, canvas=self, notes=[note])
        return note

    def check_room_for(self, block: str, *, moving_within: bool = False) -> None:
        """Raise CanvasFullError unless one more note fits in `block` (one moved from another
        block of this canvas when `moving_within`)."""
        if not moving_within and self.notes.count() >= self.MAX_NOTES:
            raise CanvasFullError(
                _("A canvas holds at most %(limit)d notes: delete some before adding more.") % {"limit": self.MAX_NOTES}
            )
        if block == Block.CUSTOMER_SEGMENTS and self.notes.filter(block=block).count() >= self.MAX_SEGMENTS:
            raise CanvasFullError(
                _("A canvas holds at most %(limit)d customer segments: merge or delete some first.")
                % {"limit": self.MAX_SEGMENTS}
            )

    def remove_member(self, membership: Membership) -> int:
        """Take the member off the canvas; an owner's share links and pending invitations
        go with them. Returns how many of those were revoked."""
        with transaction.atomic():
            self.lock()
            if membership.role == Role.OWNER and self._owner_count() <= 1:
                raise LastOwnerError
            membership.delete()
            return self._revoke_owner_grants(membership.user_id) if membership.role == Role.OWNER else 0

    def change_role(self, membership: Membership, role: str) -> int:
        """Give the member another role; an owner who is no longer one loses the share links
        and pending invitations they made. Returns how many of those were revoked."""
        with transaction.atomic():
            self.lock()
            if membership.role == Role.OWNER and role != Role.OWNER and self._owner_count() <= 1:
                raise LastOwnerError
            was_owner = membership.role == Role.OWNER
            membership.role = role
            membership.save(update_fields=["role"])
            return self._revoke_owner_grants(membership.user_id) if was_owner and role != Role.OWNER else 0

    def _revoke_owner_grants(self, user_id: int) -> int:
        """What an owner handed out stops working when they stop being an owner: their
        share links and their pending invitations (the other owners can make new ones)."""
        now = timezone.now()
        links = self.share_links.live().filter(created_by_id=user_id).update(revoked_at=now)
        invitations = self.invitations.pending().filter(invited_by_id=user_id).update(revoked_at=now)
        return links + invitations

    def _owner_count(self) -> int:
        return self.memberships.filter(role=Role.OWNER).count()


class LastOwnerError(Exception):
    """A canvas must keep at least one owner."""


def _current_language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else "en"


class Membership(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="canvas_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["canvas", "user"], name="one_membership_per_user"),
        ]
        ordering = ["canvas", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.canvas} ({self.get_role_display()})"
