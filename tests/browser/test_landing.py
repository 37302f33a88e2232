"""First visit: `/` logged out is a page about Lienzo, with a picture of a board; from it a
visitor signs up, is told next to the field what is wrong with a password, can have the email
sent again, confirms the address and lands on their dashboard, which the brand leads back to."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.tasks import EMAIL_QUEUE
from tests.tasks import run_tasks

# Set to a folder to keep screenshots of the pages at a desktop and a phone width.
SHOTS = os.environ.get("LIENZO_LANDING_SHOTS")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "un-café-con-ñandú-42"


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)


def no_sideways_scroll(page: Page) -> None:
    width, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"the page scrolls sideways: {width} px wide in {client}"


@pytest.mark.parametrize("size", WIDTHS)
def test_a_visitor_reads_about_lienzo_and_signs_up(new_context, size: str) -> None:
    page = new_context(viewport=WIDTHS[size]).new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your business model on one canvas")
    picture = page.get_by_role("img", name=re.compile(r"^A canvas filled in with Lienzo"))
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    assert picture.evaluate("(img) => img.complete && img.naturalWidth > 1000")
    box = picture.bounding_box()
    assert box and box["width"] <= WIDTHS[size]["width"]
    expect(page.get_by_role("heading", name="Decide which segment comes first")).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, f"firstvisit-landing-{size}")

    page.locator("main").get_by_role("link", name="Create an account").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Username:").fill("lucia")
    page.get_by_label("Email:").fill("lucia@example.com")
    page.get_by_label("Password:", exact=True).fill("84736291")
    page.get_by_label("Password confirmation:").fill("84736291")
    page.get_by_role("button", name="Sign up").click()
    # The error sits with the password field itself, not above the form.
    password = page.get_by_label("Password:", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#{password.get_attribute('aria-describedby').split()[0]}")
    expect(page.locator(".field", has=password)).to_contain_text("This password is entirely numeric.")
    expect(page.locator(".form-errors")).to_have_count(0)
    assert error.count() == 1
    no_sideways_scroll(page)
    shoot(page, f"firstvisit-signup-error-{size}")

    password.fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_label("Email:")).to_have_value("lucia@example.com")
    page.get_by_role("button", name="Send the email again").click()
    expect(page.locator("#messages")).to_have_text("We sent the email again to lucia@example.com.")
    no_sideways_scroll(page)
    shoot(page, f"firstvisit-check-email-{size}")

    run_tasks(EMAIL_QUEUE)  # the worker sends both emails
    links = [re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", m.body).group(1) for m in mail.outbox]
    assert len(links) == 2
    page.goto(links[-1])
    page.get_by_role("button", name="Confirm my account").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#messages")).to_contain_text("Welcome to Lienzo!")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Your business model on one canvas")
    assert page.locator(".brand").get_attribute("href") == "/"
