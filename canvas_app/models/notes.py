"""The notes in a canvas' nine blocks, and the order they stand in."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..signals import notes_placed
from .canvas import Block, Canvas, Colour, RelationshipType
from .changes import Action, recording, values_of
from .content import VersionedModel


class Evidence(models.TextChoices):
    """How far a note is from an idea to a fact (Strategyzer's testing cards): a note starts
    as an idea, becomes a hypothesis to test, is being tested, and ends validated or not."""

    IDEA = "idea", pgettext_lazy("evidence", "Idea")
    HYPOTHESIS = "hypothesis", pgettext_lazy("evidence", "Hypothesis")
    TESTING = "testing", pgettext_lazy("evidence", "Testing")
    VALIDATED = "validated", pgettext_lazy("evidence", "Validated")
    INVALIDATED = "invalidated", pgettext_lazy("evidence", "Invalidated")


#: The test card (We believe that... / To verify it we will... / And measure... / We are
#: right if...) and the learning card (We observed... / From that we learned... / Therefore
#: we will...), field by field, with what each line begins with.
TEST_CARD = {
    "test_believe": _("We believe that…"),
    "test_verify": _("To verify it we will…"),
    "test_measure": _("And measure…"),
    "test_right_if": _("We are right if…"),
}
LEARNING_CARD = {
    "learning_observed": _("We observed…"),
    "learning_learned": _("From that we learned…"),
    "learning_therefore": _("Therefore we will…"),
}
CARD_LENGTH = 500


def _card_field(label) -> models.CharField:
    return models.CharField(label, max_length=CARD_LENGTH, blank=True)


def validated_share(notes: list[Note]) -> dict:
    """How much of the canvas is validated: notes validated, of how many."""
    validated = sum(1 for note in notes if note.status == Evidence.VALIDATED)
    return {"validated": validated, "notes": len(notes), "share": validated / len(notes) if notes else 0.0}


class NoteGoneError(Exception):
    """The note was deleted (by someone else, a moment ago): there is nothing to act on."""


class LiveNoteManager(models.Manager):
    """Notes that have not been deleted (deleted ones wait a while for an undo)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


# Positions are rewritten in two steps: first every affected note is pushed far above
# any real position, then each gets its final 1..n value. A row never lands on a position
# another live row still holds, so the unique index stays valid after every row.
_POSITION_SHIFT = 1_000_000
#: Deleted notes can be brought back for this long.
UNDO_WINDOW = timedelta(days=1)


class Note(VersionedModel):
    TEXT_MAX_LENGTH = 500

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="notes")
    block = models.CharField(_("block"), max_length=32, choices=Block.choices)
    text = models.CharField(_("text"), max_length=TEXT_MAX_LENGTH)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, default=Colour.YELLOW)
    position = models.PositiveIntegerField(_("position"))
    relationship_type = models.CharField(
        _("relationship type"), max_length=24, choices=RelationshipType.choices, blank=True
    )
    status = models.CharField(_("evidence"), max_length=12, choices=Evidence.choices, default=Evidence.IDEA)
    test_believe = _card_field(TEST_CARD["test_believe"])
    test_verify = _card_field(TEST_CARD["test_verify"])
    test_measure = _card_field(TEST_CARD["test_measure"])
    test_right_if = _card_field(TEST_CARD["test_right_if"])
    learning_observed = _card_field(LEARNING_CARD["learning_observed"])
    learning_learned = _card_field(LEARNING_CARD["learning_learned"])
    learning_therefore = _card_field(LEARNING_CARD["learning_therefore"])
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveNoteManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["canvas", "block", "position"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["canvas", "block", "position"],
                condition=Q(deleted_at__isnull=True),
                name="one_live_note_per_position",
            ),
        ]
        indexes = [models.Index(fields=["canvas", "block", "position"], name="note_board_order")]

    def __str__(self) -> str:
        return self.text[:60]

    def changed_canvas(self) -> Canvas:
        return self.canvas

    def history_about(self) -> tuple[int | None, str, str]:
        return self.pk, self.block, self.text

    def place(self) -> dict:
        return {"block": self.block, "position": self.position}

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def has_cards(self) -> bool:
        return any(getattr(self, name) for name in (*TEST_CARD, *LEARNING_CARD))

    @property
    def has_relationship_type(self) -> bool:
        return self.block == Block.CUSTOMER_RELATIONSHIPS

    def edit(self, *, by=None, **values) -> bool:
        """Change these fields unless the note changed since this instance was read: then
        nothing is saved and the answer is False."""
        before = values_of(self, values)
        for name, value in values.items():
            setattr(self, name, value)
        self.updated_at = timezone.now()
        return self.save_if_unchanged(fields=[*values, "updated_at"], by=by, before=before)

    def move(self, *, block: str, position: int, by=None) -> None:
        """Put this note at `position` (1-based, clamped) in `block`, closing the gap it
        leaves. NoteGoneError if it was deleted meanwhile; CanvasFullError if `block` is
        Customer Segments and holds as many segments as a canvas may."""
        with recording(self.canvas, by=by, action=Action.MOVE, target=self) as change:
            current = Note.objects.filter(pk=self.pk).first()  # the truth, under the canvas lock
            if current is None:
                raise NoteGoneError
            change.data["before"] = current.place()
            if block != current.block:
                self.canvas.check_room_for(block, moving_within=True)
            source = _live_notes(self.canvas_id, current.block, exclude=self.pk)
            target = source if block == current.block else _live_notes(self.canvas_id, block)
            index = min(max(position, 1), len(target) + 1) - 1
            target.insert(index, current)
            current.block = block
            _renumber(source, target)
            self.block, self.position = current.block, current.position
            self.text = current.text  # for the record's label
            change.data["after"] = current.place()
            if change.data["after"] == change.data["before"]:
                change.cancel()  # already there: nothing to record or undo
                return
            notes_placed.send(sender=Canvas, canvas=self.canvas, notes=[current])

    def move_by(self, offset: int, *, by=None) -> None:
        """One place up (-1) or down (+1) within its block."""
        current = Note.objects.filter(pk=self.pk).values_list("block", "position").first()
        if current is None:
            raise NoteGoneError
        self.move(block=current[0], position=current[1] + offset, by=by)

    def delete_softly(self, *, by=None) -> None:
        """Take the note off the board, keeping it for an undo."""
        with recording(self.canvas, by=by, action=Action.DELETE, target=self) as change:
            self.refresh_from_db(fields=["block", "position", "deleted_at"])
            if self.is_deleted:
                change.cancel()
                return
            change.data["before"] = self.place()
            self.deleted_at = timezone.now()
            self.save(update_fields=["deleted_at"])
            _renumber(_live_notes(self.canvas_id, self.block))
            # Deleted notes older than the undo window can no longer come back.
            Note.all_objects.filter(canvas_id=self.canvas_id, deleted_at__lt=timezone.now() - UNDO_WINDOW).delete()

    def restore(self, *, by=None) -> None:
        """Undo a deletion: the note returns where it was (or to the end if the block shrank).
        CanvasFullError if the canvas filled up meanwhile."""
        with recording(self.canvas, by=by, action=Action.RESTORE, target=self) as change:
            self.refresh_from_db(fields=["block", "position", "deleted_at"])
            if not self.is_deleted:
                change.cancel()
                return
            self.canvas.check_room_for(self.block)
            notes = _live_notes(self.canvas_id, self.block)
            notes.insert(min(max(self.position, 1), len(notes) + 1) - 1, self)
            # Back among the live notes, but parked clear of their positions until renumbered.
            self.deleted_at = None
            self.position = 2 * _POSITION_SHIFT
            self.save(update_fields=["deleted_at", "position"])
            _renumber(notes)
            change.data["after"] = self.place()
            notes_placed.send(sender=Canvas, canvas=self.canvas, notes=[self])


def _live_notes(canvas_id: int, block: str, *, exclude: int | None = None) -> list[Note]:
    notes = Note.objects.filter(canvas_id=canvas_id, block=block).order_by("position")
    if exclude is not None:
        notes = notes.exclude(pk=exclude)
    return list(notes.only("pk", "block", "position"))


def _renumber(*blocks: list[Note]) -> None:
    """Give the notes of each list positions 1..n in list order (and their list's block)."""
    notes = [note for block in {id(b): b for b in blocks}.values() for note in block]
    if not notes:
        return
    Note.objects.filter(pk__in=[n.pk for n in notes]).update(position=F("position") + _POSITION_SHIFT)
    for block in {id(b): b for b in blocks}.values():
        for index, note in enumerate(block, start=1):
            note.position = index
    Note.objects.bulk_update(notes, ["block", "position"])
