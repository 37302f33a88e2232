"""The live board's catch-up: what changed on a canvas since the version a page has, read
from the change record. A poll a few changes behind, all of them to notes outside Customer
Segments, gets only those notes (the blocks whose notes came, went or moved, and the notes
edited); anything else (a segment, the canvas' details, a page far behind) gets the whole
board, as a page load does."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Action, Block, Canvas, Change, Note

#: A page further behind than this many changes gets the whole board.
DELTA_LIMIT = 50
NOTE = "canvas_app.note"
_PLACING = {Action.ADD, Action.MOVE, Action.DELETE, Action.RESTORE}


@dataclass
class Changed:
    blocks: set[str] = field(default_factory=set)  # whose notes came, went or moved
    edited: set[int] = field(default_factory=set)  # notes whose content changed


def changed_since(canvas: Canvas, version: str) -> Changed | None:
    """What changed since `version` (a revision), or None when the whole board is wanted."""
    if not (version.isascii() and version.isdigit() and len(version) < 19):
        return None
    since = int(version)
    if not 0 < canvas.revision - since <= DELTA_LIMIT:
        return None
    rows = list(
        Change.objects.filter(canvas=canvas, revision__gt=since).values_list(
            "target_type", "target_id", "action", "data", "block"
        )
    )
    if len(rows) != canvas.revision - since:
        return None  # a change of the record is missing: do not guess
    changed = Changed()
    for target_type, target_id, action, data, block in rows:
        if target_type != NOTE or block == Block.CUSTOMER_SEGMENTS:
            return None
        if action == Action.EDIT:
            changed.edited.add(target_id)
        elif action in _PLACING:
            places = [data.get(side) or {} for side in ("before", "after")]
            blocks = {place["block"] for place in places if "block" in place}
            if not blocks:
                return None  # recorded before places were: no telling where
            changed.blocks |= blocks
        else:
            return None
    if Block.CUSTOMER_SEGMENTS in changed.blocks:
        return None  # segments come and go with these notes: the legend and filter change too
    return changed


def notes_of(canvas: Canvas, changed: Changed) -> tuple[dict[str, list[Note]], list[Note]]:
    """The live notes of the changed blocks (in board order) and the other edited notes (a
    note deleted meanwhile is in a changed block's list, or nowhere), in one query."""
    notes = canvas.notes.filter(block__in=changed.blocks) | canvas.notes.filter(pk__in=changed.edited)
    in_blocks: dict[str, list[Note]] = {block.value: [] for block in Block if block in changed.blocks}
    edited: list[Note] = []
    for note in notes.order_by("block", "position"):
        note.canvas = canvas
        if note.block in in_blocks:
            in_blocks[note.block].append(note)
        else:
            edited.append(note)
    return in_blocks, edited
