"""The best-practice warnings: the pure rules, and what the ranking page shows of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Block
from segments.best_practices import SegmentFacts, WarningKind, segment_warnings
from segments.models import PrioritySettings, Segment
from tests.markup import element, find_all, has_element
from tests.segments.factories import make_note, make_segment


def facts(key="cafés", size=5000, stale=False, pays="medium", links=()) -> SegmentFacts:
    return SegmentFacts(key, size, stale, pays, frozenset(links))


def kinds(found, key="cafés") -> list[str]:
    return [w.kind for w in found.of(key)]


# The rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "min_size", "warned"),
    [
        pytest.param(999, 1000, True, id="under"),
        pytest.param(1000, 1000, False, id="at-the-threshold"),
        pytest.param(None, 1000, False, id="unknown-size"),
        pytest.param(0, 0, False, id="threshold-off"),
        pytest.param(0, 1, True, id="empty-segment"),
    ],
)
def test_a_segment_under_the_threshold_is_too_small(size, min_size, warned):
    found = segment_warnings([facts(size=size)], min_size=min_size)

    assert (WarningKind.TOO_SMALL in kinds(found)) is warned


def test_a_stale_segment_is_flagged():
    found = segment_warnings([facts("fresh"), facts("stale", stale=True)], min_size=0)

    assert kinds(found, "stale") == [WarningKind.STALE]
    assert kinds(found, "fresh") == []


@pytest.mark.parametrize(("pays", "warned"), [("none", True), ("", False), ("low", False), ("high", False)])
def test_only_no_willingness_to_pay_is_flagged_not_an_unknown_one(pays, warned):
    found = segment_warnings([facts(pays=pays)], min_size=0)

    assert (WarningKind.NO_WILLINGNESS_TO_PAY in kinds(found)) is warned


def test_segments_linked_to_exactly_the_same_notes_look_alike():
    found = segment_warnings(
        [
            facts("cafés", links={1, 2, 3}),
            facts("hoteles", links={3, 2, 1}),
            facts("bares", links={1, 2, 3}),
            facts("oficinas", links={1, 2}),  # a subset is not the same
            facts("hogares", links=()),
            facts("tiendas", links=()),  # no links at all is not a sign of anything
        ],
        min_size=0,
    )

    [cafes] = found.of("cafés")
    assert (cafes.kind, cafes.look_alikes) == (WarningKind.NOT_DISTINCT, ("hoteles", "bares"))
    assert found.of("hoteles")[0].look_alikes == ("cafés", "bares")
    assert found.of("oficinas") == found.of("hogares") == found.of("tiendas") == []


def test_warnings_come_in_a_fixed_order_and_are_counted():
    found = segment_warnings(
        [facts("cafés", size=10, stale=True, pays="none", links={7}), facts("bares", links={7})], min_size=100
    )

    assert kinds(found) == [
        WarningKind.TOO_SMALL,
        WarningKind.STALE,
        WarningKind.NO_WILLINGNESS_TO_PAY,
        WarningKind.NOT_DISTINCT,
    ]
    assert len(found) == 5


# On the ranking page ---------------------------------------------------------------------


def ranking_html(client, user, canvas) -> str:
    client.force_login(user)
    response = client.get(reverse("prioritisation:ranking", args=[canvas.pk]))
    assert response.status_code == 200
    return response.content.decode()


def warning_texts(html: str, segment: Segment) -> list[str]:
    return [li.text for li in element(html, f"warnings-{segment.pk}").find_all("li")]


def test_the_page_uses_the_canvas_threshold(client, viewer, canvas):
    PrioritySettings.objects.filter(canvas=canvas).update(min_segment_size=5000)
    small = make_segment(canvas, "Tostadores caseros", estimated_size=4999)
    make_segment(canvas, "Cafeterías", estimated_size=5000)

    html = ranking_html(client, viewer, canvas)

    assert warning_texts(html, small) == [
        "Smaller than the smallest useful segment: about 4,999 customers, under 5,000. Is it worth serving on its own?"
    ]
    assert len(find_all(html, "li", **{"class": "warnings__segment"})) == 1
    assert "1 warning" in element(html, f"rank-{small.pk}").text


def test_the_page_flags_stale_and_unwilling_segments(client, viewer, canvas):
    old = make_segment(canvas, "Hoteles", reviewed_at=timezone.now() - timedelta(days=91))
    unwilling = make_segment(canvas, "Estudiantes", willingness_to_pay="none")
    recent = make_segment(canvas, "Oficinas", reviewed_at=timezone.now() - timedelta(days=89))

    html = ranking_html(client, viewer, canvas)

    [stale_text] = warning_texts(html, old)
    assert stale_text.startswith("Not reviewed since") and "more than 90 days ago" in stale_text
    assert warning_texts(html, unwilling) == ["Not willing to pay: who pays for what this segment gets?"]
    assert not has_element(html, f"warnings-{recent.pk}")


def test_look_alikes_count_only_live_value_propositions_channels_and_relationships(client, viewer, canvas):
    offer = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")
    channel = make_note(canvas, Block.CHANNELS, "Tienda online")
    partner = make_note(canvas, Block.KEY_PARTNERS, "Tostadora local")
    gone = make_note(canvas, Block.CUSTOMER_RELATIONSHIPS, "Club de catas")
    cafes = make_segment(canvas, "Cafeterías")
    bares = make_segment(canvas, "Bares")
    hoteles = make_segment(canvas, "Hoteles")
    cafes.linked_notes.set([offer, channel, partner])  # the partner does not count
    bares.linked_notes.set([offer, channel, gone])  # the deleted note does not count
    hoteles.linked_notes.set([offer])
    gone.delete_softly()

    html = ranking_html(client, viewer, canvas)

    assert warning_texts(html, cafes) == [
        "Linked to exactly the same value propositions, channels and relationships as “Bares”: perhaps not distinct segments."
    ]
    assert "“Cafeterías”" in warning_texts(html, bares)[0]
    assert not has_element(html, f"warnings-{hoteles.pk}")


def test_segments_with_nothing_to_check_say_so(client, viewer, canvas):
    make_segment(canvas, "Cafeterías", estimated_size=20_000)

    html = ranking_html(client, viewer, canvas)

    assert "Nothing to check" in element(html, "warnings").text
