"""Amounts of money and plain numbers, written the way the current language writes them:
Spanish 1.800.000 € and 4,1; English €1,800,000 and 4.1."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    EUR = "EUR", _("Euro (€)")
    USD = "USD", _("US dollar ($)")
    GBP = "GBP", _("Pound sterling (£)")
    MXN = "MXN", _("Mexican peso (MX$)")


SYMBOLS = {Currency.EUR: "€", Currency.USD: "$", Currency.GBP: "£", Currency.MXN: "MX$"}
#: Where the symbol goes, per language: after the amount (with a non-breaking space) or before.
SYMBOL_AFTER = {"es": True, "en": False}


def default_currency(language: str) -> str:
    """What a new canvas counts in until its owner says otherwise."""
    return Currency.EUR if language == "es" else Currency.USD


def number(value, decimals: int | None = None) -> str:
    """`value` grouped by thousands, with `decimals` places (None: as many as it has, none
    for a whole number)."""
    if value is None or value == "":
        return ""
    if decimals is None:
        decimals = 0 if Decimal(str(value)) == Decimal(int(value)) else None
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value, currency: str) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    text = number(amount, 0 if amount == amount.to_integral_value() else 2)
    symbol = SYMBOLS.get(currency, currency)
    language = (get_language() or "en").split("-")[0]
    return f"{text}\u00a0{symbol}" if SYMBOL_AFTER.get(language, False) else f"{symbol}{text}"


def percent(value) -> str:
    """Spanish puts a (non-breaking) space before the sign; English does not."""
    if value is None or value == "":
        return ""
    language = (get_language() or "en").split("-")[0]
    return f"{number(value)}\u00a0%" if SYMBOL_AFTER.get(language, False) else f"{number(value)}%"
