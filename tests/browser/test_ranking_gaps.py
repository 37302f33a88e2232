"""What the ranking leaves out, as the team reads it: a criterion added after the scoring, a
member's unscored criteria, and the owner warned before a demotion drops scores."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from tests.browser.conftest import log_in
from tests.conftest import membership_of
from tests.segments.factories import make_criterion, make_segment, score


def test_the_ranking_says_what_is_missing_and_the_members_page_warns_before_a_demotion(
    page: Page, canvas: Canvas, owner, editor
) -> None:
    cafes, oficinas = make_segment(canvas, "Cafeterías"), make_segment(canvas, "Oficinas")
    size = make_criterion(canvas, "Tamaño", weight=3)
    fit = make_criterion(canvas, "Encaje", axis="ability")
    for segment in (cafes, oficinas):
        for reviewer, value in ((owner, 4), (editor, 3)):
            score(segment, size, reviewer, value)
            score(segment, fit, reviewer, value)
    make_criterion(canvas, "Alcance", weight=2)  # added after everyone scored
    log_in(page, owner.username)

    page.goto(f"/canvases/{canvas.pk}/prioritisation/")
    gaps = page.locator("#missing-scores")
    expect(gaps).to_contain_text("Nobody has scored “Alcance” yet: no segment's score includes it.")
    expect(gaps).to_contain_text("eduardo has not scored: “Alcance” (no segment).")
    expect(page.locator(f"#rank-{cafes.pk} .ranking__left-out")).to_have_text("leaves out “Alcance”, not scored yet")
    expect(page.locator(f"#rank-{cafes.pk} .ranking__missing")).to_have_text("2 scores missing")
    page.screenshot(path="/tmp/shots/smaller-ranking-gaps.png", full_page=True, caret="initial")

    page.goto(f"/canvases/{canvas.pk}/members/")
    row = membership_of(canvas, editor).pk
    role = page.locator(f"#role-{row}")
    expect(role).to_have_accessible_description("As a viewer, their 4 scores will no longer count in the ranking.")
    page.locator(f"#member-{row}").screenshot(path="/tmp/shots/smaller-members-warning.png", caret="initial")
    role.select_option("viewer")
    page.locator(f"#member-{row}").get_by_role("button", name="Change role").click()
    expect(page.locator("#messages")).to_contain_text(
        "eduardo's 4 scores no longer count in the ranking: viewers do not score."
    )

    page.goto(f"/canvases/{canvas.pk}/prioritisation/")
    expect(page.locator(f"#rank-{cafes.pk} td").nth(2)).to_contain_text("1 of 1")
    expect(page.locator("#missing-scores")).not_to_contain_text("eduardo")
