"""What a reader sees of a segment's description, for its page and for the report."""

from __future__ import annotations

from canvas_app.money import money, number, percent

from .forms import B2B_FIELDS, B2C_FIELDS, SegmentForm
from .models import CustomerType, Segment

#: Fields holding an amount of money, in the canvas' currency.
MONEY_FIELDS = {"revenue_potential", "cost_to_serve"}
#: Fields holding a count or a percentage.
NUMBER_FIELDS = {"estimated_size", "age_min", "age_max"}
PERCENT_FIELDS = {"growth_rate"}


def segment_facts(segment: Segment, *, currency: str) -> list[tuple[str, object]]:
    """The fields of the segment's description that are filled in, as (label, value), in the
    form's order, leaving out those of the other customer type. Numbers and money are written
    as the current language writes them."""
    facts = []
    hidden = B2B_FIELDS if segment.customer_type == CustomerType.B2C else B2C_FIELDS
    for name in SegmentForm.Meta.fields:
        if name in hidden:
            continue
        field = Segment._meta.get_field(name)
        value = getattr(segment, name)
        if value in (None, ""):
            continue
        if field.choices:
            value = getattr(segment, f"get_{name}_display")()
        elif name in MONEY_FIELDS:
            value = money(value, currency)
        elif name in NUMBER_FIELDS:
            value = number(value)
        elif name in PERCENT_FIELDS:
            value = percent(value)
        facts.append((field.verbose_name, value))
    return facts
