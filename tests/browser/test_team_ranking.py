"""Two teammates score the same segments in their own browsers; the ranking and the spread
the page shows are those computed by hand below."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from tests.browser.conftest import log_in
from tests.segments.factories import make_criterion, make_segment

# Criteria: Tamaño (weight 3, attractiveness) and Encaje (weight 1, ability).
SCORES = {
    "owner": {("Cafeterías", "Tamaño"): "5", ("Cafeterías", "Encaje"): "2", ("Oficinas", "Tamaño"): "3", ("Oficinas", "Encaje"): "4"},
    "editor": {("Cafeterías", "Tamaño"): "3", ("Cafeterías", "Encaje"): "4", ("Oficinas", "Tamaño"): "2", ("Oficinas", "Encaje"): "5"},
}
# By hand:
#   Cafeterías: Tamaño mean (5+3)/2 = 4.0, spread 2; Encaje mean (2+4)/2 = 3.0, spread 2;
#               score (3 × 4.0 + 1 × 3.0) / 4 = 3.75
#   Oficinas:   Tamaño mean (3+2)/2 = 2.5, spread 1; Encaje mean (4+5)/2 = 4.5, spread 1;
#               score (3 × 2.5 + 1 × 4.5) / 4 = 3.00
# so Cafeterías ranks first although Oficinas comes first on the board.


def score_everything(page: Page, canvas: Canvas, username: str, scores: dict) -> None:
    log_in(page, username)
    page.goto(f"/canvases/{canvas.pk}/prioritisation/scores/")
    for (segment, criterion), value in scores.items():
        page.get_by_label(f"Score of {segment} on {criterion}").select_option(value)
        expect(page.locator("#score-status")).to_have_text(f"Saved: {value} for “{segment}” on “{criterion}”.")


def test_two_reviewers_rank_the_segments_as_computed_by_hand(new_context, canvas: Canvas, owner, editor) -> None:
    offices = make_segment(canvas, "Oficinas")
    cafes = make_segment(canvas, "Cafeterías")
    make_criterion(canvas, "Tamaño", weight=3)
    make_criterion(canvas, "Encaje", weight=1, axis="ability")

    score_everything(new_context().new_page(), canvas, editor.username, SCORES["editor"])
    page = new_context().new_page()
    score_everything(page, canvas, owner.username, SCORES["owner"])

    page.goto(f"/canvases/{canvas.pk}/prioritisation/")
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_contain_text("Cafeterías")
    expect(rows.nth(1).locator("th")).to_contain_text("Oficinas")

    cafes_row, offices_row = page.locator(f"#rank-{cafes.pk}"), page.locator(f"#rank-{offices.pk}")
    expect(cafes_row.locator("td").nth(0)).to_have_text("1")
    expect(cafes_row.locator(".ranking__score")).to_have_text("3.75")
    expect(offices_row.locator("td").nth(0)).to_have_text("2")
    expect(offices_row.locator(".ranking__score")).to_have_text("3.00")
    for row in (cafes_row, offices_row):
        expect(row.locator("td").nth(2)).to_have_text("2 of 2")  # scored by both reviewers

    expect(cafes_row.locator(".ranking__mean")).to_have_text(["4.0", "3.0"])
    expect(cafes_row.locator(".ranking__spread")).to_have_text(["⚠ disagreement, spread 2"] * 2)
    expect(cafes_row.locator(".ranking__cell--disagree")).to_have_count(2)
    expect(offices_row.locator(".ranking__mean")).to_have_text(["2.5", "4.5"])
    expect(offices_row.locator(".ranking__spread")).to_have_text(["spread 1"] * 2)
    expect(offices_row.locator(".ranking__cell--disagree")).to_have_count(0)

    # The matrix places each segment by its axes: attractiveness from Tamaño, ability from Encaje.
    data = page.locator("table.matrix-data tbody tr")
    expect(data.nth(0)).to_contain_text("Cafeterías")
    expect(data.nth(0).locator("td")).to_have_text(["4.0", "3.0", "not known"])
    expect(data.nth(1).locator("td")).to_have_text(["2.5", "4.5", "not known"])
    expect(page.locator("svg.matrix circle[data-segment]")).to_have_count(2)  # the bubbles (their letters sit on discs)
