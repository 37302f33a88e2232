"""What a reader sees of a segment's description, for its page and for the report."""

from __future__ import annotations

from .forms import B2B_FIELDS, B2C_FIELDS, SegmentForm
from .models import CustomerType, Segment


def segment_facts(segment: Segment) -> list[tuple[str, object]]:
    """The fields of the segment's description that are filled in, as (label, value), in the
    form's order, leaving out those of the other customer type."""
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
        facts.append((field.verbose_name, value))
    return facts
