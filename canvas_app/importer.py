"""A canvas from a file: the JSON that export writes (everything), or Markdown (`# Title`,
`## Block` headings in English or Spanish, any case, and `- note` items). A bad file is
refused with a message and creates nothing."""

from __future__ import annotations

import json
import re
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import LEARNING_CARD, TEST_CARD, Block, Canvas, Colour, Comment, Evidence, Note
from .models.comments import TEXT_LENGTH
from .models.notes import CARD_LENGTH
from .models.canvas import RelationshipType
from .serializer import FORMAT, VERSION
from .signals import canvas_imported, notes_placed

MAX_NOTES = 2000


class ImportProblem(ValueError):
    """Why a file cannot become a canvas (said to the person who gave it)."""


def read_file(raw: bytes, name: str = "") -> tuple[dict, list[str]]:
    """The document in the file and the headings it skipped (Markdown)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblem(_("The file is not UTF-8 text: save it as UTF-8 and try again.")) from error
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportProblem(_("The file is not valid JSON (line %(line)d).") % {"line": error.lineno}) from error
        return document, []
    return from_markdown(text)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def _block_names() -> dict[str, str]:
    names = {}
    for language in ("en", "es"):
        with translation.override(language):
            for block in Block:
                names[_plain(str(block.label))] = block.value
    for block in Block:
        names[_plain(block.value.replace("_", " "))] = block.value
    return names


def from_markdown(text: str) -> tuple[dict, list[str]]:
    names = _block_names()
    title, block, skipped = "", None, []
    notes: dict[str, list[str]] = {}
    for line in text.splitlines():
        if match := re.match(r"^#\s+(.+?)\s*#*\s*$", line):
            title = title or match.group(1)
        elif match := re.match(r"^##\s+(.+?)\s*#*\s*$", line):
            block = names.get(_plain(match.group(1)))
            if block is None:
                skipped.append(match.group(1))
        elif block and (match := re.match(r"^[-*+]\s+(.+)$", line)):  # top-level items only
            notes.setdefault(block, []).append(match.group(1).strip())
    if not title and not notes:
        raise ImportProblem(_("This Markdown has no `# Title` and no `## Block` with `- notes`: nothing to import."))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "canvas": {"title": title or _("Imported canvas")},
        "notes": [
            {"ref": f"n{index}", "block": block, "text": text_, "position": position}
            for index, (block, position, text_) in enumerate(
                ((b, p, t) for b in Block.values for p, t in enumerate(notes.get(b, []), 1)), 1
            )
        ],
    }
    return document, skipped


def _check(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblem(_("This is not a Lienzo canvas file."))
    if document.get("version") != VERSION:
        raise ImportProblem(_("This canvas file is of a version Lienzo cannot read."))
    canvas = document.get("canvas")
    if not isinstance(canvas, dict) or not str(canvas.get("title") or "").strip():
        raise ImportProblem(_("The canvas in the file has no title."))
    notes = document.get("notes")
    if not isinstance(notes, list) or len(notes) > MAX_NOTES:
        raise ImportProblem(_("The file's notes cannot be read."))
    refs = set()
    for note in notes:
        if not isinstance(note, dict) or note.get("block") not in Block.values or not isinstance(note.get("text"), str):
            raise ImportProblem(_("A note in the file has no block of the canvas or no text."))
        if not note["text"].strip() or len(note["text"]) > Note.TEXT_MAX_LENGTH or note.get("ref") in refs:
            raise ImportProblem(_("A note in the file is empty, too long, or named twice."))
        refs.add(note.get("ref"))


def import_document(document: dict, *, owner) -> Canvas:
    """A new canvas of `owner` holding what the document holds; ImportProblem, and nothing
    created, when it cannot."""
    _check(document)
    fields = document["canvas"]
    with transaction.atomic():
        canvas = Canvas.create_for(
            owner,
            title=str(fields["title"]).strip()[:120],
            description=str(fields.get("description") or "")[:1000],
            language=fields.get("language") if fields.get("language") in ("en", "es") else "",
            currency=str(fields.get("currency") or "")[:3],
            guided=bool(fields.get("guided", False)),
        )
        fill(canvas, document)
    return canvas


def _fill_comments(canvas: Canvas, threads: list, note_map: dict[str, Note]) -> None:
    """The document's comment threads, by authors who have an account here (else nobody)."""
    if not isinstance(threads, list):
        raise ImportProblem(_("The file's comments cannot be read."))
    names = {c.get("author") for t in threads if isinstance(t, dict) for c in [t, *(t.get("replies") or [])]}
    authors = {u.get_username(): u for u in get_user_model().objects.filter(username__in=[n for n in names if n])}
    now = timezone.now()
    for thread in threads:
        note = note_map.get(thread.get("note")) if isinstance(thread, dict) else None
        if note is None or not isinstance(thread.get("text"), str) or not thread["text"].strip():
            raise ImportProblem(_("A comment in the file is on no note of it, or empty."))
        first = Comment.objects.create(
            canvas=canvas, note=note, author=authors.get(thread.get("author")), text=thread["text"][:TEXT_LENGTH],
            resolved_at=now if thread.get("resolved") else None,
        )
        for reply in thread.get("replies") or []:
            if isinstance(reply, dict) and isinstance(reply.get("text"), str) and reply["text"].strip():
                Comment.objects.create(canvas=canvas, note=note, parent=first, author=authors.get(reply.get("author")),
                                       text=reply["text"][:TEXT_LENGTH])  # fmt: skip


def fill(canvas: Canvas, document: dict) -> dict[str, Note]:
    """Put the document's notes, and what other apps make of its sections, into `canvas`
    (empty of notes), inside the caller's transaction. Returns {note reference: Note}."""
    _check(document)
    note_map: dict[str, Note] = {}
    positions: dict[str, int] = {}
    for note in sorted(document["notes"], key=lambda n: (Block.values.index(n["block"]), n.get("position") or 0)):
        positions[note["block"]] = positions.get(note["block"], 0) + 1
        colour = note.get("colour") if note.get("colour") in Colour.values else Block(note["block"]).default_colour
        note_map[note["ref"]] = Note(
            canvas=canvas, block=note["block"], text=note["text"], colour=colour, position=positions[note["block"]],
            relationship_type=note.get("relationship_type") if note.get("relationship_type") in RelationshipType.values else "",
            status=note.get("status") if note.get("status") in Evidence.values else Evidence.IDEA,
            **{name: str(note.get(name) or "")[:CARD_LENGTH] for name in (*TEST_CARD, *LEARNING_CARD)},
        )  # fmt: skip
    Note.objects.bulk_create(note_map.values())
    notes_placed.send(sender=Canvas, canvas=canvas, notes=list(note_map.values()))
    _fill_comments(canvas, document.get("comments") or [], note_map)
    try:
        canvas_imported.send(sender=Canvas, canvas=canvas, document=document, note_map=note_map)
    except ImportProblem:
        raise
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as error:
        # A section another app could not take: nothing of the file is kept.
        raise ImportProblem(_("Part of the file cannot be read: %(part)s.") % {"part": type(error).__name__}) from error
    return note_map
