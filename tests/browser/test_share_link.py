"""A share link from the owner's members page to a stranger's browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from canvas_app.models import Block, Canvas, Note, ShareLink
from tests.browser.conftest import board_in_db, board_on_page, log_in


def test_the_owner_shares_a_link_and_a_stranger_reads_the_board(
    page: Page, new_context, canvas: Canvas, note: Note, owner, task_worker
) -> None:
    other = canvas.add_note(block=Block.CHANNELS, text="Mercado del barrio")
    log_in(page, owner.username)
    page.goto(f"/canvases/{canvas.pk}/members/")

    page.get_by_label("Expires after (days)").fill("7")
    page.get_by_role("button", name="Create a share link").click()
    expect(page.locator("#messages")).to_contain_text("Share link created")
    link = ShareLink.objects.get(canvas=canvas)
    field = page.locator(f"#share-link-{link.pk}-url")
    url = field.input_value()
    assert url.endswith(f"/s/{link.token}/")
    expect(field).to_have_attribute("readonly", "")

    # Headless Chromium may refuse the clipboard: then the link is at least selected.
    copy = page.locator(f"#share-link-{link.pk} button[data-copy]")
    expect(copy).to_be_visible()
    copy.click()
    selected = "(f) => f.selectionStart === 0 && f.selectionEnd === f.value.length"
    page.wait_for_function(
        f"""() => {{
            const button = document.querySelector("#share-link-{link.pk} button[data-copy]");
            const field = document.getElementById("share-link-{link.pk}-url");
            return button.textContent === "Copied" || ({selected})(field);
        }}"""
    )

    stranger = new_context().new_page()
    stranger.goto(url)
    expect(stranger.locator("h1")).to_have_text("Tostadores Aurora")
    expect(stranger.locator("#share-notice")).to_contain_text("read-only shared view")
    expect(stranger.locator(f"#notes-value_propositions > #note-{note.pk}")).to_have_text("Café fresco")
    expect(stranger.locator(f"#notes-channels > #note-{other.pk}")).to_have_text("Mercado del barrio")
    assert board_on_page(stranger) == board_in_db(canvas)
    expect(stranger.locator("#board form, #board textarea, .note__menu")).to_have_count(0)
    expect(stranger.locator(".canvas-nav")).to_have_count(0)
    expect(stranger.get_by_role("link", name="Members")).to_have_count(0)

    with stranger.expect_download(timeout=30_000) as download:
        stranger.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The language switcher still posts from the shared page (its CSRF check needs an Origin).
    stranger.locator("#language-select").select_option("es")
    expect(stranger.locator("html")).to_have_attribute("lang", "es")
    expect(stranger.locator("h1")).to_have_text("Tostadores Aurora")
    assert stranger.url == url

    # Revoked, the link opens nothing.
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator("#messages")).to_contain_text("Share link revoked")
    response = stranger.goto(url)
    assert response is not None and response.status == 404
    expect(stranger.locator("h1")).not_to_have_text("Tostadores Aurora")
