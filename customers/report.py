"""The customer data report: a PDF of the figures a team reads on the customer data page
(totals, groups, the heat map and the groups' bars drawn by the same partials, what describes
each group, products bought together, the campaigns), in the canvas' language. Figures only:
no customer's row is in it, so every member may take it away; never through a share link."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from canvas_app.models import Canvas
from canvas_app.pdf import render_pdf

from . import charts
from .campaigns import suggestions
from .models import CustomerData, PlannedCampaign
from .overview import COLUMNS, group_rows
from .rfm import grid_from_json

PAGE_SIZES = {"a4": "A4", "letter": "letter"}
STYLESHEETS = ["css/report.css", "css/palette.css"]


def report_html(canvas: Canvas, data: CustomerData, *, size: str | None, today: date) -> str:
    with translation.override(canvas.language or None):
        summary = data.summary
        bars, bars_width, bars_height = charts.group_bars(summary["groups"])
        context = {
            "canvas": canvas,
            "data": data,
            "summary": summary,
            "rows": group_rows(summary),
            "columns": COLUMNS,
            "heat_map": charts.heat_map(summary["cells"], grid_from_json(data.grid)),
            "bars": bars,
            "bars_width": bars_width,
            "bars_height": bars_height,
            "bar_label": charts.BAR_LABEL,
            "suggestions": suggestions(data.playbooks),
            "campaigns": list(PlannedCampaign.objects.filter(canvas=canvas)),
            "page_size": PAGE_SIZES.get((size or "").lower(), "A4"),
            "today": today,
        }
        return render_to_string("customers/report.html", context)


def customer_report(canvas: Canvas, data: CustomerData, *, size: str | None, today: date) -> bytes:
    return render_pdf(report_html(canvas, data, size=size, today=today), stylesheets=STYLESHEETS)


def report_filename(canvas: Canvas, day: date) -> str:
    return f"{slugify(canvas.title) or 'canvas'}-customers-{day.isoformat()}.pdf"


def report_basis(data: CustomerData) -> str:
    """What the report shows besides the canvas: this computation of the data (and the plans)."""
    stamp = data.computed_at.strftime("%Y%m%d%H%M%S%f") if data.computed_at else "0"
    latest = PlannedCampaign.objects.filter(canvas_id=data.canvas_id).order_by("-pk").values_list("pk", flat=True).first()
    return f"data-{data.pk}-{stamp}-{PlannedCampaign.objects.filter(canvas_id=data.canvas_id).count()}-{latest or 0}"
