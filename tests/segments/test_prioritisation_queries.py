"""The prioritisation pages cost a fixed number of queries, however many segments, criteria
and reviewers a canvas has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.models import Block, Role
from segments.models import PrioritySettings, Score
from tests.conftest import make_canvas, make_user
from tests.segments.factories import add_members, make_note, make_segment

# Session, user, the canvas with the user's role, the settings, the criteria, the segments
# with their notes, the team's scores, the links that tell segments apart, the lifecycle
# stages their relationship plans cover, the team's size.
RANKING_QUERIES = 10
# Session, user, the canvas with the user's role, the criteria, the segments with their
# notes, the user's own scores.
SCORES_QUERIES = 6


def build(owner, *, segments: int, reviewers: int, prefix: str):
    """A canvas with `segments` segments and the 6 default criteria, every segment scored on
    every criterion by `reviewers` members (the owner among them), some of them linked to the
    same notes, some too small, unwilling to pay or of unknown size."""
    canvas = make_canvas(owner, f"Lienzo {prefix}")
    team = [owner, *add_members(canvas, reviewers - 1, Role.EDITOR, prefix=prefix)]
    viewer = make_user(f"{prefix}-lector")
    canvas.memberships.create(user=viewer, role=Role.VIEWER)
    PrioritySettings.for_canvas(canvas)
    criteria = list(canvas.criteria.all())
    offer = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")
    channel = make_note(canvas, Block.CHANNELS, "Tienda online")
    made = []
    for index in range(segments):
        segment = make_segment(
            canvas,
            f"Segmento {index}",
            estimated_size=None if index % 3 == 0 else 400 * index,
            willingness_to_pay="none" if index % 4 == 0 else "medium",
        )
        segment.linked_notes.set([offer, channel] if index % 2 else [offer])
        made.append(segment)
    Score.objects.bulk_create(
        Score(segment=segment, criterion=criterion, reviewer=reviewer, value=1 + (i + j + k) % 5)
        for i, segment in enumerate(made)
        for j, criterion in enumerate(criteria)
        for k, reviewer in enumerate(team)
    )
    PrioritySettings.objects.filter(canvas=canvas).update(primary_segment=made[-1])
    return canvas, viewer


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def small_and_large(owner):
    small = build(owner, segments=2, reviewers=1, prefix="pequeño")
    large = build(owner, segments=20, reviewers=8, prefix="grande")
    assert Score.objects.filter(segment__note__canvas=large[0]).count() == 20 * 6 * 8
    return small, large


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_the_ranking_costs_the_same_at_2_segments_1_reviewer_and_20_segments_8_reviewers(
    client, owner, small_and_large, who
):
    counts = []
    for canvas, viewer in small_and_large:
        client.force_login(owner if who == "owner" else viewer)
        counts.append(queries_for(client, reverse("prioritisation:ranking", args=[canvas.pk])))

    assert counts == [RANKING_QUERIES, RANKING_QUERIES]


def test_the_large_ranking_shows_everything_it_counted(client, owner, small_and_large):
    _small, (canvas, _viewer) = small_and_large
    client.force_login(owner)

    html = client.get(reverse("prioritisation:ranking", args=[canvas.pk])).content.decode()

    assert html.count('class="ranking__row') == 20
    assert html.count("8 of 8") == 20
    assert html.count("<circle") == 2 * 20  # a bubble, and the disc of its letter
    assert "perhaps not distinct segments" in html


def test_the_score_sheet_costs_the_same_at_both_sizes(client, owner, small_and_large):
    counts = []
    for canvas, _viewer in small_and_large:
        client.force_login(owner)
        counts.append(queries_for(client, reverse("prioritisation:scores", args=[canvas.pk])))

    assert counts == [SCORES_QUERIES, SCORES_QUERIES]


def test_saving_the_whole_sheet_costs_the_same_at_both_sizes(client, owner, small_and_large):
    counts = []
    for canvas, _viewer in small_and_large:
        cells = [
            f"score-{segment_id}-{criterion_id}"
            for segment_id in canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).values_list("segment", flat=True)
            for criterion_id in canvas.criteria.values_list("pk", flat=True)
        ]
        data = {name: "" if index == 0 else "3" for index, name in enumerate(cells)}
        client.force_login(owner)
        url = reverse("prioritisation:scores", args=[canvas.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data)
        assert response.status_code == 302
        counts.append(len(captured))
        assert not Score.objects.filter(reviewer=owner, segment__note__canvas=canvas).exclude(value=3).exists()
        assert Score.objects.filter(reviewer=owner, segment__note__canvas=canvas).count() == len(cells) - 1

    assert counts[0] == counts[1]
