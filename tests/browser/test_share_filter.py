"""The read-only shared board's segment filter applies as soon as it changes, as on the
board; without JavaScript its button submits the choice."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas
from tests.conftest import make_share_link
from tests.segments.factories import make_note, make_segment

MARKER = "window.lienzoMarker"


def a_shared_board(canvas: Canvas, owner):
    cafes, oficinas = make_segment(canvas, "Cafeterías"), make_segment(canvas, "Oficinas")
    fresh = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")
    machine = make_note(canvas, Block.VALUE_PROPOSITIONS, "Máquina en préstamo")
    cafes.linked_notes.add(fresh)
    oficinas.linked_notes.add(machine)
    return make_share_link(canvas, owner), cafes, fresh, machine


def test_the_filter_applies_at_once(page: Page, canvas: Canvas, owner) -> None:
    link, cafes, fresh, machine = a_shared_board(canvas, owner)
    page.goto(f"/s/{link.token}/")
    page.evaluate(f"{MARKER} = 1")
    expect(page.get_by_role("button", name="Highlight")).to_be_hidden()

    page.get_by_label("Highlight the notes of").select_option(label="Cafeterías")
    expect(page.locator(f"#note-{fresh.pk}")).to_have_class(re.compile(r".*\bnote--highlighted\b.*"))
    expect(page.locator(f"#note-{machine.pk}")).to_have_class(re.compile(r".*\bnote--dimmed\b.*"))
    assert page.url.endswith(f"/s/{link.token}/?filter=segment-{cafes.pk}")

    page.get_by_label("Highlight the notes of").select_option("")
    expect(page.locator(".note--highlighted, .note--dimmed")).to_have_count(0)
    assert page.url.endswith(f"/s/{link.token}/")
    assert page.evaluate(MARKER) == 1, "the page reloaded"


def test_without_javascript_the_button_applies_it(new_context, canvas: Canvas, owner) -> None:
    page = new_context(java_script_enabled=False).new_page()
    link, cafes, fresh, machine = a_shared_board(canvas, owner)
    page.goto(f"/s/{link.token}/")
    page.get_by_label("Highlight the notes of").select_option(label="Cafeterías")
    page.get_by_role("button", name="Highlight").click()
    expect(page.locator(f"#note-{fresh.pk}")).to_have_class(re.compile(r".*\bnote--highlighted\b.*"))
    expect(page.locator(f"#note-{machine.pk}")).to_have_class(re.compile(r".*\bnote--dimmed\b.*"))
    assert page.url.endswith(f"?filter=segment-{cafes.pk}")
