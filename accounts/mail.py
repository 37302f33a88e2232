"""How Lienzo's emails are written and encoded."""

from __future__ import annotations

import email.policy

from django.core.mail import EmailMessage
from django.template.loader import render_to_string

#: SMTP's limit for a line; a longer one needs a transfer encoding that wraps it.
MAX_LINE_BYTES = 998


class PlainTextEmail(EmailMessage):
    """A text email sent as written (8bit, UTF-8). The standard choice, quoted-printable,
    cuts lines at 76 characters with a "=" and writes "=" as "=3D": a link read from the raw
    message (`make run` prints mail to the console) would not work when copied. Mail servers
    have taken 8bit text (8BITMIME) for decades; a line over SMTP's limit keeps the default."""

    def message(self, *, policy=email.policy.default):
        message = super().message(policy=policy)
        lines = (self.body or "").splitlines()
        if not message.is_multipart() and all(len(line.encode()) <= MAX_LINE_BYTES for line in lines):
            message.set_content(self.body or "", subtype=self.content_subtype, charset="utf-8", cte="8bit")
        return message


def render_email(template: str, context: dict) -> tuple[str, str]:
    """The subject (on one line) and body of an email, in the active language: `template` +
    "_subject.txt" and + "_email.txt"."""
    subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
    return subject, render_to_string(f"{template}_email.txt", context)
