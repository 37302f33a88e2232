"""Pure geometry of the prioritisation matrix: attractiveness of each segment (y) against our
ability to serve it (x), both on the 1-5 scale of the scores; the area of each bubble is
proportional to the segment's estimated size. The SVG itself is a template partial
("prioritisation/ranking.html#matrix"), so the screen and the PDF draw the same chart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from math import sqrt
from pathlib import Path

from canvas_app.text_metrics import text_width

PALETTE = Path(__file__).resolve().parents[1] / "static" / "css" / "palette.css"
SCALE_MIN, SCALE_MAX = 1, 5
#: The axes run half a point beyond the scale, so a bubble at 1 or 5 stays inside the chart.
AXIS_PADDING = 0.5

def segment_palette(path: Path = PALETTE) -> dict[int, tuple[str, str]]:
    """The segment colours of static/css/palette.css, where the board's and the PDFs' colours
    are defined: {number: ("#rrggbb" fill, "#rrggbb" ink of its letter)}."""
    text = path.read_text(encoding="utf-8")
    fills = dict(re.findall(r"--segment-(\d+):\s*(#[0-9a-fA-F]{6})\s*;", text))
    inks = dict(re.findall(r"--segment-(\d+)-ink:\s*(#[0-9a-fA-F]{6})\s*;", text))
    return {int(number): (fill, inks[number]) for number, fill in fills.items()}


@cache
def palette_colours() -> dict[int, tuple[str, str]]:
    """Bubble fills and letter inks, one per segment colour (read once, when first drawn)."""
    return segment_palette()


def colours_of(colour: int) -> tuple[str, str]:
    """(fill, ink) of a segment colour; the last of the palette for one it does not hold."""
    palette = palette_colours()
    return palette.get(colour) or palette[max(palette)]

LABEL_MAX_CHARS = 28
#: Where the name does not fit, a shorter one is tried before the key takes over.
SHORTER_LABEL_CHARS = 16
#: The disc at a bubble's centre that carries the segment's letter, solid so that the letter
#: reads on it whatever the bubble's size.
BADGE_RADIUS = 7.0
#: A segment of known but tiny size still gets a visible dot.
SMALLEST_VISIBLE_RADIUS = 2.0


@dataclass(frozen=True)
class MatrixPoint:
    key: object
    label: str
    attractiveness: float | None  # 1..5, None when nobody scored its attractiveness criteria
    ability: float | None
    size: int | None  # estimated customers, None when not known
    colour: int  # the segment's colour (segments.models.SegmentColour)
    letter: str = ""  # the segment's letter, drawn inside its bubble


@dataclass(frozen=True)
class Bubble:
    point: MatrixPoint
    x: float
    y: float
    r: float
    fill: str
    ink: str  # of the letter inside the bubble
    label: str  # shortened to fit; the tag, or nothing, when the key names the segment
    label_x: float
    label_y: float
    label_anchor: str  # "start" (text right of label_x), "end" (left of it) or "middle"
    tag: str = ""  # what stands for the segment when its name has no room: its letter, or a number
    keyed: bool = False  # the key under the chart names it
    label_box: tuple[float, float, float, float] | None = None  # x1, y1, x2, y2 the label takes

    @property
    def size_known(self) -> bool:
        return self.point.size is not None

    @property
    def badge_r(self) -> float:
        return BADGE_RADIUS


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
    def keyed(self) -> list[Bubble]:
        """The bubbles whose names the key under the chart gives, by tag."""
        return sorted((b for b in self.bubbles if b.keyed), key=lambda b: (len(b.tag), b.tag))

    @property
    def tick_label_y(self) -> float:
        return self.bottom + 16


def _round(value: float) -> float:
    return round(value, 1)


def _shorten(label: str, most: int = LABEL_MAX_CHARS) -> str:
    label = " ".join(label.split())
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def bubble_radius(size: int | None, largest: int | None, *, max_radius: float, min_radius: float) -> float:
    """Area proportional to size, the largest known size drawn at `max_radius`; an unknown
    size gets `min_radius`."""
    if size is None or not largest:
        return min_radius
    return max(max_radius * sqrt(size / largest), SMALLEST_VISIBLE_RADIUS)


def _overlaps(box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]) -> bool:
    x1, y1, x2, y2 = box
    return any(x1 < ox2 and ox1 < x2 and y1 < oy2 and oy1 < y2 for ox1, oy1, ox2, oy2 in others)


Box = tuple[float, float, float, float]  # x1, y1, x2, y2
#: Between a bubble and its label.
LABEL_GAP = 4.0
#: How far text reaches above and below its baseline, in font sizes (DejaVu Sans, accents
#: included); text is centred on a point with its baseline 0.35 below it.
ASCENT, DESCENT, CENTRE = 0.8, 0.25, 0.35
#: Measured with the print font's widths, a little wider: browsers may use a narrower sans.
LABEL_SLACK = 1.03


def _hits_circle(box: Box, x: float, y: float, r: float) -> bool:
    x1, y1, x2, y2 = box
    nearest_x, nearest_y = min(max(x, x1), x2), min(max(y, y1), y2)
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


def _text_box(anchor: str, x: float, baseline: float, width: float, font_size: float) -> Box:
    x1 = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (x1, baseline - ASCENT * font_size, x1 + width, baseline + DESCENT * font_size)


def _label_spots(x: float, y: float, r: float, font_size: float, reach: int) -> Iterator[tuple[str, float, float]]:
    """Where a label may go around a bubble, best first: (anchor, x, baseline); `reach` lines
    up and down at most beside it."""
    gap, middle = LABEL_GAP, y + font_size * CENTRE
    yield "start", x + r + gap, middle  # right
    yield "end", x - r - gap, middle  # left
    yield "middle", x, y - r - gap - DESCENT * font_size  # above
    yield "middle", x, y + r + gap + ASCENT * font_size  # below
    corner = r * sqrt(0.5) + gap / 2
    for anchor, dx in (("start", corner), ("end", -corner)):
        yield anchor, x + dx, y - corner - DESCENT * font_size
        yield anchor, x + dx, y + corner + ASCENT * font_size
    line = font_size + 2
    for step in range(1, reach + 1):
        for shift in (-step * line, step * line):
            yield "start", x + r + gap, middle + shift
            yield "end", x - r - gap, middle + shift


def _free_spot(
    text: str,
    x: float,
    y: float,
    r: float,
    *,
    font_size: float,
    area: Box,
    discs: list[tuple[float, float, float]],
    taken: list[Box],
    reach: int = 3,
) -> tuple[str, float, float, Box] | None:
    """The first spot around the bubble where `text` stays inside `area` and clear of every
    bubble and of the labels placed so far; None when there is none."""
    width = text_width(text) * font_size * LABEL_SLACK
    for anchor, label_x, baseline in _label_spots(x, y, r, font_size, reach):
        box = _text_box(anchor, label_x, baseline, width, font_size)
        inside = area[0] <= box[0] and area[1] <= box[1] and box[2] <= area[2] and box[3] <= area[3]
        if inside and not _overlaps(box, taken) and not any(_hits_circle(box, *disc) for disc in discs):
            return anchor, label_x, baseline, box
    return None


def keyed(bubble: Bubble) -> Bubble:
    """The bubble with its name left to the key: on the chart only its tag, or nothing when
    its letter is drawn inside it already."""
    return replace(bubble, label="" if bubble.point.letter else bubble.tag, keyed=True)


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

    radius = {id(p): bubble_radius(p.size, largest, max_radius=max_radius, min_radius=min_radius) for p in placed}
    number = {id(p): index for index, p in enumerate(points, start=1)}
    # What labels must keep clear of: each bubble, or the letter's disc when that is larger,
    # and its outline.
    discs = [
        (x_of(p.ability), y_of(p.attractiveness), max(radius[id(p)], BADGE_RADIUS if p.letter else 0) + 1)
        for p in placed
    ]
    area = (left + 2, top + 2, right - 2, bottom - 2)
    taken: list[Box] = []
    bubbles = []
    # Labels are placed from the top of the chart down, each at the first free spot; a name
    # with no free spot gives way to the segment's tag, and the key under the chart names it.
    for point in sorted(placed, key=lambda p: (-p.attractiveness, p.ability)):
        x, y, r = x_of(point.ability), y_of(point.attractiveness), radius[id(point)]
        clear = max(r, BADGE_RADIUS if point.letter else 0)
        tag = point.letter or str(number[id(point)])
        is_keyed, spot = False, None
        for most in (LABEL_MAX_CHARS, SHORTER_LABEL_CHARS):  # a shorter name before none
            label = _shorten(point.label, most)
            spot = _free_spot(label, x, y, clear, font_size=font_size, area=area, discs=discs, taken=taken)
            if spot is not None:
                break
        if spot is None:
            is_keyed = True
            label = "" if point.letter else tag
        if spot is None and label:
            # A number is short: it may go further up or down; failing that, on the bubble.
            spot = _free_spot(label, x, y, clear, font_size=font_size, area=area, discs=discs, taken=taken, reach=8)
            if spot is None:
                centre = y + font_size * CENTRE
                width = text_width(label) * font_size * LABEL_SLACK
                spot = ("middle", x, centre, _text_box("middle", x, centre, width, font_size))
        anchor, label_x, baseline, box = spot or ("middle", x, y + font_size * CENTRE, None)
        if box is not None:
            taken.append(box)
        bubbles.append(
            Bubble(
                point=point,
                x=_round(x),
                y=_round(y),
                r=_round(r),
                fill=colours_of(point.colour)[0],
                ink=colours_of(point.colour)[1],
                label=label,
                label_x=_round(label_x),
                label_y=_round(baseline),
                label_anchor=anchor,
                tag=tag,
                keyed=is_keyed,
                label_box=box,
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
