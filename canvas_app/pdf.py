"""PDF export with WeasyPrint: the canvas as it hangs on the wall, nothing dropped or cut."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy, ngettext

from .models import Role, validated_share
from .print_layout import FOOTER, MARGIN, PageSize, plan_page
from .render import html_to_pdf_bounded
from .signals import decorate


def static_path(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return found


def render_pdf(html: str, *, stylesheets: list[str]) -> bytes:
    """Render `html` with the given static stylesheets (paths under static/), in a process of
    its own bounded by PDF_RENDER_SECONDS and PDF_RENDER_MEMORY_MB (canvas_app.render)."""
    return html_to_pdf_bounded(
        html,
        stylesheets=[static_path(path) for path in stylesheets],
        base_url=str(finders.find("css") or "."),
        seconds=settings.PDF_RENDER_SECONDS,
        memory=settings.PDF_RENDER_MEMORY_MB * 2**20,
    )


# The canvas ------------------------------------------------------------------------------


PAGE_SIZES = {
    "a3": PageSize("a3", "A3", "A3 landscape", 420, 297),
    "a4": PageSize("a4", "A4", "A4 landscape", 297, 210),
    "letter": PageSize("letter", "Letter", "letter landscape", 279.4, 215.9),
}
DEFAULT_PAGE_SIZE = "a3"
#: What the paper choice offers, the default first.
PAGE_SIZE_CHOICES = [
    ("a3", gettext_lazy("A3 landscape")),
    ("a4", gettext_lazy("A4 landscape")),
    ("letter", gettext_lazy("Letter landscape")),
]

ATTRIBUTION = "The Business Model Canvas, Strategyzer AG, CC BY-SA 3.0"


STYLESHEETS = ["css/canvas-print.css", "css/palette.css"]


#: The legend shows this many segments, then says how many more there are.
LEGEND_ENTRIES = 24


def legend_entries(labels: list[str]) -> list[str]:
    """The legend's entries as canvas_pdf.html prints them, for measuring."""
    entries = [Truncator(label).chars(32) for label in labels[:LEGEND_ENTRIES]]
    more = len(labels) - LEGEND_ENTRIES
    if more > 0:
        more_text = ngettext("and %(counter)s more segment", "and %(counter)s more segments", more)
        entries.append(more_text % {"counter": more})
    return entries


def canvas_html(canvas, *, page: PageSize, exported_at) -> str:
    """The canvas as HTML for print, in the canvas' language, as anyone may read it."""
    canvas.user_role = Role.VIEWER  # what the decorations of the notes read
    with translation.override(canvas.language):
        grouped = canvas.notes_by_block()
        legend = decorate(canvas, [n for notes in grouped.values() for n in notes], None)
        layout = plan_page(grouped, legend_entries([item.label for item in legend]), page)
        context = {
            "canvas": canvas,
            "page": page,
            "layout": layout,
            "blocks": layout.blocks,
            "legend": legend,
            "page_margins": f"{MARGIN:.1f}mm {MARGIN:.1f}mm {MARGIN + FOOTER:.1f}mm",
            "attribution": f"{ATTRIBUTION} · Lienzo",
            "exported_at": exported_at,
            "evidence_share": validated_share([n for notes in grouped.values() for n in notes]),
        }
        return render_to_string("canvas_app/canvas_pdf.html", context)
