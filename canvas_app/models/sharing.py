"""What lets people in: read-only share links and emailed invitations."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .canvas import Canvas, Membership, Role


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
