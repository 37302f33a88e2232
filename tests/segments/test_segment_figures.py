"""The segment form writes the saved figures out beside its number fields, in the page's
language and the canvas' currency: a number field can only hold bare digits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from segments.forms import SegmentForm
from tests.segments.factories import make_segment

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "size", "revenue", "cost"),
    [
        ("es", "Saved: 1.800.000.", f"Saved: 1.800.000{NBSP}€.", f"Saved: 2.500,50{NBSP}€."),
        ("en", "Saved: 1,800,000.", "Saved: €1,800,000.", "Saved: €2,500.50."),
    ],
)
def test_saved_figures_follow_the_language_and_the_currency(canvas, language, size, revenue, cost):
    canvas.currency = "EUR"
    canvas.save(update_fields=["currency"])
    segment = make_segment(
        canvas, estimated_size=1_800_000, revenue_potential=Decimal("1800000.00"), cost_to_serve=Decimal("2500.50")
    )
    with translation.override(language):
        form = SegmentForm(instance=segment)
        texts = [str(form.fields[name].help_text) for name in ("estimated_size", "revenue_potential", "cost_to_serve")]
    # The figure after the (translated) "Saved:".
    figures = [text.split(": ", 1)[1] for text in texts]
    assert figures == [expected.split(": ", 1)[1] for expected in (size, revenue, cost)]
    assert form.initial["revenue_potential"] == Decimal("1800000") and str(form["revenue_potential"].value()) == "1800000"
    assert str(form["cost_to_serve"].value()) == "2500.50"


def test_an_empty_amount_says_which_currency_to_use(canvas):
    canvas.currency = "USD"
    canvas.save(update_fields=["currency"])
    with translation.override("en"):
        form = SegmentForm(instance=make_segment(canvas))
        assert str(form.fields["revenue_potential"].help_text) == "In US dollar ($)."
        assert form.fields["estimated_size"].help_text == ""
