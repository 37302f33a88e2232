"""The geometry of the prioritisation matrix, on hand-computed cases."""

from __future__ import annotations

from math import pi

import re

import pytest

from segments.charts import DEFAULT_FILL, FILLS, MatrixPoint, bubble_radius, matrix_layout

# The default chart: 640 × 480, margins 24 (top), 24 (right), 56 (bottom), 64 (left): the plot
# runs from x 64 to 616 and from y 24 to 424. The axes run from 0.5 to 5.5, so one point of
# the scale is 552 / 5 = 110.4 wide and 400 / 5 = 80 high.


def point(key="cafés", attractiveness=3.0, ability=3.0, size=None, colour="purple", label=None) -> MatrixPoint:
    return MatrixPoint(key, label or key, attractiveness, ability, size, colour)


def bubbles_by_key(matrix):
    return {bubble.point.key: bubble for bubble in matrix.bubbles}


@pytest.mark.parametrize(
    ("attractiveness", "ability", "x", "y"),
    [
        pytest.param(1, 1, 119.2, 384.0, id="bottom-left"),
        pytest.param(5, 5, 560.8, 64.0, id="top-right"),
        pytest.param(3, 3, 340.0, 224.0, id="middle"),
        pytest.param(4.5, 2, 229.6, 104.0, id="attractive-but-hard"),
    ],
)
def test_attractiveness_is_up_and_ability_is_right(attractiveness, ability, x, y):
    [bubble] = matrix_layout([point(attractiveness=attractiveness, ability=ability)]).bubbles

    assert (bubble.x, bubble.y) == (x, y)


def test_the_quadrants_meet_in_the_middle_of_the_scale_and_ticks_mark_1_to_5():
    matrix = matrix_layout([])

    assert (matrix.mid_x, matrix.mid_y) == (340.0, 224.0)
    assert [(t.value, t.at) for t in matrix.x_ticks] == [(1, 119.2), (2, 229.6), (3, 340.0), (4, 450.4), (5, 560.8)]
    assert [(t.value, t.at) for t in matrix.y_ticks] == [(1, 384.0), (2, 304.0), (3, 224.0), (4, 144.0), (5, 64.0)]
    assert (matrix.plot_width, matrix.plot_height) == (552, 400)


def test_a_bubble_at_the_edge_of_the_scale_stays_inside_the_plot():
    [bubble] = matrix_layout([point(attractiveness=5, ability=5, size=10)]).bubbles

    assert bubble.r == 36
    assert bubble.x + bubble.r <= 616 and bubble.y - bubble.r >= 24


def test_the_area_of_a_bubble_is_proportional_to_the_size():
    matrix = matrix_layout(
        [point("big", size=40_000), point("quarter", size=10_000), point("ninth", size=40_000 / 9)],
        max_radius=36,
    )
    bubbles = bubbles_by_key(matrix)

    assert bubbles["big"].r == 36
    assert bubbles["quarter"].r == 18
    assert bubbles["ninth"].r == 12
    area = {key: pi * b.r**2 for key, b in bubbles.items()}
    assert area["big"] / area["quarter"] == pytest.approx(4)


def test_an_unknown_size_gets_the_minimum_radius_and_says_so():
    matrix = matrix_layout([point("known", size=500), point("unknown", size=None)], min_radius=6)
    bubbles = bubbles_by_key(matrix)

    assert bubbles["unknown"].r == 6
    assert not bubbles["unknown"].size_known
    assert bubbles["known"].size_known and bubbles["known"].r == 36


def test_when_no_size_is_known_every_bubble_gets_the_minimum_radius():
    matrix = matrix_layout([point("a"), point("b", ability=4)], min_radius=7)

    assert [b.r for b in matrix.bubbles] == [7, 7]


@pytest.mark.parametrize(
    ("size", "largest", "radius"),
    [(0, 1_000_000, 2.0), (1, 1_000_000, 2.0), (250_000, 1_000_000, 18.0), (None, 1_000_000, 6), (5, None, 6)],
)
def test_a_tiny_known_size_stays_visible(size, largest, radius):
    assert bubble_radius(size, largest, max_radius=36, min_radius=6) == pytest.approx(radius)


def test_segments_missing_an_axis_are_not_placed():
    matrix = matrix_layout(
        [point("placed"), point("no-ability", ability=None), point("no-attractiveness", attractiveness=None)]
    )

    assert [b.point.key for b in matrix.bubbles] == ["placed"]
    assert [p.key for p in matrix.unplaced] == ["no-ability", "no-attractiveness"]
    assert [p.key for p in matrix.points] == ["placed", "no-ability", "no-attractiveness"]


def test_the_largest_bubbles_are_drawn_first_so_small_ones_stay_visible():
    matrix = matrix_layout([point("small", size=10), point("large", size=1000), point("middle", size=300)])

    assert [b.point.key for b in matrix.bubbles] == ["large", "middle", "small"]


def test_the_colour_is_the_segment_note_colour():
    matrix = matrix_layout([point("green", colour="green"), point("odd", colour="chartreuse", ability=1)])
    bubbles = bubbles_by_key(matrix)

    assert bubbles["green"].fill == FILLS["green"]
    assert bubbles["odd"].fill == DEFAULT_FILL


def test_the_label_sits_right_of_the_bubble():
    [bubble] = matrix_layout([point("cafés", size=None)], min_radius=6).bubbles

    assert bubble.label == "cafés"
    assert bubble.label_anchor == "start"
    assert bubble.label_x == 340.0 + 6 + 4
    assert bubble.label_y == pytest.approx(224.0 + 12 * 0.35, abs=0.1)


def test_near_the_right_edge_the_label_sits_left_of_the_bubble():
    [bubble] = matrix_layout([point(label="Cafeterías de especialidad", ability=5, size=None)], min_radius=6).bubbles

    assert bubble.label_anchor == "end"
    assert bubble.label_x == 560.8 - 6 - 4


def test_labels_of_bubbles_in_the_same_place_do_not_overlap():
    matrix = matrix_layout([point("uno"), point("dos"), point("tres")])

    ys = sorted(b.label_y for b in matrix.bubbles)
    assert len(set(ys)) == 3
    assert all(later - earlier >= 14 for earlier, later in zip(ys, ys[1:]))


def test_long_labels_are_shortened():
    [bubble] = matrix_layout([point(label="Familias  con niños pequeños que viven en el centro")]).bubbles

    assert bubble.label == "Familias con niños pequeños…"
    assert len(bubble.label) == 28
    assert bubble.point.label.startswith("Familias  con")  # the data table keeps the whole name


def test_the_bubbles_take_their_colours_from_the_one_palette():
    from canvas_app.models import Colour
    from segments.charts import FILLS, PALETTE

    assert set(FILLS) == set(Colour.values)
    assert FILLS["yellow"] == "#f2c500"
    css = PALETTE.read_text(encoding="utf-8")
    assert all(f"--mark-{colour}: {fill};" in css for colour, fill in FILLS.items())


def test_no_other_stylesheet_defines_a_palette_colour():
    from django.conf import settings

    from segments.charts import PALETTE

    values = set(re.findall(r"--(?:note|mark)-[a-z]+:\s*(#[0-9a-fA-F]{6})", PALETTE.read_text(encoding="utf-8")))
    assert len(values) == 14
    for sheet in (settings.BASE_DIR / "static" / "css").glob("*.css"):
        if sheet != PALETTE:
            found = {value for value in values if value.lower() in sheet.read_text(encoding="utf-8").lower()}
            assert found == set(), f"{sheet.name} defines {found} again: use the palette's properties"
