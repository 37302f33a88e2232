"""Personas on a segment's page: added, edited and deleted in place, or as plain posts."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from segments.models import Persona
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, element, field_error, find_all, has_element, is_partial
from tests.segments.factories import make_persona, make_segment, segments_state


@pytest.fixture
def segment(canvas):
    return make_segment(canvas)


@pytest.fixture
def persona(segment):
    return make_persona(segment, "Lucía Pérez", age=34, occupation="Barista", goals="Abrir su propio café")


def add_url(segment) -> str:
    return reverse("segments:persona_add", args=[segment.note.canvas_id, segment.pk])


def edit_url(persona) -> str:
    segment = persona.segment
    return reverse("segments:persona_edit", args=[segment.note.canvas_id, segment.pk, persona.pk])


def delete_url(persona) -> str:
    segment = persona.segment
    return reverse("segments:persona_delete", args=[segment.note.canvas_id, segment.pk, persona.pk])


def restore_url(persona) -> str:
    segment = persona.segment
    return reverse("segments:persona_restore", args=[segment.note.canvas_id, segment.pk, persona.pk])


def page_url(segment, anchor: str = "") -> str:
    url = reverse("segments:detail", args=[segment.note.canvas_id, segment.pk])
    return f"{url}#{anchor}" if anchor else url


def unchanged(before) -> bool:
    return (segments_state(), db_state()) == before


FULL = {
    "name": "Marta Ruiz",
    "age": "41",
    "occupation": "Dueña de una cafetería",
    "bio": "Abrió su local hace diez años.",
    "goals": "Fidelizar a los clientes",
    "pains": "Proveedores poco fiables",
    "motivations": "Orgullo por su café",
    "jobs": "Comprar café cada semana",
    "channels": "Ferias, Instagram",
    "quote": "Mi café es mi carta de presentación",
}


# Who may --------------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("name", ["add", "edit", "delete"])
    def test_it_requires_login(self, client, persona, name):
        url = {"add": add_url(persona.segment), "edit": edit_url(persona), "delete": delete_url(persona)}[name]
        before = segments_state(), db_state()
        response = client.post(url, {"name": "Ana"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert unchanged(before)

    @pytest.mark.parametrize("name", ["add", "edit", "delete"])
    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, persona, name):
        url = {"add": add_url(persona.segment), "edit": edit_url(persona), "delete": delete_url(persona)}[name]
        before = segments_state(), db_state()
        client.force_login(outsider)
        assert client.post(url, {"name": "Ana"}).status_code == 404
        assert unchanged(before)

    @pytest.mark.parametrize("name", ["add", "edit", "delete"])
    def test_viewers_cannot_change_personas(self, client, viewer, persona, name):
        url = {"add": add_url(persona.segment), "edit": edit_url(persona), "delete": delete_url(persona)}[name]
        before = segments_state(), db_state()
        client.force_login(viewer)
        assert client.post(url, {"name": "Ana"}).status_code == 403
        assert client.post(url, {"name": "Ana"}, **HTMX).status_code == 403
        assert unchanged(before)

    def test_viewers_cannot_open_the_edit_form(self, client, viewer, persona):
        client.force_login(viewer)
        assert client.get(edit_url(persona)).status_code == 403

    @pytest.mark.parametrize(("name", "method"), [("add", "get"), ("delete", "get"), ("edit", "put")])
    def test_wrong_methods_are_refused(self, client, editor, persona, name, method):
        url = {"add": add_url(persona.segment), "edit": edit_url(persona), "delete": delete_url(persona)}[name]
        client.force_login(editor)
        assert getattr(client, method)(url).status_code == 405

    def test_a_persona_of_another_segment_is_not_found(self, client, owner, editor, canvas, persona):
        other_segment = make_segment(canvas, "Estudiantes")
        elsewhere = make_persona(make_segment(make_canvas(owner, "Otro")), "Pablo")
        before = segments_state(), db_state()
        client.force_login(editor)
        wrong_segment = [canvas.pk, other_segment.pk, persona.pk]
        wrong_canvas = [canvas.pk, persona.segment.pk, elsewhere.pk]
        for args in (wrong_segment, wrong_canvas):
            assert client.get(reverse("segments:persona_edit", args=args)).status_code == 404
            assert client.post(reverse("segments:persona_edit", args=args), {"name": "X"}).status_code == 404
            assert client.post(reverse("segments:persona_delete", args=args)).status_code == 404
        assert unchanged(before)
        elsewhere.delete_softly(by=owner)
        before = segments_state(), db_state()
        # Restoring a persona of another segment finds nothing to bring back, and changes nothing.
        response = client.post(reverse("segments:persona_restore", args=wrong_canvas), **HTMX)
        assert response.status_code == 410
        assert unchanged(before)


# Showing ------------------------------------------------------------------------------------


def test_personas_show_as_cards_with_initials(client, viewer, segment, persona):
    make_persona(segment, "maría josé de la fuente", quote="Sin prisas")
    client.force_login(viewer)
    html = client.get(page_url(segment)).content
    cards = find_all(html, "li", **{"class": "persona-card", "tabindex": "-1"})
    assert [card.find_all("h3")[0].text for card in cards] == ["Lucía Pérez", "maría josé de la fuente"]
    avatars = [card.find_all("span", **{"aria-hidden": "true"})[0].text for card in cards]
    assert avatars == ["LP", "MJ"]
    assert "Barista · 34 years old" in cards[0].text
    facts = list(zip((dt.text for dt in cards[0].find_all("dt")), (dd.text for dd in cards[0].find_all("dd"))))
    assert facts == [("Goals", "Abrir su propio café")]
    # The page draws the quotation marks (CSS), so the ones people type are left out.
    assert cards[1].find_all("blockquote", **{"class": "persona-card__quote"})[0].text == "Sin prisas"
    assert element(html, "personas-title").text == "Personas (2)"


# Adding --------------------------------------------------------------------------------------


class TestAdd:
    def test_a_plain_post_adds_the_persona_and_redirects_to_its_card(self, client, editor, segment):
        client.force_login(editor)
        response = client.post(add_url(segment), FULL)
        persona = segment.personas.get()
        assert response.status_code == 302
        assert response["Location"] == page_url(segment, f"persona-{persona.pk}")
        assert {field: str(getattr(persona, field)) for field in FULL} == FULL
        page = client.get(response["Location"]).content
        assert b"Persona Marta Ruiz added." in page
        assert has_element(page, f"persona-{persona.pk}")

    def test_with_htmx_it_answers_the_personas_section_and_moves_the_focus(self, client, editor, segment, persona):
        client.force_login(editor)
        response = client.post(add_url(segment), {"name": "Marta Ruiz"}, **HTMX)
        added = segment.personas.get(name="Marta Ruiz")
        assert response.status_code == 200
        assert is_partial(response.content)
        section = element(response.content, "personas")
        assert [c.attrs["id"] for c in section.find_all("li", **{"class": "persona-card", "tabindex": "-1"})] == [
            f"persona-{persona.pk}",
            f"persona-{added.pk}",
        ]
        # A fresh, empty form to add the next one.
        assert element(response.content, "new-persona-name").attrs.get("value") is None
        trigger = json.loads(response["HX-Trigger-After-Settle"])
        assert trigger == {"lienzo:focus": {"id": f"persona-{added.pk}", "target": "body"}}

    @pytest.mark.parametrize(
        ("data", "field_id", "message"),
        [
            pytest.param({"name": "  "}, "new-persona-name", "Give the persona a name.", id="blank-name"),
            pytest.param({"age": "-1"}, "new-persona-age", "This cannot be negative.", id="negative-age"),
            pytest.param({"age": "121"}, "new-persona-age", "An age is at most 120.", id="age-over-120"),
            pytest.param({"age": "old"}, "new-persona-age", "Enter a whole number.", id="age-not-a-number"),
            pytest.param(
                {"quote": "x" * 301}, "new-persona-quote",
                "Ensure this value has at most 300 characters (it has 301).", id="long-quote",
            ),
        ],
    )  # fmt: skip
    def test_bad_input_is_explained_next_to_the_field_and_adds_nothing(
        self, client, editor, segment, data, field_id, message
    ):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(add_url(segment), {**FULL, **data})
        assert response.status_code == 400
        assert field_error(response.content, field_id) == message
        assert "open" in element(response.content, "persona-add").attrs
        assert unchanged(before)

    def test_with_htmx_bad_input_comes_back_in_the_add_form(self, client, editor, segment):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(add_url(segment), {"name": "", "occupation": "Barista"}, **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert is_partial(response.content)
        assert response["HX-Retarget"] == "#persona-add"
        assert response["HX-Reswap"] == "outerHTML"
        assert field_error(response.content, "new-persona-name") == "Give the persona a name."
        assert element(response.content, "new-persona-occupation").attrs["value"] == "Barista"
        assert unchanged(before)

    def test_a_segment_of_another_canvas_gets_no_persona(self, client, owner, editor, canvas):
        other = make_segment(make_canvas(owner, "Otro"))
        before = segments_state(), db_state()
        client.force_login(editor)
        assert client.post(reverse("segments:persona_add", args=[canvas.pk, other.pk]), FULL).status_code == 404
        assert unchanged(before)


# Editing ------------------------------------------------------------------------------------------


class TestEdit:
    def test_with_htmx_it_opens_the_form_in_place(self, client, editor, persona):
        client.force_login(editor)
        response = client.get(edit_url(persona), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        card = element(response.content, f"persona-{persona.pk}")
        assert "persona-card--editing" in card.attrs["class"]
        form = card.find_all("form")[0]
        assert (form.attrs["hx-post"], form.attrs["hx-target"]) == (edit_url(persona), f"#persona-{persona.pk}")
        assert element(response.content, f"persona-{persona.pk}-name").attrs["value"] == "Lucía Pérez"
        cancel = card.find_all("a")[0]
        assert cancel.attrs["hx-select"] == f"#persona-{persona.pk}"

    def test_without_js_it_opens_the_segment_page_with_the_form(self, client, editor, persona):
        client.force_login(editor)
        response = client.get(edit_url(persona))
        assert response.status_code == 200
        assert not is_partial(response.content)
        assert element(response.content, f"persona-{persona.pk}-goals").text == "Abrir su propio café"
        assert has_element(response.content, "segment-form")

    def test_a_plain_post_saves_and_redirects_to_the_card(self, client, editor, persona):
        client.force_login(editor)
        response = client.post(edit_url(persona), {**FULL, "name": "Lucía Gómez", "age": ""})
        assert response.status_code == 302
        assert response["Location"] == page_url(persona.segment, f"persona-{persona.pk}")
        persona.refresh_from_db()
        assert (persona.name, persona.age, persona.quote) == ("Lucía Gómez", None, FULL["quote"])

    def test_with_htmx_it_answers_the_card(self, client, editor, persona):
        client.force_login(editor)
        response = client.post(edit_url(persona), {"name": "Lucía Gómez", "occupation": "Tostadora"}, **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        card = element(response.content, f"persona-{persona.pk}")
        assert "persona-card--editing" not in card.attrs["class"]
        assert card.find_all("h3")[0].text == "Lucía Gómez"
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"persona-{persona.pk}"
        persona.refresh_from_db()
        assert (persona.name, persona.occupation, persona.goals) == ("Lucía Gómez", "Tostadora", "")

    def test_bad_input_is_explained_and_changes_nothing(self, client, editor, persona):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(edit_url(persona), {"name": "Lucía", "age": "200"})
        assert response.status_code == 400
        assert field_error(response.content, f"persona-{persona.pk}-age") == "An age is at most 120."
        # The card being edited keeps the saved name in its heading elsewhere on the page.
        assert element(response.content, f"persona-{persona.pk}-name").attrs["value"] == "Lucía"
        assert unchanged(before)

    def test_with_htmx_bad_input_comes_back_in_the_card(self, client, editor, persona):
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(edit_url(persona), {"name": ""}, **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert is_partial(response.content)
        assert field_error(response.content, f"persona-{persona.pk}-name") == "Give the persona a name."
        assert unchanged(before)


# Deleting -------------------------------------------------------------------------------------------


class TestDelete:
    def test_a_plain_post_deletes_and_offers_an_undo_in_its_place(self, client, editor, segment, persona):
        other = make_persona(segment, "Pablo")
        client.force_login(editor)
        response = client.post(delete_url(persona))
        assert response.status_code == 302
        assert response["Location"] == f"{page_url(segment)}?deleted={persona.pk}#persona-{persona.pk}"
        assert not Persona.objects.filter(pk=persona.pk).exists()
        assert list(segment.personas.all()) == [other]
        html = client.get(response["Location"]).content
        assert element(html, "personas-title").text == "Personas (1)"
        cards = [li.attrs["id"] for li in find_all(html, "li") if li.attrs.get("id", "").startswith("persona-")]
        assert cards == [f"persona-{persona.pk}", f"persona-{other.pk}"]  # the undo in its place
        placeholder = element(html, f"persona-{persona.pk}")
        assert "data-undo" in placeholder.attrs
        assert placeholder.text == "Persona Lucía Pérez deleted. Undo deleting Lucía Pérez"
        form = placeholder.find_all("form")[0]
        assert (form.attrs["method"], form.attrs["action"]) == ("post", restore_url(persona))

    def test_with_htmx_it_answers_the_personas_section_with_the_undo(self, client, editor, segment, persona):
        other = make_persona(segment, "Pablo")
        client.force_login(editor)
        response = client.post(delete_url(persona), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        assert element(response.content, f"persona-{persona.pk}").find_all("form")[0].attrs["hx-post"] == restore_url(persona)
        assert has_element(response.content, f"persona-{other.pk}")
        assert element(response.content, "personas-title").text == "Personas (1)"
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"persona-{persona.pk}-undo"
        assert list(segment.personas.all()) == [other]

    def test_undo_brings_the_persona_back_as_it_was(self, client, editor, segment, persona):
        client.force_login(editor)
        client.post(delete_url(persona))
        response = client.post(restore_url(persona))
        assert response.status_code == 302
        assert response["Location"] == page_url(segment, f"persona-{persona.pk}")
        restored = segment.personas.get()
        assert (restored.pk, restored.name, restored.goals, restored.deleted_at) == (persona.pk, "Lucía Pérez", "Abrir su propio café", None)
        assert "Persona Lucía Pérez restored." in client.get(response["Location"]).content.decode()

    def test_with_htmx_undo_answers_the_personas_section_and_focuses_the_card(self, client, editor, segment, persona):
        client.force_login(editor)
        client.post(delete_url(persona), **HTMX)
        response = client.post(restore_url(persona), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        assert element(response.content, f"persona-{persona.pk}-name").text == "Lucía Pérez"
        assert element(response.content, "personas-title").text == "Personas (1)"
        assert json.loads(response["HX-Trigger-After-Settle"])["lienzo:focus"]["id"] == f"persona-{persona.pk}"

    def test_undo_after_the_window_says_it_is_too_late(self, client, editor, segment, persona):
        client.force_login(editor)
        client.post(delete_url(persona))
        Persona.all_objects.filter(pk=persona.pk).delete()  # gone for good, as after the undo window
        response = client.post(restore_url(persona), **HTMX)
        assert response.status_code == 410
        assert element(response.content, "persona-undo-gone").text == "Too late to undo: the persona was deleted for good."
        response = client.post(restore_url(persona))
        assert response["Location"] == page_url(segment, "personas")
        assert "Too late to undo: the persona was deleted for good." in client.get(response["Location"]).content.decode()

    def test_the_undo_window_is_the_notes_one(self, editor, segment, persona):
        from datetime import timedelta

        from canvas_app.models.notes import UNDO_WINDOW

        old = make_persona(segment, "Pablo")
        old.delete_softly(by=editor)
        Persona.all_objects.filter(pk=old.pk).update(deleted_at=old.deleted_at - UNDO_WINDOW - timedelta(minutes=1))
        recent = make_persona(segment, "Rosa")
        recent.delete_softly(by=editor)
        persona.delete_softly(by=editor)  # a deletion clears those past the window
        assert set(Persona.all_objects.values_list("name", flat=True)) == {"Lucía Pérez", "Rosa"}
        assert not old.restore(by=editor) and recent.restore(by=editor)

    def test_viewers_get_no_undo_and_a_deleted_persona_is_out_of_every_count(self, client, viewer, editor, canvas, segment, persona):
        make_persona(segment, "Pablo")
        persona.delete_softly(by=editor)
        client.force_login(viewer)
        html = client.get(f"{page_url(segment)}?deleted={persona.pk}").content
        assert not has_element(html, f"persona-{persona.pk}")
        assert element(html, "personas-title").text == "Personas (1)"
        row = element(client.get(reverse("segments:list", args=[canvas.pk])).content, f"segment-{segment.pk}")
        cells = [td.text for td in row.find_all("td")]
        assert "1" in cells and "2" not in cells  # the persona count leaves the deleted one out



@pytest.mark.parametrize("typed", ["“Sin prisas”", '"Sin prisas"', "«Sin prisas»", "  Sin prisas "])
def test_quotation_marks_typed_around_a_quote_are_left_out(client, editor, segment, typed):
    client.force_login(editor)
    client.post(add_url(segment), {"name": "Ana", "quote": typed})
    assert segment.personas.get(name="Ana").quote == "Sin prisas"
