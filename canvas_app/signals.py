"""Hooks for apps that build on the board (segments), so canvas_app never imports them.

`decorate_notes` is sent before notes are rendered (the board, a single note, a note's
menu) with `canvas`, `notes` (a list of Note), `request` and `filters`. A receiver may
append to each note's `markers`, `links`, `actions` and `filter_keys`, and, when `filters`,
return a list of BoardFilter for the board's filter (without, it need only read what these
notes need). Receivers must run a fixed number of queries, whatever the number of notes.

`canvas_created` is sent inside the creation's transaction with `canvas` (a new, empty
canvas; not for a duplicate, which gets `canvas_duplicated` instead).

`canvas_duplicated` is sent inside the duplication's transaction with `source`, `copy` and
`note_map` ({source note pk: copied Note}).

`notes_placed` is sent inside the change's transaction with `canvas` and `notes` (a list of
Note) whenever notes arrive in a block: added, moved, restored. Receivers keep what hangs on
notes in step (a note in Customer Segments stands for a segment), so no page has to create
anything when it is only looked at.

`describe_members` is sent by the members page, for its owners, with `canvas` and
`memberships` (a list of Membership). A receiver may append to each membership's
`role_notes` what changing its role would change (say, scores that would stop counting), in
a fixed number of queries.

`describe_canvas` is sent when a canvas is written out as a document (canvas_app.serializer:
export, and later snapshots and diffs), with `canvas`, `document` (the dict being built) and
`note_refs` ({note pk: its reference in the document}) and `for_markdown`. A receiver adds
its app's sections to `document`, naming notes by their references, in a fixed number of
queries; with `for_markdown`, also lines to nest under a note in `document["note_details"]`.

`canvas_imported` is sent inside an import's transaction with `canvas` (new, with its notes),
`document` and `note_map` ({note reference: Note}). A receiver creates its app's part from its
sections of the document, or raises canvas_app.importer.ImportProblem to refuse the file.

`canvas_day_started` is sent inside the first recorded change of a day to a canvas, before
the change is made, with `canvas` and `revision` (the canvas' revision before the change).

`role_changed` is sent after an owner changed a member's role, with `canvas`, `membership`
(holding the new role) and `old_role`. A receiver may return a message for that owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

decorate_notes = Signal()
canvas_created = Signal()
canvas_duplicated = Signal()
notes_placed = Signal()
describe_members = Signal()
role_changed = Signal()
describe_canvas = Signal()
canvas_imported = Signal()
canvas_day_started = Signal()


@dataclass(frozen=True)
class Marker:
    """A small coloured mark on a note (e.g. a segment it serves), with a letter for whoever
    cannot tell the colours apart."""

    label: str
    colour: str
    letter: str = ""


@dataclass(frozen=True)
class NoteLink:
    label: str
    url: str


@dataclass(frozen=True)
class BoardFilter:
    """An option of the board's filter: notes whose filter_keys hold `key` stand out."""

    key: str
    label: str
    colour: str
    letter: str = ""
    url: str = ""  # where the option's subject is described (the board's legend links there)


def decorate(canvas, notes, request, *, filters: bool = True) -> list[BoardFilter]:
    """Decorate the notes; the board's filter options too unless `filters` is False."""
    for note in notes:
        note.markers, note.links, note.actions, note.filter_keys = [], [], [], []
    found: list[BoardFilter] = []
    sent = decorate_notes.send(sender=type(canvas), canvas=canvas, notes=notes, request=request, filters=filters)
    for _receiver, result in sent:
        found.extend(result or [])
    return found
