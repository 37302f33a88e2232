"""The ranking page: segments by weighted score with the spread between reviewers, the
matrix, and the owner's primary segment and size threshold."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from canvas_app.models import Role
from segments.charts import MatrixPoint, palette_colours, matrix_layout
from segments.models import PrioritySettings
from tests.conftest import make_canvas, make_user, membership_of
from tests.markup import element, field_error, find_all, parse
from tests.segments.factories import make_criterion, make_segment, score


def ranking_url(canvas) -> str:
    return reverse("prioritisation:ranking", args=[canvas.pk])


def primary_url(canvas) -> str:
    return reverse("prioritisation:primary", args=[canvas.pk])


def threshold_url(canvas) -> str:
    return reverse("prioritisation:threshold", args=[canvas.pk])


def page(client, user, canvas) -> str:
    client.force_login(user)
    response = client.get(ranking_url(canvas))
    assert response.status_code == 200
    return response.content.decode()


def row_cells(html: str, segment) -> list[str]:
    row = element(html, f"rank-{segment.pk}")
    return [cell.text for cell in row.descendants if cell.tag in ("td", "th")]


@pytest.fixture
def scored(canvas, owner, editor):
    """Three segments scored by the owner and the editor on two criteria.

    size (weight 3, attractiveness), fit (weight 1, ability):
    - Cafeterías: size 5 and 3 → 4; fit 2 and 2 → 2; score (3 × 4 + 2) / 4 = 3.5
    - Oficinas: size 1 and 4 → 2.5 (spread 3); fit 5 (owner only); score (7.5 + 5) / 4 = 3.125
    - Hogares: nobody scored it.
    """
    cafes = make_segment(canvas, "Cafeterías", estimated_size=8000)
    hogares = make_segment(canvas, "Hogares", colour="blue")
    oficinas = make_segment(canvas, "Oficinas", colour="green", estimated_size=2000)
    size = make_criterion(canvas, "Tamaño", weight=3)
    fit = make_criterion(canvas, "Encaje", weight=1, axis="ability")
    for segment, criterion, reviewer, value in [
        (cafes, size, owner, 5),
        (cafes, size, editor, 3),
        (cafes, fit, owner, 2),
        (cafes, fit, editor, 2),
        (oficinas, size, owner, 1),
        (oficinas, size, editor, 4),
        (oficinas, fit, owner, 5),
    ]:
        score(segment, criterion, reviewer, value)
    return cafes, oficinas, hogares


# Access -------------------------------------------------------------------------------------


class TestAccess:
    def test_it_requires_login(self, client, canvas):
        response = client.get(ranking_url(canvas))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.get(ranking_url(canvas)).status_code == 404

    def test_viewers_read_it_without_edit_controls(self, client, viewer, canvas, scored):
        html = page(client, viewer, canvas)

        assert element(html, "ranking")
        # The one form of the canvas they get asks for the report, which changes nothing.
        actions = [f.attrs.get("action", "") for f in find_all(html, "form")]
        assert [a for a in actions if a.startswith("/canvases/")] == [reverse("prioritisation:report", args=[canvas.pk])]
        assert not [a for a in find_all(html, "a") if a.attrs.get("href") == reverse("prioritisation:scores", args=[canvas.pk])]
        assert "A segment estimated below 1,000 customers is flagged as too small." in html

    def test_editors_get_the_link_to_score_but_not_the_owner_forms(self, client, editor, canvas, scored):
        html = page(client, editor, canvas)

        hrefs = [a.attrs.get("href") for a in find_all(html, "a")]
        assert reverse("prioritisation:scores", args=[canvas.pk]) in hrefs
        assert reverse("prioritisation:criteria", args=[canvas.pk]) not in hrefs
        actions = [f.attrs.get("action") for f in find_all(html, "form")]
        assert primary_url(canvas) not in actions and threshold_url(canvas) not in actions

    def test_the_owner_gets_every_control(self, client, owner, canvas, scored):
        html = page(client, owner, canvas)

        hrefs = [a.attrs.get("href") for a in find_all(html, "a")]
        assert reverse("prioritisation:criteria", args=[canvas.pk]) in hrefs
        actions = [f.attrs.get("action") for f in find_all(html, "form")]
        assert primary_url(canvas) in actions and threshold_url(canvas) in actions

    def test_the_canvas_nav_marks_prioritisation(self, client, viewer, canvas):
        html = page(client, viewer, canvas)
        [current] = [a for a in find_all(html, "a") if a.attrs.get("aria-current") == "page"]
        assert current.attrs["href"] == ranking_url(canvas)


# The ranking --------------------------------------------------------------------------------


class TestRanking:
    def test_segments_come_by_weighted_score_and_unscored_ones_last(self, client, viewer, canvas, scored):
        cafes, oficinas, hogares = scored
        html = page(client, viewer, canvas)

        rows = element(html, "ranking").find_all("tr", **{"class": "ranking__row"})
        assert [r.attrs["id"] for r in rows] == [f"rank-{s.pk}" for s in (cafes, oficinas, hogares)]
        # Each name after its segment's letter.
        assert row_cells(html, cafes)[:4] == ["1", f"{cafes.letter} Cafeterías", "3.50", "2 of 2"]
        # The editor did not score Oficinas on Encaje: the cell says a score is missing.
        assert row_cells(html, oficinas)[:4] == ["2", f"{oficinas.letter} Oficinas", "3.13", "2 of 2 1 score missing"]
        assert row_cells(html, hogares)[:4] == ["–", f"{hogares.letter} Hogares", "not scored yet", "0 of 2 4 scores missing"]

    def test_each_criterion_shows_the_mean_and_the_spread_and_marks_disagreement(self, client, viewer, canvas, scored):
        cafes, oficinas, _hogares = scored
        html = page(client, viewer, canvas)

        assert row_cells(html, cafes)[4:] == ["4.0 ⚠ disagreement, spread 2", "2.0 spread 0"]
        assert row_cells(html, oficinas)[4:] == ["2.5 ⚠ disagreement, spread 3", "5.0"]
        cells = element(html, f"rank-{oficinas.pk}").find_all("td")
        assert [("ranking__cell--disagree" in c.attrs.get("class", "")) for c in cells[-2:]] == [True, False]
        cafes_cells = element(html, f"rank-{cafes.pk}").find_all("td")
        assert "ranking__cell--disagree" in cafes_cells[-2].attrs["class"]  # a spread of 2 is enough

    def test_the_headers_give_each_criterion_weight_and_axis(self, client, viewer, canvas, scored):
        html = page(client, viewer, canvas)

        headers = [th.text for th in element(html, "ranking").find_all("th", scope="col")]
        assert headers == ["Rank", "Segment", "Score", "Scored by", "Tamaño weight 3 · attractiveness", "Encaje weight 1 · ability"]

    def test_only_members_who_may_edit_count_as_reviewers(self, client, owner, editor, viewer, canvas, scored):
        cafes, _oficinas, _hogares = scored
        former = make_user("fermin")
        canvas.memberships.create(user=former, role=Role.EDITOR)
        size = canvas.criteria.get(name="Tamaño")
        score(cafes, size, former, 1)
        score(cafes, size, viewer, 1)  # scored while an editor, then made a viewer
        canvas.memberships.filter(user=former).delete()

        html = page(client, viewer, canvas)

        assert row_cells(html, cafes)[2:5] == ["3.50", "2 of 2", "4.0 ⚠ disagreement, spread 2"]

    def test_the_mean_follows_a_change_of_weight(self, client, viewer, canvas, scored):
        cafes, oficinas, _hogares = scored
        canvas.criteria.filter(name="Encaje").update(weight=9)  # fit now dominates

        html = page(client, viewer, canvas)

        # Cafeterías (3 × 4 + 9 × 2) / 12 = 2.5; Oficinas (3 × 2.5 + 9 × 5) / 12 = 4.375
        assert row_cells(html, oficinas)[:3] == ["1", f"{oficinas.letter} Oficinas", "4.38"]
        assert row_cells(html, cafes)[:3] == ["2", f"{cafes.letter} Cafeterías", "2.50"]

    def test_without_segments_it_says_where_to_add_them(self, client, viewer, canvas):
        assert "No segments yet" in page(client, viewer, canvas)

    def test_a_segment_note_the_board_has_not_drawn_yet_is_ranked_too(self, client, viewer, canvas):
        from canvas_app.models import Block

        note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Turistas")
        html = page(client, viewer, canvas)
        assert note.segment.name == "Turistas"
        assert element(html, f"rank-{note.segment.pk}")

    def test_a_new_canvas_has_the_default_criteria_before_any_visit(self, owner):
        from tests.conftest import make_canvas

        canvas = make_canvas(owner, "Nuevo")
        assert canvas.criteria.count() == 6


# The matrix ---------------------------------------------------------------------------------


class TestMatrix:
    def test_the_page_draws_a_bubble_and_a_label_per_placed_segment(self, client, viewer, canvas, scored):
        cafes, oficinas, hogares = scored
        html = page(client, viewer, canvas)

        [svg] = find_all(html, "svg")
        assert svg.attrs["role"] == "img"
        assert svg.attrs["aria-labelledby"] == "matrix-title matrix-desc"
        assert element(html, "matrix-title").tag == "title"
        assert element(html, "matrix-desc").tag == "desc"
        circles = [c for c in svg.find_all("circle") if "data-segment" in c.attrs]  # the bubbles, not their letters' discs
        assert sorted(c.attrs["data-segment"] for c in circles) == sorted([str(cafes.pk), str(oficinas.pk)])
        labels = [t.text for t in svg.find_all("text") if "data-segment" in t.attrs]
        assert sorted(labels) == ["1. Cafeterías", "2. Oficinas"]
        by_segment = {c.attrs["data-segment"]: c for c in circles}
        assert by_segment[str(cafes.pk)].attrs["fill"] == palette_colours()[cafes.colour][0]  # the segments' own colours
        assert by_segment[str(oficinas.pk)].attrs["fill"] == palette_colours()[oficinas.colour][0]
        assert cafes.colour != oficinas.colour
        letters = svg.find_all("g", **{"class": "matrix__letters"})[0].find_all("text")
        assert sorted(t.text for t in letters) == sorted([cafes.letter, oficinas.letter])
        assert float(by_segment[str(cafes.pk)].attrs["r"]) == 36  # the largest
        assert float(by_segment[str(oficinas.pk)].attrs["r"]) == 18  # a quarter of the size
        assert "Hogares" in element(html, "matrix-section").find_all("figcaption")[0].text

    def test_a_data_table_gives_the_same_figures(self, client, viewer, canvas, scored):
        cafes, oficinas, hogares = scored
        html = page(client, viewer, canvas)

        [table] = find_all(html, "table", **{"class": "matrix-data"})
        rows = [[c.text for c in tr.descendants if c.tag in ("th", "td")] for tr in table.find_all("tr")][1:]
        assert rows == [
            [f"{cafes.letter} 1. Cafeterías", "4.0", "2.0", "8,000"],
            [f"{oficinas.letter} 2. Oficinas", "2.5", "5.0", "2,000"],
            [f"{hogares.letter} Hogares", "not scored", "not scored", "not known"],
        ]

    def test_the_partial_renders_alone_with_numbers_svg_can_read_in_any_language(self):
        matrix = matrix_layout([MatrixPoint(1, "Cafeterías", 3.5, 2.25, None, "pink")])

        with translation.override("es"):
            svg = render_to_string("prioritisation/ranking.html#matrix", {"matrix": matrix})

        [circle] = find_all(svg, "circle")
        assert circle.attrs["cx"] == "257.2"  # not "257,2"
        assert circle.attrs["stroke-dasharray"] == "3 2"  # the size is not known
        assert svg.strip().startswith("<svg") and svg.strip().endswith("</svg>")
        assert [t.text for t in find_all(svg, "text") if "data-segment" in t.attrs] == ["Cafeterías"]


# The primary segment ------------------------------------------------------------------------


class TestPrimary:
    def test_the_owner_marks_the_primary_segment(self, client, owner, canvas, scored):
        _cafes, oficinas, _hogares = scored
        client.force_login(owner)

        response = client.post(primary_url(canvas), {"segment": oficinas.pk})

        assert response.status_code == 302
        assert response["Location"] == f"{ranking_url(canvas)}#ranking"
        assert PrioritySettings.objects.get(canvas=canvas).primary_segment == oficinas
        html = client.get(ranking_url(canvas)).content.decode()
        assert "Primary" in element(html, f"rank-{oficinas.pk}").text
        assert "ranking__row--primary" in element(html, f"rank-{oficinas.pk}").attrs["class"]

    def test_an_empty_choice_clears_it(self, client, owner, canvas, scored):
        cafes, _oficinas, _hogares = scored
        PrioritySettings.objects.filter(canvas=canvas).update(primary_segment=cafes)
        client.force_login(owner)

        client.post(primary_url(canvas), {"segment": ""})

        assert PrioritySettings.objects.get(canvas=canvas).primary_segment is None

    def test_viewers_see_which_segment_is_primary(self, client, viewer, canvas, scored):
        cafes, _oficinas, _hogares = scored
        PrioritySettings.objects.filter(canvas=canvas).update(primary_segment=cafes)

        html = page(client, viewer, canvas)

        assert "Primary segment: Cafeterías." in element(html, "ranking").text

    @pytest.mark.parametrize("value", ["other-canvas", "999999", "cafés"])
    def test_only_a_segment_of_this_canvas_can_be_primary(self, client, owner, canvas, scored, value):
        cafes, _oficinas, _hogares = scored
        PrioritySettings.objects.filter(canvas=canvas).update(primary_segment=cafes)
        if value == "other-canvas":
            value = make_segment(make_canvas(owner, "Otro"), "Ajeno").pk
        client.force_login(owner)

        response = client.post(primary_url(canvas), {"segment": value})

        assert response.status_code == 400
        assert field_error(response.content, "id_segment") == "Choose one of this canvas' segments."
        assert PrioritySettings.objects.get(canvas=canvas).primary_segment == cafes

    @pytest.mark.parametrize(("identity", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
    def test_only_the_owner_marks_it(self, client, canvas, scored, request, identity, status):
        cafes, _oficinas, _hogares = scored
        client.force_login(request.getfixturevalue(identity))

        assert client.post(primary_url(canvas), {"segment": cafes.pk}).status_code == status
        assert PrioritySettings.objects.get(canvas=canvas).primary_segment is None

    def test_it_requires_post(self, client, owner, canvas):
        client.force_login(owner)
        assert client.get(primary_url(canvas)).status_code == 405

    def test_a_demoted_owner_cannot_mark_it(self, client, owner, editor, canvas, scored):
        cafes, _oficinas, _hogares = scored
        membership = membership_of(canvas, editor)
        membership.role = Role.OWNER
        membership.save()
        canvas.change_role(membership_of(canvas, owner), Role.EDITOR)
        client.force_login(owner)

        assert client.post(primary_url(canvas), {"segment": cafes.pk}).status_code == 403


# The size threshold -------------------------------------------------------------------------


class TestThreshold:
    def test_the_owner_sets_it_and_the_warnings_follow(self, client, owner, canvas, scored):
        cafes, oficinas, _hogares = scored
        client.force_login(owner)

        response = client.post(threshold_url(canvas), {"min_segment_size": "5000"})

        assert response.status_code == 302
        assert response["Location"] == f"{ranking_url(canvas)}#warnings"
        assert PrioritySettings.objects.get(canvas=canvas).min_segment_size == 5000
        html = client.get(ranking_url(canvas)).content.decode()
        assert element(html, f"warnings-{oficinas.pk}")
        assert f'id="warnings-{cafes.pk}"' not in html

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("-1", "Enter a number of customers: 0 or more."),
            ("", "Enter a number of customers: 0 or more."),
            ("mil", "Enter a number of customers: 0 or more."),
            ("1.5", "Enter a number of customers: 0 or more."),
            (str(10**12 + 1), "That is more customers than the world has."),
        ],
    )
    def test_bad_input_changes_nothing_and_says_why(self, client, owner, canvas, scored, value, message):
        make_segment(canvas, "Tostadores caseros", estimated_size=500)
        client.force_login(owner)

        response = client.post(threshold_url(canvas), {"min_segment_size": value})

        assert response.status_code == 400
        assert field_error(response.content, "id_min_segment_size") == message
        assert PrioritySettings.objects.get(canvas=canvas).min_segment_size == 1000
        # The warnings still use the saved threshold.
        assert "under 1,000" in parse(response.content).by_id["warnings"].text

    @pytest.mark.parametrize(("identity", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
    def test_only_the_owner_sets_it(self, client, canvas, request, identity, status):
        client.force_login(request.getfixturevalue(identity))

        assert client.post(threshold_url(canvas), {"min_segment_size": "5"}).status_code == status
        assert not PrioritySettings.objects.filter(canvas=canvas, min_segment_size=5).exists()
