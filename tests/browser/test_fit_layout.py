"""The customer profile and the value map side by side on a wide screen, each list across
from the one that addresses it; stacked, pair by pair, on a phone with no sideways scroll."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from tests.browser.conftest import log_in
from tests.segments.factories import make_profile_item, make_segment, make_value_item

PAIRS = [("job", "product"), ("pain", "reliever"), ("gain", "creator")]


def a_fit(canvas: Canvas):
    segment = make_segment(canvas, "Oficinas con cafetera")
    cook = make_profile_item(segment, "job", "Preparar café para el equipo", 3)
    make_profile_item(segment, "job", "Pedir café sin pensar", 1)
    stale = make_profile_item(segment, "pain", "El café llega rancio", 3)
    make_profile_item(segment, "pain", "La máquina se avería", 2)
    aroma = make_profile_item(segment, "gain", "Aroma intenso", 2)
    make_value_item(segment, "product", "Suscripción mensual", addresses=[cook])
    make_value_item(segment, "reliever", "Tueste semanal", addresses=[stale])
    make_value_item(segment, "creator", "Catas en la oficina", addresses=[aroma])
    return segment


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_side_by_side_on_a_wide_screen(new_context, canvas: Canvas, editor) -> None:
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    segment = a_fit(canvas)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/fit/")
    # 3 + 3 + 2 of 3 + 1 + 3 + 2 + 2 = 8 of 11.
    expect(page.locator("#fit-score")).to_contain_text("73%")
    for profile, value in PAIRS:
        left, right = box(page, f"#profile-{profile}-title"), box(page, f"#value-{value}-title")
        assert left["x"] + left["width"] <= right["x"], f"{value} is not right of {profile}"
        assert abs(left["y"] - right["y"]) < 2, f"{profile} and {value} do not start on one line"
    assert box(page, "#profile-job-title")["y"] < box(page, "#profile-pain-title")["y"] < box(page, "#profile-gain-title")["y"]
    expect(page.locator(".fit-board__heads")).to_be_visible()
    # The column heads say which side is which: each list's own label is for screen readers.
    assert box(page, "#value-product-title .fit-group__side")["width"] <= 1
    page.screenshot(path="/tmp/shots/smaller-fit-1280.png", full_page=True, caret="initial")


def test_stacked_pair_by_pair_on_a_phone(new_context, canvas: Canvas, editor) -> None:
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    segment = a_fit(canvas)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/fit/")
    expect(page.locator("#fit-score")).to_contain_text("73%")
    order = [f"#profile-{profile}-title" for profile, _ in PAIRS]
    tops = []
    for profile, value in PAIRS:
        tops += [box(page, f"#profile-{profile}-title")["y"], box(page, f"#value-{value}-title")["y"]]
    assert tops == sorted(tops), "the lists do not come job, product, pain, reliever, gain, creator"
    assert len({round(box(page, selector)["x"]) for selector in order}) == 1
    expect(page.locator(".fit-board__heads")).to_be_hidden()
    expect(page.locator("#value-product-title .fit-group__side")).to_have_text("Value map:")
    expect(page.locator("#value-product-title .fit-group__side")).to_be_visible()
    width, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"the page scrolls sideways: {width} px wide in {client}"
    page.screenshot(path="/tmp/shots/smaller-fit-390.png", full_page=True, caret="initial")
