"""How segments are told apart: each has a colour of the segment palette and a letter.

A new segment takes the first colour no other segment of its canvas uses (once all are in
use, the least used, in palette order) and the first letter no other one uses, so three new
segments never look alike. Both stay with the segment: renaming, reordering or deleting
others changes neither. The palette's values are in static/css/palette.css, its names here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from string import ascii_uppercase

from django.db import models
from django.utils.translation import pgettext_lazy


class SegmentColour(models.IntegerChoices):
    """The segment palette (--segment-<n> in static/css/palette.css), in the order new
    segments take it."""

    ROSE = 1, pgettext_lazy("segment colour", "Rose")
    INDIGO = 2, pgettext_lazy("segment colour", "Indigo")
    SAND = 3, pgettext_lazy("segment colour", "Sand")
    GREEN = 4, pgettext_lazy("segment colour", "Green")
    CYAN = 5, pgettext_lazy("segment colour", "Cyan")
    WINE = 6, pgettext_lazy("segment colour", "Wine")
    TEAL = 7, pgettext_lazy("segment colour", "Teal")
    OLIVE = 8, pgettext_lazy("segment colour", "Olive")
    PURPLE = 9, pgettext_lazy("segment colour", "Purple")
    GREY = 10, pgettext_lazy("segment colour", "Pale grey")


def letter_for(index: int) -> str:
    """The letter of the `index`-th segment (0-based): A … Z, then AA, AB …"""
    if index < 0:
        raise ValueError(index)
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = ascii_uppercase[rest] + letters
    return letters


def next_marks(
    used_colours: Iterable[int], used_letters: Iterable[str], *, count: int, palette_size: int
) -> list[tuple[int, str]]:
    """(colour, letter) for `count` new segments of a canvas whose segments already have
    these colours (1 … palette_size) and letters, in the order the new ones come."""
    uses = Counter({colour: 0 for colour in range(1, palette_size + 1)})
    uses.update(colour for colour in used_colours if 1 <= colour <= palette_size)
    taken = set(used_letters)
    marks = []
    index = 0
    for _ in range(count):
        colour = min(uses, key=lambda c: (uses[c], c))
        uses[colour] += 1
        while letter_for(index) in taken:
            index += 1
        letter = letter_for(index)
        taken.add(letter)
        marks.append((colour, letter))
    return marks
