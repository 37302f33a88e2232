"""The dashboard: the canvases I may see, the most recently changed first, 12 a page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Block, Canvas, Role
from canvas_app.views.canvases import DASHBOARD_PAGE_SIZE
from tests.conftest import make_canvas
from tests.markup import find_all

DASHBOARD = reverse("canvas_app:dashboard")


def titles(response) -> list[str]:
    return [a.text for a in find_all(response.content, "a", **{"class": "canvas-card__title"})]


def age(*canvases: Canvas) -> None:
    """Give the canvases change times in the past, the first the oldest."""
    now = timezone.now()
    for index, canvas in enumerate(canvases):
        Canvas.objects.filter(pk=canvas.pk).update(
            updated_at=now - timedelta(days=len(canvases) - index)
        )


def test_logged_out_the_same_address_is_the_landing_page(client, db):
    """tests/canvas_app/test_landing.py tests that page."""
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "canvas_app/landing.html"


def test_it_requires_get(client, owner):
    client.force_login(owner)
    assert client.post(DASHBOARD).status_code == 405


def test_it_lists_only_the_canvases_i_am_a_member_of(client, owner, viewer, outsider, canvas):
    make_canvas(outsider, "De Oscar")
    make_canvas(viewer, "De Vera")
    client.force_login(viewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert sorted(titles(response)) == ["De Vera", "Tostadores Aurora"]
    badges = [b.text for b in find_all(response.content, "span", **{"class": "role-badge"})]
    assert sorted(badges) == ["Owner", "Viewer"]


def test_an_outsider_with_no_canvas_is_invited_to_create_one(client, outsider, canvas):
    client.force_login(outsider)
    response = client.get(DASHBOARD)
    assert titles(response) == []
    assert "No canvases yet." in response.content.decode()


def test_the_most_recently_changed_canvas_comes_first(client, owner):
    first, second, third = (make_canvas(owner, title) for title in ("Uno", "Dos", "Tres"))
    age(first, second, third)
    client.force_login(owner)
    assert titles(client.get(DASHBOARD)) == ["Tres", "Dos", "Uno"]


@pytest.fixture
def three_canvases(owner):
    canvases = [make_canvas(owner, title) for title in ("Uno", "Dos", "Tres")]
    notes = [c.add_note(block=Block.CHANNELS, text=f"nota de {c.title}") for c in canvases]
    age(*canvases)
    return canvases, notes


def test_adding_a_note_brings_its_canvas_to_the_top(client, owner, three_canvases):
    canvases, _ = three_canvases
    client.force_login(owner)
    client.post(
        reverse("canvas_app:note_add", args=[canvases[0].pk, Block.CHANNELS]), {"text": "nueva"}
    )
    assert titles(client.get(DASHBOARD)) == ["Uno", "Tres", "Dos"]


def test_editing_a_note_brings_its_canvas_to_the_top(client, owner, three_canvases):
    canvases, notes = three_canvases
    client.force_login(owner)
    client.post(
        reverse("canvas_app:note_edit", args=[canvases[1].pk, notes[1].pk]), {"text": "cambiada"}
    )
    assert titles(client.get(DASHBOARD)) == ["Dos", "Tres", "Uno"]


def test_moving_a_note_brings_its_canvas_to_the_top(client, owner, three_canvases):
    canvases, notes = three_canvases
    client.force_login(owner)
    client.post(
        reverse("canvas_app:note_move", args=[canvases[0].pk, notes[0].pk]),
        {"block": Block.KEY_PARTNERS},
    )
    assert titles(client.get(DASHBOARD)) == ["Uno", "Tres", "Dos"]


def test_a_change_by_another_member_counts_too(client, owner, editor, three_canvases):
    canvases, notes = three_canvases
    canvases[0].memberships.create(user=editor, role=Role.EDITOR)
    client.force_login(editor)
    client.post(reverse("canvas_app:note_delete", args=[canvases[0].pk, notes[0].pk]))
    client.force_login(owner)
    assert titles(client.get(DASHBOARD)) == ["Uno", "Tres", "Dos"]


def test_it_shows_twelve_canvases_a_page(client, owner):
    canvases = [make_canvas(owner, f"Lienzo {n:02}") for n in range(1, DASHBOARD_PAGE_SIZE + 2)]
    age(*canvases)
    client.force_login(owner)
    assert DASHBOARD_PAGE_SIZE == 12

    first = client.get(DASHBOARD)
    assert titles(first) == [f"Lienzo {n:02}" for n in range(13, 1, -1)]
    assert [a.attrs["href"] for a in find_all(first.content, "a", rel="next")] == ["?page=2"]
    assert not find_all(first.content, "a", rel="prev")
    assert "Page 1 of 2" in first.content.decode()

    second = client.get(DASHBOARD, {"page": 2})
    assert titles(second) == ["Lienzo 01"]
    assert [a.attrs["href"] for a in find_all(second.content, "a", rel="prev")] == ["?page=1"]
    assert not find_all(second.content, "a", rel="next")


def test_one_page_needs_no_pagination(client, owner):
    for n in range(DASHBOARD_PAGE_SIZE):
        make_canvas(owner, f"Lienzo {n}")
    client.force_login(owner)
    response = client.get(DASHBOARD)
    assert len(titles(response)) == 12
    assert not find_all(response.content, "nav", **{"class": "pagination"})


@pytest.mark.parametrize("page", ["99", "0", "abc", "²"])
def test_an_odd_page_number_shows_a_page_anyway(client, owner, page):
    for n in range(DASHBOARD_PAGE_SIZE + 1):
        make_canvas(owner, f"Lienzo {n}")
    client.force_login(owner)
    response = client.get(DASHBOARD, {"page": page})
    assert response.status_code == 200
    assert len(titles(response)) in (1, 12)
