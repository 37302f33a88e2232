"""The one palette colours the board: each note in its colour, each segment marker in its mark."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from canvas_app.models import Block, Canvas, Colour
from segments.charts import PALETTE
from tests.browser.conftest import log_in


def palette(kind: str) -> dict[str, tuple[int, int, int]]:
    found = re.findall(rf"--{kind}-([a-z]+):\s*#([0-9a-f]{{6}})", PALETTE.read_text(encoding="utf-8"))
    return {name: tuple(int(value[i : i + 2], 16) for i in (0, 2, 4)) for name, value in found}


def test_every_note_colour_and_mark_shows_as_the_palette_defines_it(page: Page, canvas: Canvas, owner) -> None:
    notes = {colour: canvas.add_note(block=Block.CHANNELS, text=colour, colour=colour) for colour in Colour.values}
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    shown = {
        colour: page.locator(f"#note-{note.pk}").evaluate("e => getComputedStyle(e).backgroundColor")
        for colour, note in notes.items()
    }
    expected = {colour: "rgb({}, {}, {})".format(*rgb) for colour, rgb in palette("note").items()}
    assert shown == expected
