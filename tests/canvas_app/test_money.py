"""Numbers and money as each language writes them: Spanish 1.800.000 € and 4,1; English
€1,800,000 and 4.1. A canvas counts in a currency of its own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from canvas_app.money import money, number, percent
from tests.segments.factories import make_segment

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", ["1.800.000" + NBSP + "€", "1.800.000,50" + NBSP + "€", "4,1", "12.500", "5,5" + NBSP + "%", "$1"]),
        ("en", ["€1,800,000", "€1,800,000.50", "4.1", "12,500", "5.5%", "$1"]),
    ],
)
def test_each_language_writes_them_its_way(language, expected):
    with translation.override(language):
        written = [
            money(Decimal("1800000.00"), "EUR"),
            money(Decimal("1800000.5"), "EUR"),
            number(Decimal("4.1")),
            number(12500),
            percent(Decimal("5.5")),
            money(1, "USD"),
        ]
    assert written[:5] == expected[:5]
    assert written[5] in ("1" + NBSP + "$", "$1")


def test_the_segment_page_writes_its_numbers_in_the_readers_language(client, viewer, canvas):
    segment = make_segment(
        canvas, "Cafeterías", estimated_size=25000, revenue_potential=Decimal("1800000.00"), growth_rate=Decimal("8.0")
    )
    client.force_login(viewer)
    url = reverse("segments:detail", args=[canvas.pk, segment.pk])
    spanish = client.get(url, headers={"accept-language": "es"}).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "1.800.000" + NBSP + "€" in spanish and "25.000" in spanish and "8" + NBSP + "%" in spanish
    assert "€1,800,000" in english and "25,000" in english and "8%" in english
    assert "1800000.00" not in spanish + english


def test_the_canvas_currency_is_the_one_the_amounts_carry(client, viewer, canvas):
    canvas.currency = "GBP"
    canvas.save(update_fields=["currency"])
    segment = make_segment(canvas, "Oficinas", revenue_potential=Decimal("2500"))
    client.force_login(viewer)  # readers get the facts; editors the form
    page = client.get(reverse("segments:detail", args=[canvas.pk, segment.pk]), headers={"accept-language": "en"})
    assert "£2,500" in page.content.decode()
