"""Retake the pictures of a board on the landing page (static/img/board-demo-{en,es}.png):
the demo canvases as the board shows them, in the browser the browser tests use.

Run it against a server started with `make run` (which loads the demo):
    .venv/bin/python scripts/landing_pictures.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("LIENZO_CHROMIUM", "/usr/bin/chromium")
#: A desktop window the board fills; the picture is the board alone, without the page around it.
VIEWPORT = {"width": 1440, "height": 900}
#: The demo canvas that stands for each language.
CANVASES = {"en": "Pedal Works", "es": "Tostadores Aurora"}


def main(base_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for language, title in CANVASES.items():
            context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale=language)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.locator("input[name=username]").fill("demo")
            page.locator("input[name=password]").fill("lienzo-demo")
            page.locator("form.stacked-form button[type=submit]").click()
            page.wait_for_url(re.compile(r"/$"))
            page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
            page.wait_for_url(re.compile(r"/canvases/\d+/$"))
            page.wait_for_load_state("networkidle")
            target = BASE_DIR / "static" / "img" / f"board-demo-{language}.png"
            page.locator("#board").screenshot(path=target)
            print(f"{target.relative_to(BASE_DIR)}: {title}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
