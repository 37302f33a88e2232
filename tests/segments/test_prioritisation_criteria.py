"""The owner's criteria: the defaults, adding, renaming, reweighting, changing the axis and
removing, as plain posts and with htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from segments.models import Criterion, Score
from tests.conftest import make_canvas
from tests.markup import HTMX, element, field_error, find_all, has_element, is_partial
from tests.segments.factories import make_criterion, make_segment, score

NO_NAME = "Give the criterion a name."
BAD_WEIGHT = "A weight is a whole number from 1 to 10."


def criteria_url(canvas) -> str:
    return reverse("prioritisation:criteria", args=[canvas.pk])


def edit_url(criterion) -> str:
    return reverse("prioritisation:criterion_edit", args=[criterion.canvas_id, criterion.pk])


def delete_url(criterion) -> str:
    return reverse("prioritisation:criterion_delete", args=[criterion.canvas_id, criterion.pk])


def listed(canvas) -> list[tuple[str, int, str]]:
    return list(canvas.criteria.values_list("name", "weight", "axis"))


@pytest.fixture
def size(canvas) -> Criterion:
    return make_criterion(canvas, "Tamaño", weight=3)


# The page ---------------------------------------------------------------------------------


class TestPage:
    def test_a_new_canvas_gets_sensible_defaults(self, client, owner):
        canvas = make_canvas(owner, "Nuevo")
        client.force_login(owner)

        response = client.get(criteria_url(canvas))

        assert response.status_code == 200
        assert listed(canvas) == [
            ("Size", 3, "attractiveness"),
            ("Growth potential", 2, "attractiveness"),
            ("Profitability", 3, "attractiveness"),
            ("Fit with our offer", 3, "ability"),
            ("Accessible through our channels", 2, "ability"),
            ("Willingness to pay", 2, "attractiveness"),
        ]
        legends = [legend.text for legend in find_all(response.content, "legend")]
        assert legends == [name for name, _w, _a in listed(canvas)]

    @pytest.mark.parametrize(("identity", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
    def test_only_the_owner_manages_criteria(self, client, canvas, request, identity, status):
        client.force_login(request.getfixturevalue(identity))
        assert client.get(criteria_url(canvas)).status_code == status

    def test_every_field_has_its_own_label(self, client, owner, canvas, size):
        client.force_login(owner)
        html = client.get(criteria_url(canvas)).content.decode()

        for field in ("name", "weight", "axis"):
            assert find_all(html, "label", **{"for": f"criterion-{size.pk}-{field}"})
            assert find_all(html, "label", **{"for": f"criterion-new-{field}"})


# Adding -------------------------------------------------------------------------------------


class TestAdd:
    def test_a_plain_post_adds_it_at_the_end(self, client, owner, canvas, size):
        client.force_login(owner)

        response = client.post(criteria_url(canvas), {"name": "  Fidelidad ", "weight": "7", "axis": "ability"})

        added = canvas.criteria.get(name="Fidelidad")
        assert response.status_code == 302
        assert response["Location"] == f"{criteria_url(canvas)}#criterion-{added.pk}"
        assert listed(canvas) == [("Tamaño", 3, "attractiveness"), ("Fidelidad", 7, "ability")]

    def test_htmx_gets_the_new_row_and_a_fresh_form(self, client, owner, canvas, size):
        client.force_login(owner)

        response = client.post(criteria_url(canvas), {"name": "Fidelidad", "weight": "7", "axis": "ability"}, **HTMX)

        added = canvas.criteria.get(name="Fidelidad")
        assert response.status_code == 200
        assert is_partial(response.content)
        assert element(response.content, f"criterion-{added.pk}").tag == "li"
        form = element(response.content, "criterion-add")
        assert form.attrs["hx-swap-oob"] == "true"
        assert element(response.content, "criterion-new-name").attrs.get("value") is None
        assert element(response.content, "criteria-status").text == "Criterion “Fidelidad” added."

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            pytest.param({"name": "   ", "weight": "2", "axis": "ability"}, "name", NO_NAME, id="blank-name"),
            pytest.param({"name": "x" * 81, "weight": "2", "axis": "ability"}, "name", "A name holds at most 80 characters.", id="long-name"),
            pytest.param({"name": "tamaño", "weight": "2", "axis": "ability"}, "name", "There is already a criterion called “tamaño”.", id="same-name"),
            pytest.param({"name": "Fidelidad", "weight": "0", "axis": "ability"}, "weight", BAD_WEIGHT, id="weight-0"),
            pytest.param({"name": "Fidelidad", "weight": "11", "axis": "ability"}, "weight", BAD_WEIGHT, id="weight-11"),
            pytest.param({"name": "Fidelidad", "weight": "mucho", "axis": "ability"}, "weight", BAD_WEIGHT, id="weight-text"),
            pytest.param({"name": "Fidelidad", "weight": "2", "axis": "luck"}, "axis", "Choose the axis it counts towards.", id="axis"),
        ],
    )
    def test_bad_input_adds_nothing_and_says_why(self, client, owner, canvas, size, data, field, message):
        client.force_login(owner)

        plain = client.post(criteria_url(canvas), data)
        htmx = client.post(criteria_url(canvas), data, **HTMX)

        assert plain.status_code == 400
        assert field_error(plain.content, f"criterion-new-{field}") == message
        assert htmx.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert htmx["HX-Retarget"] == "#criterion-add"
        assert field_error(htmx.content, f"criterion-new-{field}") == message
        assert listed(canvas) == [("Tamaño", 3, "attractiveness")]

    def test_editors_cannot_add(self, client, editor, canvas, size):
        client.force_login(editor)
        assert client.post(criteria_url(canvas), {"name": "Fidelidad", "weight": "2", "axis": "ability"}).status_code == 403
        assert listed(canvas) == [("Tamaño", 3, "attractiveness")]


# Editing ------------------------------------------------------------------------------------


class TestEdit:
    def test_the_owner_renames_reweights_and_moves_it_to_the_other_axis(self, client, owner, canvas, size):
        client.force_login(owner)

        response = client.post(edit_url(size), {"name": "Tamaño del mercado", "weight": "10", "axis": "ability"})

        assert response.status_code == 302
        assert response["Location"] == f"{criteria_url(canvas)}#criterion-{size.pk}"
        assert listed(canvas) == [("Tamaño del mercado", 10, "ability")]

    def test_htmx_gets_the_row_back(self, client, owner, canvas, size):
        client.force_login(owner)

        response = client.post(edit_url(size), {"name": "Tamaño", "weight": "1", "axis": "attractiveness"}, **HTMX)

        assert response.status_code == 200
        assert is_partial(response.content)
        assert element(response.content, f"criterion-{size.pk}-weight").attrs["value"] == "1"
        assert element(response.content, "criteria-status").text == "Criterion “Tamaño” saved."
        assert listed(canvas) == [("Tamaño", 1, "attractiveness")]

    def test_keeping_its_own_name_is_not_a_duplicate(self, client, owner, canvas, size):
        client.force_login(owner)
        client.post(edit_url(size), {"name": "TAMAÑO", "weight": "3", "axis": "attractiveness"})
        assert listed(canvas) == [("TAMAÑO", 3, "attractiveness")]

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            pytest.param({"name": "", "weight": "2", "axis": "ability"}, "name", NO_NAME, id="blank-name"),
            pytest.param({"name": "Tamaño", "weight": "-3", "axis": "ability"}, "weight", BAD_WEIGHT, id="negative-weight"),
            pytest.param({"name": "Tamaño", "weight": "11", "axis": "ability"}, "weight", BAD_WEIGHT, id="weight-11"),
            pytest.param({"name": "Tamaño", "weight": "", "axis": "ability"}, "weight", "Give the criterion a weight from 1 to 10.", id="no-weight"),
        ],
    )
    def test_bad_input_changes_nothing_and_says_why(self, client, owner, canvas, size, data, field, message):
        client.force_login(owner)

        plain = client.post(edit_url(size), data)
        htmx = client.post(edit_url(size), data, **HTMX)

        assert plain.status_code == 400
        assert field_error(plain.content, f"criterion-{size.pk}-{field}") == message
        assert htmx.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert field_error(htmx.content, f"criterion-{size.pk}-{field}") == message
        assert element(htmx.content, f"criterion-{size.pk}").find_all("legend")[0].text == "Tamaño"
        assert listed(canvas) == [("Tamaño", 3, "attractiveness")]

    def test_a_criterion_of_another_canvas_is_not_found(self, client, owner, canvas):
        other = make_criterion(make_canvas(owner, "Otro"), "Ajeno", weight=2)
        client.force_login(owner)

        url = reverse("prioritisation:criterion_edit", args=[canvas.pk, other.pk])
        response = client.post(url, {"name": "Mío", "weight": "3", "axis": "ability"})

        assert response.status_code == 404
        other.refresh_from_db()
        assert (other.name, other.weight) == ("Ajeno", 2)

    @pytest.mark.parametrize(("identity", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
    def test_only_the_owner_edits(self, client, canvas, size, request, identity, status):
        client.force_login(request.getfixturevalue(identity))
        response = client.post(edit_url(size), {"name": "Otro", "weight": "1", "axis": "ability"})
        assert response.status_code == status
        assert listed(canvas) == [("Tamaño", 3, "attractiveness")]

    def test_it_requires_post(self, client, owner, size):
        client.force_login(owner)
        assert client.get(edit_url(size)).status_code == 405


# Removing -----------------------------------------------------------------------------------


class TestRemove:
    def test_it_removes_the_criterion_and_every_score_on_it(self, client, owner, editor, canvas, size):
        fit = make_criterion(canvas, "Encaje", axis="ability")
        segment = make_segment(canvas)
        score(segment, size, owner, 4)
        score(segment, size, editor, 2)
        score(segment, fit, editor, 5)
        client.force_login(owner)

        response = client.post(delete_url(size))

        assert response.status_code == 302
        assert response["Location"] == criteria_url(canvas)
        assert listed(canvas) == [("Encaje", 1, "ability")]
        assert list(Score.objects.values_list("criterion_id", "value")) == [(fit.pk, 5)]

    def test_htmx_removes_the_row_and_says_so(self, client, owner, canvas, size):
        client.force_login(owner)

        response = client.post(delete_url(size), **HTMX)

        assert response.status_code == 200
        assert not has_element(response.content, f"criterion-{size.pk}")
        assert element(response.content, "criteria-status").text == "Criterion “Tamaño” removed, with its scores."
        assert not canvas.criteria.exists()

    def test_the_removal_asks_for_confirmation_with_htmx(self, client, owner, canvas, size):
        client.force_login(owner)
        html = client.get(criteria_url(canvas)).content.decode()
        [form] = [f for f in find_all(html, "form") if f.attrs.get("action") == delete_url(size)]
        assert form.attrs["hx-confirm"] == "Remove “Tamaño” and every member's scores on it?"

    def test_a_criterion_of_another_canvas_is_not_found(self, client, owner, canvas):
        other = make_criterion(make_canvas(owner, "Otro"), "Ajeno")
        client.force_login(owner)

        response = client.post(reverse("prioritisation:criterion_delete", args=[canvas.pk, other.pk]))

        assert response.status_code == 404
        assert Criterion.objects.filter(pk=other.pk).exists()

    @pytest.mark.parametrize(("identity", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
    def test_only_the_owner_removes(self, client, canvas, size, request, identity, status):
        client.force_login(request.getfixturevalue(identity))
        assert client.post(delete_url(size)).status_code == status
        assert canvas.criteria.exists()

    def test_a_removed_criterion_does_not_come_back_as_a_default(self, client, owner, canvas):
        client.force_login(owner)
        client.get(criteria_url(canvas))
        for criterion in list(canvas.criteria.all()):
            client.post(delete_url(criterion))

        client.get(criteria_url(canvas))

        assert not canvas.criteria.exists()
