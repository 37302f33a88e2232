"""Two versions of a canvas side by side: which notes were added, removed, edited (with the
text's difference), moved or recoloured, whose evidence changed, and which segment fields
and scores changed. A version is a document (canvas_app.serializer) with the id of each
note it names, so the same note is recognised in both."""

from __future__ import annotations

from dataclasses import dataclass, field

from .activity import word_diff
from .models import LEARNING_CARD, TEST_CARD

#: A segment's sections that are lists (compared by the segment pages, not field by field).
_NESTED = {"note", "linked_notes", "personas", "profile", "value_map", "relationship"}


@dataclass
class NoteChange:
    note: dict  # as the newer version has it (as the older one, when removed)
    kinds: list[str] = field(default_factory=list)  # "added", "removed", "edited", "moved", "recoloured", "evidence"
    text: list[tuple[str, str]] = field(default_factory=list)  # word_diff of an edit
    before: dict = field(default_factory=dict)  # the older version's note, when in both


@dataclass
class Comparison:
    notes: dict[int, NoteChange]  # by note id
    segments: list[tuple[str, str, object, object]]  # (segment name, field, before, after)
    scores: list[tuple[str, str, str, object, object]]  # (segment, criterion, reviewer, before, after)

    @property
    def added(self) -> list[NoteChange]:
        return [c for c in self.notes.values() if "added" in c.kinds]

    @property
    def removed(self) -> list[NoteChange]:
        return [c for c in self.notes.values() if "removed" in c.kinds]

    @property
    def changed(self) -> list[NoteChange]:
        return [c for c in self.notes.values() if c.kinds and not {"added", "removed"} & set(c.kinds)]

    @property
    def nothing(self) -> bool:
        return not (self.notes or self.segments or self.scores)


def compare(old: dict, old_ids: dict[str, int], new: dict, new_ids: dict[str, int]) -> Comparison:
    """What changed from `old` to `new` (documents, with {note ref: note id} each)."""
    before = {old_ids[n["ref"]]: n for n in old["notes"] if n["ref"] in old_ids}
    after = {new_ids[n["ref"]]: n for n in new["notes"] if n["ref"] in new_ids}
    notes: dict[int, NoteChange] = {}
    for pk in after.keys() - before.keys():
        notes[pk] = NoteChange(after[pk], ["added"])
    for pk in before.keys() - after.keys():
        notes[pk] = NoteChange(before[pk], ["removed"])
    moved = _moved(before, after)
    for pk in before.keys() & after.keys():
        was, now = before[pk], after[pk]
        kinds = []
        if was["text"] != now["text"]:
            kinds.append("edited")
        if pk in moved:
            kinds.append("moved")
        if was["colour"] != now["colour"]:
            kinds.append("recoloured")
        if any(was.get(name) != now.get(name) for name in ("status", *TEST_CARD, *LEARNING_CARD)):
            kinds.append("evidence")
        if kinds:
            text = word_diff(was["text"], now["text"]) if "edited" in kinds else []
            notes[pk] = NoteChange(now, kinds, text, was)
    return Comparison(notes, _segments(old, old_ids, new, new_ids), _scores(old, old_ids, new, new_ids))


def _moved(before: dict[int, dict], after: dict[int, dict]) -> set[int]:
    """Notes in another block, or in another place among the notes both versions have in
    their block (a note deleted above another does not move it)."""
    moved = {pk for pk in before.keys() & after.keys() if before[pk]["block"] != after[pk]["block"]}
    for block in {note["block"] for note in after.values()}:
        common = [pk for pk in before.keys() & after.keys() if before[pk]["block"] == after[pk]["block"] == block]
        old_order = sorted(common, key=lambda pk: before[pk]["position"])
        new_order = sorted(common, key=lambda pk: after[pk]["position"])
        moved |= {pk for pk, other in zip(old_order, new_order, strict=True) if pk != other}
    return moved


def _segments_by_note(document: dict, ids: dict[str, int]) -> dict[int, dict]:
    return {ids[s["note"]]: s for s in document.get("segments", []) if s.get("note") in ids}


def _name(document: dict, ids: dict[str, int], note_id: int) -> str:
    refs = {pk: ref for ref, pk in ids.items()}
    return next((n["text"] for n in document["notes"] if n["ref"] == refs.get(note_id)), "")


def _segments(old, old_ids, new, new_ids) -> list[tuple[str, str, object, object]]:
    was, now = _segments_by_note(old, old_ids), _segments_by_note(new, new_ids)
    found = []
    for pk in sorted(was.keys() & now.keys()):
        name = _name(new, new_ids, pk)
        for key in sorted((was[pk].keys() | now[pk].keys()) - _NESTED):
            if was[pk].get(key) != now[pk].get(key):
                found.append((name, key, was[pk].get(key), now[pk].get(key)))
    return found


def _scores(old, old_ids, new, new_ids) -> list[tuple[str, str, str, object, object]]:
    def table(document, ids):
        criteria = {c.get("ref"): c.get("name", "") for c in document.get("criteria", [])}
        segments = {s["note"]: ids.get(s["note"]) for s in document.get("segments", [])}
        return {
            (segments.get(s["segment"]), criteria.get(s["criterion"], ""), s["reviewer"]): s["value"]
            for s in document.get("scores", [])
        }

    was, now = table(old, old_ids), table(new, new_ids)
    return [
        (_name(new, new_ids, key[0]) or _name(old, old_ids, key[0]), key[1], key[2], was.get(key), now.get(key))
        for key in sorted(was.keys() | now.keys(), key=lambda k: (str(k[0]), k[1], k[2]))
        if was.get(key) != now.get(key)
    ]
