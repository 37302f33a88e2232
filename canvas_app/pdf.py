"""PDF export with WeasyPrint: the canvas as it hangs on the wall, nothing dropped or cut."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from .models import Block, Note, Role
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


MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class PageSize:
    key: str
    label: str
    css: str
    width: float  # mm, landscape
    height: float


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

# Where each block sits on the 10-column grid: (column, row, column span, row span).
GRID = {
    Block.KEY_PARTNERS: (1, 1, 2, 2),
    Block.KEY_ACTIVITIES: (3, 1, 2, 1),
    Block.KEY_RESOURCES: (3, 2, 2, 1),
    Block.VALUE_PROPOSITIONS: (5, 1, 2, 2),
    Block.CUSTOMER_RELATIONSHIPS: (7, 1, 2, 1),
    Block.CHANNELS: (7, 2, 2, 1),
    Block.CUSTOMER_SEGMENTS: (9, 1, 2, 2),
    Block.COST_STRUCTURE: (1, 3, 5, 1),
    Block.REVENUE_STREAMS: (6, 3, 5, 1),
}
FONT_SIZES = [9.0, 8.0, 7.0, 6.5, 6.0]  # pt; 6 pt is the smallest we print
TITLE_SIZE = 8.0
LINE_HEIGHT = 1.25
MARGIN, HEADER, FOOTER = 8.0, 13.0, 6.0  # mm
SAFETY = 3.0  # mm the grid leaves free at the bottom of the page, against rounding
BLOCK_PADDING, NOTE_PADDING, NOTE_GAP = 1.6, 0.9, 1.0  # mm
MARKER_HEIGHT = 2.6  # mm, a row of segment colour markers under a note's text
# Text is estimated wider than it will be: word wrapping wastes the end of lines.
WRAP_SLACK = 1.18


def _char_em(char: str) -> float:
    """A generous width of one character in ems (DejaVu Sans / Noto CJK)."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    return 0.62 if char.isupper() or not char.isascii() else 0.56


def _text_lines(text: str, size_pt: float, width_mm: float) -> int:
    lines = 0
    for paragraph in text.split("\n"):
        width = sum(_char_em(c) for c in paragraph) * size_pt * MM_PER_PT * WRAP_SLACK
        lines += max(1, math.ceil(width / width_mm))
    return lines


@dataclass
class PrintedBlock:
    id: str
    label: str
    style: str
    font_size: float
    notes: list[Note]
    wide: bool = False
    more: list[Note] = field(default_factory=list)  # notes that continue on later pages
    all_notes: list[Note] = field(default_factory=list)

    @property
    def continues(self) -> bool:
        return bool(self.more)

    @property
    def css(self) -> str:
        # Formatted here, not in the template, where numbers are localised ("9,0pt").
        return f"{self.style} font-size: {self.font_size:.2f}pt;"


def _note_height(note: Note, size: float, width: float) -> float:
    text_height = _text_lines(note.text, size, width - 2 * NOTE_PADDING) * size * LINE_HEIGHT * MM_PER_PT
    markers = MARKER_HEIGHT if getattr(note, "markers", None) or note.relationship_type else 0
    return text_height + markers + 2 * NOTE_PADDING


def _height_of(notes: list[Note], size: float, columns: int, note_width: float) -> float:
    heights = [_note_height(n, size, note_width) for n in notes]
    rows = [max(heights[i : i + columns]) for i in range(0, len(heights), columns)]
    return sum(rows) + NOTE_GAP * max(len(rows) - 1, 0)


def plan_blocks(notes_by_block: dict[str, list[Note]], page: PageSize) -> list[PrintedBlock]:
    """Size every block's text to fit its cell; past the smallest size, keep what fits and
    move the rest to continuation pages."""
    grid_width = page.width - 2 * MARGIN
    grid_height = page.height - 2 * MARGIN - HEADER - FOOTER - SAFETY
    column = grid_width / 10
    rows = [grid_height * 0.34, grid_height * 0.34, grid_height * 0.32]
    title_height = TITLE_SIZE * LINE_HEIGHT * MM_PER_PT * 2 + 1.0  # titles may wrap to two lines
    planned = []
    for block in Block:
        col, row, col_span, row_span = GRID[block]
        width, height = column * col_span, sum(rows[row - 1 : row - 1 + row_span])
        inner_width = width - 2 * BLOCK_PADDING
        inner_height = height - 2 * BLOCK_PADDING - title_height
        columns = 3 if col_span >= 5 else 1
        note_width = (inner_width - (columns - 1) * NOTE_GAP) / columns
        notes = notes_by_block.get(block.value, [])
        style = f"grid-column: {col} / span {col_span}; grid-row: {row} / span {row_span};"
        printed = PrintedBlock(
            block.value, str(block.label), style, FONT_SIZES[-1], notes, wide=columns > 1, all_notes=notes
        )
        for size in FONT_SIZES:
            if _height_of(notes, size, columns, note_width) <= inner_height:
                printed.font_size = size
                break
        else:
            # Keep the notes that fit with room for the "continues" line.
            room = inner_height - (FONT_SIZES[-1] * LINE_HEIGHT * MM_PER_PT + NOTE_GAP) * 2
            count = 0
            while count < len(notes) and _height_of(notes[: count + 1], FONT_SIZES[-1], columns, note_width) <= room:
                count += 1
            printed.notes, printed.more = notes[:count], notes[count:]
        planned.append(printed)
    return planned


def grid_style(page: PageSize) -> str:
    grid_height = page.height - 2 * MARGIN - HEADER - FOOTER - SAFETY
    rows = " ".join(f"{grid_height * share:.2f}mm" for share in (0.34, 0.34, 0.32))
    return f"height: {grid_height:.2f}mm; grid-template-rows: {rows};"


ATTRIBUTION = "The Business Model Canvas, Strategyzer AG, CC BY-SA 3.0"


STYLESHEETS = ["css/canvas-print.css", "css/palette.css"]


def canvas_html(canvas, *, page: PageSize, exported_at) -> str:
    """The canvas as HTML for print, in the canvas' language, as anyone may read it."""
    canvas.user_role = Role.VIEWER  # what the decorations of the notes read
    with translation.override(canvas.language):
        grouped = canvas.notes_by_block()
        legend = decorate(canvas, [n for notes in grouped.values() for n in notes], None)
        context = {
            "canvas": canvas,
            "page": page,
            "blocks": plan_blocks(grouped, page),
            "legend": legend,
            "grid_style": grid_style(page),
            "page_margins": f"{MARGIN:.1f}mm {MARGIN:.1f}mm {MARGIN + FOOTER:.1f}mm",
            "attribution": f"{ATTRIBUTION} · Lienzo",
            "exported_at": exported_at,
        }
        return render_to_string("canvas_app/canvas_pdf.html", context)
