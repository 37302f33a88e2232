"""Two teammates describe one segment at once: the second to save sees both texts and chooses."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from segments.models import Segment
from tests.browser.conftest import expect_settled, log_in
from tests.segments.factories import make_segment


def stored(segment: Segment, *fields: str, until: tuple | None = None) -> tuple:
    """The fields as stored; with `until`, re-read for a few seconds until they match (the
    request that wrote them may still be committing)."""
    deadline = time.monotonic() + 5
    while True:
        segment.refresh_from_db()
        values = tuple(getattr(segment, name) for name in fields)
        if until is None or values == until or time.monotonic() > deadline:
            return values
        time.sleep(0.1)


def test_a_conflict_shows_both_descriptions_and_keeps_the_chosen_one(
    page: Page, new_context, canvas: Canvas, owner, editor
) -> None:
    segment = make_segment(canvas, "Cafeterías", description="Pequeñas y de barrio", location="Madrid")
    url = f"/canvases/{canvas.pk}/segments/{segment.pk}/"
    log_in(page, owner.username)
    page.goto(url)
    form = page.locator("#segment-form")

    # My teammate changes the description and saves first.
    theirs = new_context().new_page()
    log_in(theirs, editor.username)
    theirs.goto(url)
    theirs.locator("#segment-form").get_by_label("Description:").fill("Con tostador propio")
    theirs.get_by_role("button", name="Save segment").click()
    expect(theirs.locator("#segment-form [role=status]")).to_have_text("Segment saved.")

    # I change the description too, and the location, and save.
    form.get_by_label("Description:").fill("Abiertas desde las siete")
    form.get_by_label("Location:").fill("Bilbao")
    page.get_by_role("button", name="Save segment").click()

    # Nothing is saved; I see their text beside mine and a choice.
    expect(form.locator("#id_description-theirs blockquote")).to_have_text("Con tostador propio")
    expect_settled(form)
    expect(form.get_by_label("Description:")).to_have_value("Abiertas desde las siete")
    expect(form.locator(".form-errors[role=alert]").first).to_be_visible()
    assert stored(segment, "description", "location") == ("Con tostador propio", "Madrid")

    # I keep theirs, by keyboard, and save: their description stays and my location lands.
    form.get_by_label("Theirs, shown here").focus()
    page.keyboard.press("Space")
    expect(form.get_by_label("Theirs, shown here")).to_be_checked()
    page.get_by_role("button", name="Save segment").click()
    expect(form.locator("[role=status]")).to_have_text("Segment saved.")
    expect(form.get_by_label("Description:")).to_have_value("Con tostador propio")
    until = ("Con tostador propio", "Bilbao")
    assert stored(segment, "description", "location", until=until) == until
