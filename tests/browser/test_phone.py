"""A phone is enough: every page a person can reach fits a 390 px wide screen without
sideways scrolling, and the header folds into a menu that works by keyboard and without
JavaScript.

The pages come from the URL access table (tests/canvas_app/test_url_access.py): every URL
that an owner or a logged-out visitor may GET is either visited here or named in NOT_PAGES
with the reason, so a new page cannot ship without being checked on a phone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import BrowserContext, Page, expect

from accounts.services import activation_token
from canvas_app.models import Block, Canvas, Note, ShareLink
from segments.models import Persona, ProfileItem, Segment, ValueItem
from tests.browser.conftest import log_in
from tests.canvas_app.test_url_access import TABLE
from tests.conftest import make_export, make_invitation, make_share_link, make_user
from customers.models import PlannedCampaign
from tests.customers.factories import make_job
from tests.segments.factories import make_relationship_item

PHONE = {"width": 390, "height": 844}
# A phone's browser: the page's viewport meta decides its layout width, touch decides `pointer`.
ON_A_PHONE = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
DEMO_PASSWORD = "lienzo-demo"  # fixtures/demo.json
# Set to a folder to keep a full-page screenshot of every page visited.
SHOTS = os.environ.get("LIENZO_PHONE_SHOTS")


@dataclass
class Demo:
    """The Spanish demo canvas (segments, personas, fit, team scores) and what its URLs name."""

    canvas: Canvas
    segment: Segment
    persona: Persona
    profile_item: ProfileItem
    value_item: ValueItem
    note: Note
    share_link: ShareLink
    invitation_token: str

    @property
    def pk(self) -> int:
        return self.canvas.pk


@pytest.fixture
def demo(live_server) -> Demo:
    call_command("load_demo", stdout=open(os.devnull, "w"))
    call_command("load_demo_customers", stdout=open(os.devnull, "w"))
    canvas = Canvas.objects.get(language="es")
    # The segment with the most to show: personas, profile items and value items.
    segment = max(
        Segment.objects.of_canvas(canvas),
        key=lambda s: (s.personas.count(), s.profile_items.count() + s.value_items.count()),
    )
    owner = canvas.memberships.get(role="owner").user
    return Demo(
        canvas=canvas,
        segment=segment,
        persona=segment.personas.first(),
        profile_item=segment.profile_items.first(),
        value_item=segment.value_items.first(),
        note=canvas.notes.filter(block=Block.VALUE_PROPOSITIONS).order_by("position").first(),
        share_link=make_share_link(canvas, owner),
        invitation_token=make_invitation(canvas, owner, email="nadie.con.un.nombre.largo@example.com")[1],
    )


def _segment_url(name: str, **ids: int) -> Callable[[Demo], str]:
    return lambda d: reverse(name, kwargs={"pk": d.pk, "segment_id": d.segment.pk, **{k: v(d) for k, v in ids.items()}})


def _export(d: Demo, share: bool = False) -> str:
    if share:
        export = make_export(d.canvas, share_link=d.share_link)
        return reverse("canvas_app:share_export", kwargs={"token": d.share_link.token, "export_id": export.pk})
    return reverse("canvas_app:export", kwargs={"pk": d.pk, "export_id": make_export(d.canvas).pk})


def _version(d: Demo) -> str:
    from canvas_app.snapshots import take

    snapshot = take(d.canvas, by=None, name="Antes de la reunión con inversores")
    return reverse("canvas_app:version", kwargs={"pk": d.pk, "snapshot_id": snapshot.pk})


def _reset_link(d: Demo) -> str:
    user = d.canvas.memberships.get(role="owner").user
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})


def _activation_link(d: Demo) -> str:
    user = make_user("paula.con.un.nombre.largo", is_active=False)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("activate", kwargs={"uidb64": uidb64, "token": activation_token.make_token(user)})


def _canvas(name: str) -> Callable[[Demo], str]:
    return lambda d: reverse(name, kwargs={"pk": d.pk})


def _note(name: str) -> Callable[[Demo], str]:
    return lambda d: reverse(name, kwargs={"pk": d.pk, "note_id": d.note.pk})


def _share(name: str) -> Callable[[Demo], str]:
    return lambda d: reverse(name, kwargs={"token": d.share_link.token})


def _plain(name: str) -> Callable[[Demo], str]:
    return lambda d: reverse(name)


# What the owner of the demo canvas opens, by URL name (None: not a URL of the table).
OWNER_PAGES: dict[str, Callable[[Demo], str]] = {
    "canvas_app:dashboard": _plain("canvas_app:dashboard"),
    "canvas_app:canvas_create": _plain("canvas_app:canvas_create"),
    "canvas_app:canvas_import": _plain("canvas_app:canvas_import"),
    "gallery:list": _plain("gallery:list"),
    "gallery:list": _plain("gallery:list"),
    "canvas_app:board": _canvas("canvas_app:board"),
    "canvas_app:canvas_edit": _canvas("canvas_app:canvas_edit"),
    "canvas_app:canvas_pdf": _canvas("canvas_app:canvas_pdf"),
    "canvas_app:export": _export,
    "canvas_app:canvas_delete": _canvas("canvas_app:canvas_delete"),
    "canvas_app:members": _canvas("canvas_app:members"),
    "canvas_app:activity": _canvas("canvas_app:activity"),
    "canvas_app:note_history": _note("canvas_app:note_history"),
    "canvas_app:note_evidence": _note("canvas_app:note_evidence"),
    "canvas_app:note_comments": _note("canvas_app:note_comments"),
    "canvas_app:versions": _canvas("canvas_app:versions"),
    "canvas_app:versions_compare": _canvas("canvas_app:versions_compare"),
    "canvas_app:version": _version,
    "canvas_app:invitation_accept": lambda d: reverse("canvas_app:invitation_accept", kwargs={"token": d.invitation_token}),
    "canvas_app:note_detail": _note("canvas_app:note_detail"),
    "canvas_app:note_actions": _note("canvas_app:note_actions"),
    "canvas_app:note_edit": _note("canvas_app:note_edit"),
    "segments:list": _canvas("segments:list"),
    "segments:detail": _segment_url("segments:detail"),
    "segments:note_links": _note("segments:note_links"),
    "segments:note_picker": _note("segments:note_picker"),  # without htmx: to the note's segments
    "segments:legend": _canvas("segments:legend"),  # without htmx: to the segment list
    "segments:persona_edit": _segment_url("segments:persona_edit", persona_id=lambda d: d.persona.pk),
    "segments:fit": _segment_url("segments:fit"),
    "segments:relationship": _segment_url("segments:relationship"),
    "segments:relationship_item_edit": lambda d: reverse(
        "segments:relationship_item_edit",
        kwargs={"pk": d.pk, "segment_id": d.segment.pk, "item_id": make_relationship_item(
            d.segment, "touchpoints", "Una cata en el mercado del barrio los sábados por la mañana", stage="after_sales",
        ).pk},
    ),  # fmt: skip
    "segments:profile_item_edit": _segment_url("segments:profile_item_edit", item_id=lambda d: d.profile_item.pk),
    "segments:value_item_edit": _segment_url("segments:value_item_edit", item_id=lambda d: d.value_item.pk),
    "customers:overview": _canvas("customers:overview"),
    "customers:grid": _canvas("customers:grid"),
    "customers:delete": _canvas("customers:delete"),
    "customers:campaigns": _canvas("customers:campaigns"),
    "customers:report": _canvas("customers:report"),
    "customers:campaign_edit": lambda d: reverse(
        "customers:campaign_edit",
        kwargs={"pk": d.pk, "campaign_id": PlannedCampaign.objects.create(
            canvas=d.canvas, group="cant_lose", name="Recuperar a los que no podemos perder", kind="win_back",
        ).pk},
    ),  # fmt: skip
    "customers:job": lambda d: reverse("customers:job", kwargs={"pk": d.pk, "job_id": make_job(d.canvas).pk}),
    "prioritisation:ranking": _canvas("prioritisation:ranking"),
    "prioritisation:report": _canvas("prioritisation:report"),
    "prioritisation:scores": _canvas("prioritisation:scores"),
    "prioritisation:criteria": _canvas("prioritisation:criteria"),
    "signup": _plain("signup"),  # takes a logged-in person to the dashboard
    "password_change": _plain("password_change"),
    "password_change_done": _plain("password_change_done"),
    "not found": lambda d: f"/canvases/{d.pk + 1000}/",
}

# What a logged-out visitor opens.
VISITOR_PAGES: dict[str, Callable[[Demo], str]] = {
    "home": lambda d: "/",
    "login": _plain("login"),
    "signup": _plain("signup"),
    "signup_done": _plain("signup_done"),
    "activate": _activation_link,
    "password_reset": _plain("password_reset"),
    "password_reset_done": _plain("password_reset_done"),
    "password_reset_confirm": _reset_link,
    "password_reset_complete": _plain("password_reset_complete"),
    "canvas_app:share_board": _share("canvas_app:share_board"),
    "canvas_app:share_pdf": _share("canvas_app:share_pdf"),
    "canvas_app:share_export": lambda d: _export(d, share=True),
    "canvas_app:invitation_accept": lambda d: reverse("canvas_app:invitation_accept", kwargs={"token": d.invitation_token}),
    "not found": lambda d: "/s/no-such-link-at-all-here/",
}

# URLs an owner or a visitor may GET that are not pages to look at.
NOT_PAGES = {
    "customers:export": "a CSV file",
    "canvas_app:canvas_document": "a JSON, Markdown or CSV file",
    "customers:campaign_export": "a CSV file",
    "canvas_app:board_changes": "a part of the board that the live board fetches",
    "canvas_app:export_file": "a PDF file",
    "canvas_app:share_export_file": "a PDF file",
}


def _gettable_by_owner_or_visitor() -> set[str]:
    names = set()
    for name, entry in TABLE.items():
        for check in entry.checks:
            if check.method == "get" and not (check.expect["owner"].refused and check.expect["anonymous"].refused):
                names.add(name)
    return names


def test_every_page_of_the_url_table_is_checked_on_a_phone() -> None:
    pages = _gettable_by_owner_or_visitor()
    checked = set(OWNER_PAGES) | set(VISITOR_PAGES) | set(NOT_PAGES)
    assert not pages - checked, f"pages not checked at 390 px: {sorted(pages - checked)}"
    assert not set(NOT_PAGES) - pages, "NOT_PAGES names URLs the table does not list"
    stale = (set(OWNER_PAGES) | set(VISITOR_PAGES)) - pages - {"home", "not found"}
    assert not stale, f"pages checked here that the URL table no longer lists: {sorted(stale)}"


# Measuring a page ---------------------------------------------------------------------------

# Elements that stick out of the window, outside any box that scrolls them itself: what makes
# the page scroll sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
    }
    return false;
  };
  const name = (element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + (typeof element.className === "string" && element.className ? "." + element.className.trim().split(/\\s+/).join(".") : "");
  const outside = (element) => element.getBoundingClientRect().width > 0 && element.getBoundingClientRect().right > width + 0.5;
  const all = Array.from(document.body.querySelectorAll("*")).filter(outside);
  // The outermost ones, outside any box that scrolls (else whatever sticks out: an absolutely
  // positioned element escapes a scrolling box that is not its containing block).
  const outermost = all.filter((element) => !outside(element.parentElement) && !scrolls(element));
  return (outermost.length ? outermost : all.filter((element) => !all.includes(element.parentElement)))
    .slice(0, 5)
    .map((element) => `${name(element)} (right edge ${Math.round(element.getBoundingClientRect().right)})`);
}"""

# A box that scrolls sideways must be reachable by keyboard and say what it holds.
SCROLL_BOXES = """() => Array.from(document.querySelectorAll(".table-scroll"))
  .filter((box) => !(box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region"
                     && (box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"))))
  .map((box) => box.outerHTML.slice(0, 80))"""


def _problems(page: Page) -> list[str]:
    problems = []
    width, inner, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]"
    )
    if inner != PHONE["width"]:
        problems.append(f"the window is {inner} px wide, not {PHONE['width']}")
    if width > inner or width > client:
        problems.append(f"scrolls sideways: {width} px wide, by {', '.join(page.evaluate(OVERFLOWING))}")
    for box in page.evaluate(SCROLL_BOXES):
        problems.append(f"a scrolling box without tabindex=0, role=region and a name: {box}")
    return problems


def _shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS) / f"{re.sub(r'[^\w.-]+', '_', f'phone-{name}')}.png", full_page=True)


def _walk(context: BrowserContext, demo: Demo, pages: dict[str, Callable[[Demo], str]], who: str, tag: str) -> list[str]:
    page = context.new_page()
    if who != "visitor":
        log_in(page, who, DEMO_PASSWORD)
    failures = []
    for name, url in pages.items():
        address = url(demo)
        page.goto(address)
        page.wait_for_load_state("load")
        _shoot(page, f"{tag}-{who}-{name}")
        failures += [f"{name} ({address}): {problem}" for problem in _problems(page)]
    page.close()
    return failures


# Spanish has the longer words; without JavaScript, what scripts hide shows.
@pytest.mark.parametrize(
    ("locale", "javascript"), [("es-ES", True), ("en-GB", True), ("es-ES", False)], ids=["es", "en", "es-nojs"]
)
def test_every_page_fits_a_phone(new_context, demo: Demo, locale: str, javascript: bool) -> None:
    tag = f"{locale}-{'js' if javascript else 'nojs'}"
    context = new_context(**ON_A_PHONE, java_script_enabled=javascript)
    failures = _walk(context, demo, VISITOR_PAGES, "visitor", tag)
    failures += _walk(context, demo, OWNER_PAGES, "demo", tag)
    # What only a member without the right role sees.
    failures += _walk(new_context(**ON_A_PHONE, java_script_enabled=javascript), demo,
                      {"forbidden": _canvas("canvas_app:canvas_edit")}, "tom", tag)  # fmt: skip
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_pages_of_a_failing_server_fit_a_phone(new_context, live_server, template: str) -> None:
    # Served when the database or a view fails, so no URL leads to them: the browser gets
    # them as the server would send them, with the site's stylesheet from the live server.
    html = loader.render_to_string(template, {"LANGUAGE_CODE": "es"})
    page = new_context(**ON_A_PHONE).new_page()
    page.route("**/failing-server/", lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    page.goto("/failing-server/")
    expect(page.locator("h1")).to_be_visible()
    assert _problems(page) == []


# The header menu ----------------------------------------------------------------------------


def test_the_header_menu_opens_and_closes_by_keyboard(new_context, demo: Demo) -> None:
    page = new_context(viewport=PHONE).new_page()
    log_in(page, "demo", DEMO_PASSWORD)
    page.goto(reverse("segments:list", kwargs={"pk": demo.pk}))
    toggle = page.get_by_role("button", name="Menu")
    nav = page.locator("header nav")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", nav.evaluate("(element) => element.id"))
    expect(nav).to_have_attribute("aria-label", "Main")
    expect(nav.get_by_role("link", name="My canvases")).to_be_hidden()

    # Tab reaches the menu button; Enter opens the menu, whose links follow it in tab order.
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="My canvases")).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="My canvases")).to_be_focused()
    _shoot(page, "menu-open")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Escape closes it and gives the focus back to the button; Space opens it again.
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="My canvases")).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name="My canvases").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_on_a_wide_screen_the_header_shows_its_links(new_context, demo: Demo) -> None:
    page = new_context(viewport={"width": 1200, "height": 800}).new_page()
    log_in(page, "demo", DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My canvases")).to_be_visible()


def test_without_javascript_the_header_links_show_on_a_phone(new_context, demo: Demo) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in(page, "demo", DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My canvases")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out (demo)")).to_be_visible()
    _shoot(page, "menu-nojs")


# Touch ------------------------------------------------------------------------------------

# Buttons, fields and menu links smaller than a fingertip (44 px) on a touch screen. Links in
# running text are exempt, as WCAG 2.5.5 allows; the board's own notes are the board's.
SMALL_TARGETS = """() => {
  const targets = document.querySelectorAll(
    "button, .button, select, summary, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), "
    + ".site-nav a, .canvas-nav a, .site-header .brand");
  return Array.from(targets)
    .filter((element) => !element.closest("#board, .board"))
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden"
        && (box.height < 44 || box.width < 44);
    })
    .map((element) => `${element.tagName.toLowerCase()} “${(element.textContent || element.value || element.name).trim().slice(0, 30)}” `
      + `${Math.round(element.getBoundingClientRect().width)}x${Math.round(element.getBoundingClientRect().height)}`);
}"""


def test_touch_targets_are_a_fingertip_wide(new_context, demo: Demo) -> None:
    page = new_context(**ON_A_PHONE).new_page()
    failures = []
    for who, pages in (("visitor", VISITOR_PAGES), ("demo", OWNER_PAGES)):
        if who != "visitor":
            log_in(page, who, DEMO_PASSWORD)
        for name, url in pages.items():
            page.goto(url(demo))
            assert page.evaluate("matchMedia('(pointer: coarse)').matches")
            page.get_by_role("button", name="Menu").click()  # its links are measured too
            failures += [f"{name}: {target}" for target in page.evaluate(SMALL_TARGETS)]
    assert not failures, "\n".join(failures)
