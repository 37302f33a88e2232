"""The form for a canvas' read-only share links.

Kept out of forms.py only while that module is being reworked for the sign-up; it can move
there as it is.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ShareLink

_DAYS_RANGE = _("Choose from 1 to 365 days, or leave the field empty for no expiry.")


class ShareLinkForm(forms.Form):
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=ShareLink.MAX_DAYS,
        help_text=_("Optional. Empty: the link works until you revoke it."),
        error_messages={"min_value": _DAYS_RANGE, "max_value": _DAYS_RANGE, "invalid": _DAYS_RANGE},
    )
