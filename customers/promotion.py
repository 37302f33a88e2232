"""Promoting a group of customers to the canvas: one action makes it a Customer Segments
note whose segment is value-based, sized by the group's customers and worth its last twelve
months of revenue, linked to the data so that each new import updates its figures."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from canvas_app.models import Block, Canvas
from segments.models import Basis, Segment

from .models import CustomerData, PlannedCampaign, PromotedGroup
from .overview import COLUMNS
from .rfm import BY_ID

#: What the segment page shows of the group, in this order.
PROFILE = ("customers", "customer_share", "revenue_12m", "recency", "frequency", "monetary", "churn_rate", "p_alive", "clv")


def promote(canvas: Canvas, data: CustomerData, groups: list[str], *, by) -> list[Segment]:
    """A segment for each group not on the canvas yet (CanvasFullError when it holds no more)."""
    taken = set(PromotedGroup.objects.filter(canvas=canvas).values_list("group", flat=True))
    segments = []
    with transaction.atomic():
        for group_id in groups:
            figures = data.summary.get("groups", {}).get(group_id)
            if group_id in taken or figures is None:
                continue
            with translation.override(canvas.language or None):
                name = str(BY_ID[group_id].name)
                description = _("Customers of the %(group)s group in the team's customer data (RFM).") % {"group": name}
            note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text=name, by=by)
            segment = Segment.objects.get(note=note)
            segment.basis = Basis.VALUE
            segment.estimated_size = figures["customers"]
            if figures.get("revenue_12m") is not None:  # unknown from per-customer summaries
                segment.revenue_potential = Decimal(str(round(max(figures["revenue_12m"], 0), 2)))
            segment.description = description
            segment.save_if_unchanged(fields=["basis", "estimated_size", "revenue_potential", "description"], by=by)
            PromotedGroup(canvas=canvas, segment=segment, group=group_id, figures=figures, as_of=data.summary.get("as_of")).add(by=by)
            segments.append(segment)
    return segments


def update_figures(canvas_id: int, summary: dict | None) -> None:
    """After an import or a new computation (or with None, once the data is deleted): each
    promoted group's new figures, the old ones kept beside them."""
    for promoted in PromotedGroup.objects.filter(canvas_id=canvas_id):
        promoted.previous, promoted.previous_as_of = promoted.figures or None, promoted.as_of
        promoted.figures = (summary or {}).get("groups", {}).get(promoted.group) or {}
        promoted.as_of = (summary or {}).get("as_of")
        promoted.save(update_fields=["previous", "previous_as_of", "figures", "as_of"])


def segment_panel(sender, *, canvas: Canvas, segment: Segment, **kwargs) -> str:
    """The group's R/F/M profile, churn and value on its segment's page, marked as from data."""
    from django.template.loader import render_to_string

    promoted = PromotedGroup.objects.filter(segment=segment).first()
    if promoted is None:
        return ""
    labels = {**dict(COLUMNS), "revenue_12m": _("Revenue, last 12 months")}
    rows = [(key, labels[key], promoted.figures.get(key), (promoted.previous or {}).get(key)) for key in PROFILE]
    campaigns = list(PlannedCampaign.objects.filter(canvas=canvas, group=promoted.group))
    context = {"canvas": canvas, "promoted": promoted, "group": BY_ID.get(promoted.group), "rows": rows, "campaigns": campaigns}
    return render_to_string("customers/segment_panel.html", context)
