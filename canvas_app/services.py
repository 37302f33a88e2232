"""Use cases that span several models."""

from __future__ import annotations

from django.db import transaction

from .models import Canvas, Membership, Note, Role


def duplicate_canvas(*, canvas: Canvas, user, title: str) -> Canvas:
    """A new canvas owned by `user` with a copy of every live note, in the same places."""
    with transaction.atomic():
        copy = Canvas.objects.create(
            title=title[: Canvas._meta.get_field("title").max_length],
            description=canvas.description,
            language=canvas.language,
            created_by=user,
        )
        Membership.objects.create(canvas=copy, user=user, role=Role.OWNER)
        Note.objects.bulk_create(
            Note(canvas=copy, block=n.block, text=n.text, colour=n.colour, position=n.position)
            for n in canvas.notes.order_by("block", "position")
        )
    return copy
