"""Playwright fixtures for the browser tests: Debian's chromium against pytest-django's live_server.

One browser per session, a fresh context (cookies, locale, JavaScript on or off) per test.
A failing test leaves a screenshot of its last page in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from canvas_app.models import Block, Canvas, Note
from tests.conftest import PASSWORD
from tests.tasks import worker_command

# Playwright's sync API keeps an event loop running in the test thread (from the first
# browser test to the end of the session), and Django refuses ORM calls from a thread with a
# running loop. The tests only query the database between browser actions, never
# concurrently with them, so the guard can be lifted here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("LIENZO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

expect.set_options(timeout=10_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Keep each phase's report on the item: fixtures tell at teardown whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def locale() -> str:
    """The browser's locale (and so its Accept-Language); override or parametrize per test."""
    return "en-GB"


@pytest.fixture
def page_problems() -> list[str]:
    """What the test's pages reported as wrong: Content Security Policy violations (Chromium
    logs each one to the console) and uncaught script errors. A test that passes with any of
    them fails at teardown: every browser test checks that its pages work under the CSP."""
    return []


def _watch(context: BrowserContext, problems: list[str]) -> None:
    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"{message.location.get('url', '?')}: {message.text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"uncaught: {error.error}"))


@pytest.fixture
def new_context(browser: Browser, live_server, locale: str, page_problems: list[str], request: pytest.FixtureRequest):
    """Make a browser context on the live server; every context made is closed after the
    test, which fails if its pages reported a problem (page_problems)."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options.setdefault("locale", locale)
        # Wide enough for the classic nine-block layout (narrow screens stack the blocks).
        options.setdefault("viewport", {"width": 1400, "height": 1000})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        _watch(context, page_problems)
        contexts.append(context)
        return context

    yield make

    reports = [getattr(request.node, f"rep_{when}", None) for when in ("setup", "call")]
    failed = any(report is not None and report.failed for report in reports)
    for index, context in enumerate(contexts):
        if failed:
            _save_screenshots(context, f"{request.node.name}-{index}")
        context.close()
    if not failed and page_problems:
        pytest.fail("the pages reported problems:\n" + "\n".join(page_problems))


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def _save_screenshots(context: BrowserContext, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", name)
    for index, page in enumerate(context.pages):
        try:
            page.screenshot(path=ARTIFACTS / f"{safe}-{index}.png", full_page=True)
        except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
            pass


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would, and wait for the dashboard."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator("form[action$='/logout/'] button")).to_contain_text(username)


def expect_settled(locator: Locator) -> None:
    """Wait until htmx has settled swapped-in content (it drops its htmx-added and
    htmx-settling classes then): only from that moment do the new forms post through htmx.
    A field can have the focus earlier (autofocus, or board.js after a failed add), and
    Enter pressed that soon would send the form as a plain post and reload the page."""
    expect(locator).not_to_have_class(re.compile(r"\bhtmx-(added|settling)\b"))


def board_on_page(page: Page) -> dict[str, list[int]]:
    """The live notes the page shows, as note ids per block id, top to bottom."""
    return page.evaluate(
        """() => Object.fromEntries(
            Array.from(document.querySelectorAll("#board ol.notes"), (list) => [
                list.dataset.block,
                Array.from(
                    list.querySelectorAll(":scope > li.note[data-note-id]"),
                    (li) => Number(li.dataset.noteId),
                ),
            ])
        )"""
    )


def board_in_db(canvas: Canvas) -> dict[str, list[int]]:
    """The live notes in the database, as note ids per block id in position order.

    Also checks that each block's positions run 1..n without gaps, as the board relies on.
    """
    board: dict[str, list[int]] = {block: [] for block in Block.values}
    positions: dict[str, list[int]] = {block: [] for block in Block.values}
    notes = Note.objects.filter(canvas=canvas).order_by("block", "position")
    for pk, block, position in notes.values_list("pk", "block", "position"):
        board[block].append(pk)
        positions[block].append(position)
    for block, taken in positions.items():
        assert taken == list(range(1, len(taken) + 1)), f"positions in {block} are {taken}"
    return board


@pytest.fixture
def task_worker(live_server):
    """A real task worker (`manage.py db_worker`) on the live server's database, for as long
    as the test runs: PDFs and mail asked for in the browser get made."""
    argv, env = worker_command("--interval", "0.2")
    process = subprocess.Popen(argv, cwd=Path(__file__).resolve().parents[2], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
