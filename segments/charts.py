"""Pure geometry of the prioritisation matrix: attractiveness of each segment (y) against our
ability to serve it (x), both on the 1-5 scale of the scores; the area of each bubble is
proportional to the segment's estimated size. The SVG itself is a template partial
("prioritisation/ranking.html#matrix"), so the screen and the PDF draw the same chart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from math import sqrt
from pathlib import Path

PALETTE = Path(__file__).resolve().parents[1] / "static" / "css" / "palette.css"
SCALE_MIN, SCALE_MAX = 1, 5
#: The axes run half a point beyond the scale, so a bubble at 1 or 5 stays inside the chart.
AXIS_PADDING = 0.5

def palette_marks(path: Path = PALETTE) -> dict[str, str]:
    """The segment marks of static/css/palette.css ({colour: "#rrggbb"}), where the board's
    and the PDFs' colours are defined."""
    return dict(re.findall(r"--mark-([a-z]+):\s*(#[0-9a-fA-F]{6})\s*;", path.read_text(encoding="utf-8")))


#: Bubble fills, one per note colour: the saturated tones of the board's segment markers,
#: since the pale note backgrounds vanish on a white chart.
FILLS = palette_marks()
DEFAULT_FILL = FILLS["grey"]

LABEL_MAX_CHARS = 28
#: A segment of known but tiny size still gets a visible dot.
SMALLEST_VISIBLE_RADIUS = 2.0


@dataclass(frozen=True)
class MatrixPoint:
    key: object
    label: str
    attractiveness: float | None  # 1..5, None when nobody scored its attractiveness criteria
    ability: float | None
    size: int | None  # estimated customers, None when not known
    colour: str  # a note colour


@dataclass(frozen=True)
class Bubble:
    point: MatrixPoint
    x: float
    y: float
    r: float
    fill: str
    label: str  # shortened to fit
    label_x: float
    label_y: float
    label_anchor: str  # "start" (right of the bubble) or "end" (left of it)

    @property
    def size_known(self) -> bool:
        return self.point.size is not None


@dataclass(frozen=True)
class Tick:
    value: int
    at: float  # x for the ability axis, y for the attractiveness axis


@dataclass(frozen=True)
class TextSpot:
    x: float
    y: float
    anchor: str = "start"


@dataclass(frozen=True)
class Matrix:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    points: list[MatrixPoint]  # every segment, in the order given (for the data table)
    bubbles: list[Bubble]  # in drawing order: the largest first, so small ones stay visible
    unplaced: list[MatrixPoint]  # segments missing a score on either axis
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    mid_x: float  # the middle of the scale (3), where the quadrants meet
    mid_y: float
    x_title: TextSpot
    y_title: TextSpot  # drawn rotated by -90° around this spot
    quadrants: dict[str, TextSpot]  # "top_left", "top_right", "bottom_left", "bottom_right"

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top

    @property
    def tick_label_x(self) -> float:
        return self.left - 8

    @property
    def tick_label_y(self) -> float:
        return self.bottom + 16


def _round(value: float) -> float:
    return round(value, 1)


def _shorten(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def bubble_radius(size: int | None, largest: int | None, *, max_radius: float, min_radius: float) -> float:
    """Area proportional to size, the largest known size drawn at `max_radius`; an unknown
    size gets `min_radius`."""
    if size is None or not largest:
        return min_radius
    return max(max_radius * sqrt(size / largest), SMALLEST_VISIBLE_RADIUS)


def _overlaps(box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]) -> bool:
    x1, y1, x2, y2 = box
    return any(x1 < ox2 and ox1 < x2 and y1 < oy2 and oy1 < y2 for ox1, oy1, ox2, oy2 in others)


def matrix_layout(
    points: Iterable[MatrixPoint],
    *,
    width: int = 640,
    height: int = 480,
    margin: tuple[float, float, float, float] = (24, 24, 56, 64),  # top, right, bottom, left
    max_radius: float = 36,
    min_radius: float = 6,
    font_size: float = 12,
) -> Matrix:
    points = list(points)
    top, right_margin, bottom_margin, left = margin
    right, bottom = width - right_margin, height - bottom_margin
    low, high = SCALE_MIN - AXIS_PADDING, SCALE_MAX + AXIS_PADDING

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    placed = [p for p in points if p.attractiveness is not None and p.ability is not None]
    unplaced = [p for p in points if p.attractiveness is None or p.ability is None]
    known = [p.size for p in placed if p.size is not None]
    largest = max(known) if known else None

    bubbles = []
    label_boxes: list[tuple[float, float, float, float]] = []
    line = font_size + 2
    char_width = font_size * 0.6
    # Labels are placed from the top of the chart down, each at the first free spot.
    for point in sorted(placed, key=lambda p: (-p.attractiveness, p.ability)):
        x, y = x_of(point.ability), y_of(point.attractiveness)
        r = bubble_radius(point.size, largest, max_radius=max_radius, min_radius=min_radius)
        label = _shorten(point.label)
        text_width = len(label) * char_width
        if x + r + 4 + text_width <= width - 2:
            anchor, label_x, box_x = "start", x + r + 4, x + r + 4
        else:
            anchor, label_x, box_x = "end", x - r - 4, x - r - 4 - text_width
        baseline = y + font_size * 0.35
        for step in (0, 1, -1, 2, -2, 3, -3):
            candidate = baseline + step * line
            box = (box_x, candidate - font_size, box_x + text_width, candidate + 2)
            if font_size <= candidate <= height - 2 and not _overlaps(box, label_boxes):
                baseline = candidate
                break
        label_boxes.append((box_x, baseline - font_size, box_x + text_width, baseline + 2))
        bubbles.append(
            Bubble(
                point=point,
                x=_round(x),
                y=_round(y),
                r=_round(r),
                fill=FILLS.get(point.colour, DEFAULT_FILL),
                label=label,
                label_x=_round(label_x),
                label_y=_round(baseline),
                label_anchor=anchor,
            )
        )
    bubbles.sort(key=lambda b: -b.r)

    middle = (SCALE_MIN + SCALE_MAX) / 2
    return Matrix(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        points=points,
        bubbles=bubbles,
        unplaced=unplaced,
        x_ticks=[Tick(v, _round(x_of(v))) for v in range(SCALE_MIN, SCALE_MAX + 1)],
        y_ticks=[Tick(v, _round(y_of(v))) for v in range(SCALE_MIN, SCALE_MAX + 1)],
        mid_x=_round(x_of(middle)),
        mid_y=_round(y_of(middle)),
        x_title=TextSpot(_round((left + right) / 2), height - 12, "middle"),
        y_title=TextSpot(16, _round((top + bottom) / 2), "middle"),
        quadrants={
            "top_left": TextSpot(left + 6, top + font_size + 2),
            "top_right": TextSpot(right - 6, top + font_size + 2, "end"),
            "bottom_left": TextSpot(left + 6, bottom - 6),
            "bottom_right": TextSpot(right - 6, bottom - 6, "end"),
        },
    )
