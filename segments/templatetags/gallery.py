"""For pages outside this app that point to the example gallery (the dashboard)."""

from __future__ import annotations

from django import template

from ..gallery.examples import Example, examples

register = template.Library()


@register.simple_tag
def gallery_examples() -> list[Example]:
    """The examples, in the active language."""
    return examples()
