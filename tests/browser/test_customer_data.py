"""A team grounds its segments in its sales: uploads a purchases file, checks the columns on
the preview, sees the bad lines, imports the valid ones while the worker shows its progress,
and reads the groups; on a desktop and on a phone."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from canvas_app.models import Canvas
from customers.models import CustomerData
from tests.browser.conftest import log_in
from tests.customers.factories import PURCHASES


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_an_editor_imports_purchases_and_reads_the_groups(
    new_context, canvas: Canvas, editor, task_worker, tmp_path, viewport
) -> None:
    page: Page = new_context(viewport=viewport).new_page()
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/")
    page.get_by_role("navigation", name="Canvas sections").get_by_role("link", name="Customer data").click()
    expect(page.get_by_role("heading", name="Upload your purchases")).to_be_visible()

    file = tmp_path / "ventas.csv"
    file.write_text(PURCHASES, encoding="utf-8")
    page.get_by_label("File:", exact=True).set_input_files(str(file))
    page.get_by_role("button", name="Upload and preview").click()

    # The preview shows the first lines and proposes the columns; the person can change them.
    preview = page.get_by_role("region", name="The first lines of the file")
    expect(preview).to_contain_text("bruno@example.com")
    expect(page.get_by_label("Customer id")).to_have_value("customer")
    expect(page.locator("select[name=amount]")).to_have_value("amount")
    page.get_by_role("checkbox", name="city").check()
    page.get_by_role("button", name="Read the whole file").click()

    # The worker reads the file; the two bad lines are listed with their line numbers.
    expect(page.get_by_role("alert")).to_contain_text("21 lines can be imported; 2 lines cannot", timeout=20000)
    bad = page.get_by_role("table", name="The first lines left out")
    expect(bad.locator("tbody tr")).to_have_count(2)
    expect(bad.locator("tbody tr").first).to_contain_text("23")
    expect(bad.locator("tbody tr").first).to_contain_text("no customer id")
    assert not CustomerData.objects.filter(canvas=canvas).exists()
    page.get_by_role("button", name="Import the 21 valid lines").click()

    # The page follows the work and lands on the groups.
    expect(page.get_by_role("heading", name="Groups")).to_be_visible(timeout=20000)
    groups = page.get_by_role("table", name="Customers grouped by their recency")
    expect(groups.locator("tbody tr").first).to_be_visible()
    expect(page.locator("svg.heat-map")).to_be_visible()
    data = CustomerData.objects.get(canvas=canvas)
    assert data.summary["customers"] == 12
    first_group = groups.locator("tbody tr th").first.inner_text()
    assert first_group
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # A group's customers download as CSV for an email tool.
    with page.expect_download() as download:
        groups.locator("tbody tr").first.get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows and all(row["email"].endswith("@example.com") for row in rows)
    assert len({row["group"] for row in rows}) == 1


def test_a_group_becomes_a_segment_with_its_figures(page: Page, canvas: Canvas, editor) -> None:
    from tests.customers.factories import make_customer_data

    data = make_customer_data(canvas)
    group = max(sorted(data.summary["groups"]), key=lambda key: data.summary["groups"][key]["customers"])
    customers = data.summary["groups"][group]["customers"]
    log_in(page, editor.username)
    page.goto(f"/canvases/{canvas.pk}/customers/")
    groups = page.get_by_role("table", name="Customers grouped by their recency")
    row = groups.locator("tbody tr").filter(has=page.locator(f".rfm-group--{group}"))
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Add the ticked groups to the canvas as segments").click()
    expect(page.locator("#messages")).to_contain_text("1 segment added to the canvas")
    row = groups.locator("tbody tr").filter(has=page.locator(f".rfm-group--{group}"))
    row.get_by_role("link", name="Segment").click()
    panel = page.get_by_role("region", name="From your customer data")
    expect(panel).to_be_visible()
    first = panel.locator("tbody tr").first
    expect(first.get_by_role("rowheader")).to_have_text("Customers")
    expect(first.get_by_role("cell")).to_have_text(str(customers))
    # The canvas is in Spanish: the note on the board carries the group's Spanish name.
    page.goto(f"/canvases/{canvas.pk}/")
    expect(page.locator("#notes-customer_segments .note__text")).to_have_count(1)
