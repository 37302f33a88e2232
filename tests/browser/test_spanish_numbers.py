"""Numbers and money as the browser's language writes them: Spanish 1.800.000 € and 4,1;
English €1,800,000 and 4.1 (the same canvas, counted in euros, read in both)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from tests.browser.conftest import log_in
from tests.segments.factories import make_criterion, make_segment, score

NBSP = "\u00a0"


@pytest.fixture
def ranked(canvas: Canvas, owner, editor):
    """A segment of 1,800,000 customers worth €1,800,000 a year, whose attractiveness is 4.1:
    Tamaño (weight 9) scored 4 by both reviewers and Margen (weight 1) scored 5, so
    (9 × 4 + 1 × 5) / 10 = 4.1; the team's score is the same 4.1."""
    canvas.currency = "EUR"
    canvas.save(update_fields=["currency"])
    segment = make_segment(canvas, "Cafeterías", estimated_size=1_800_000, revenue_potential=1_800_000)
    size = make_criterion(canvas, "Tamaño", weight=9)
    margin = make_criterion(canvas, "Margen", weight=1)
    for reviewer in (owner, editor):
        score(segment, size, reviewer, 4)
        score(segment, margin, reviewer, 5)
    return segment


def facts(page: Page) -> dict[str, str]:
    terms = page.locator(".segment-facts dt").all_inner_texts()
    values = page.locator(".segment-facts dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def read_figures(page: Page, canvas: Canvas, segment, viewer) -> tuple[dict[str, str], str, str]:
    log_in(page, viewer.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{segment.pk}/")
    found = facts(page)
    page.goto(f"/canvases/{canvas.pk}/prioritisation/")
    score_cell = page.locator(f"#rank-{segment.pk} .ranking__score").inner_text()
    attractiveness = page.locator("table.matrix-data tbody tr").first.locator("td").first.inner_text()
    return found, score_cell, attractiveness


@pytest.mark.parametrize("locale", ["es-ES"])
def test_in_spanish_thousands_take_dots_decimals_a_comma_and_the_euro_follows(
    page: Page, canvas: Canvas, ranked, viewer
) -> None:
    found, score_cell, attractiveness = read_figures(page, canvas, ranked, viewer)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert found["Tamaño estimado (clientes)"] == "1.800.000"
    assert found["Ingresos potenciales (al año)"] == f"1.800.000{NBSP}€"
    assert score_cell == "4,10"
    assert attractiveness == "4,1"
    page.screenshot(path="/tmp/shots/smaller-numbers-es.png", full_page=True, caret="initial")


@pytest.mark.parametrize("locale", ["en-GB"])
def test_in_english_thousands_take_commas_and_the_euro_comes_first(page: Page, canvas: Canvas, ranked, viewer) -> None:
    found, score_cell, attractiveness = read_figures(page, canvas, ranked, viewer)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert found["Estimated size (customers)"] == "1,800,000"
    assert found["Revenue potential (a year)"] == "€1,800,000"
    assert score_cell == "4.10"
    assert attractiveness == "4.1"


@pytest.mark.parametrize(
    ("locale", "size", "revenue"), [("es-ES", "1.800.000", f"1.800.000{NBSP}€"), ("en-GB", "1,800,000", "€1,800,000")]
)
def test_an_editor_reads_the_saved_figures_beside_the_number_fields(
    page: Page, canvas: Canvas, ranked, editor, size: str, revenue: str
) -> None:
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/segments/{ranked.pk}/")
    # The fields hold bare digits (whole amounts without ".00"); beside them, the figure as written.
    expect(page.locator("#id_revenue_potential")).to_have_value("1800000")
    expect(page.locator("#id_estimated_size_helptext")).to_contain_text(size)
    expect(page.locator("#id_revenue_potential_helptext")).to_contain_text(revenue)
    expect(page.locator("#id_revenue_potential")).to_have_attribute("aria-describedby", "id_revenue_potential_helptext")
