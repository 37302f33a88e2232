"""The board and the dashboard cost a fixed number of queries, however much is on them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.models import Role
from tests.conftest import make_canvas, make_notes

# Session, user, the canvas with the user's role, every note of the board, the canvas'
# segments, the notes linked to them, the count of each note's comments (the first view after
# a change; later ones take the notes from the board cache).
BOARD_QUERIES = 7
# Session, user, the count for the paginator, one page of canvases with the user's roles.
DASHBOARD_QUERIES = 4


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_board_costs_the_same_at_10_and_300_notes(client, owner, editor):
    small, large = make_canvas(owner, "Pequeño"), make_canvas(owner, "Grande")
    for canvas in (small, large):
        canvas.memberships.create(user=editor, role=Role.EDITOR)
    make_notes(small, 10)
    make_notes(large, 300)
    client.force_login(editor)  # an editor's board carries every note's edit controls

    urls = [reverse("canvas_app:board", args=[c.pk]) for c in (small, large)]
    counts = [queries_for(client, url) for url in urls]
    assert counts == [BOARD_QUERIES, BOARD_QUERIES]


def test_the_board_with_an_undo_banner_costs_one_more(client, owner, canvas, deleted_note):
    make_notes(canvas, 30, block="channels")
    client.force_login(owner)
    url = reverse("canvas_app:board", args=[canvas.pk])
    client.get(url)  # the board's notes are in the cache from now on
    without_banner = queries_for(client, url)
    assert without_banner == 3  # session, user, the canvas with the user's role
    assert queries_for(client, f"{url}?deleted={deleted_note.pk}") == without_banner + 1


def test_the_dashboard_costs_the_same_at_1_and_30_canvases(client, owner, outsider):
    make_canvas(owner, "Único")
    for n in range(30):
        make_canvas(outsider, f"Lienzo {n}")
    client.force_login(owner)
    one = queries_for(client, reverse("canvas_app:dashboard"))
    client.force_login(outsider)
    thirty = queries_for(client, reverse("canvas_app:dashboard"))
    assert [one, thirty] == [DASHBOARD_QUERIES, DASHBOARD_QUERIES]


def test_every_page_of_the_dashboard_costs_the_same(client, outsider):
    for n in range(30):
        make_canvas(outsider, f"Lienzo {n}")
    client.force_login(outsider)
    counts = [
        queries_for(client, f"{reverse('canvas_app:dashboard')}?page={page}") for page in (1, 2, 3)
    ]
    assert counts == [DASHBOARD_QUERIES] * 3
