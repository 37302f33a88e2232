"""How the canvas fills its sheet: one note size for the whole page, the largest at which the
fullest block still holds its notes, so that a sparse canvas prints as a poster and a full one
stays readable; a block continues on an extra page only when even the smallest size we print
cannot hold it. The bottom row may give the top rows some of its height when they are the
fuller (ROW_SHARES).

Every length here mirrors static/css/canvas-print.css (which states the note's proportions
in ems of the note size); text is measured with the print font's own widths
(canvas_app.text_metrics)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .models import Block, Evidence, Note
from .text_metrics import line_count, text_height, text_width

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class PageSize:
    key: str
    label: str
    css: str
    width: float  # mm, landscape
    height: float


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
#: The rows' shares of the board's height, the classic first: the bottom row may give up some
#: of its height when the top rows are the fuller.
ROW_SHARES = [(0.34, 0.34, 0.32), (0.36, 0.36, 0.28), (0.38, 0.38, 0.24)]
#: The bottom blocks are five columns wide: their notes stand in three columns.
WIDE_COLUMNS = 3

MIN_NOTE_SIZE = 6.0  # pt: the smallest size we print; a block that is full at it continues
#: pt on A4, larger on larger sheets: past it a canvas with few notes would stop looking
#: like sticky notes on a wall.
MAX_NOTE_SIZE = 14.0
NOTE_STEP = 0.25  # pt

# Millimetres, whatever the sheet.
MARGIN, FOOTER = 8.0, 6.0  # the page margins; the footer's strip inside the bottom one
SAFETY = 2.0  # what the grid leaves free at the bottom of the page, against rounding
FRAME, BLOCK_BORDER = 0.5, 0.2
BLOCK_SAFETY = 0.5  # left free at the bottom of each block

# Ems of the note size, as in canvas-print.css.
LINE_HEIGHT = 1.25
NOTE_PADDING, NOTE_GAP = 0.3, 0.35
# The CSS sets the line of markers 1.3 high; a marker (vertical-align: middle) may push it.
META_SIZE, META_LINE, META_GAP = 0.75, 1.4, 0.2
#: A segment marker (with its letter) and the space after it, in ems of the marker's text.
MARKER_EMS = 1.9
#: Widths come from the font, but a fallback font (CJK, emoji) or rounding may add a little.
WRAP_SLACK = 1.01

# Ems of their own sizes.
HEADING_LINE, TITLE_LINE, TITLE_GAP, LEGEND_LINE = 1.3, 1.2, 0.4, 1.45
TITLE_SPACING = 0.03  # letter spacing of the upper-case block titles
#: The "N more notes: the whole block is on page N" line, at the smallest size: three lines.
CONTINUES_LINES = 3


@dataclass(frozen=True)
class Typography:
    """Sizes in points and lengths in mm of one sheet: those of A4 times `factor`, the
    sheet's height against A4's."""

    factor: float

    @property
    def heading(self) -> float:
        return 15.0 * self.factor

    @property
    def meta(self) -> float:
        return 8.0 * self.factor

    @property
    def legend(self) -> float:
        return 7.5 * self.factor

    @property
    def title(self) -> float:
        return 8.0 * self.factor

    @property
    def continuation(self) -> float:
        return 8.0 * self.factor

    @property
    def max_note(self) -> float:
        return MAX_NOTE_SIZE * self.factor

    @property
    def padding(self) -> float:  # mm inside a block
        return 1.6 * self.factor

    @property
    def gap(self) -> float:  # mm between the header's rows and above the board
        return 1.6 * self.factor

    @property
    def legend_gap(self) -> float:  # mm between two entries of the legend
        return 3.0 * self.factor


def typography(page: PageSize) -> Typography:
    return Typography(page.height / 210)


@dataclass
class PrintedBlock:
    id: str
    label: str
    style: str
    notes: list[Note]
    wide: bool = False
    more: list[Note] = field(default_factory=list)  # notes that continue on later pages
    all_notes: list[Note] = field(default_factory=list)

    @property
    def continues(self) -> bool:
        return bool(self.more)

    @property
    def css(self) -> str:
        return self.style


@dataclass(frozen=True)
class Cell:
    """Where a block's notes go: the inner width and the height under the title, in mm."""

    width: float
    height: float
    columns: int


def _pt(value: float) -> str:
    # Formatted here, not in the template, where numbers are localised ("9,0pt").
    return f"{value:.2f}pt"


@dataclass(frozen=True)
class PrintLayout:
    type: Typography
    note_size: float  # pt, every note on the page
    header_height: float  # mm
    legend_height: float  # mm, 0 without a legend
    grid_height: float  # mm
    blocks: list[PrintedBlock]
    shares: tuple[float, float, float] = ROW_SHARES[0]

    @property
    def rows(self) -> list[float]:
        inner = self.grid_height - 2 * FRAME
        return [inner * share for share in self.shares]

    @property
    def css(self) -> str:
        """The sheet's sizes, for the template's <style>."""
        t = self.type
        rows = " ".join(f"{row:.2f}mm" for row in self.rows)
        return "\n".join(
            [
                f".pdf-header {{ height: {self.header_height:.2f}mm; }}",
                f".pdf-header h1 {{ font-size: {_pt(t.heading)}; }}",
                f".pdf-header__meta {{ font-size: {_pt(t.meta)}; margin-inline-start: {t.legend_gap:.2f}mm; }}",
                f".legend {{ font-size: {_pt(t.legend)}; height: {self.legend_height:.2f}mm;"
                f" margin-top: {t.gap:.2f}mm; }}",
                f".legend li {{ margin-inline-end: {t.legend_gap:.2f}mm; }}",
                f".board {{ height: {self.grid_height:.2f}mm; grid-template-rows: {rows};"
                f" font-size: {_pt(self.note_size)}; }}",
                f".block {{ padding: {t.padding:.2f}mm; }}",
                f".block h2 {{ font-size: {_pt(t.title)}; }}",
                f".continues {{ font-size: {_pt(MIN_NOTE_SIZE)}; }}",
                f".continuation {{ font-size: {_pt(t.continuation)}; }}",
            ]
        )


def _legend_rows(labels: list[str], t: Typography, width: float) -> int:
    """How many lines the legend's entries take when they wrap as words do."""
    em = t.legend * MM_PER_PT
    rows, used = 0, 0.0
    for label in labels:
        entry = (text_width(label) * WRAP_SLACK + MARKER_EMS) * em
        if rows and used + entry <= width:
            used += entry + t.legend_gap
        else:
            rows, used = rows + 1, entry + t.legend_gap
    return rows


def _meta_text(note: Note) -> str | None:
    """A stand-in of the line of markers, relationship type and evidence under a note's text."""
    markers = getattr(note, "markers", None) or []
    status = note.get_status_display() if note.status != Evidence.IDEA else ""
    if not markers and not note.relationship_type and not status:
        return None
    # "MM" is about as wide as a marker with its letter and the space after it.
    type_label = note.get_relationship_type_display() if note.relationship_type else ""
    return " ".join(part for part in ("MM " * len(markers), type_label, status) if part.strip()).strip()


def note_height(note: Note, size: float, width: float) -> float:
    """The note's height in mm at `size` points in a column `width` mm wide."""
    em = size * MM_PER_PT
    line = (width / em - 2 * NOTE_PADDING) / WRAP_SLACK
    height = text_height(note.text, line, line_height=LINE_HEIGHT) + 2 * NOTE_PADDING
    meta = _meta_text(note)
    if meta is not None:
        height += META_GAP + text_height(meta, line / META_SIZE, line_height=META_LINE) * META_SIZE
    return height * em


def notes_height(notes: list[Note], size: float, cell: Cell) -> float:
    gap = NOTE_GAP * size * MM_PER_PT
    note_width = (cell.width - (cell.columns - 1) * gap) / cell.columns
    heights = [note_height(note, size, note_width) for note in notes]
    rows = [max(heights[i : i + cell.columns]) for i in range(0, len(heights), cell.columns)]
    return sum(rows) + gap * max(len(rows) - 1, 0)


def largest_size(notes: list[Note], cell: Cell, *, low: float, high: float) -> float | None:
    """The largest size from `low` to `high`, in steps of NOTE_STEP, at which the notes fit
    the cell; None when they do not fit even at `low`."""

    def fits(step: int) -> bool:
        return notes_height(notes, low + step * NOTE_STEP, cell) <= cell.height

    top = int(round((high - low) / NOTE_STEP))
    if fits(top):
        return low + top * NOTE_STEP
    if not fits(0):
        return None
    fitting, failing = 0, top
    while failing - fitting > 1:
        middle = (fitting + failing) // 2
        fitting, failing = (middle, failing) if fits(middle) else (fitting, middle)
    return low + fitting * NOTE_STEP


def _cells(blocks: dict[Block, str], t: Typography, grid_width: float, rows: list[float]) -> dict[Block, Cell]:
    column = (grid_width - 2 * FRAME) / 10
    title_em = t.title * MM_PER_PT
    cells = {}
    for block, label in blocks.items():
        col, row, col_span, row_span = GRID[block]
        width = column * col_span - 2 * (t.padding + BLOCK_BORDER)
        height = sum(rows[row - 1 : row - 1 + row_span]) - 2 * (t.padding + BLOCK_BORDER)
        # Titles are set as measured: no fallback fonts, no slack needed.
        title_lines = line_count(label.upper(), width / title_em, bold=True, letter_spacing=TITLE_SPACING)
        title = (title_lines * TITLE_LINE + TITLE_GAP) * title_em
        cells[block] = Cell(width, height - title - BLOCK_SAFETY, WIDE_COLUMNS if col_span >= 5 else 1)
    return cells


def plan_page(notes_by_block: dict[str, list[Note]], legend: list[str], page: PageSize) -> PrintLayout:
    """The sheet's layout for these notes and these legend entries (as printed): of the row
    proportions allowed, the one that lets the notes print largest."""
    t = typography(page)
    grid_width = page.width - 2 * MARGIN
    legend_height = _legend_rows(legend, t, grid_width) * LEGEND_LINE * t.legend * MM_PER_PT
    header_height = HEADING_LINE * t.heading * MM_PER_PT + (legend_height + t.gap if legend else 0) + t.gap
    grid_height = page.height - 2 * MARGIN - FOOTER - header_height - SAFETY
    labels = {block: str(block.label) for block in Block}

    best: tuple[float, PrintLayout, dict[Block, Cell]] | None = None
    for shares in ROW_SHARES:
        layout = PrintLayout(t, t.max_note, header_height, legend_height, grid_height, [], shares)
        cells = _cells(labels, t, grid_width, layout.rows)
        sizes = [
            largest_size(notes_by_block.get(block.value, []), cells[block], low=MIN_NOTE_SIZE, high=t.max_note)
            for block in Block
        ]
        fit = -1.0 if None in sizes else min(sizes)  # -1: some block continues even at the smallest size
        if best is None or fit > best[0]:
            best = (fit, layout, cells)
    fit, layout, cells = best
    note_size = max(fit, MIN_NOTE_SIZE)

    planned = []
    for block in Block:
        col, row, col_span, row_span = GRID[block]
        cell, notes = cells[block], notes_by_block.get(block.value, [])
        style = f"grid-column: {col} / span {col_span}; grid-row: {row} / span {row_span};"
        printed = PrintedBlock(block.value, labels[block], style, notes, wide=cell.columns > 1, all_notes=notes)
        if notes_height(notes, note_size, cell) > cell.height:
            printed.notes, printed.more = _what_fits(notes, note_size, cell)
        planned.append(printed)
    return replace(layout, note_size=note_size, blocks=planned)


def _what_fits(notes: list[Note], size: float, cell: Cell) -> tuple[list[Note], list[Note]]:
    """The first notes that fit with room for the "continues" line, and the rest."""
    continues = CONTINUES_LINES * LINE_HEIGHT * MIN_NOTE_SIZE * MM_PER_PT + NOTE_GAP * size * MM_PER_PT
    room = Cell(cell.width, cell.height - continues, cell.columns)
    fitting, failing = 0, len(notes)  # how many fit: at least `fitting`, fewer than `failing`
    while failing - fitting > 1:
        middle = (fitting + failing) // 2
        fits = notes_height(notes[:middle], size, room) <= room.height
        fitting, failing = (middle, failing) if fits else (fitting, middle)
    return notes[:fitting], notes[fitting:]
