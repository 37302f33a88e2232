"""Every browser test fails on a CSP violation or an uncaught script error its pages report
(tests/browser/conftest.py). This proves the watch sees one, and walks the screens not
driven elsewhere: the board's PDF download and the members page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Canvas, Note
from tests.browser.conftest import log_in


def test_the_watch_sees_an_inline_script_the_csp_blocks(page: Page, page_problems: list[str], note: Note, owner) -> None:
    log_in(page, owner.username)
    page.goto(f"/canvases/{note.canvas_id}/")
    assert page_problems == []  # the board itself runs under the policy

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.lienzoInjected = true";
            document.head.append(script);
        }"""
    )

    assert page.evaluate("window.lienzoInjected") is None  # blocked...
    page.wait_for_function("() => true")  # a round trip: the console message has arrived
    assert any("Content Security Policy" in problem for problem in page_problems)  # ...and seen
    page_problems.clear()  # this test's violation was on purpose


def test_the_board_exports_its_pdf(page: Page, canvas: Canvas, note: Note, owner, task_worker) -> None:
    """Made by the task worker: the page shows the progress beside the button, then fetches
    the file, and keeps a link to it."""
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/")
    page.get_by_label("Page size").select_option("a4")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download PDF").click()
        expect(page.locator(".pdf-status [role=status]")).to_be_visible()
    expect(page.locator(".pdf-status a[download]")).to_have_text(download.value.suggested_filename)
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"/canvases/{canvas.pk}/members/")
    expect(page.locator("h1")).to_be_visible()
