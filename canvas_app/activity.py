"""The change record as people read it: who did what to which object, and each field's
value before and after (a text's difference word by word). Everything comes from the Change
rows themselves, so a page of them costs the same few queries however long the history."""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .models import Action, Block, Change

#: Changes shown per page of the activity feed.
PAGE_SIZE = 50
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    #: For text: [(kind, words)] with kind "same", "removed" or "added".
    words: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Entry:
    change: Change
    what: str  # the kind of object ("note", "persona"...)
    fields: list[FieldChange]
    block: str = ""


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The words of `before` and `after` as runs kept, removed and added (spaces kept)."""
    old, new = _WORDS.findall(before or ""), _WORDS.findall(after or "")
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(new[j1:j2])))
    return runs


def entries(changes) -> list[Entry]:
    return [_entry(change) for change in changes]


def _entry(change: Change) -> Entry:
    model = _model(change.target_type)
    what = str(model._meta.verbose_name) if model else ""
    fields = []
    before, after = change.data.get("before") or {}, change.data.get("after") or {}
    if change.action in (Action.EDIT, Action.MOVE):
        for name in [name for name in after if before.get(name) != after.get(name) and _shown(model, name)]:
            fields.append(_field_change(model, name, before.get(name), after.get(name)))
    block = str(Block(change.block).label) if change.block in Block.values else ""
    return Entry(change=change, what=what, fields=fields, block=block)


def _model(label: str):
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def _shown(model, name: str) -> bool:
    """Whether the history shows this field: not a link to another row (its id says nothing;
    who did it is the change's own)."""
    try:
        return not (model and model._meta.get_field(name).is_relation)
    except FieldDoesNotExist:
        return True


def _when(value: str) -> str:
    try:
        return date_format(localtime(datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _field_change(model, name: str, before, after) -> FieldChange:
    label, shown = name, str
    try:
        model_field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        model_field = None
    if model_field is not None:
        label = str(model_field.verbose_name)
        choices = dict(model_field.flatchoices) if model_field.choices else None
        if choices:
            shown = lambda value: str(choices.get(value, value))  # noqa: E731
        elif model_field.get_internal_type() == "DateTimeField":
            shown = _when
    if name == "block":
        shown = lambda value: str(Block(value).label) if value in Block.values else str(value)  # noqa: E731
    empty = str(_("(empty)"))
    before_text = empty if before in (None, "", []) else shown(before)
    after_text = empty if after in (None, "", []) else shown(after)
    long_text = isinstance(before, str) and isinstance(after, str) and (len(before) > 30 or len(after) > 30)
    words = word_diff(before, after) if long_text and name not in ("block",) else []
    return FieldChange(label=label, before=before_text, after=after_text, words=words)


def filtered(canvas, *, person: int | None = None, block: str = "", note_id: int | None = None):
    """The canvas' changes, newest first, narrowed to a person, a block or one note (a
    segment's note brings the segment's own changes)."""
    changes = Change.objects.filter(canvas=canvas).select_related("by").order_by("-revision")
    if person:
        changes = changes.filter(by_id=person)
    if block:
        changes = changes.filter(block=block)
    if note_id:
        changes = changes.filter(note_id=note_id)
    return changes

