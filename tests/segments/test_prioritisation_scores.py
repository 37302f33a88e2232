"""Each member scores every segment on every criterion, on one page: a cell at a time with
htmx, the whole table in one submit without JavaScript. A member's scores are theirs alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from segments.models import Score
from tests.conftest import make_canvas
from tests.markup import HTMX, element, field_error, find_all, is_partial
from tests.segments.factories import make_criterion, make_segment, score

BAD_SCORE = "A score is a whole number from 1 to 5, or empty."


@pytest.fixture
def sheet(canvas):
    """Two segments and two criteria on the shared canvas."""
    cafes = make_segment(canvas, "Cafeterías")
    offices = make_segment(canvas, "Oficinas", colour="green")
    size = make_criterion(canvas, "Tamaño", weight=3)
    fit = make_criterion(canvas, "Encaje", weight=2, axis="ability")
    return cafes, offices, size, fit


def url(canvas) -> str:
    return reverse("prioritisation:scores", args=[canvas.pk])


def cell(segment, criterion) -> str:
    return f"score-{segment.pk}-{criterion.pk}"


def scores_of(user) -> dict[tuple[int, int], int]:
    return {(s.segment_id, s.criterion_id): s.value for s in Score.objects.filter(reviewer=user)}


# The page ---------------------------------------------------------------------------------


class TestPage:
    def test_it_requires_login(self, client, canvas):
        response = client.get(url(canvas))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.get(url(canvas)).status_code == 404

    def test_viewers_do_not_score(self, client, viewer, canvas):
        client.force_login(viewer)
        assert client.get(url(canvas)).status_code == 403

    def test_it_is_a_real_table_with_a_named_select_per_segment_and_criterion(self, client, editor, canvas, sheet):
        cafes, offices, size, fit = sheet
        client.force_login(editor)

        html = client.get(url(canvas)).content.decode()

        table = find_all(html, "table", **{"class": "scores"})[0]
        assert [th.text for th in table.find_all("th", scope="col")] == ["Segment", "Tamaño weight 3", "Encaje weight 2"]
        assert [th.text for th in table.find_all("th", scope="row")] == [f"{cafes.letter} Cafeterías", f"{offices.letter} Oficinas"]
        labels = {label.attrs["for"]: label.text for label in table.find_all("label")}
        assert labels[cell(cafes, size)] == "Score of Cafeterías on Tamaño"
        assert labels[cell(offices, fit)] == "Score of Oficinas on Encaje"
        selects = table.find_all("select")
        assert [s.attrs["name"] for s in selects] == [
            cell(cafes, size), cell(cafes, fit), cell(offices, size), cell(offices, fit)
        ]
        # Each cell saves itself on change, sending only its own value.
        assert all(s.attrs["hx-post"] == url(canvas) and s.attrs["hx-params"] == s.attrs["name"] for s in selects)
        assert element(html, "score-sheet").attrs["method"] == "post"

    def test_it_shows_only_my_own_scores(self, client, owner, editor, canvas, sheet):
        cafes, _offices, size, fit = sheet
        score(cafes, size, editor, 4)
        score(cafes, fit, owner, 2)
        client.force_login(editor)

        html = client.get(url(canvas)).content.decode()

        selected = {
            s.attrs["name"]: [o.attrs["value"] for o in s.find_all("option") if "selected" in o.attrs]
            for s in find_all(html, "select")
            if s.attrs.get("name", "").startswith("score-")
        }
        assert selected[cell(cafes, size)] == ["4"]
        assert selected[cell(cafes, fit)] == [""]  # the owner's 2 is not mine

    def test_a_new_canvas_is_scored_on_the_default_criteria(self, client, owner, canvas):
        make_segment(canvas, "Cafeterías")
        client.force_login(owner)

        html = client.get(url(canvas)).content.decode()

        assert canvas.criteria.count() == 6
        assert len(find_all(html, "select")) >= 6

    def test_without_segments_it_says_where_to_add_them(self, client, editor, canvas):
        client.force_login(editor)
        assert "No segments yet" in client.get(url(canvas)).content.decode()


# Saving the whole table (no JavaScript) --------------------------------------------------


class TestWholeTable:
    def test_it_saves_every_cell_as_mine_and_redirects(self, client, owner, editor, canvas, sheet):
        cafes, offices, size, fit = sheet
        score(cafes, size, owner, 1)
        client.force_login(editor)

        response = client.post(
            url(canvas),
            {cell(cafes, size): "5", cell(cafes, fit): "3", cell(offices, size): "", cell(offices, fit): "1"},
        )

        assert response.status_code == 302
        assert response["Location"] == url(canvas)
        assert scores_of(editor) == {(cafes.pk, size.pk): 5, (cafes.pk, fit.pk): 3, (offices.pk, fit.pk): 1}
        assert scores_of(owner) == {(cafes.pk, size.pk): 1}

    def test_an_empty_cell_clears_my_score(self, client, editor, canvas, sheet):
        cafes, offices, size, fit = sheet
        score(cafes, size, editor, 4)
        score(offices, fit, editor, 2)
        client.force_login(editor)

        client.post(
            url(canvas), {cell(cafes, size): "", cell(cafes, fit): "", cell(offices, size): "", cell(offices, fit): "2"}
        )

        assert scores_of(editor) == {(offices.pk, fit.pk): 2}

    def test_the_reviewer_is_always_the_user_asking(self, client, owner, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        score(cafes, size, owner, 1)
        client.force_login(editor)

        client.post(url(canvas), {cell(cafes, size): "5", "reviewer": owner.pk, "user": owner.pk})

        assert scores_of(owner) == {(cafes.pk, size.pk): 1}
        assert scores_of(editor) == {(cafes.pk, size.pk): 5}

    def test_saving_marks_the_scored_segments_reviewed(self, client, editor, canvas, sheet):
        cafes, offices, size, _fit = sheet
        long_ago = timezone.now() - timedelta(days=200)
        for segment in (cafes, offices):
            segment.reviewed_at = long_ago
            segment.save()
        client.force_login(editor)

        client.post(url(canvas), {cell(cafes, size): "4"})

        cafes.refresh_from_db()
        offices.refresh_from_db()
        assert not cafes.is_stale
        assert offices.reviewed_at == long_ago

    def test_saving_counts_as_a_change_to_the_canvas(self, client, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        before = canvas.updated_at
        client.force_login(editor)

        client.post(url(canvas), {cell(cafes, size): "4"})

        canvas.refresh_from_db()
        assert canvas.updated_at > before

    @pytest.mark.parametrize("value", ["0", "6", "7", "2.5", "mucho", "-1"])
    def test_a_score_outside_1_to_5_saves_nothing_and_is_marked(self, client, editor, canvas, sheet, value):
        cafes, offices, size, fit = sheet
        score(offices, fit, editor, 2)
        client.force_login(editor)

        response = client.post(url(canvas), {cell(cafes, size): "4", cell(cafes, fit): value, cell(offices, fit): "5"})

        assert response.status_code == 400
        html = response.content.decode()
        assert field_error(html, cell(cafes, fit)) == BAD_SCORE
        assert "Nothing was saved" in html
        assert scores_of(editor) == {(offices.pk, fit.pk): 2}

    @pytest.mark.parametrize("foreign", ["segment", "criterion"])
    def test_a_segment_or_criterion_of_another_canvas_saves_nothing(self, client, owner, editor, canvas, sheet, foreign):
        cafes, _offices, size, _fit = sheet
        other = make_canvas(owner, "Otro lienzo")
        other_segment = make_segment(other, "Ajeno")
        other_criterion = make_criterion(other, "Ajeno")
        name = cell(other_segment, size) if foreign == "segment" else cell(cafes, other_criterion)
        client.force_login(editor)

        response = client.post(url(canvas), {cell(cafes, size): "4", name: "3"})

        assert response.status_code == 400
        alert = find_all(response.content, "div", role="alert")[0]
        assert "not on this canvas" in alert.text
        assert not Score.objects.exists()

    def test_viewers_cannot_post(self, client, viewer, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        client.force_login(viewer)

        assert client.post(url(canvas), {cell(cafes, size): "4"}).status_code == 403
        assert not Score.objects.exists()

    def test_outsiders_cannot_post(self, client, outsider, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        client.force_login(outsider)

        assert client.post(url(canvas), {cell(cafes, size): "4"}).status_code == 404
        assert not Score.objects.exists()

    def test_it_requires_get_or_post(self, client, editor, canvas):
        client.force_login(editor)
        assert client.put(url(canvas)).status_code == 405


# Saving a cell at a time (htmx) -----------------------------------------------------------


class TestOneCell:
    def test_it_saves_that_cell_only_and_announces_it(self, client, editor, canvas, sheet):
        cafes, offices, size, fit = sheet
        score(offices, fit, editor, 2)
        client.force_login(editor)

        response = client.post(url(canvas), {cell(cafes, size): "4"}, **HTMX)

        assert response.status_code == 200
        assert is_partial(response.content)
        status = element(response.content, "score-status")
        assert status.attrs["hx-swap-oob"] == "innerHTML"
        assert status.text == "Saved: 4 for “Cafeterías” on “Tamaño”."
        # The cells it did not send keep their scores.
        assert scores_of(editor) == {(cafes.pk, size.pk): 4, (offices.pk, fit.pk): 2}

    def test_it_changes_a_score(self, client, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        score(cafes, size, editor, 2)
        client.force_login(editor)

        client.post(url(canvas), {cell(cafes, size): "5"}, **HTMX)

        assert scores_of(editor) == {(cafes.pk, size.pk): 5}
        assert Score.objects.count() == 1

    def test_it_clears_a_score(self, client, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        score(cafes, size, editor, 2)
        client.force_login(editor)

        response = client.post(url(canvas), {cell(cafes, size): ""}, **HTMX)

        assert element(response.content, "score-status").text == "Your score of “Cafeterías” on “Tamaño” is cleared."
        assert scores_of(editor) == {}

    def test_it_marks_that_segment_reviewed(self, client, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        cafes.reviewed_at = timezone.now() - timedelta(days=120)
        cafes.save()
        client.force_login(editor)

        client.post(url(canvas), {cell(cafes, size): "3"}, **HTMX)

        cafes.refresh_from_db()
        assert not cafes.is_stale

    def test_a_bad_value_comes_back_next_to_the_cell(self, client, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        score(cafes, size, editor, 2)
        client.force_login(editor)

        response = client.post(url(canvas), {cell(cafes, size): "9"}, **HTMX)

        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert field_error(response.content, cell(cafes, size)) == BAD_SCORE
        assert element(response.content, f"cell-{cell(cafes, size)}").attrs["hx-swap-oob"] == "true"
        assert "Nothing was saved" in element(response.content, "score-status").text
        assert scores_of(editor) == {(cafes.pk, size.pk): 2}

    def test_a_removed_criterion_saves_nothing_and_says_why(self, client, editor, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        name = cell(cafes, size)
        size.delete()
        client.force_login(editor)

        response = client.post(url(canvas), {name: "4"}, **HTMX)

        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert "not on this canvas" in element(response.content, "score-status").text
        assert not Score.objects.exists()

    def test_viewers_cannot_post(self, client, viewer, canvas, sheet):
        cafes, _offices, size, _fit = sheet
        client.force_login(viewer)

        assert client.post(url(canvas), {cell(cafes, size): "4"}, **HTMX).status_code == 403
        assert not Score.objects.exists()
