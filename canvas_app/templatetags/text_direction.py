"""`dir` for user text in documents WeasyPrint renders: it ignores `dir="auto"`, so the
direction is resolved here the way a browser resolves it (the first strong character)."""

from __future__ import annotations

import unicodedata

from django import template

register = template.Library()

_RIGHT_TO_LEFT = {"R", "AL"}


@register.filter
def direction(text: object) -> str:
    """"rtl" when the first strongly directional character is Arabic, Hebrew or another
    right-to-left script, else "ltr" (also for text with no strong character)."""
    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind in _RIGHT_TO_LEFT:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
