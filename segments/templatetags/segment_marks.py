"""Template tags for what segments add to the board's templates."""

from __future__ import annotations

from django import template

from canvas_app.models import Block

from ..board import deletion_notice

register = template.Library()


@register.simple_tag
def segment_deletion_notice(note) -> str:
    """What went with a deleted note that stood for a segment ("" for any other note)."""
    return deletion_notice(note) if getattr(note, "block", "") == Block.CUSTOMER_SEGMENTS else ""
