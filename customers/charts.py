"""Pure geometry of the customer-data charts: the R x F heat map (customers and revenue per
cell, shaded by customers) and the groups' bars (share of customers beside share of revenue).
The SVG is a template partial ("customers/overview.html#heatmap", "#group_bars"), so the page
and a PDF draw the same picture; a data table beside each carries the figures for screen
readers."""

from __future__ import annotations

from dataclasses import dataclass

from .rfm import GROUPS, SCORES, Grid

CELL_W, CELL_H = 84, 60
MARGIN_LEFT, MARGIN_TOP = 40, 8
#: The lightest and darkest shade of a cell (white to the palette's ink blue).
LIGHT, DARK = (0xF4, 0xF7, 0xFB), (0x1F, 0x4E, 0x8C)


@dataclass(frozen=True)
class HeatCell:
    r: int
    f: int
    x: float
    y: float
    customers: int
    revenue: float
    group: str
    fill: str
    dark: bool
    #: Where the group's name is written: the first cell of it in reading order.
    labelled: bool


@dataclass(frozen=True)
class HeatMap:
    cells: list[HeatCell]
    width: int
    height: int
    cell_w: int = CELL_W
    cell_h: int = CELL_H

    @property
    def columns(self) -> list[tuple[int, float]]:
        return [(f, MARGIN_LEFT + (f - 1) * CELL_W + CELL_W // 2) for f in SCORES]

    @property
    def rows(self) -> list[tuple[int, float]]:
        return [(r, MARGIN_TOP + (5 - r) * CELL_H + CELL_H // 2) for r in SCORES]

    @property
    def axis_y(self) -> float:
        return MARGIN_TOP + 5 * CELL_H + 22


def shade(share: float) -> tuple[str, bool]:
    """A fill between LIGHT and DARK for a share of the busiest cell; and whether it is dark
    enough to need white text."""
    share = max(0.0, min(1.0, share))
    rgb = [round(light + (dark - light) * share) for light, dark in zip(LIGHT, DARK, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb), share > 0.45


def heat_map(cells: list[dict], grid: Grid) -> HeatMap:
    """R score from 5 (top) to 1, F score from 1 (left) to 5."""
    by_cell = {(cell["r"], cell["f"]): cell for cell in cells}
    busiest = max((cell["customers"] for cell in cells), default=0) or 1
    seen: set[str] = set()
    drawn = []
    for r in sorted(SCORES, reverse=True):
        for f in SCORES:
            cell = by_cell.get((r, f), {"customers": 0, "revenue": 0.0})
            fill, dark = shade(cell["customers"] / busiest)
            group = grid.get((r, f), "")
            drawn.append(
                HeatCell(
                    r=r, f=f, x=MARGIN_LEFT + (f - 1) * CELL_W, y=MARGIN_TOP + (5 - r) * CELL_H,
                    customers=cell["customers"], revenue=cell["revenue"] or 0.0, group=group, fill=fill,
                    dark=dark, labelled=group not in seen,
                )
            )  # fmt: skip
            seen.add(group)
    return HeatMap(cells=drawn, width=MARGIN_LEFT + 5 * CELL_W + 4, height=MARGIN_TOP + 5 * CELL_H + 30)


@dataclass(frozen=True)
class Bar:
    group: str
    name: str
    y: float
    customers_width: float
    revenue_width: float
    customer_share: float
    revenue_share: float

    @property
    def customers_label_x(self) -> float:
        return BAR_LABEL + round(self.customers_width, 1) + 4

    @property
    def revenue_label_x(self) -> float:
        return BAR_LABEL + round(self.revenue_width, 1) + 4


BAR_LABEL, BAR_WIDTH, BAR_ROW = 160, 240, 32


def group_bars(groups: dict[str, dict]) -> tuple[list[Bar], int, int]:
    """Per group (in the issue's order), its share of customers and of revenue as two bars."""
    bars = []
    for index, group in enumerate(group for group in GROUPS if group.id in groups):
        data = groups[group.id]
        bars.append(
            Bar(
                group=group.id, name=str(group.name), y=8 + index * BAR_ROW,
                customers_width=round(BAR_WIDTH * data["customer_share"], 1),
                revenue_width=round(BAR_WIDTH * max(data["revenue_share"], 0), 1),
                customer_share=data["customer_share"], revenue_share=data["revenue_share"],
            )
        )  # fmt: skip
    return bars, BAR_LABEL + BAR_WIDTH + 48, 12 + len(bars) * BAR_ROW
