"""Signing up without telling anyone which email addresses have an account.

A new account stays inactive until its owner follows the link emailed to its address. When
the address already has an account, that address is told someone tried to sign up with it
instead; either way the person signing up sees the same "check your email" page, and the
username they chose is taken."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .forms import SignUpForm
from .tasks import send_email


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """A password-reset token with its own salt, that also dies once the account is active.
    It lasts PASSWORD_RESET_TIMEOUT (three days by default)."""

    key_salt = "accounts.services.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token = ActivationTokenGenerator()


def is_pending(user) -> bool:
    """Signed up, never confirmed: inactive and never logged in."""
    return not user.is_active and user.last_login is None


def forget_abandoned_signups(*, username: str, email: str) -> None:
    """Delete the unconfirmed accounts whose link has expired that hold this username or
    email, so that an abandoned sign-up does not keep either for ever."""
    condition = Q()
    # A NUL byte is no username or address (the form says so); PostgreSQL refuses it in a query.
    if username and "\x00" not in username:
        condition |= Q(username__iexact=username)
    if email and "\x00" not in email:
        condition |= Q(email__iexact=email)
    if not condition:
        return
    expired = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    get_user_model().objects.filter(
        condition, is_active=False, last_login__isnull=True, date_joined__lt=expired
    ).delete()


def sign_up(*, request: HttpRequest, form: SignUpForm, next_url: str = "") -> None:
    """Make the account, or tell the address's owner about the attempt. The link to confirm
    a new account carries `next_url` (a page of this site), where it goes once confirmed."""
    email = form.cleaned_data["email"]
    existing = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
    with transaction.atomic():  # no account without its email
        # Either way the username is taken, as by any sign-up waiting for confirmation:
        # were it free again, signing up with it a second time would tell that no account
        # was made, so that the address has one. (Saving also hashes the password, so both
        # ways take as long.)
        user = form.save(commit=False)
        user.is_active = False
        if existing is not None:
            # A placeholder that can never be used: no address, so no link to confirm it.
            # Like an abandoned sign-up, it gives its username back once that link would
            # have expired (forget_abandoned_signups).
            user.email = ""
            user.save()
            _send(request, "registration/signup_exists", existing, {"pending": is_pending(existing)})
            return
        user.save()
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = reverse(
            "activate",
            kwargs={"uidb64": uid, "token": activation_token.make_token(user)},
            query={"next": next_url} if next_url else None,
        )
        _send(request, "registration/activation", user, {"link": request.build_absolute_uri(link)})


def _send(request: HttpRequest, template: str, user, context: dict) -> None:
    context = {
        "user": user,
        "login_link": request.build_absolute_uri(reverse("login")),
        "reset_link": request.build_absolute_uri(reverse("password_reset")),
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        **context,
    }
    send_templated_email(request, template, to=user.email, context=context)


def send_templated_email(request: HttpRequest, template: str, *, to: str, context: dict) -> None:
    """Queue `{template}_subject.txt` (on one line) and `{template}_email.txt` for `to`: the
    task worker sends it (tasks.send_email)."""
    subject = "".join(render_to_string(f"{template}_subject.txt", context, request).splitlines())
    body = render_to_string(f"{template}_email.txt", context, request)
    send_email.enqueue(subject=subject, body=body, to=to)
