"""Segments told apart: each has its own colour of the segment palette and its own letter,
on the board (markers, the segment's note, the legend), in the lists and on its page."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from canvas_app.models import Action, Block, Change
from segments.marks import letter_for, next_marks
from segments.models import Segment, SegmentColour
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, element, find_all, has_element, is_partial, parse
from tests.segments.factories import make_note, make_segment, segments_state

PALETTE = len(SegmentColour)


def marks(segments) -> list[tuple[int, str]]:
    return [(segment.colour, segment.letter) for segment in segments]


def fresh(segment: Segment) -> Segment:
    return Segment.objects.select_related("note").get(pk=segment.pk)


# Machado, Oliveira & Fernandes (2009): full protanopia, deuteranopia and tritanopia, on
# linear RGB. CIE76 ΔE of 15 and more reads as clearly different colours side by side.
COLOUR_BLINDNESS = {
    "none": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _lab(hex_colour: str, seen_as) -> tuple[float, float, float]:
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (min(1.0, max(0.0, sum(w * c for w, c in zip(row, rgb)))) for row in seen_as)
    x, y, z = 0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b, 0.0193 * r + 0.1192 * g + 0.9505 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x / 0.95047), f(y), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


@pytest.mark.parametrize("vision", list(COLOUR_BLINDNESS))
def test_every_two_segment_colours_stay_apart_for_colour_blind_people_too(vision):
    from itertools import combinations
    from math import dist

    from segments.charts import palette_colours

    seen = {number: _lab(fill, COLOUR_BLINDNESS[vision]) for number, (fill, _ink) in palette_colours().items()}
    closest = min(dist(seen[a], seen[b]) for a, b in combinations(seen, 2))
    assert closest >= 15, f"two segment colours look alike with {vision} (ΔE {closest:.1f})"


def test_each_letter_reads_on_its_colour():
    """WCAG contrast of the letter's ink on its colour: at least 4 to 1."""
    from segments.charts import palette_colours

    def luminance(hex_colour: str) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for number, (fill, ink) in palette_colours().items():
        light, dark = sorted((luminance(fill), luminance(ink)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4, f"the letter on colour {number}"


class TestTheRule:
    """segments.marks.next_marks, on hand-worked cases."""

    def test_a_palette_of_at_least_ten(self):
        assert PALETTE >= 10

    @pytest.mark.parametrize(
        ("index", "letter"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ")]
    )
    def test_letters_run_a_to_z_then_aa(self, index, letter):
        assert letter_for(index) == letter

    def test_a_first_segment_takes_the_first_colour_and_a(self):
        assert next_marks([], [], count=1, palette_size=10) == [(1, "A")]

    def test_new_segments_take_the_first_colours_and_letters_nobody_uses(self):
        assert next_marks([1, 3], ["A", "C"], count=3, palette_size=10) == [(2, "B"), (4, "D"), (5, "E")]

    def test_every_colour_is_used_once_before_any_is_used_twice(self):
        found = next_marks([], [], count=25, palette_size=10)
        colours = [colour for colour, _letter in found]
        assert colours[:10] == list(range(1, 11))
        assert colours[10:20] == list(range(1, 11))
        assert len({letter for _colour, letter in found}) == 25

    def test_once_all_are_used_the_least_used_comes_first(self):
        used = [*range(1, 11), 1, 2, 3]  # 1, 2 and 3 twice
        assert [c for c, _l in next_marks(used, [], count=8, palette_size=10)] == [4, 5, 6, 7, 8, 9, 10, 1]

    def test_a_colour_outside_the_palette_takes_no_place(self):
        assert next_marks([0, 42], [], count=1, palette_size=10) == [(1, "A")]


class TestNewSegments:
    def test_three_new_segments_get_three_colours_and_letters(self, canvas):
        segments = [make_segment(canvas, name) for name in ("Oficinas", "Estudiantes", "Familias")]
        assert marks(segments) == [(1, "A"), (2, "B"), (3, "C")]

    def test_ten_distinct_colours_before_one_repeats(self, canvas):
        segments = [make_segment(canvas, f"Segmento {n}") for n in range(1, 12)]
        colours = [segment.colour for segment in segments]
        assert len(set(colours[:10])) == 10 == PALETTE
        assert colours[10] == colours[0]
        assert len({segment.letter for segment in segments}) == 11

    def test_a_new_segment_takes_the_first_colour_no_other_uses(self, canvas):
        first, second, third = (make_segment(canvas, name) for name in ("Uno", "Dos", "Tres"))
        second.colour = SegmentColour.OLIVE
        second.save(update_fields=["colour"])
        assert make_segment(canvas, "Cuatro").colour == SegmentColour.INDIGO  # 2, free again

    def test_each_canvas_counts_its_own_segments(self, canvas, owner):
        make_segment(canvas, "Oficinas")
        other = make_segment(make_canvas(owner, "Otro"), "Estudiantes")
        assert (other.colour, other.letter) == (1, "A")

    def test_segments_added_together_get_distinct_marks_in_board_order(self, canvas):
        notes = [canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text=t) for t in ("Uno", "Dos", "Tres")]
        Segment.objects.filter(note__in=notes).delete()  # as a canvas of before, or a demo
        Segment.ensure_for_notes(list(reversed(notes)))
        got = {s.note_id: (s.colour, s.letter) for s in Segment.objects.filter(note__in=notes)}
        assert [got[n.pk] for n in notes] == [(1, "A"), (2, "B"), (3, "C")]

    def test_a_deleted_segment_keeps_its_marks_for_the_undo(self, canvas):
        first, second = make_segment(canvas, "Uno"), make_segment(canvas, "Dos")
        first.note.delete_softly()
        third = make_segment(canvas, "Tres")
        assert (third.colour, third.letter) == (3, "C")
        first.note.restore()
        assert marks(Segment.objects.of_canvas(canvas)) == [(1, "A"), (2, "B"), (3, "C")]

    def test_marks_stay_when_segments_are_renamed_or_reordered(self, canvas):
        first, second = make_segment(canvas, "Uno"), make_segment(canvas, "Dos")
        second.note.move(block=Block.CUSTOMER_SEGMENTS, position=1)
        first.note.edit(text="Primero")
        assert marks(Segment.objects.of_canvas(canvas)) == [(2, "B"), (1, "A")]

    def test_a_duplicated_canvas_keeps_its_segments_marks(self, client, owner, canvas):
        make_segment(canvas, "Uno"), make_segment(canvas, "Dos")
        client.force_login(owner)
        client.post(reverse("canvas_app:canvas_duplicate", args=[canvas.pk]))
        copies = Segment.objects.exclude(note__canvas=canvas).order_by("note__position")
        assert marks(copies) == [(1, "A"), (2, "B")]


class TestMigration:
    def test_existing_segments_get_distinct_marks_in_board_order(self, canvas, owner):
        migration = importlib.import_module("segments.migrations.0006_segment_colour_and_letter")
        segments = [make_segment(canvas, f"Segmento {n}") for n in range(1, 13)]
        moved = segments[0]
        moved.note.move(block=Block.CHANNELS, position=1)  # off the block for now: after the others
        other = make_segment(make_canvas(owner, "Otro"), "Solo")
        Segment.objects.update(colour=1, letter="")  # as before the migration
        migration.give_each_segment_its_marks(apps, None)
        on_board = list(Segment.objects.of_canvas(canvas))
        assert marks(on_board) == [(n % 10 + 1, chr(ord("A") + n)) for n in range(11)]
        assert (fresh(moved).colour, fresh(moved).letter) == (2, "L")
        assert (fresh(other).colour, fresh(other).letter) == (1, "A")


class TestOnTheBoard:
    def board(self, client, canvas):
        return client.get(reverse("canvas_app:board", args=[canvas.pk])).content

    def test_the_legend_lists_each_segment_with_its_letter_colour_and_page(self, client, viewer, canvas):
        segments = [make_segment(canvas, name) for name in ("Oficinas", "Estudiantes", "Familias")]
        client.force_login(viewer)
        legend = element(self.board(client, canvas), "segment-legend")
        items = legend.find_all("a")
        assert [a.attrs["href"] for a in items] == [reverse("segments:detail", args=[canvas.pk, s.pk]) for s in segments]
        badges = [a.find_all("span", **{"aria-hidden": "true"})[0] for a in items]
        assert [(b.attrs["class"], b.text) for b in badges] == [
            ("marker segment-colour--1", "A"), ("marker segment-colour--2", "B"), ("marker segment-colour--3", "C")
        ]  # fmt: skip
        assert [a.find_all("span", **{"class": "segment-legend__name"})[0].text for a in items] == [
            "Oficinas", "Estudiantes", "Familias"
        ]  # fmt: skip

    def test_without_segments_the_legend_is_hidden(self, client, viewer, canvas):
        client.force_login(viewer)
        legend = element(self.board(client, canvas), "segment-legend")
        assert "hidden" in legend.attrs and legend.find_all("a") == []

    def test_the_legend_is_fetched_again_as_a_partial(self, client, viewer, canvas):
        make_segment(canvas, "Oficinas")
        client.force_login(viewer)
        url = reverse("segments:legend", args=[canvas.pk])
        response = client.get(url, **HTMX)
        assert response.status_code == 200 and is_partial(response.content)
        assert [a.text.strip() for a in element(response.content, "segment-legend").find_all("a")][0].startswith("A")
        assert b"segment-board.js" not in response.content  # the page has it already
        assert client.get(url)["Location"] == reverse("segments:list", args=[canvas.pk])

    def test_viewers_see_markers_with_letters_and_no_picker(self, client, viewer, canvas):
        offices, students = make_segment(canvas, "Oficinas"), make_segment(canvas, "Estudiantes")
        channel = make_note(canvas, Block.CHANNELS, "Tienda online")
        channel.segments.add(offices, students)
        client.force_login(viewer)
        board = self.board(client, canvas)
        assert not has_element(board, f"note-{channel.pk}-segments")
        markers = element(board, f"note-{channel.pk}").find_all("ul", **{"class": "note__markers"})[0].find_all("li")
        assert [(m.attrs["class"], m.attrs["title"], m.text) for m in markers] == [
            ("marker segment-colour--1", "Oficinas", "AOficinas"),
            ("marker segment-colour--2", "Estudiantes", "BEstudiantes"),
        ]

    def test_a_segment_note_shows_its_own_mark(self, client, viewer, canvas):
        segment = make_segment(canvas, "Oficinas")
        segment.colour = SegmentColour.TEAL
        segment.save(update_fields=["colour"])
        client.force_login(viewer)
        note = element(self.board(client, canvas), f"note-{segment.note_id}")
        [mark] = note.find_all("span", **{"class": "marker note__segment-mark segment-colour--7"})
        assert mark.text == "A"

    def test_the_filter_offers_the_segments_in_their_colour(self, client, viewer, canvas):
        segment = make_segment(canvas, "Oficinas")
        client.force_login(viewer)
        response = client.get(reverse("canvas_app:board", args=[canvas.pk]))
        [option] = [f for f in response.context["board_filters"] if f.key == f"segment-{segment.pk}"]
        assert (option.colour, option.letter) == ("1", "A")

    def test_three_segments_added_on_the_board_look_different(self, client, editor, canvas):
        client.force_login(editor)
        url = reverse("canvas_app:note_add", args=[canvas.pk, Block.CUSTOMER_SEGMENTS])
        classes = []
        for name in ("Oficinas", "Estudiantes", "Familias"):
            response = client.post(url, {"text": name}, **HTMX)
            assert response.status_code == 200
            [mark] = [e for e in parse(response.content).elements if "note__segment-mark" in e.attrs.get("class", "")]
            classes.append((mark.attrs["class"], mark.text))
        assert classes == [
            ("marker note__segment-mark segment-colour--1", "A"),
            ("marker note__segment-mark segment-colour--2", "B"),
            ("marker note__segment-mark segment-colour--3", "C"),
        ]


class TestElsewhere:
    def test_the_segment_list_and_page_show_the_mark(self, client, viewer, canvas):
        make_segment(canvas, "Oficinas")
        segment = make_segment(canvas, "Estudiantes")
        client.force_login(viewer)
        listing = client.get(reverse("segments:list", args=[canvas.pk])).content
        [swatch] = element(listing, f"segment-{segment.pk}").find_all("span", **{"aria-hidden": "true"})[:1]
        assert (swatch.attrs["class"], swatch.text) == ("segment-swatch segment-colour--2", "B")
        page = client.get(reverse("segments:detail", args=[canvas.pk, segment.pk])).content
        heading = element(page, "segment-name")
        assert heading.find_all("span")[0].attrs["class"] == "segment-swatch segment-colour--2"
        assert not has_element(page, "segment-colour")  # viewers do not change it

    def test_the_ranking_and_the_matrix_carry_the_mark(self, client, viewer, canvas):
        from segments.prioritisation.ranking import team_ranking
        from segments.models import PrioritySettings

        make_segment(canvas, "Oficinas")
        segment = make_segment(canvas, "Estudiantes")
        client.force_login(viewer)
        page = client.get(reverse("prioritisation:ranking", args=[canvas.pk])).content
        [dot] = element(page, f"rank-{segment.pk}").find_all("span", **{"aria-hidden": "true"})[:1]
        assert (dot.attrs["class"], dot.text) == ("segment-dot segment-colour--2", "B")
        canvas.user_role = "viewer"
        points = team_ranking(canvas, PrioritySettings.for_canvas(canvas)).matrix().points
        assert [(p.colour, p.letter) for p in points] == [(1, "A"), (2, "B")]


class TestColourOnTheSegmentPage:
    def url(self, segment) -> str:
        return reverse("segments:colour", args=[segment.canvas_id, segment.pk])

    def test_editors_get_one_labelled_radio_per_palette_colour(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        client.force_login(editor)
        page = client.get(reverse("segments:detail", args=[canvas.pk, segment.pk])).content
        radios = element(page, "segment-colour").find_all("input", type="radio")
        assert [r.attrs["value"] for r in radios] == [str(v) for v in SegmentColour.values]
        assert ["checked" in r.attrs for r in radios] == [v == 1 for v in SegmentColour.values]
        labels = {label.attrs["for"]: label.attrs.get("title") for label in find_all(page, "label") if "for" in label.attrs}
        assert labels["segment-colour-2"] == "Indigo"

    def test_choosing_a_colour_saves_it_as_a_recorded_change(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        client.force_login(editor)
        response = client.post(self.url(segment), {"colour": "7"})
        assert response.status_code == 302
        assert (fresh(segment).colour, fresh(segment).letter) == (7, "A")
        change = Change.objects.filter(canvas=canvas).order_by("-revision").first()
        assert (change.action, change.by, change.target_id) == (Action.EDIT, editor, segment.pk)

    def test_with_htmx_the_form_and_the_heading_come_back(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        client.force_login(editor)
        response = client.post(self.url(segment), {"colour": "4"}, **HTMX)
        assert response.status_code == 200 and is_partial(response.content)
        assert element(response.content, "segment-name").attrs["hx-swap-oob"] == "true"
        checked = [r for r in element(response.content, "segment-colour").find_all("input") if "checked" in r.attrs]
        assert [r.attrs["value"] for r in checked] == ["4"]
        assert "segment-colour-4" in response["HX-Trigger-After-Settle"]

    @pytest.mark.parametrize("value", ["0", "11", "red", ""])
    def test_a_colour_outside_the_palette_is_refused_and_changes_nothing(self, client, editor, canvas, value):
        segment = make_segment(canvas, "Oficinas")
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(self.url(segment), {"colour": value}, **HTMX)
        assert response.status_code == 400
        assert element(response.content, "segment-colour-error").text == "Choose one of the palette's colours."
        assert (segments_state(), db_state()) == before

    def test_viewers_and_outsiders_cannot_change_it(self, client, viewer, outsider, canvas):
        segment = make_segment(canvas, "Oficinas")
        before = db_state()
        client.force_login(viewer)
        assert client.post(self.url(segment), {"colour": "3"}).status_code == 403
        client.force_login(outsider)
        assert client.post(self.url(segment), {"colour": "3"}).status_code == 404
        assert db_state() == before
