"""Signing up without telling anyone which email addresses have an account.

A new account stays inactive until its owner follows the link emailed to its address. When
the address already has an account, that address is told someone tried to sign up with it
instead; either way the person signing up sees the same "check your email" page, and the
username they chose is taken."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from .forms import SignUpForm
from .models import Profile
from .tasks import link_days, send_templated_email
from .tokens import activation_path, is_pending
from .tokens import activation_token as activation_token  # where it was first defined


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
        # Its emails are written in the language it signed up in, until it picks another.
        Profile.set_language(user, interface_language())
        if existing is not None:
            _send(request, "registration/signup_exists", existing, {"pending": is_pending(existing)})
            return
        link = request.build_absolute_uri(activation_path(user, next_url))
        _send(request, "registration/activation", user, {"link": link})


def _send(request: HttpRequest, template: str, user, context: dict) -> None:
    context = {
        "name": user.get_username(),
        "login_link": request.build_absolute_uri(reverse("login")),
        "reset_link": request.build_absolute_uri(reverse("password_reset")),
        **link_days(),
        **context,
    }
    queue_email(template, to=user.email, context=context, language=interface_language())


def queue_email(template: str, *, to: str, context: dict, language: str) -> None:
    """Queue `template` for `to` (tasks.send_templated_email): the worker writes it in the
    language of `to`'s account, else in `language`. `context` holds plain values only."""
    send_templated_email.enqueue(template=template, to=to, context=context, language=language)


def interface_language() -> str:
    """The language of the page being answered, as one of settings.LANGUAGES."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def origin(request: HttpRequest) -> str:
    """Scheme and host of this site, as the request reached it (for links in emails)."""
    return request.build_absolute_uri("/").removesuffix("/")
