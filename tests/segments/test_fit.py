"""The value-proposition fit page: the customer profile, the value map, their links and the score."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from canvas_app.models import Block
from segments.models import ProfileItem, ValueItem
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, element, field_error, find_all, has_element, is_partial
from tests.segments.factories import (
    make_note,
    make_profile_item,
    make_segment,
    make_value_item,
    segments_state,
)


@pytest.fixture
def segment(canvas):
    return make_segment(canvas)


@pytest.fixture
def profile(segment):
    """A job, two pains and a gain: 2 + 3 + 1 + 2 = 8 points in the customer profile."""
    return {
        "job": make_profile_item(segment, "job", "Preparar café en casa", 2),
        "stale": make_profile_item(segment, "pain", "El café llega rancio", 3),
        "price": make_profile_item(segment, "pain", "Es caro", 1),
        "aroma": make_profile_item(segment, "gain", "Aroma intenso", 2),
    }


def fit_url(segment, anchor: str = "") -> str:
    url = reverse("segments:fit", args=[segment.note.canvas_id, segment.pk])
    return f"{url}#{anchor}" if anchor else url


def url(name: str, segment, item=None) -> str:
    args = [segment.note.canvas_id, segment.pk] + ([item.pk] if item else [])
    return reverse(f"segments:{name}", args=args)


def unchanged(before) -> bool:
    return (segments_state(), db_state()) == before


def score_of(html) -> str:
    return element(html, "fit-score").text


def group_error(html, container_id: str, name: str) -> str:
    """The error of a group of checkboxes: the boxes are aria-invalid, their fieldset
    points to the message."""
    container = element(html, container_id)
    boxes = container.find_all("input", name=name)
    assert boxes and all(box.attrs.get("aria-invalid") == "true" for box in boxes)
    fieldsets = [f for f in container.find_all("fieldset") if f.attrs.get("aria-describedby")]
    assert len(fieldsets) == 1, "no fieldset points to an error"
    return " ".join(element(html, ref).text for ref in fieldsets[0].attrs["aria-describedby"].split())


# Who may ------------------------------------------------------------------------------------------


def mutations(segment, profile, reliever) -> list[tuple[str, dict]]:
    """Every change the fit page can post: the adds first and fourth."""
    return [
        (url("profile_item_add", segment), {"kind": "pain", "text": "Ruido", "importance": "2"}),
        (url("profile_item_edit", segment, profile["stale"]), {"text": "Rancio", "importance": "1"}),
        (url("profile_item_delete", segment, profile["stale"]), {}),
        (url("value_item_add", segment), {"kind": "reliever", "text": "Envío rápido"}),
        (url("value_item_edit", segment, reliever), {"text": "Tueste diario"}),
        (url("value_item_delete", segment, reliever), {}),
    ]


@pytest.fixture
def reliever(segment, profile):
    return make_value_item(segment, "reliever", "Tueste semanal", addresses=[profile["stale"]])


class TestAccess:
    def test_anonymous_users_are_sent_to_log_in(self, client, segment, profile, reliever):
        before = segments_state(), db_state()
        for target, data in [(fit_url(segment), {}), *mutations(segment, profile, reliever)]:
            response = client.post(target, data) if data or "delete" in target else client.get(target)
            assert response.status_code == 302, target
            assert response["Location"].startswith(reverse("login"))
        assert unchanged(before)

    def test_outsiders_get_not_found_everywhere(self, client, outsider, segment, profile, reliever):
        before = segments_state(), db_state()
        client.force_login(outsider)
        assert client.get(fit_url(segment)).status_code == 404
        for target, data in mutations(segment, profile, reliever):
            assert client.post(target, data).status_code == 404, target
        assert unchanged(before)

    def test_viewers_read_the_page_without_edit_controls(self, client, viewer, segment, profile, reliever):
        client.force_login(viewer)
        response = client.get(fit_url(segment))
        assert response.status_code == 200
        workspace = element(response.content, "fit-workspace")
        assert workspace.find_all("form") == []
        assert [a for a in workspace.find_all("a") if "edit" in a.attrs["href"]] == []
        assert has_element(response.content, f"profile-item-{profile['stale'].pk}")

    def test_every_change_by_a_viewer_is_forbidden(self, client, viewer, segment, profile, reliever):
        before = segments_state(), db_state()
        client.force_login(viewer)
        for target, data in mutations(segment, profile, reliever):
            assert client.post(target, data).status_code == 403, target
            assert client.post(target, data, **HTMX).status_code == 403, target
        assert client.get(url("profile_item_edit", segment, profile["stale"])).status_code == 403
        assert client.get(url("value_item_edit", segment, reliever)).status_code == 403
        assert unchanged(before)

    def test_wrong_methods_are_refused(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        assert client.post(fit_url(segment)).status_code == 405
        for target, _data in mutations(segment, profile, reliever):
            method = client.put if "edit" in target else client.get
            assert method(target).status_code == 405, target

    def test_items_of_another_segment_are_not_found(self, client, owner, editor, canvas, segment, profile, reliever):
        other = make_segment(canvas, "Estudiantes")
        foreign_segment = make_segment(make_canvas(owner, "Otro"))
        before = segments_state(), db_state()
        client.force_login(editor)
        for wrong in (other, foreign_segment):
            changes = mutations(segment, profile, reliever)
            for target, data in changes[1:3] + changes[4:]:
                wrong_url = target.replace(f"/segments/{segment.pk}/", f"/segments/{wrong.pk}/")
                assert client.post(wrong_url, data).status_code == 404, wrong_url
        # A segment of another canvas reached through this canvas' URL.
        assert client.get(reverse("segments:fit", args=[canvas.pk, foreign_segment.pk])).status_code == 404
        assert client.post(url("profile_item_add", foreign_segment).replace(
            f"/canvases/{foreign_segment.note.canvas_id}/", f"/canvases/{canvas.pk}/"
        ), {"kind": "pain", "text": "X", "importance": "2"}).status_code == 404  # fmt: skip
        assert unchanged(before)


# The page and the score --------------------------------------------------------------------------


class TestPage:
    def test_an_empty_profile_has_no_score_yet(self, client, viewer, segment):
        client.force_login(viewer)
        response = client.get(fit_url(segment))
        assert response.status_code == 200
        assert score_of(response.content) == "Not measured yet: add jobs, pains or gains to the customer profile."
        assert not has_element(response.content, "fit-gaps")

    def test_it_shows_the_weighted_score_and_what_is_not_addressed_most_important_first(
        self, client, viewer, segment, profile, reliever
    ):
        client.force_login(viewer)
        html = client.get(fit_url(segment)).content
        # The reliever addresses the 3-point pain out of 2 + 3 + 1 + 2: 37.5%, rounded to even.
        assert score_of(html).startswith("38%")
        assert find_all(html, "meter")[0].attrs["value"] == "38"
        assert "3 of 8 importance points" in element(html, "fit-workspace").text
        gaps = [row.text for row in element(html, "fit-gaps").find_all("tr")[1:]]
        # Most important first; at equal importance pains, then gains, then jobs.
        assert gaps == ["Aroma intenso Gain 2 of 3", "Preparar café en casa Job to be done 2 of 3", "Es caro Pain 1 of 3"]

    def test_profile_and_value_items_link_to_each_other(self, client, viewer, segment, profile, reliever):
        vp = make_note(segment.note.canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")
        product = make_value_item(segment, "product", "Suscripción", addresses=[profile["job"]], notes=[vp])
        client.force_login(viewer)
        html = client.get(fit_url(segment)).content
        pain = element(html, f"profile-item-{profile['stale'].pk}")
        assert "Relieved by: Tueste semanal" in pain.text
        assert [a.attrs["href"] for a in pain.find_all("a")] == [f"#value-item-{reliever.pk}"]
        assert "Not addressed" in element(html, f"profile-item-{profile['price'].pk}").text
        item = element(html, f"value-item-{product.pk}")
        assert "Helps with: Preparar café en casa" in item.text
        board = reverse("canvas_app:board", args=[segment.note.canvas_id])
        assert f"{board}#note-{vp.pk}" in [a.attrs["href"] for a in item.find_all("a")]

    def test_the_profile_and_the_value_map_read_across_in_pairs(self, client, viewer, segment):
        client.force_login(viewer)
        html = client.get(fit_url(segment)).content
        pairs = [div for div in find_all(html, "div") if div.attrs.get("class") == "fit-pair"]
        assert [[group.attrs["aria-labelledby"] for group in pair.find_all("section")] for pair in pairs] == [
            ["profile-job-title", "value-product-title"],
            ["profile-pain-title", "value-reliever-title"],
            ["profile-gain-title", "value-creator-title"],
        ]
        assert [element(html, f"{side}-title").text for side in ("profile-job", "value-product")] == [
            "Customer profile: Jobs to be done",
            "Value map: Products and services",
        ]

    def test_the_segment_list_shows_the_same_score(self, client, viewer, segment, profile, reliever):
        client.force_login(viewer)
        row = element(client.get(reverse("segments:list", args=[segment.note.canvas_id])).content, f"segment-{segment.pk}")
        assert "38%" in row.text

    def test_editors_get_an_add_form_per_list_with_labelled_fields(self, client, editor, segment, profile):
        client.force_login(editor)
        html = client.get(fit_url(segment)).content
        for kind in ("job", "pain", "gain"):
            form = element(html, f"add-profile-{kind}")
            assert form.attrs["hx-target"] == "#fit-workspace"
        for kind in ("product", "reliever", "creator"):
            assert has_element(html, f"add-value-{kind}")
        labels = {label.attrs.get("for"): label.text for label in find_all(html, "label")}
        assert labels["add-pain-text"] == "Pain:"
        assert labels["add-pain-importance"] == "Importance:"
        # A reliever may only relieve pains: the gains are not offered.
        offered = [labels[box.attrs["id"]] for box in element(html, "add-value-reliever").find_all("input", type="checkbox")]
        assert offered == ["El café llega rancio", "Es caro"]
        assert element(html, "add-value-product").find_all("input", name="notes") == []  # no VP notes yet


# The customer profile ---------------------------------------------------------------------------


class TestProfile:
    def test_a_plain_post_adds_an_item_and_redirects_to_it(self, client, editor, segment):
        client.force_login(editor)
        response = client.post(url("profile_item_add", segment), {"kind": "gain", "text": " Tiempo ", "importance": "3"})
        item = segment.profile_items.get()
        assert (item.kind, item.text, item.importance) == ("gain", "Tiempo", 3)
        assert response.status_code == 302
        assert response["Location"] == fit_url(segment, f"profile-item-{item.pk}")

    def test_with_htmx_it_redraws_the_workspace_with_the_new_score(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.post(url("profile_item_add", segment), {"kind": "pain", "text": "Ruido", "importance": "3"}, **HTMX)
        added = segment.profile_items.get(text="Ruido")
        assert response.status_code == 200
        assert is_partial(response.content)
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#fit-workspace", "outerHTML")
        assert score_of(response.content).startswith("27%")  # 3 of 8 + 3
        assert has_element(response.content, f"profile-item-{added.pk}")
        assert json.loads(response["HX-Trigger-After-Settle"]) == {
            "lienzo:focus": {"id": f"profile-item-{added.pk}", "target": "body"}
        }

    @pytest.mark.parametrize(
        ("data", "field_id", "message"),
        [
            pytest.param({"importance": "0"}, "add-pain-importance", "Importance goes from 1 (nice to have) to 3 (essential).", id="importance-0"),
            pytest.param({"importance": "4"}, "add-pain-importance", "Importance goes from 1 (nice to have) to 3 (essential).", id="importance-4"),
            pytest.param({"importance": "-1"}, "add-pain-importance", "Importance goes from 1 (nice to have) to 3 (essential).", id="importance-negative"),
            pytest.param({"importance": "high"}, "add-pain-importance", "Importance goes from 1 (nice to have) to 3 (essential).", id="importance-word"),
            pytest.param({"text": " "}, "add-pain-text", "Describe it in a few words.", id="blank-text"),
            pytest.param({"text": "x" * 301}, "add-pain-text", "Ensure this value has at most 300 characters (it has 301).", id="long-text"),
        ],
    )  # fmt: skip
    def test_bad_input_is_explained_next_to_the_field_and_adds_nothing(
        self, client, editor, segment, data, field_id, message
    ):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("profile_item_add", segment), {"kind": "pain", "text": "Ruido", "importance": "2", **data})
        assert response.status_code == 400
        assert field_error(response.content, field_id) == message
        assert unchanged(before)

    def test_an_unknown_kind_is_refused(self, client, editor, segment):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("profile_item_add", segment), {"kind": "wish", "text": "Ruido", "importance": "2"})
        assert response.status_code == 400
        assert b"Choose a job, a pain or a gain." in response.content
        assert unchanged(before)

    def test_with_htmx_bad_input_comes_back_in_the_add_form(self, client, editor, segment):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("profile_item_add", segment), {"kind": "gain", "text": "Tiempo", "importance": "9"}, **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert is_partial(response.content)
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#add-profile-gain", "outerHTML")
        assert "Importance goes from 1" in field_error(response.content, "add-gain-importance")
        assert element(response.content, "add-gain-text").attrs["value"] == "Tiempo"
        assert unchanged(before)

    def test_with_htmx_edit_opens_a_form_in_place(self, client, editor, segment, profile):
        client.force_login(editor)
        item = profile["stale"]
        response = client.get(url("profile_item_edit", segment, item), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        assert "fit-item--editing" in element(response.content, f"profile-item-{item.pk}").attrs["class"]
        assert element(response.content, f"profile-item-{item.pk}-text").attrs["value"] == "El café llega rancio"
        assert not has_element(response.content, f"profile-item-{item.pk}-kind")  # the kind stays

    def test_without_js_edit_opens_the_fit_page_with_the_form(self, client, editor, segment, profile):
        client.force_login(editor)
        item = profile["stale"]
        response = client.get(url("profile_item_edit", segment, item))
        assert response.status_code == 200
        assert not is_partial(response.content)
        assert has_element(response.content, f"profile-item-{item.pk}-importance")
        cancel = element(response.content, f"profile-item-{item.pk}").find_all("a")[-1]
        assert cancel.attrs["href"] == fit_url(segment, f"profile-item-{item.pk}")

    def test_editing_saves_text_and_importance_but_never_the_kind(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        item = profile["stale"]
        response = client.post(url("profile_item_edit", segment, item), {"kind": "gain", "text": "Rancio", "importance": "1"})
        assert response.status_code == 302
        assert response["Location"] == fit_url(segment, f"profile-item-{item.pk}")
        item.refresh_from_db()
        assert (item.kind, item.text, item.importance) == ("pain", "Rancio", 1)
        assert list(item.addressed_by.all()) == [reliever]

    def test_with_htmx_editing_redraws_the_workspace(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.post(url("profile_item_edit", segment, profile["price"]), {"text": "Es caro", "importance": "3"}, **HTMX)
        assert response.status_code == 200
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("30%")  # 3 of 2 + 3 + 3 + 2

    def test_bad_edits_are_explained_and_change_nothing(self, client, editor, segment, profile):
        item = profile["stale"]
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("profile_item_edit", segment, item), {"text": "Rancio", "importance": "5"})
        assert response.status_code == 400
        assert "Importance goes from 1" in field_error(response.content, f"profile-item-{item.pk}-importance")
        response = client.post(url("profile_item_edit", segment, item), {"text": "", "importance": "2"}, **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#profile-item-{item.pk}", "outerHTML")
        assert field_error(response.content, f"profile-item-{item.pk}-text") == "Describe it in a few words."
        assert unchanged(before)

    def test_deleting_an_item_takes_it_and_its_links_away_and_offers_an_undo(
        self, client, editor, segment, profile, reliever
    ):
        client.force_login(editor)
        item = profile["stale"]
        response = client.post(url("profile_item_delete", segment, item))
        assert response.status_code == 302
        assert response["Location"] == f"{fit_url(segment)}?deleted=profile-{item.pk}#profile-item-{item.pk}"
        assert not ProfileItem.objects.filter(pk=item.pk).exists()
        assert list(reliever.addresses.all()) == []
        html = client.get(response["Location"]).content
        assert score_of(html).startswith("0%")  # 0 of 2 + 1 + 2: the reliever relieves nothing now
        placeholder = element(html, f"profile-item-{item.pk}")
        assert "data-undo" in placeholder.attrs
        assert placeholder.text.split() == ["“El", "café", "llega", "rancio”", "deleted.", "Undo", "deleting", "“El", "café", "llega", "rancio”"]
        form = placeholder.find_all("form")[0]
        assert (form.attrs["method"], form.attrs["action"]) == ("post", url("profile_item_restore", segment, item))
        assert "El café llega rancio" not in element(html, "fit-gaps").text

    def test_with_htmx_deleting_redraws_the_workspace_with_the_undo_in_place(
        self, client, editor, segment, profile, reliever
    ):
        client.force_login(editor)
        price = profile["price"]
        response = client.post(url("profile_item_delete", segment, price), **HTMX)
        assert response.status_code == 200
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("43%")  # 3 of 2 + 3 + 2
        group = find_all(response.content, "section", **{"aria-labelledby": "profile-pain-title"})[0]
        pains = [li.attrs["id"] for li in group.find_all("li")]
        assert pains == [f"profile-item-{profile['stale'].pk}", f"profile-item-{price.pk}"]  # in its place
        assert element(response.content, f"profile-item-{price.pk}").find_all("form")[0].attrs["hx-post"] == (
            url("profile_item_restore", segment, price)
        )
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"profile-item-{price.pk}-undo"

    def test_undo_brings_the_item_back_with_its_links(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        item = profile["stale"]
        client.post(url("profile_item_delete", segment, item))
        response = client.post(url("profile_item_restore", segment, item))
        assert response.status_code == 302
        assert response["Location"] == fit_url(segment, f"profile-item-{item.pk}")
        assert list(reliever.addresses.all()) == [item]
        html = client.get(fit_url(segment)).content
        assert score_of(html).startswith("38%")
        assert "Back in the customer profile." in html.decode()

    def test_with_htmx_undo_redraws_the_workspace_and_focuses_the_item(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        item = profile["stale"]
        client.post(url("profile_item_delete", segment, item), **HTMX)
        response = client.post(url("profile_item_restore", segment, item), **HTMX)
        assert response.status_code == 200
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("38%")
        assert "Relieved by: Tueste semanal" in element(response.content, f"profile-item-{item.pk}").text
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"profile-item-{item.pk}"

    def test_undo_after_the_window_says_it_is_too_late(self, client, editor, segment, profile):
        client.force_login(editor)
        item = profile["stale"]
        client.post(url("profile_item_delete", segment, item))
        ProfileItem.all_objects.filter(pk=item.pk).delete()  # gone for good, as after the undo window
        response = client.post(url("profile_item_restore", segment, item), **HTMX)
        assert response.status_code == 410
        assert element(response.content, "fit-undo-gone").text == "Too late to undo: it was deleted for good."
        response = client.post(url("profile_item_restore", segment, item))
        assert response["Location"] == fit_url(segment)
        assert "Too late to undo: it was deleted for good." in client.get(response["Location"]).content.decode()

    def test_only_editors_see_a_deleted_item_and_only_its_own_segment_shows_it(self, client, viewer, editor, canvas, segment, profile):
        item = profile["stale"]
        item.delete_softly(by=editor)
        client.force_login(viewer)
        assert not has_element(client.get(f"{fit_url(segment)}?deleted=profile-{item.pk}").content, f"profile-item-{item.pk}")
        client.force_login(editor)
        other = make_segment(canvas, "Oficinas")
        for key in (f"profile-{item.pk}", f"value-{item.pk}", "profile-x", f"profile-{profile['price'].pk}", "profile-²"):
            html = client.get(f"{fit_url(other)}?deleted={key}").content
            assert not [li for li in find_all(html, "li") if "data-undo" in li.attrs], key
        html = client.get(f"{fit_url(segment)}?deleted=profile-{item.pk}").content
        assert [li.attrs["id"] for li in find_all(html, "li") if "data-undo" in li.attrs] == [f"profile-item-{item.pk}"]


# The value map --------------------------------------------------------------------------------


class TestValueMap:
    def test_a_plain_post_adds_a_reliever_linked_to_pains(self, client, editor, segment, profile):
        client.force_login(editor)
        response = client.post(
            url("value_item_add", segment),
            {"kind": "reliever", "text": "Tueste semanal", "addresses": [profile["stale"].pk, profile["price"].pk]},
        )
        item = segment.value_items.get()
        assert response.status_code == 302
        assert response["Location"] == fit_url(segment, f"value-item-{item.pk}")
        assert (item.kind, item.text) == ("reliever", "Tueste semanal")
        assert set(item.addresses.all()) == {profile["stale"], profile["price"]}

    def test_a_product_links_to_jobs_and_to_value_propositions_of_the_board(self, client, editor, canvas, segment, profile):
        vp = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")
        client.force_login(editor)
        client.post(
            url("value_item_add", segment),
            {"kind": "product", "text": "Suscripción", "addresses": [profile["job"].pk], "notes": [vp.pk]},
        )
        item = segment.value_items.get()
        assert (list(item.addresses.all()), list(item.notes.all())) == ([profile["job"]], [vp])

    def test_only_products_link_to_notes(self, client, editor, canvas, segment):
        vp = make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")
        client.force_login(editor)
        client.post(url("value_item_add", segment), {"kind": "creator", "text": "Catas", "notes": [vp.pk]})
        assert list(segment.value_items.get().notes.all()) == []

    def test_a_product_that_helps_with_a_job_raises_the_score(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        cook = make_profile_item(segment, "job", "Preparar café para el equipo", 2)
        make_profile_item(segment, "job", "Pedir el café", 1)
        client.force_login(editor)
        assert score_of(client.get(fit_url(segment)).content).startswith("0%")
        response = client.post(url("value_item_add", segment), {"kind": "product", "text": "Cafetera", "addresses": [cook.pk]}, **HTMX)
        assert score_of(response.content).startswith("67%")  # 2 of 2 + 1
        assert "2 of 3 importance points of this segment's jobs, pains and gains" in element(response.content, "fit-workspace").text

    def test_with_htmx_it_redraws_the_workspace_with_the_new_score(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.post(
            url("value_item_add", segment), {"kind": "creator", "text": "Catas", "addresses": [profile["aroma"].pk]}, **HTMX
        )
        added = segment.value_items.get(text="Catas")
        assert response.status_code == 200
        assert is_partial(response.content)
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("62%")  # 3 + 2 of 8: 62.5, rounded to even
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"value-item-{added.pk}"

    @pytest.mark.parametrize(
        ("kind", "target", "message"),
        [
            pytest.param("reliever", "aroma", "A pain reliever can only relieve this segment's pains.", id="reliever-to-a-gain"),
            pytest.param("creator", "stale", "A gain creator can only create this segment's gains.", id="creator-to-a-pain"),
            pytest.param("product", "aroma", "A product or service can only serve this segment's jobs.", id="product-to-a-gain"),
            pytest.param("reliever", "elsewhere", "A pain reliever can only relieve this segment's pains.", id="reliever-to-another-segments-pain"),
        ],
    )  # fmt: skip
    def test_a_link_to_the_wrong_kind_of_item_is_refused_and_adds_nothing(
        self, client, editor, canvas, segment, profile, kind, target, message
    ):
        other = make_segment(canvas, "Estudiantes")
        items = {**profile, "elsewhere": make_profile_item(other, "pain", "Poco tiempo")}
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("value_item_add", segment), {"kind": kind, "text": "Algo", "addresses": [items[target].pk]})
        assert response.status_code == 400
        assert group_error(response.content, f"add-value-{kind}", "addresses") == message
        assert unchanged(before)

    @pytest.mark.parametrize("where", ["another-canvas", "another-block", "deleted"])
    def test_a_link_to_a_note_that_is_not_a_value_proposition_of_this_board_is_refused(
        self, client, owner, editor, canvas, segment, where
    ):
        make_note(canvas, Block.VALUE_PROPOSITIONS, "Café recién tostado")  # so the field is offered
        if where == "another-canvas":
            note = make_note(make_canvas(owner, "Otro"), Block.VALUE_PROPOSITIONS, "Ajeno")
        elif where == "another-block":
            note = make_note(canvas, Block.CHANNELS, "Tienda online")
        else:
            note = make_note(canvas, Block.VALUE_PROPOSITIONS, "Borrada")
            note.delete_softly()
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("value_item_add", segment), {"kind": "product", "text": "Algo", "notes": [note.pk]})
        assert response.status_code == 400
        assert group_error(response.content, "add-value-product", "notes") == "Link only to Value Propositions notes of this canvas."
        assert unchanged(before)

    def test_with_htmx_a_refused_link_comes_back_in_the_add_form(self, client, editor, segment, profile):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(
            url("value_item_add", segment), {"kind": "reliever", "text": "Algo", "addresses": [profile["aroma"].pk]}, **HTMX
        )
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#add-value-reliever", "outerHTML")
        assert b"A pain reliever can only relieve this segment" in response.content
        assert unchanged(before)

    def test_an_unknown_kind_is_refused(self, client, editor, segment):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(url("value_item_add", segment), {"kind": "magic", "text": "Algo"})
        assert response.status_code == 400
        assert b"Choose a product or service, a pain reliever or a gain creator." in response.content
        assert unchanged(before)

    def test_editing_changes_text_and_links_but_never_the_kind(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.post(
            url("value_item_edit", segment, reliever),
            {"kind": "creator", "text": "Tueste diario", "addresses": [profile["price"].pk]},
        )
        assert response.status_code == 302
        assert response["Location"] == fit_url(segment, f"value-item-{reliever.pk}")
        reliever.refresh_from_db()
        assert (reliever.kind, reliever.text, list(reliever.addresses.all())) == ("reliever", "Tueste diario", [profile["price"]])

    def test_with_htmx_edit_opens_a_form_in_place_with_the_current_links(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.get(url("value_item_edit", segment, reliever), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        boxes = element(response.content, f"value-item-{reliever.pk}").find_all("input", type="checkbox")
        assert [(b.attrs["value"], "checked" in b.attrs) for b in boxes] == [
            (str(profile["stale"].pk), True),
            (str(profile["price"].pk), False),
        ]

    def test_with_htmx_editing_redraws_the_workspace(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.post(url("value_item_edit", segment, reliever), {"text": "Nada"}, **HTMX)
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("0%")

    def test_a_bad_edit_is_explained_and_changes_nothing(self, client, editor, segment, profile, reliever):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(
            url("value_item_edit", segment, reliever), {"text": "Tueste", "addresses": [profile["job"].pk]}, **HTMX
        )
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert response["HX-Retarget"] == f"#value-item-{reliever.pk}"
        assert group_error(response.content, f"value-item-{reliever.pk}", "addresses") == (
            "A pain reliever can only relieve this segment's pains."
        )
        response = client.post(url("value_item_edit", segment, reliever), {"text": ""})
        assert response.status_code == 400
        assert field_error(response.content, f"value-item-{reliever.pk}-text") == "Describe it in a few words."
        assert unchanged(before)

    def test_deleting_an_item_lowers_the_score_and_undo_raises_it_again(self, client, editor, segment, profile, reliever):
        client.force_login(editor)
        response = client.post(url("value_item_delete", segment, reliever))
        assert response.status_code == 302
        assert response["Location"] == f"{fit_url(segment)}?deleted=value-{reliever.pk}#value-item-{reliever.pk}"
        assert not ValueItem.objects.filter(pk=reliever.pk).exists()
        assert ProfileItem.objects.filter(pk=profile["stale"].pk).exists()
        html = client.get(response["Location"]).content
        assert score_of(html).startswith("0%")
        assert "Not addressed" in element(html, f"profile-item-{profile['stale'].pk}").text
        assert element(html, f"value-item-{reliever.pk}").find_all("form")[0].attrs["action"] == (
            url("value_item_restore", segment, reliever)
        )
        response = client.post(url("value_item_restore", segment, reliever), **HTMX)
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("38%")
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"value-item-{reliever.pk}"
        catas = make_value_item(segment, "creator", "Catas")
        response = client.post(url("value_item_delete", segment, catas), **HTMX)
        assert response["HX-Retarget"] == "#fit-workspace"
        assert score_of(response.content).startswith("38%")
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"value-item-{catas.pk}-undo"

    def test_a_deleted_item_is_no_choice_and_keeps_its_links_for_the_undo(self, client, editor, segment, profile):
        stale, price = profile["stale"], profile["price"]
        reliever = make_value_item(segment, "reliever", "Tueste semanal", addresses=[stale, price])
        client.force_login(editor)
        client.post(url("profile_item_delete", segment, price))
        html = client.get(url("value_item_edit", segment, reliever)).content
        boxes = element(html, f"value-item-{reliever.pk}").find_all("input", type="checkbox")
        assert [(b.attrs["value"], "checked" in b.attrs) for b in boxes] == [(str(stale.pk), True)]
        # Saved meanwhile, the reliever keeps its link to the deleted pain: the undo restores both.
        client.post(url("value_item_edit", segment, reliever), {"text": "Tueste diario", "addresses": [stale.pk]})
        assert list(reliever.addresses.all()) == [stale]
        client.post(url("profile_item_restore", segment, price))
        assert set(reliever.addresses.all()) == {stale, price}
