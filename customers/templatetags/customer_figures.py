"""`{{ 0.125|share }}` (12.5% / 12,5 %), `{{ code|reason }}` and `{{ id|group_name }}`."""

from __future__ import annotations

from django import template

from canvas_app.templatetags import numbers

from .. import overview, rfm

register = template.Library()


register.filter("share", numbers.share)


@register.filter
def reason(code: str) -> str:
    return overview.reason(code)


@register.filter
def group_name(group_id: str) -> str:
    return rfm.group_name(group_id)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def cents(value):
    """Rounded to the cent, for `money`."""
    return None if value is None else round(float(value), 2)


@register.filter
def whole(value):
    return None if value is None else round(float(value))


@register.filter
def as_date(value: str):
    """An ISO date kept in JSON, as a date the `date` filter writes in the reader's language."""
    from datetime import date

    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
