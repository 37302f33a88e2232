"""The geometry of the prioritisation matrix, on hand-computed cases."""

from __future__ import annotations

from math import pi

import re

import pytest

from segments.charts import MatrixPoint, bubble_radius, matrix_layout, palette_colours

# The default chart: 640 × 480, margins 24 (top), 24 (right), 56 (bottom), 64 (left): the plot
# runs from x 64 to 616 and from y 24 to 424. The axes run from 0.5 to 5.5, so one point of
# the scale is 552 / 5 = 110.4 wide and 400 / 5 = 80 high.


def point(key="cafés", attractiveness=3.0, ability=3.0, size=None, colour=2, label=None, letter="") -> MatrixPoint:
    return MatrixPoint(key, label or key, attractiveness, ability, size, colour, letter)


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


def test_the_colour_is_the_segment_colour_with_its_letter_in_the_ink_that_reads_on_it():
    matrix = matrix_layout([point("teal", colour=7, letter="C"), point("odd", colour=99, ability=1)])
    bubbles = bubbles_by_key(matrix)

    assert (bubbles["teal"].fill, bubbles["teal"].ink) == ("#44aa99", "#1f2430")
    assert bubbles["teal"].point.letter == "C"
    assert (bubbles["odd"].fill, bubbles["odd"].ink) == palette_colours()[10]  # the last of the palette


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


# Labels keep clear of bubbles, of each other and of the plot's edge ---------------------------


def assert_labels_clear(matrix, font_size=12):
    """Each label's box lies inside the plot, crosses no bubble (nor a letter's disc) and no
    other label; a name with no room is in the key instead."""
    boxes = []
    for bubble in matrix.bubbles:
        if bubble.keyed:
            assert bubble in matrix.keyed and bubble.label in ("", bubble.tag)
        if not bubble.label:
            continue
        x1, y1, x2, y2 = box = bubble.label_box
        # The box is where the text is drawn, and as wide as the text at least.
        assert x2 - x1 >= len(bubble.label) * font_size * 0.45
        assert y1 < bubble.label_y < y2
        expected_x = {"start": x1, "end": x2, "middle": (x1 + x2) / 2}[bubble.label_anchor]
        assert bubble.label_x == pytest.approx(expected_x, abs=0.1)
        assert matrix.left <= x1 and x2 <= matrix.right and matrix.top <= y1 and y2 <= matrix.bottom
        boxes.append(box)
        if bubble.keyed and (bubble.label_x, bubble.label_anchor) == (bubble.x, "middle") and y1 < bubble.y < y2:
            continue  # a number with no room around its bubble, written on it
        for other in matrix.bubbles:
            radius = max(other.r, other.badge_r if other.point.letter else 0)
            nearest_x, nearest_y = min(max(other.x, x1), x2), min(max(other.y, y1), y2)
            assert (nearest_x - other.x) ** 2 + (nearest_y - other.y) ** 2 >= radius**2, (
                f"label {bubble.label!r} lies on bubble {other.point.key!r}"
            )
    for index, (ax1, ay1, ax2, ay2) in enumerate(boxes):
        for bx1, by1, bx2, by2 in boxes[index + 1 :]:
            assert not (ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2), "two labels overlap"


def test_labels_of_bubbles_in_the_same_place_do_not_overlap():
    matrix = matrix_layout([point("uno"), point("dos"), point("tres")])

    assert [b.keyed for b in matrix.bubbles] == [False, False, False]
    assert {b.label for b in matrix.bubbles} == {"uno", "dos", "tres"}
    assert_labels_clear(matrix)


def test_a_label_does_not_lie_across_the_next_bubble():
    """The case seen on the demo: the first segment's name ran right, across the second's bubble."""
    first = point("first", attractiveness=4, ability=3, size=100, label="1. Aficionados al café en casa")
    second = point("second", attractiveness=4, ability=4, size=25, label="2. Oficinas pequeñas de 10 a 50")
    matrix = matrix_layout([first, second])
    bubbles = bubbles_by_key(matrix)

    assert (bubbles["first"].x, bubbles["first"].r, bubbles["second"].x, bubbles["second"].r) == (340.0, 36, 450.4, 18)
    # Right of the first bubble is the second: the name goes left, where there is room.
    assert bubbles["first"].label_anchor == "end"
    assert bubbles["first"].label_x == 340 - 36 - 4
    assert_labels_clear(matrix)


def test_a_label_near_the_top_edge_stays_inside_the_plot():
    corner = point("corner", attractiveness=5.5, ability=5.5, size=1, label="Cafeterías de especialidad")
    matrix = matrix_layout([corner])

    assert_labels_clear(matrix)
    assert not matrix.bubbles[0].keyed


def test_a_label_keeps_clear_of_a_small_bubbles_letter():
    big = point("big", attractiveness=3, ability=2, size=400, label="Hogares", letter="A")
    # A tiny bubble (r 2) whose letter's disc (r 7) sits where the big one's label would go.
    small = point("small", attractiveness=3, ability=2.55, size=1, label="Oficinas", letter="B")
    matrix = matrix_layout([big, small])

    assert bubbles_by_key(matrix)["small"].r == 2
    assert_labels_clear(matrix)


def test_crowded_bubbles_fall_back_to_their_numbers_and_a_key():
    """Twelve segments scored alike: not every name finds room, and those that do not are
    numbered (their place in the list) and named in the key."""
    points = [
        point(f"s{index}", attractiveness=3 + (index % 3) * 0.1, ability=3 + (index // 3) * 0.1, size=1000,
              label=f"{index}. Segmento con un nombre largo")
        for index in range(1, 13)
    ]  # fmt: skip
    matrix = matrix_layout(points)

    assert_labels_clear(matrix)
    keyed = matrix.keyed
    assert keyed and len(keyed) < 12
    assert [b.tag for b in keyed] == sorted((b.tag for b in keyed), key=lambda tag: (len(tag), tag))
    for bubble in keyed:
        assert bubble.tag == str(points.index(bubble.point) + 1)
        assert bubble.label in ("", bubble.tag)  # the number, or (no room even for it) at the centre
    named = [b for b in matrix.bubbles if not b.keyed]
    assert all(b.label.endswith("…") or b.label == b.point.label for b in named)


def test_a_keyed_segment_with_a_letter_shows_only_its_letter():
    points = [
        point(f"s{index}", attractiveness=3, ability=3 + index * 0.05, size=1000, label=f"Segmento {index} largo",
              letter=chr(64 + index))
        for index in range(1, 9)
    ]
    matrix = matrix_layout(points)

    assert_labels_clear(matrix)
    assert matrix.keyed
    for bubble in matrix.keyed:
        assert bubble.label == "" and bubble.tag == bubble.point.letter


def test_keyed_hands_a_name_to_the_key():
    from segments.charts import keyed

    [named] = matrix_layout([point("plain", label="مقهى الحي")]).bubbles
    [lettered] = matrix_layout([point("lettered", label="مقهى الحي", letter="C")]).bubbles

    assert (keyed(named).label, keyed(named).keyed, keyed(named).tag) == ("1", True, "1")
    assert (keyed(lettered).label, keyed(lettered).tag) == ("", "C")


def test_long_labels_are_shortened():
    [bubble] = matrix_layout([point(label="Familias  con niños pequeños que viven en el centro")]).bubbles

    assert bubble.label == "Familias con niños pequeños…"
    assert len(bubble.label) == 28
    assert bubble.point.label.startswith("Familias  con")  # the data table keeps the whole name


def test_the_bubbles_take_their_colours_from_the_one_palette():
    from segments.charts import PALETTE
    from segments.models import SegmentColour

    assert set(palette_colours()) == set(SegmentColour.values) == set(range(1, 11))
    assert palette_colours()[SegmentColour.INDIGO] == ("#332288", "#ffffff")
    css = PALETTE.read_text(encoding="utf-8")
    for number, (fill, ink) in palette_colours().items():
        assert re.search(rf"--segment-{number}:\s*{fill};", css) and re.search(rf"--segment-{number}-ink:\s*{ink};", css)
        assert f".segment-colour--{number} {{" in css


def test_no_other_stylesheet_defines_a_palette_colour():
    from django.conf import settings

    from segments.charts import PALETTE

    css = PALETTE.read_text(encoding="utf-8")
    values = set(re.findall(r"--(?:note-[a-z]+|segment-\d+):\s*(#[0-9a-fA-F]{6})", css))
    assert len(values) == 17
    for sheet in (settings.BASE_DIR / "static" / "css").glob("*.css"):
        if sheet != PALETTE:
            found = {value for value in values if value.lower() in sheet.read_text(encoding="utf-8").lower()}
            assert found == set(), f"{sheet.name} defines {found} again: use the palette's properties"


def test_the_chart_names_in_a_key_the_segments_it_only_marks():
    from django.template.loader import render_to_string

    from tests.markup import find_all

    points = [
        point(f"s{index}", attractiveness=3, ability=3 + index * 0.05, size=1000, label=f"{index}. Segmento {index} largo",
              letter=chr(64 + index))
        for index in range(1, 9)
    ]  # fmt: skip
    matrix = matrix_layout(points)
    html = render_to_string("prioritisation/ranking.html#matrix", {"matrix": matrix})

    [key] = find_all(html, "ul", **{"class": "matrix-key"})
    assert [" ".join(item.text.split()) for item in key.find_all("li")] == [
        f"{b.tag} {b.point.label}" for b in matrix.keyed
    ]
    [labels] = find_all(html, "g", **{"class": "matrix__labels"})
    drawn = [text.text for text in labels.find_all("text")]
    assert sorted(drawn) == sorted(b.label for b in matrix.bubbles if not b.keyed)  # no empty labels


def test_with_room_for_every_name_there_is_no_key():
    from django.template.loader import render_to_string

    html = render_to_string("prioritisation/ranking.html#matrix", {"matrix": matrix_layout([point("uno"), point("dos", ability=1)])})

    assert "matrix-key" not in html
