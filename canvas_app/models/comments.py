"""Comments: threads on a note (a segment's thread is its note's), with @mentions of members,
resolved and reopened. A comment is content of the canvas: adding, resolving and reopening
are recorded changes, so the history, the live board and the note's count follow."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import CanvasContent
from .notes import Note

TEXT_LENGTH = 2000
#: At most this many mention emails an hour from one person.
MENTION_MAILS_PER_HOUR = 20
_MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")


def mentioned_names(text: str) -> list[str]:
    """The user names written as @name in `text`, in order, once each."""
    return list(dict.fromkeys(_MENTION.findall(text)))


class Comment(CanvasContent):
    canvas = models.ForeignKey("canvas_app.Canvas", on_delete=models.CASCADE, related_name="comments")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    #: The thread's first comment; None for that first comment itself.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("comment"), max_length=TEXT_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    #: A thread's state (on its first comment): resolved, and by whom.
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("resolved by")
    )
    #: The user names this comment's mentions were mailed to.
    mailed = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["note", "created_at", "pk"]
        indexes = [models.Index(fields=["canvas", "note"], name="comment_of_note")]

    def __str__(self) -> str:
        return self.text[:80]

    def changed_canvas(self):
        return self.canvas

    def history_about(self) -> tuple[int | None, str, str]:
        return self.note_id, self.note.block, self.text

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    def resolve(self, *, by) -> None:
        self.resolved_at, self.resolved_by = timezone.now(), by
        self.save_changes(by=by, fields=["resolved_at", "resolved_by"])

    def reopen(self, *, by) -> None:
        self.resolved_at, self.resolved_by = None, None
        self.save_changes(by=by, fields=["resolved_at", "resolved_by"])


def mails_left(author) -> int:
    """How many mention emails `author` may still send this hour."""
    since = timezone.now() - timedelta(hours=1)
    sent = sum(len(mailed) for mailed in Comment.objects.filter(author=author, created_at__gt=since).values_list("mailed", flat=True))
    return max(0, MENTION_MAILS_PER_HOUR - sent)


def open_counts(canvas_id: int, note_ids: list[int] | None = None) -> dict[int, int]:
    """{note id: comments in its open threads}, in one query."""
    comments = Comment.objects.filter(canvas_id=canvas_id).filter(
        Q(parent__isnull=True, resolved_at__isnull=True) | Q(parent__isnull=False, parent__resolved_at__isnull=True)
    )
    if note_ids is not None:
        comments = comments.filter(note_id__in=note_ids)
    return dict(comments.values_list("note_id").annotate(n=Count("pk")).values_list("note_id", "n"))
