"""The Business Model Canvas: canvases, who may use them, and the notes in their nine blocks."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class Colour(models.TextChoices):
    YELLOW = "yellow", pgettext_lazy("note colour", "Yellow")
    ORANGE = "orange", pgettext_lazy("note colour", "Orange")
    PINK = "pink", pgettext_lazy("note colour", "Pink")
    PURPLE = "purple", pgettext_lazy("note colour", "Purple")
    BLUE = "blue", pgettext_lazy("note colour", "Blue")
    GREEN = "green", pgettext_lazy("note colour", "Green")
    GREY = "grey", pgettext_lazy("note colour", "Grey")


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
    VIEWER = "viewer", _("Viewer")

    @property
    def rank(self) -> int:
        return {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= Role(needed).rank


class CanvasQuerySet(models.QuerySet):
    def for_user(self, user) -> CanvasQuerySet:
        """The canvases `user` is a member of, each annotated with `user_role`."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).annotate(user_role=F("memberships__role"))


class Canvas(models.Model):
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    language = models.CharField(
        _("language of the canvas"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Block titles are printed in this language."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now, db_index=True)

    objects = CanvasQuerySet.as_manager()

    class Meta:
        verbose_name = _("canvas")
        verbose_name_plural = _("canvases")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def create_for(cls, user, *, title: str, description: str = "", language: str = "") -> Canvas:
        with transaction.atomic():
            canvas = cls.objects.create(
                title=title,
                description=description,
                language=language or _current_language(),
                created_by=user,
            )
            Membership.objects.create(canvas=canvas, user=user, role=Role.OWNER)
        return canvas

    def role_of(self, user) -> Role | None:
        role = getattr(self, "user_role", None)
        if role is None and user.is_authenticated:
            role = self.memberships.filter(user=user).values_list("role", flat=True).first()
        return Role(role) if role else None

    def notes_by_block(self) -> dict[str, list[Note]]:
        """Every live note, grouped by block id, in board order: one query."""
        grouped: dict[str, list[Note]] = {block.value: [] for block in Block}
        for note in self.notes.order_by("block", "position"):
            grouped[note.block].append(note)
        return grouped

    @property
    def version(self) -> str:
        """Changes whenever anything on the canvas changes (it is the time of the last change)."""
        return str(int(self.updated_at.timestamp() * 1_000_000))

    def touch(self) -> None:
        self.updated_at = timezone.now()
        Canvas.objects.filter(pk=self.pk).update(updated_at=self.updated_at)

    def lock(self) -> Canvas:
        """Lock this canvas' row until the transaction ends: every change to note
        positions takes this lock first, so concurrent moves are serialised."""
        return Canvas.objects.select_for_update().get(pk=self.pk)

    def add_note(self, *, block: str, text: str, colour: str = Colour.YELLOW) -> Note:
        with transaction.atomic():
            self.lock()
            position = self.notes.filter(block=block).count() + 1
            note = Note.objects.create(
                canvas=self, block=block, text=text, colour=colour, position=position
            )
            self.touch()
        return note

    def remove_member(self, membership: Membership) -> None:
        with transaction.atomic():
            self.lock()
            if membership.role == Role.OWNER and self._owner_count() <= 1:
                raise LastOwnerError
            membership.delete()

    def change_role(self, membership: Membership, role: str) -> None:
        with transaction.atomic():
            self.lock()
            if membership.role == Role.OWNER and role != Role.OWNER and self._owner_count() <= 1:
                raise LastOwnerError
            membership.role = role
            membership.save(update_fields=["role"])

    def _owner_count(self) -> int:
        return self.memberships.filter(role=Role.OWNER).count()


class LastOwnerError(Exception):
    """A canvas must keep at least one owner."""


def _current_language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else "en"


class Membership(models.Model):
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="canvas_memberships"
    )
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


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLinkQuerySet(models.QuerySet):
    def live(self) -> ShareLinkQuerySet:
        """Links that still open their canvas: not revoked and not past their expiry."""
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()), revoked_at__isnull=True
        )


class ShareLink(models.Model):
    """A read-only link to a canvas for people without an account.

    The token is kept as it is, not hashed: the owner copies the link again later, and
    anyone who can read this table can read the canvas itself anyway.
    """

    MAX_DAYS = 365

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["canvas", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.canvas} · {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def create_for(cls, canvas: Canvas, user, *, days: int | None = None) -> ShareLink:
        now = timezone.now()
        expires_at = now + timedelta(days=days) if days else None
        return cls.objects.create(canvas=canvas, created_by=user, created_at=now, expires_at=expires_at)

    def get_absolute_url(self) -> str:
        return reverse("canvas_app:share_board", args=[self.token])

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        """Invitations that can still be accepted: not accepted, not revoked, not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def with_token(self, token: str) -> InvitationQuerySet:
        return self.filter(token_hash=_token_digest(token))

    def sent_recently_by(self, user) -> InvitationQuerySet:
        """What counts towards `user`'s limit: every invitation of the last hour, on any canvas,
        whatever became of it (a revoked one was still emailed)."""
        return self.filter(invited_by=user, created_at__gt=timezone.now() - Invitation.LIMIT_WINDOW)


class InvitationClosedError(Exception):
    """The invitation was accepted, revoked or has expired: it opens nothing any more."""


class Invitation(models.Model):
    """An emailed link that makes whoever follows it, logged in, a member of a canvas.

    Inviting never looks up accounts: the owner learns nothing about who has one. Only a
    hash of the token is kept, so the table alone does not let anyone join a canvas.
    """

    DAYS = 14
    # Each invitation sends an email to an address the owner typed: an account made for the
    # purpose must not turn Lienzo into a mailer. Counted per inviter, across all canvases.
    MAX_PER_HOUR = 20
    LIMIT_WINDOW = timedelta(hours=1)

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"), max_length=254)  # as typed; compared ignoring case
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["canvas", "created_at", "pk"]
        indexes = [models.Index(fields=["invited_by", "created_at"], name="invitation_sent_by_when")]

    def __str__(self) -> str:
        return f"{self.email} · {self.canvas} ({self.get_role_display()})"

    @classmethod
    def create_for(cls, canvas: Canvas, user, *, email: str, role: str = Role.EDITOR) -> tuple[Invitation, str]:
        """The new invitation and its token: the token goes into the emailed link and is
        not kept, so this is the only time it can be read."""
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        invitation = cls.objects.create(
            canvas=canvas,
            email=email,
            role=role,
            token_hash=_token_digest(token),
            invited_by=user,
            created_at=now,
            expires_at=now + timedelta(days=cls.DAYS),
        )
        return invitation, token

    @classmethod
    def wait_before_inviting(cls, user) -> int:
        """Seconds until `user` may send another invitation: 0 when they may now."""
        recent = cls.objects.sent_recently_by(user).order_by("-created_at").values_list("created_at", flat=True)
        oldest_counted = recent[cls.MAX_PER_HOUR - 1 : cls.MAX_PER_HOUR].first()
        if oldest_counted is None:
            return 0
        return max(1, math.ceil((oldest_counted + cls.LIMIT_WINDOW - timezone.now()).total_seconds()))

    def accept(self, user) -> tuple[Membership, bool]:
        """Make `user` a member with the invited role, once: the membership and whether it is
        new. Someone who is a member already keeps the role they have. An invitation that
        is no longer pending raises InvitationClosedError and changes nothing."""
        with transaction.atomic():
            now = timezone.now()
            # Claiming the row with a conditional update: of two clicks, two tabs or two
            # accounts racing for the link, only one finds it still pending.
            claimed = Invitation.objects.pending().filter(pk=self.pk).update(accepted_at=now, accepted_by=user)
            if not claimed:
                raise InvitationClosedError
            membership, joined = Membership.objects.get_or_create(
                canvas_id=self.canvas_id, user=user, defaults={"role": self.role}
            )
        self.accepted_at, self.accepted_by = now, user
        return membership, joined

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class LiveNoteManager(models.Manager):
    """Notes that have not been deleted (deleted ones wait a while for an undo)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


# Positions are rewritten in two steps: first every affected note is pushed far above
# any real position, then each gets its final 1..n value. A row never lands on a position
# another live row still holds, so the unique index stays valid after every row.
_POSITION_SHIFT = 1_000_000


class Note(models.Model):
    TEXT_MAX_LENGTH = 500

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="notes")
    block = models.CharField(_("block"), max_length=32, choices=Block.choices)
    text = models.CharField(_("text"), max_length=TEXT_MAX_LENGTH)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, default=Colour.YELLOW)
    position = models.PositiveIntegerField(_("position"))
    # Every edit raises the version; an edit based on an older one is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    relationship_type = models.CharField(
        _("relationship type"), max_length=24, choices=RelationshipType.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveNoteManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["canvas", "block", "position"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["canvas", "block", "position"],
                condition=Q(deleted_at__isnull=True),
                name="one_live_note_per_position",
            ),
        ]
        indexes = [models.Index(fields=["canvas", "block", "position"], name="note_board_order")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def has_relationship_type(self) -> bool:
        return self.block == Block.CUSTOMER_RELATIONSHIPS

    def edit(
        self, *, text: str, colour: str, relationship_type: str | None = None, based_on: int | None = None
    ) -> bool:
        """Save the edit unless the note changed since version `based_on` (when given):
        then nothing is saved, the note is reloaded and False says there is a conflict."""
        if relationship_type is None or not self.has_relationship_type:
            relationship_type = self.relationship_type
        now = timezone.now()
        notes = Note.objects.filter(pk=self.pk)
        if based_on is not None:
            notes = notes.filter(version=based_on)
        changed = notes.update(
            text=text, colour=colour, relationship_type=relationship_type, updated_at=now, version=F("version") + 1
        )
        self.refresh_from_db(fields=["text", "colour", "relationship_type", "updated_at", "version"])
        if changed:
            self.canvas.touch()
        return bool(changed)

    def move(self, *, block: str, position: int) -> None:
        """Put this note at `position` (1-based, clamped) in `block`, closing the gap it leaves."""
        with transaction.atomic():
            self.canvas.lock()
            current = Note.objects.get(pk=self.pk)  # the truth after waiting for the lock
            source = _live_notes(self.canvas_id, current.block, exclude=self.pk)
            target = source if block == current.block else _live_notes(self.canvas_id, block)
            index = min(max(position, 1), len(target) + 1) - 1
            target.insert(index, current)
            current.block = block
            _renumber(source, target)
            self.block, self.position = current.block, current.position
            self.canvas.touch()

    def move_by(self, offset: int) -> None:
        with transaction.atomic():
            self.canvas.lock()
            self.refresh_from_db(fields=["block", "position"])
            self.move(block=self.block, position=self.position + offset)

    def delete_softly(self) -> None:
        """Take the note off the board, keeping it for an undo."""
        with transaction.atomic():
            self.canvas.lock()
            self.refresh_from_db(fields=["block", "position", "deleted_at"])
            if self.is_deleted:
                return
            self.deleted_at = timezone.now()
            self.save(update_fields=["deleted_at"])
            _renumber(_live_notes(self.canvas_id, self.block))
            self.canvas.touch()
            # Deleted notes older than a day can no longer be undone.
            Note.all_objects.filter(
                canvas_id=self.canvas_id, deleted_at__lt=timezone.now() - timedelta(days=1)
            ).delete()

    def restore(self) -> None:
        """Undo a deletion: the note returns where it was (or to the end if the block shrank)."""
        with transaction.atomic():
            self.canvas.lock()
            self.refresh_from_db(fields=["block", "position", "deleted_at"])
            if not self.is_deleted:
                return
            notes = _live_notes(self.canvas_id, self.block)
            notes.insert(min(max(self.position, 1), len(notes) + 1) - 1, self)
            # Back among the live notes, but parked clear of their positions until renumbered.
            self.deleted_at = None
            self.position = 2 * _POSITION_SHIFT
            self.save(update_fields=["deleted_at", "position"])
            _renumber(notes)
            self.canvas.touch()


def _live_notes(canvas_id: int, block: str, *, exclude: int | None = None) -> list[Note]:
    notes = Note.objects.filter(canvas_id=canvas_id, block=block).order_by("position")
    if exclude is not None:
        notes = notes.exclude(pk=exclude)
    return list(notes.only("pk", "block", "position"))


def _renumber(*blocks: list[Note]) -> None:
    """Give the notes of each list positions 1..n in list order (and their list's block)."""
    notes = [note for block in {id(b): b for b in blocks}.values() for note in block]
    if not notes:
        return
    Note.objects.filter(pk__in=[n.pk for n in notes]).update(position=F("position") + _POSITION_SHIFT)
    for block in {id(b): b for b in blocks}.values():
        for index, note in enumerate(block, start=1):
            note.position = index
    Note.objects.bulk_update(notes, ["block", "position"])
