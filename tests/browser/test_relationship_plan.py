"""A team writes a segment's relationship plan: touchpoints at two stages of the lifecycle,
each added in place, and sees the stages still empty flagged, on the plan and in the ranking."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas
from tests.browser.conftest import log_in
from tests.segments.factories import make_segment


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_touchpoints_at_two_stages_leave_three_flagged(new_context, canvas: Canvas, editor, viewport) -> None:
    segment = make_segment(canvas, "Oficinas pequeñas")
    canvas.add_note(block=Block.CHANNELS, text="Mercado del barrio")
    page: Page = new_context(viewport=viewport).new_page()
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/")
    page.get_by_role("link", name="Relationship plan", exact=True).click()
    page.evaluate("window.lienzoMarker = 'no reload'")

    touchpoints = page.get_by_role("region", name="Channels and touchpoints")
    for stage, text, channel in (("Awareness", "Cata en el mercado", "Mercado del barrio"), ("Purchase", "Pedido por web", None)):
        touchpoints.get_by_label("Touchpoint").fill(text)
        touchpoints.get_by_label("Stage").select_option(label=stage)
        if channel:
            touchpoints.get_by_label("Channel on the board").select_option(label=channel)
        touchpoints.get_by_role("button", name="Add").click()
        expect(touchpoints.locator(".fit-item__text", has_text=text)).to_be_visible()

    lifecycle = page.get_by_role("region", name="Lifecycle")
    expect(lifecycle.get_by_role("status")).to_have_text("No touchpoint yet at these stages: Evaluation, Delivery, After-sales.")
    expect(lifecycle.locator(".lifecycle__stage--empty")).to_have_count(3)
    expect(lifecycle.locator(".lifecycle__stage", has_text="Awareness")).to_contain_text("Mercado del barrio")
    assert page.evaluate("window.lienzoMarker") == "no reload"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # The ranking's things to check name the segment and the empty stages.
    page.goto(f"/canvases/{canvas.pk}/prioritisation/")
    warning = page.locator(f"#warnings-{segment.pk}")
    expect(warning).to_contain_text("Its relationship plan has no touchpoint yet at: Evaluation, Delivery, After-sales.")
