"""Mail, sent by the task worker: a request only queues it, so how long it takes (and
whether anything is sent at all) tells nothing about accounts.

The worker writes each email in its recipient's language: the one their account chose when
it has one, else the one the task was given (the language of the page the request came
from, or of the canvas for an invitation)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone, translation

from .forms import PasswordResetForm
from .mail import PlainTextEmail, render_email
from .models import account_language
from .tokens import activation_path, is_pending

EMAIL_QUEUE = "email"


@task(queue_name=EMAIL_QUEUE)
def send_templated_email(*, template: str, to: str, context: dict, language: str) -> None:
    """Write `template` (render_email) for `to` in their language, else in `language`, and
    send it. `context` holds plain values (it went through the queue as JSON)."""
    with translation.override(account_language(to) or language):
        subject, body = render_email(template, context)
    PlainTextEmail(subject=subject, body=body, to=[to]).send()


@task(queue_name=EMAIL_QUEUE)
def send_password_reset(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Django's password reset for every active account with this address (none: no mail),
    each in its account's language, else in the language the request was made in."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    form.language = language
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
    )


@task(queue_name=EMAIL_QUEUE)
def resend_activation(*, email: str, origin: str, next_url: str, language: str) -> None:
    """A new link for each account with this address that waits to be confirmed (none: no
    mail). Its sign-up counts from now, so the account is not forgotten as abandoned while
    the new link still works (services.forget_abandoned_signups)."""
    if "\x00" in email:
        return
    for user in get_user_model().objects.filter(email__iexact=email).order_by("pk"):
        if not is_pending(user):
            continue
        user.date_joined = timezone.now()
        user.save(update_fields=["date_joined"])
        link = origin + activation_path(user, next_url)
        context = {"name": user.get_username(), "link": link, **link_days()}
        send_templated_email.call(
            template="registration/activation", to=user.email, context=context, language=language
        )


def link_days() -> dict:
    return {"days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)}
