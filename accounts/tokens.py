"""The token in the link that confirms a new account, and what a link that no longer works
says about itself."""

from __future__ import annotations

import enum

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class LinkState(enum.StrEnum):
    VALID = "valid"
    USED = "used"  # the account was confirmed (with this link or another one)
    EXPIRED = "expired"  # made for this account, older than PASSWORD_RESET_TIMEOUT
    WRONG = "wrong"  # not a link we made, or its account is gone


def is_pending(user) -> bool:
    """Signed up, never confirmed: inactive and never logged in."""
    return not user.is_active and user.last_login is None


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """A password-reset token with its own salt, that also dies once the account is active.
    It lasts PASSWORD_RESET_TIMEOUT (three days by default)."""

    key_salt = "accounts.services.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def state(self, user, token: str) -> LinkState:
        """Whether a link still confirms `user`, and if not, why not. Once the account is
        confirmed its old tokens cannot be told from made-up ones (their hash covered the
        inactive account), so any well-formed token for it counts as used: all this tells
        about an account is that its link was followed."""
        if user is None:
            return LinkState.WRONG
        if self.check_token(user, token):
            return LinkState.VALID
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return LinkState.WRONG
        if not is_pending(user):
            return LinkState.USED
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                return LinkState.EXPIRED  # genuine, so it failed check_token on its age
        return LinkState.WRONG


activation_token = ActivationTokenGenerator()


def activation_path(user, next_url: str = "") -> str:
    """The path of a new link that confirms `user`, then goes to `next_url` (a page of this
    site, checked again when the link is followed)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "activate",
        kwargs={"uidb64": uidb64, "token": activation_token.make_token(user)},
        query={"next": next_url} if next_url else None,
    )
