"""The RFM rules Lienzo applies, in the words of the customer-data issue, so that a result can
be reproduced anywhere: the eleven groups, the grid that assigns an (R, F) cell to one of them,
and the check that an edited grid covers every cell exactly once.

The scoring itself (quintile cut points, scores, churn) runs in DuckDB (`pipeline.py`); what
is here is pure Python and cheap."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SCORES = (1, 2, 3, 4, 5)
#: The quantiles whose values cut each measure into five scores.
QUANTILES = (0.2, 0.4, 0.6, 0.8)


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    #: The cells of the default grid: R scores x F scores.
    recency: tuple[int, ...]
    frequency: tuple[int, ...]
    #: The campaign the seed's tactical segmentation suggests for it.
    campaign: str


class Campaign(models.TextChoices):
    """The seed's kinds of tactical campaign."""

    RETENTION = "retention", _("Retention")
    WIN_BACK = "win_back", _("Win-back")
    UP_SELL = "up_sell", _("Up-selling")
    CROSS_SELL = "cross_sell", _("Cross-selling")
    ACQUISITION = "acquisition", _("Acquisition of look-alikes")


GROUPS: tuple[Group, ...] = (
    Group("champions", _("Champions"), (5,), (4, 5), Campaign.RETENTION),
    Group("loyal", _("Loyal"), (3, 4), (4, 5), Campaign.RETENTION),
    Group("potential_loyalists", _("Potential loyalists"), (4, 5), (2, 3), Campaign.UP_SELL),
    Group("new", pgettext_lazy("RFM group", "New customers"), (5,), (1,), Campaign.CROSS_SELL),
    Group("promising", _("Promising"), (4,), (1,), Campaign.CROSS_SELL),
    Group("need_attention", _("Need attention"), (3,), (3,), Campaign.UP_SELL),
    Group("about_to_sleep", _("About to sleep"), (3,), (1, 2), Campaign.UP_SELL),
    Group("at_risk", _("At risk"), (1, 2), (3, 4), Campaign.WIN_BACK),
    Group("cant_lose", _("Can't lose them"), (1, 2), (5,), Campaign.WIN_BACK),
    Group("hibernating", _("Hibernating"), (2,), (1, 2), Campaign.WIN_BACK),
    Group("lost", _("Lost"), (1,), (1, 2), Campaign.WIN_BACK),
)
BY_ID = {group.id: group for group in GROUPS}
GROUP_IDS = tuple(BY_ID)

#: A grid: for each (R score, F score) cell, the id of its group.
Grid = dict[tuple[int, int], str]


def default_grid() -> Grid:
    return {(r, f): group.id for group in GROUPS for r in group.recency for f in group.frequency}


def grid_to_json(grid: Grid) -> dict[str, str]:
    return {f"{r}{f}": group for (r, f), group in sorted(grid.items())}


def grid_from_json(data: dict[str, str] | None) -> Grid:
    if not data:
        return default_grid()
    return {(int(key[0]), int(key[1])): value for key, value in data.items()}


def grid_errors(cells: dict[tuple[int, int], list[str]]) -> dict[tuple[int, int], str]:
    """What is wrong with an edited grid, per cell: every one of the 25 cells must name exactly
    one known group. `cells` holds, per cell, the groups the team put in it."""
    errors = {}
    for r in SCORES:
        for f in SCORES:
            chosen = [group for group in cells.get((r, f), []) if group]
            if not chosen:
                errors[(r, f)] = str(_("Choose a group for this cell."))
            elif len(set(chosen)) > 1:
                errors[(r, f)] = str(_("This cell is in more than one group; keep one."))
            elif chosen[0] not in BY_ID:
                errors[(r, f)] = str(_("Choose one of the groups."))
    return errors


def group_name(group_id: str) -> str:
    group = BY_ID.get(group_id)
    return str(group.name) if group else group_id
