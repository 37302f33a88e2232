"""`{{ amount|money:canvas.currency }}` and `{{ value|number }}` / `{{ value|number:1 }}`, in
the current language (canvas_app.money)."""

from __future__ import annotations

from django import template

from .. import money as _money

register = template.Library()


@register.filter
def money(value, currency: str) -> str:
    return _money.money(value, currency)


@register.filter
def number(value, decimals=None) -> str:
    return _money.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def share(value, decimals: int = 1) -> str:
    """`{{ 0.125|share }}`: 12.5% in English, 12,5 % in Spanish."""
    if value is None or value == "":
        return ""
    return _money.percent(round(float(value) * 100, int(decimals)))
