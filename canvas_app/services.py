"""Use cases that span several models."""

from __future__ import annotations

from django.db import transaction

from .models import LEARNING_CARD, TEST_CARD, Action, Canvas, Membership, Note, Role, recording
from .signals import canvas_duplicated, notes_placed


def duplicate_canvas(*, canvas: Canvas, user, title: str) -> Canvas:
    """A new canvas owned by `user` with a copy of every live note, in the same places."""
    with transaction.atomic():
        copy = Canvas.objects.create(
            title=title[: Canvas._meta.get_field("title").max_length],
            description=canvas.description,
            language=canvas.language,
            currency=canvas.currency,
            created_by=user,
        )
        Membership.objects.create(canvas=copy, user=user, role=Role.OWNER)
        with recording(copy, by=user, action=Action.ADD, target=copy, data={"copied_from": canvas.pk}):
            sources = list(canvas.notes.order_by("block", "position"))
            copies = Note.objects.bulk_create(
                Note(
                    canvas=copy,
                    block=n.block,
                    text=n.text,
                    colour=n.colour,
                    position=n.position,
                    relationship_type=n.relationship_type,
                    status=n.status,
                    **{name: getattr(n, name) for name in (*TEST_CARD, *LEARNING_CARD)},
                )
                for n in sources
            )
            note_map = {source.pk: copied for source, copied in zip(sources, copies, strict=True)}
            canvas_duplicated.send(sender=Canvas, source=canvas, copy=copy, note_map=note_map)
            notes_placed.send(sender=Canvas, canvas=copy, notes=copies)
    return copy
