"""One serializer of a canvas: the document that export writes (JSON, Markdown, CSV), and
that snapshots and diffs will share. Notes are named by references (n1, n2... in board order),
not by database ids, so that a canvas exported, imported and exported again gives the same
document. Other apps add their sections through the `describe_canvas` signal; members and
share links are never in it."""

from __future__ import annotations

import csv
import io

from django.utils import translation

from .models import LEARNING_CARD, TEST_CARD, Block, Canvas, Comment
from .signals import describe_canvas

FORMAT, VERSION = "lienzo-canvas", 1
NOTE_FIELDS = ("block", "text", "colour", "position", "relationship_type", "status", *TEST_CARD, *LEARNING_CARD)


def canvas_document(canvas: Canvas, *, for_markdown: bool = False, refs: dict[int, str] | None = None) -> dict:
    """The canvas as a document; `for_markdown` asks the other apps also for `note_details`
    ({note ref: lines of Markdown, in the canvas' language}) to nest under their notes.
    `refs`, when given, is filled with {note id: its reference} (snapshots keep it, to tell
    the same note apart in two documents)."""
    order = list(Block)
    notes = sorted(canvas.notes.all(), key=lambda note: (order.index(note.block), note.position, note.pk))
    refs = {} if refs is None else refs
    refs.update({note.pk: f"n{index}" for index, note in enumerate(notes, 1)})
    document = {
        "format": FORMAT,
        "version": VERSION,
        "canvas": {
            "title": canvas.title,
            "description": canvas.description,
            "language": canvas.language,
            "currency": canvas.currency,
            "guided": canvas.guided,
        },
        "notes": [{"ref": refs[note.pk], **{name: getattr(note, name) for name in NOTE_FIELDS}} for note in notes],
    }
    document["comments"] = _comments(canvas, refs)
    with translation.override(canvas.language or None):
        describe_canvas.send(sender=Canvas, canvas=canvas, document=document, note_refs=refs, for_markdown=for_markdown)
    return document


def _comments(canvas: Canvas, refs: dict[int, str]) -> list[dict]:
    """The threads on the notes, each with its replies: who wrote what, and whether resolved."""
    comments = list(Comment.objects.filter(canvas=canvas, note_id__in=refs).select_related("author").order_by("created_at", "pk"))
    threads = []
    for thread in (c for c in comments if c.parent_id is None):
        replies = [c for c in comments if c.parent_id == thread.pk]
        threads.append({
            "note": refs[thread.note_id], **_comment(thread), "resolved": thread.is_resolved,
            "replies": [_comment(reply) for reply in replies],
        })  # fmt: skip
    return threads


def _comment(comment: Comment) -> dict:
    return {"author": comment.author.get_username() if comment.author else "", "text": comment.text}


def as_markdown(document: dict) -> str:
    """`# Title`, a `## Block` heading per block in the canvas' language, `- note` items, and
    what other apps add under a note (a segment's details) as nested lists."""
    canvas = document["canvas"]
    lines = [f"# {canvas['title']}", ""]
    if canvas["description"]:
        lines += [canvas["description"], ""]
    details = document.get("note_details", {})
    with translation.override(canvas["language"] or None):
        for block in Block:
            lines.append(f"## {block.label}")
            for note in (note for note in document["notes"] if note["block"] == block):
                lines.append(f"- {_one_line(note['text'])}")
                lines += [f"  {line}" for line in details.get(note["ref"], [])]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def as_csv(document: dict) -> str:
    """One row per note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ref", *NOTE_FIELDS])
    for note in document["notes"]:
        writer.writerow([note["ref"], *(note[name] for name in NOTE_FIELDS)])
    return out.getvalue()
