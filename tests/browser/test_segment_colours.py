"""Segments stand apart on the board: three segments added there come out in three colours
(and three letters), the legend names them, and a note is linked to them from its picker,
with the mouse and with the keyboard, without a reload."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas
from segments.charts import palette_colours
from segments.models import Segment
from tests.browser.conftest import expect_settled, log_in
from tests.segments.factories import make_note

SHOTS = Path("/tmp/shots")
MARKER = "window.lienzoMarker"
NAMES = ["Oficinas del centro", "Estudiantes", "Familias con niños"]


def rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))


def background(page: Page, selector: str) -> str:
    return page.locator(selector).evaluate("e => getComputedStyle(e).backgroundColor")


def add_segments(page: Page) -> list[Segment]:
    field = page.locator("#add-customer_segments-text")
    for name in NAMES:
        field.click()
        field.press_sequentially(name)
        field.press("Enter")
        expect(page.locator("#notes-customer_segments .note__text").last).to_have_text(name)
        expect(field).to_have_value("")
    return list(Segment.objects.filter(note__text__in=NAMES).order_by("note__position"))


def test_three_segments_three_colours_a_legend_and_linking_from_the_board(page: Page, canvas: Canvas, editor) -> None:
    offer = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado cada semana")
    SHOTS.mkdir(exist_ok=True)
    log_in(page, editor.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/canvases/{canvas.pk}/")
    page.evaluate(f"{MARKER} = 'no reload'")

    # Three segments added on the board: three colours, three letters.
    segments = add_segments(page)
    assert [(s.colour, s.letter) for s in segments] == [(1, "A"), (2, "B"), (3, "C")]
    marks = [f"#note-{s.note_id} .note__segment-mark" for s in segments]
    shown = [background(page, mark) for mark in marks]
    assert shown == [rgb(palette_colours()[s.colour][0]) for s in segments]
    assert len(set(shown)) == 3
    expect(page.locator(".note__segment-mark")).to_have_text(["A", "B", "C"])

    # The legend names them, each in its colour, linking to its page.
    legend = page.locator("#segment-legend")
    expect(legend).to_be_visible()
    items = legend.locator("a")
    expect(items).to_have_count(3)
    for item, segment, colour in zip(items.all(), segments, shown, strict=True):
        expect(item).to_contain_text(segment.name)
        expect(item).to_have_attribute("href", f"/canvases/{canvas.pk}/segments/{segment.pk}/")
        assert item.locator(".marker").evaluate("e => getComputedStyle(e).backgroundColor") == colour

    # The value proposition gets its picker once the board knows of segments (the live board).
    toggle = page.locator(f"#note-{offer.pk}-segments-toggle")
    expect(toggle).to_be_visible(timeout=12_000)
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # Open it, link "Estudiantes" with one click: saved at once, the marker shows in its colour.
    toggle.click()
    panel = page.locator(f"#note-{offer.pk}-segments-panel")
    expect(panel).to_be_visible()
    expect_settled(page.locator(f"#note-{offer.pk}-segments"))
    first = page.locator(f"#note-{offer.pk}-segment-{segments[0].pk}")
    expect(first).to_be_focused()
    students = page.locator(f"#note-{offer.pk}-segment-{segments[1].pk}")
    expect(students).to_have_attribute("aria-pressed", "false")
    students.click()
    expect(students).to_have_attribute("aria-pressed", "true")
    expect(students).to_be_focused()
    assert list(offer.segments.values_list("pk", flat=True)) == [segments[1].pk]
    marker = page.locator(f"#note-{offer.pk}-segments-toggle .marker")
    expect(marker).to_have_text(["B"])
    assert marker.evaluate("e => getComputedStyle(e).backgroundColor") == shown[1]
    page.screenshot(path=SHOTS / "segments-board-1280.png")

    # By keyboard: Shift+Tab to the first segment, Space links it too; Escape closes the picker.
    page.keyboard.press("Shift+Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#note-{offer.pk}-segments-toggle .marker")).to_have_text(["A", "B"])
    assert sorted(offer.segments.values_list("pk", flat=True)) == [segments[0].pk, segments[1].pk]
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(page.locator(f"#note-{offer.pk}-segments-toggle")).to_be_focused()
    expect(page.locator(f"#note-{offer.pk}-segments-toggle")).to_have_attribute("aria-expanded", "false")

    assert page.evaluate(MARKER) == "no reload"

    # On a phone: the same marks, the legend and the picker, no sideways scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/canvases/{canvas.pk}/")
    expect(page.locator("#segment-legend a")).to_have_count(3)
    block = page.locator("#block-value_propositions .block__toggle")
    if block.is_visible() and block.get_attribute("aria-expanded") == "false":  # a list of closed blocks
        block.click()
    page.locator(f"#note-{offer.pk}-segments-toggle").click()
    expect(page.locator(f"#note-{offer.pk}-segments-panel")).to_be_visible()
    page.locator(f"#note-{offer.pk}").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "segments-board-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_picking_notes_and_a_colour_on_the_segment_page(page: Page, canvas: Canvas, editor) -> None:
    channel = make_note(canvas, Block.CHANNELS, "Tienda online")
    offer = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café fresco")
    note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Oficinas")
    Segment.ensure_for_notes([note])
    segment = Segment.objects.get(note=note)
    log_in(page, editor.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/")
    page.evaluate(f"{MARKER} = 'no reload'")

    # Each tick is saved at once; the focus stays on it.
    notes_url = f"/canvases/{canvas.pk}/segments/{segment.pk}/notes/"
    with page.expect_response(lambda response: response.url.endswith(notes_url)) as saved:
        page.locator(f"#served-note-{channel.pk}").check()
    assert saved.value.ok
    expect_settled(page.locator("#served"))
    expect(page.locator(f"#served-note-{channel.pk}")).to_be_checked()
    expect(page.locator(f"#served-note-{channel.pk}")).to_be_focused()
    assert list(segment.linked_notes.values_list("pk", flat=True)) == [channel.pk]
    page.keyboard.press("Shift+Tab")  # the value proposition, listed first
    expect(page.locator(f"#served-note-{offer.pk}")).to_be_focused()
    with page.expect_response(lambda response: response.url.endswith(notes_url)):
        page.keyboard.press("Space")
    expect_settled(page.locator("#served"))
    expect(page.locator(f"#served-note-{offer.pk}")).to_be_checked()
    assert sorted(segment.linked_notes.values_list("pk", flat=True)) == sorted([channel.pk, offer.pk])

    # A colour from the palette, saved at once: the heading's mark follows.
    page.locator("label[for=segment-colour-7]").click()
    expect(page.locator("#segment-colour [role=status]")).to_have_text("Colour saved.")
    expect(page.locator("#segment-colour-7")).to_be_focused()
    segment.refresh_from_db()
    assert segment.colour == 7
    heading_mark = page.locator("#segment-name .segment-swatch")
    expect(heading_mark).to_have_text("A")
    assert heading_mark.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(palette_colours()[7][0])
    assert page.evaluate(MARKER) == "no reload"
    page.screenshot(path=SHOTS / "segments-page-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#served").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "segments-page-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
