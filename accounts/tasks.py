"""Mail, sent by the task worker: a request only queues it, so how long it takes (and
whether anything is sent at all) tells nothing about accounts."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import translation

EMAIL_QUEUE = "email"


@task(queue_name=EMAIL_QUEUE)
def send_email(*, subject: str, body: str, to: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


@task(queue_name=EMAIL_QUEUE)
def send_password_reset(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Django's password reset for every active account with this address (none: no mail),
    in the language the request was made in."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.html",
        )
