"""Scoring segments in a browser: with JavaScript each cell saves as it changes; without
it, one submit saves the whole table."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from segments.models import Score
from tests.browser.conftest import log_in
from tests.segments.factories import make_criterion, make_segment, score


def own_scores(user) -> dict[tuple[str, str], int]:
    return {
        (s.segment.name, s.criterion.name): s.value
        for s in Score.objects.filter(reviewer=user).select_related("segment__note", "criterion")
    }


def test_each_cell_saves_as_it_changes(page: Page, canvas: Canvas, owner, editor) -> None:
    make_segment(canvas, "Cafeterías")
    make_segment(canvas, "Oficinas")
    make_criterion(canvas, "Tamaño", weight=3)
    fit = make_criterion(canvas, "Encaje", axis="ability")
    score(make_segment(canvas, "Hoteles"), fit, owner, 1)
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/prioritisation/scores/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    expect(page.get_by_role("button", name="Save all my scores")).to_be_hidden()

    page.get_by_label("Score of Cafeterías on Tamaño").select_option("4")
    expect(page.locator("#score-status")).to_have_text("Saved: 4 for “Cafeterías” on “Tamaño”.")
    page.get_by_label("Score of Oficinas on Encaje").select_option("2")
    expect(page.locator("#score-status")).to_have_text("Saved: 2 for “Oficinas” on “Encaje”.")
    assert own_scores(editor) == {("Cafeterías", "Tamaño"): 4, ("Oficinas", "Encaje"): 2}

    page.get_by_label("Score of Cafeterías on Tamaño").select_option("")
    expect(page.locator("#score-status")).to_have_text("Your score of “Cafeterías” on “Tamaño” is cleared.")
    assert own_scores(editor) == {("Oficinas", "Encaje"): 2}
    assert own_scores(owner) == {("Hoteles", "Encaje"): 1}

    # The ranking reflects the team's scores.
    page.get_by_role("link", name="Ranking").first.click()
    expect(page.locator("h1")).to_contain_text("Prioritisation")
    expect(page.locator("svg.matrix circle")).to_have_count(0)  # no segment has both axes yet


def test_without_javascript_one_submit_saves_the_table(new_context, canvas: Canvas, editor) -> None:
    page = new_context(java_script_enabled=False).new_page()
    make_segment(canvas, "Cafeterías")
    make_criterion(canvas, "Tamaño", weight=3)
    make_criterion(canvas, "Encaje", axis="ability")
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/prioritisation/scores/")

    page.get_by_label("Score of Cafeterías on Tamaño").select_option("5")
    page.get_by_label("Score of Cafeterías on Encaje").select_option("3")
    page.get_by_role("button", name="Save all my scores").click()

    expect(page.locator(".message--success")).to_have_text("Your scores are saved.")
    expect(page.get_by_label("Score of Cafeterías on Tamaño")).to_have_value("5")
    assert own_scores(editor) == {("Cafeterías", "Tamaño"): 5, ("Cafeterías", "Encaje"): 3}


def test_the_owner_manages_criteria_in_place(page: Page, canvas: Canvas, owner) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    size = make_criterion(canvas, "Tamaño", weight=3)
    make_criterion(canvas, "Encaje", axis="ability")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/prioritisation/criteria/")

    row = page.locator(f"#criterion-{size.pk}")
    row.get_by_label("Weight").fill("7")
    row.get_by_role("button", name="Save Tamaño").click()
    expect(page.locator("#criteria-status")).to_have_text("Criterion “Tamaño” saved.")
    expect(page.locator(f"#criterion-{size.pk}").get_by_label("Weight")).to_have_value("7")

    add = page.locator("#criterion-add")
    add.get_by_label("Name").fill("")
    add.get_by_label("Weight").fill("4")
    add.get_by_role("button", name="Add criterion").click(no_wait_after=True)
    # The browser's own check stops a blank name before it is sent.
    add.get_by_label("Name").fill("Fidelidad")
    add.get_by_role("button", name="Add criterion").click()
    expect(page.locator("#criteria-status")).to_have_text("Criterion “Fidelidad” added.")
    expect(page.locator("#criteria > li")).to_have_count(3)
    expect(page.locator("#criterion-add").get_by_label("Name")).to_have_value("")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#criterion-{size.pk}").get_by_role("button", name="Remove Tamaño").click()
    expect(page.locator("#criteria-status")).to_have_text("Criterion “Tamaño” removed, with its scores.")
    expect(page.locator("#criteria > li")).to_have_count(2)
    assert list(canvas.criteria.values_list("name", "weight")) == [("Encaje", 1), ("Fidelidad", 4)]

    make_segment(canvas, "Cafeterías", estimated_size=50)
    page.goto(f"/canvases/{canvas.pk}/prioritisation/")
    expect(page.get_by_role("img", name=re.compile("attractiveness against our ability"))).to_be_visible()
    expect(page.locator("#warnings")).to_contain_text("Smaller than the smallest useful segment")
    assert errors == []  # among them any breach of the content security policy
