"""The Content Security Policy is enforced on every screen: scripts run only from our own
files or with the response's nonce, and nothing unsafe is allowed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from segments.models import PrioritySettings
from tests.tasks import fetch_pdf
from tests.markup import parse
from tests.segments.factories import make_persona, make_segment

UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response  # enforced, not just reported
    return {parts[0]: parts[1:] for parts in (d.split() for d in header.split(";")) if parts}


@pytest.fixture
def pages(client, owner, canvas):
    client.force_login(owner)
    segment = make_segment(canvas)
    make_persona(segment)
    PrioritySettings.for_canvas(canvas)
    args = [canvas.pk]
    return {
        "board": reverse("canvas_app:board", args=args),
        "segment": reverse("segments:detail", args=[canvas.pk, segment.pk]),
        "segment fit": reverse("segments:fit", args=[canvas.pk, segment.pk]),
        "ranking": reverse("prioritisation:ranking", args=args),
        "scores": reverse("prioritisation:scores", args=args),
        "dashboard": reverse("canvas_app:dashboard"),
    }


@pytest.mark.parametrize("page", ["board", "segment", "segment fit", "ranking", "scores", "dashboard"])
def test_a_page_allows_only_its_own_scripts_and_the_nonced_ones(client, pages, page):
    response = client.get(pages[page])
    assert response.status_code == 200
    directives = policy(response)
    [nonce] = [v for v in directives["script-src"] if v.startswith("'nonce-")]
    assert directives["script-src"] == ["'self'", nonce]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not [v for values in directives.values() for v in values if v in UNSAFE]

    html = parse(response.content)
    scripts = [e for e in html.elements if e.tag == "script"]
    assert scripts, "the page loads htmx and its own script"
    for script in scripts:
        src = script.attrs.get("src")
        if src is None:
            assert f"'nonce-{script.attrs.get('nonce')}'" == nonce, "an inline script without the nonce"
        else:
            assert src.startswith("/static/"), f"a script from elsewhere: {src}"
            if "nonce" in script.attrs:
                assert f"'nonce-{script.attrs['nonce']}'" == nonce
    # What no policy without 'unsafe-inline' runs or applies: inline handlers and styles.
    for element in html.elements:
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, f"<{element.tag}> has inline handlers {handlers}"
        assert "style" not in element.attrs, f"<{element.tag}> has an inline style"
        assert element.tag != "style", "an inline <style> block"
        assert "hx-on" not in " ".join(element.attrs), f"<{element.tag}> has inline hx-on JavaScript"


def test_every_response_gets_a_new_nonce(client, pages):
    first, second = (policy(client.get(pages["board"]))["script-src"] for _ in range(2))
    assert first != second


def test_the_canvas_pdf_carries_the_policy_too(client, pages, canvas):
    """A PDF runs no script of ours, so it gets the policy without a nonce: should a browser
    treat the file as a document, nothing inline may run in it either."""
    response = fetch_pdf(client, reverse("canvas_app:canvas_pdf", args=[canvas.pk]))
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert not [v for values in directives.values() for v in values if v in UNSAFE]
    assert not re.search(r"'nonce-", response["Content-Security-Policy"])
