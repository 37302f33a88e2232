"""Failed log-ins and requests for account emails, kept while they count against their
throttles.

They live in the database, not in a per-process cache: every gunicorn worker (and every
server) sees the same counts, and a restart does not forgive them."""

from __future__ import annotations

import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Failures that count: those of the last WINDOW.
WINDOW = timedelta(minutes=15)
#: At most this many failures per username from one client address in any WINDOW (whether or
#: not the account exists): someone guessing elsewhere does not lock the owner out at home...
PAIR_LIMIT = 5
#: ... per username from all addresses together, against guessing spread over many addresses...
USERNAME_LIMIT = 50
#: ... and per client address, against one address trying many usernames.
ADDRESS_LIMIT = 20
USERNAME_MAX_LENGTH = 150


def normalise_username(username: str) -> str:
    # Case does not make another guess at the same account.
    return username.strip().casefold()[:USERNAME_MAX_LENGTH]


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry the nearest of settings.NUM_PROXIES
    trusted proxies appended to X-Forwarded-For (entries further left are the client's own
    say). An IPv6 client counts as its /64, which one customer usually holds whole."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _count(row: models.Model, *, window: timedelta, limits: dict[tuple[str, ...], int]) -> int:
    """Save `row` (a request with an `at`) and say how many seconds it must wait (0: none):
    for each group of fields in `limits`, at most that many rows with the same values in any
    `window`.
    A row that must wait is deleted again, so trying while refused does not prolong the wait:
    it ends once the oldest of the rows that reached a limit is older than `window`.

    Counting first means concurrent requests see each other: checking first and recording
    after would let a burst of parallel requests through. (This relies on each query
    committing at once: no ATOMIC_REQUESTS.)"""
    model = type(row)
    now = timezone.now()
    model.objects.filter(at__lte=now - window).delete()  # they no longer count
    row.at = now
    row.save()
    others = model.objects.filter(at__gt=now - window).exclude(pk=row.pk).order_by("-at")
    seconds = 0.0
    for fields, limit in limits.items():
        values = {field: getattr(row, field) for field in fields}
        if None in values.values():
            continue
        times = list(others.filter(**values).values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            seconds = max(seconds, (times[-1] + window - now).total_seconds())
    if seconds:
        row.delete()
    return math.ceil(seconds)


class FailedLogin(models.Model):
    username = models.CharField(_("username tried"), max_length=USERNAME_MAX_LENGTH)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("failed log-in")
        verbose_name_plural = _("failed log-ins")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username", "at"], name="failed_login_username"),
            models.Index(fields=["address", "at"], name="failed_login_address"),
            models.Index(fields=["at"], name="failed_login_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.address or '?'} · {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def start(cls, *, username: str, address: str | None) -> tuple[FailedLogin, int]:
        """Count a log-in attempt as failed from its start (before the password check, so
        parallel guesses see each other), and say how many seconds it must wait (_count)."""
        attempt = cls(username=normalise_username(username), address=address)
        limits = {("username", "address"): PAIR_LIMIT, ("username",): USERNAME_LIMIT, ("address",): ADDRESS_LIMIT}
        return attempt, _count(attempt, window=WINDOW, limits=limits)

    def succeeded(self) -> None:
        """The password was right: neither this attempt nor the username's earlier typos
        count any more. Their addresses keep them (the username is blanked, the row kept),
        or logging in to one's own account would reset an address's count."""
        self.delete()
        FailedLogin.objects.filter(username=self.username).update(username="")


#: Requests for account emails that count: those of the last EMAIL_WINDOW.
EMAIL_WINDOW = timedelta(hours=1)
#: At most this many emails to one address in any EMAIL_WINDOW, sign-ups and password resets
#: together: enough for a typo and a retry, too few to bury a victim's inbox...
EMAIL_RECIPIENT_LIMIT = 3
#: ... and this many asked for from one client address, against one client mailing many
#: addresses (and burning the sender's reputation).
EMAIL_ADDRESS_LIMIT = 10
EMAIL_MAX_LENGTH = 254


def normalise_email(email: str) -> str:
    # Case and spaces do not make another inbox.
    return email.strip().casefold()[:EMAIL_MAX_LENGTH]


class EmailRequest(models.Model):
    """A request that may email an address: a sign-up or a password reset. It counts
    whether or not an email goes out (a reset for an address without an account sends
    none): were it otherwise, the moment the limit is reached would tell which addresses have
    an account."""

    class Kind(models.TextChoices):
        SIGNUP = "signup", _("sign-up")
        PASSWORD_RESET = "password_reset", _("password reset")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.CharField(_("recipient"), max_length=EMAIL_MAX_LENGTH)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("email request")
        verbose_name_plural = _("email requests")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["recipient", "at"], name="email_request_recipient"),
            models.Index(fields=["address", "at"], name="email_request_address"),
            models.Index(fields=["at"], name="email_request_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.recipient} · {self.address or '?'} · {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def start(cls, *, kind: str, recipient: str, address: str | None) -> int:
        """Count a request to email `recipient` before anything is sent, and say how many
        seconds it must wait (_count; 0: send)."""
        request = cls(kind=kind, recipient=normalise_email(recipient), address=address)
        limits = {("recipient",): EMAIL_RECIPIENT_LIMIT, ("address",): EMAIL_ADDRESS_LIMIT}
        return _count(request, window=EMAIL_WINDOW, limits=limits)


class Profile(models.Model):
    """What an account keeps beside Django's user: the language it is written to in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    #: One of settings.LANGUAGES; "" until the person signs up or picks a language logged in.
    language = models.CharField(_("language"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.language or '-'}"

    @classmethod
    def set_language(cls, user, language: str) -> None:
        if language in dict(settings.LANGUAGES):
            cls.objects.update_or_create(user=user, defaults={"language": language})


def user_language(user) -> str:
    """The language `user` chose ("" when none)."""
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""


def account_language(email: str) -> str:
    """The language the account with this address chose ("" when none did, or no account
    has the address). An address with an active account and a pending one: the active one."""
    if not email or "\x00" in email:
        return ""
    languages = (
        Profile.objects.filter(user__email__iexact=email)
        .exclude(language="")
        .order_by("-user__is_active", "user__pk")
        .values_list("language", flat=True)
    )
    return languages.first() or ""
