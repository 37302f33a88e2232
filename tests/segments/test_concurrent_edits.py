"""Two people editing one segment, persona or fit item at once: nothing either saved is lost.

Each test loads the form as a browser would (GET, then the values it rendered), lets a
teammate save meanwhile, and then submits."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from canvas_app.concurrent import ConcurrentEditForm
from segments.models import Persona, ProfileItem, ProfileKind, Segment, ValueItem, ValueKind
from tests.conftest import db_state
from tests.markup import HTMX, element, find_all, form_values, has_element
from tests.segments.factories import make_persona, make_profile_item, make_segment, make_value_item


def edit_url(record) -> str:
    """Where the record's edit form is: a segment's page, or a persona's or fit item's editor."""
    if isinstance(record, Segment):
        return reverse("segments:detail", args=[record.note.canvas_id, record.pk])
    segment = record.segment
    name = {Persona: "persona_edit", ProfileItem: "profile_item_edit", ValueItem: "value_item_edit"}[type(record)]
    return reverse(f"segments:{name}", args=[segment.note.canvas_id, segment.pk, record.pk])


def form_id(record) -> str:
    if isinstance(record, Segment):
        return "segment-form"
    prefix = {Persona: "persona", ProfileItem: "profile-item", ValueItem: "value-item"}[type(record)]
    return f"{prefix}-{record.pk}-form"


def loaded(client, record) -> dict:
    """The edit form's values as the browser got them (editors open in place through htmx)."""
    response = client.get(edit_url(record), **HTMX)
    assert response.status_code == 200
    return form_values(response.content, form_id(record))


def teammate_saves(client, record, **changes) -> None:
    """A teammate, in another browser, loads the form and saves these changes."""
    response = client.post(edit_url(record), loaded(client, record) | changes)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def segment(canvas) -> Segment:
    return make_segment(canvas, "Cafeterías", description="Pequeñas y de barrio", location="Madrid", age_min=20, age_max=40)


@pytest.fixture
def persona(segment) -> Persona:
    return make_persona(segment, "Lucía Pérez", occupation="Barista", goals="Abrir su propio local")


@pytest.fixture
def teammate(owner):
    other = Client()
    other.force_login(owner)
    return other


def stored(segment: Segment) -> Segment:
    return Segment.objects.select_related("note").get(pk=segment.pk)


# Segments -------------------------------------------------------------------------------------


class TestSegmentMerges:
    def test_my_change_and_a_teammates_change_to_other_fields_are_both_kept(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, description="Cafeterías con tostador propio")

        response = client.post(edit_url(segment), mine | {"location": "Valencia"}, **HTMX)

        assert response.status_code == 200
        saved = stored(segment)
        assert saved.location == "Valencia"
        assert saved.description == "Cafeterías con tostador propio"
        status = find_all(response.content, "p", role="status")[0].text
        assert "their changes are kept too: Description" in status
        # The form shown afterwards holds both changes and is based on the new version.
        shown = form_values(response.content, form_id(segment))
        assert shown["description"] == "Cafeterías con tostador propio"
        assert shown["version"] == str(saved.version)

    def test_a_teammates_rename_on_the_board_is_not_undone(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        segment.note.edit(text="Cafeterías de especialidad", colour=segment.note.colour)

        response = client.post(edit_url(segment), mine | {"location": "Valencia"})

        assert response.status_code == 302
        saved = stored(segment)
        assert (saved.note.text, saved.location) == ("Cafeterías de especialidad", "Valencia")

    def test_both_making_the_same_change_is_no_conflict(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, location="Sevilla")

        response = client.post(edit_url(segment), mine | {"location": "Sevilla"})

        assert response.status_code == 302
        assert stored(segment).location == "Sevilla"

    def test_without_a_teammate_the_form_saves_as_always(self, client, editor, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        version = stored(segment).version

        response = client.post(edit_url(segment), mine | {"description": "Otra", "name": "Bares"})

        assert response.status_code == 302
        saved = stored(segment)
        assert (saved.description, saved.note.text, saved.version) == ("Otra", "Bares", version + 1)


class TestSegmentConflicts:
    def test_both_changing_a_field_saves_nothing_and_shows_both_texts(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, description="La de ellos")
        before = db_state()

        response = client.post(edit_url(segment), mine | {"description": "La mía", "location": "Bilbao"})

        assert response.status_code == 409
        assert db_state() == before
        shown = form_values(response.content, form_id(segment))
        assert shown["description"] == "La mía"  # my text stays in the box
        assert shown["location"] == "Bilbao"
        theirs = element(response.content, "id_description-theirs")
        assert "La de ellos" in theirs.text
        assert [r.attrs["value"] for r in theirs.find_all("input", type="radio")] == ["mine", "theirs"]
        assert "Someone else changed this while you were editing it" in element(
            response.content, "id_description_error"
        ).text
        # Only the field both changed is a conflict.
        assert not has_element(response.content, "id_location-theirs")
        alerts = [e.text for e in find_all(response.content, "div", role="alert")]
        assert any(a.startswith("Nothing was saved: someone else saved changes") for a in alerts)

    def test_saving_again_keeps_mine(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, description="La de ellos")
        shown = client.post(edit_url(segment), mine | {"description": "La mía"}, **HTMX)
        assert shown.status_code == 409 and has_element(shown.content, "id_description-theirs")

        response = client.post(edit_url(segment), form_values(shown.content, form_id(segment)), **HTMX)

        assert response.status_code == 200
        assert not has_element(response.content, "id_description-theirs")
        assert stored(segment).description == "La mía"

    def test_choosing_theirs_keeps_theirs_and_saves_my_other_changes(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, description="La de ellos")
        shown = client.post(edit_url(segment), mine | {"description": "La mía", "location": "Bilbao"})
        assert shown.status_code == 409

        again = form_values(shown.content, form_id(segment)) | {"description-keep": "theirs"}
        response = client.post(edit_url(segment), again)

        assert response.status_code == 302
        saved = stored(segment)
        assert (saved.description, saved.location) == ("La de ellos", "Bilbao")

    def test_a_conflicting_rename_shows_their_name(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        segment.note.edit(text="Cafeterías de especialidad", colour=segment.note.colour)

        response = client.post(edit_url(segment), mine | {"name": "Bares"})

        assert response.status_code == 409
        assert "Cafeterías de especialidad" in element(response.content, "id_name-theirs").text
        assert stored(segment).note.text == "Cafeterías de especialidad"

    def test_a_choice_field_in_conflict_shows_their_label(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, market_kind="niche")

        response = client.post(edit_url(segment), mine | {"market_kind": "mass"})

        assert response.status_code == 409
        assert "Niche market" in element(response.content, "id_market_kind-theirs").text

    def test_merged_values_must_still_agree(self, client, editor, teammate, segment):
        """Each change is fine alone; together the age range would end before it starts."""
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, age_max="25")
        before = db_state()

        response = client.post(edit_url(segment), mine | {"age_min": "30"})

        assert response.status_code == 400
        assert db_state() == before
        assert "ends before it starts" in element(response.content, "id_age_max_error").text

    def test_a_form_without_a_usable_base_counts_every_difference_when_stale(self, client, editor, teammate, segment):
        client.force_login(editor)
        mine = loaded(client, segment)
        teammate_saves(teammate, segment, description="La de ellos")

        response = client.post(edit_url(segment), mine | {"base": "tampered"})

        # The description I never touched differs from what is stored: it is shown, not undone.
        assert response.status_code == 409
        assert has_element(response.content, "id_description-theirs")
        assert stored(segment).description == "La de ellos"

    def test_a_teammate_writing_between_my_read_and_my_write_is_merged_again(
        self, client, editor, segment, monkeypatch
    ):
        client.force_login(editor)
        mine = loaded(client, segment)
        real_clean = ConcurrentEditForm.clean
        merged_versions = []

        def teammate_writes_after_the_first_merge(form):
            data = real_clean(form)
            merged_versions.append(form.instance.version)
            if len(merged_versions) == 1:  # committed before my write, as from another request
                Segment.objects.filter(pk=segment.pk).update(description="La de ellos", version=F("version") + 1)
            return data

        monkeypatch.setattr(ConcurrentEditForm, "clean", teammate_writes_after_the_first_merge)
        response = client.post(edit_url(segment), mine | {"location": "Bilbao"})

        assert response.status_code == 302
        assert merged_versions == [merged_versions[0], merged_versions[0] + 1]
        saved = stored(segment)
        assert (saved.description, saved.location) == ("La de ellos", "Bilbao")
        assert saved.version == merged_versions[0] + 2


# Personas -------------------------------------------------------------------------------------


class TestPersonaEdits:
    def test_changes_to_different_fields_are_both_kept(self, client, editor, teammate, persona):
        client.force_login(editor)
        mine = loaded(client, persona)
        teammate_saves(teammate, persona, occupation="Tostadora")

        response = client.post(edit_url(persona), mine | {"goals": "Vender online"})

        assert response.status_code == 302
        saved = Persona.objects.get(pk=persona.pk)
        assert (saved.occupation, saved.goals) == ("Tostadora", "Vender online")

    def test_both_changing_a_field_saves_nothing_and_shows_both(self, client, editor, teammate, persona):
        client.force_login(editor)
        mine = loaded(client, persona)
        teammate_saves(teammate, persona, occupation="Tostadora")
        before = db_state()

        response = client.post(edit_url(persona), mine | {"occupation": "Camarera"}, **HTMX)

        assert response.status_code == 409  # a conflict: the page swaps it in where the user acted
        assert db_state() == before
        field_id = f"persona-{persona.pk}-occupation"
        assert "Tostadora" in element(response.content, f"{field_id}-theirs").text
        assert form_values(response.content, form_id(persona))["occupation"] == "Camarera"

    def test_saving_again_or_choosing_theirs(self, client, editor, teammate, persona):
        client.force_login(editor)
        mine = loaded(client, persona)
        teammate_saves(teammate, persona, occupation="Tostadora", goals="Crecer")
        shown = client.post(edit_url(persona), mine | {"occupation": "Camarera", "goals": "Vender"})
        assert shown.status_code == 409

        again = form_values(shown.content, form_id(persona)) | {"occupation-keep": "theirs"}
        response = client.post(edit_url(persona), again)

        assert response.status_code == 302
        saved = Persona.objects.get(pk=persona.pk)
        assert (saved.occupation, saved.goals) == ("Tostadora", "Vender")

    def test_adding_a_persona_is_not_a_conflict(self, client, editor, segment):
        client.force_login(editor)
        url = reverse("segments:persona_add", args=[segment.note.canvas_id, segment.pk])
        response = client.post(url, {"name": "Marta", "occupation": "Dueña"})
        assert response.status_code == 302
        assert segment.personas.get().occupation == "Dueña"


# The customer profile and the value map --------------------------------------------------------


@pytest.fixture
def pains(segment) -> list[ProfileItem]:
    return [
        make_profile_item(segment, ProfileKind.PAIN, "El café llega rancio", importance=3),
        make_profile_item(segment, ProfileKind.PAIN, "Pedidos mínimos altos"),
    ]


@pytest.fixture
def reliever(segment, pains) -> ValueItem:
    return make_value_item(segment, ValueKind.RELIEVER, "Tueste semanal", addresses=[pains[0]])


class TestFitItemEdits:
    def test_a_profile_item_merges_and_shows_conflicts(self, client, editor, teammate, pains):
        item = pains[0]
        client.force_login(editor)
        mine = loaded(client, item)
        teammate_saves(teammate, item, text="Café rancio al llegar")

        # Different fields: both kept.
        response = client.post(edit_url(item), mine | {"importance": "1"})
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.text, item.importance) == ("Café rancio al llegar", 1)

    def test_a_profile_item_conflict_saves_nothing(self, client, editor, teammate, pains):
        item = pains[0]
        client.force_login(editor)
        mine = loaded(client, item)
        teammate_saves(teammate, item, text="Café rancio al llegar")
        before = db_state()

        response = client.post(edit_url(item), mine | {"text": "Café viejo"})

        assert response.status_code == 409
        assert db_state() == before
        assert "Café rancio al llegar" in element(response.content, f"profile-item-{item.pk}-text-theirs").text

    def test_links_a_teammate_changed_are_kept_when_i_change_the_text(self, client, editor, teammate, pains, reliever):
        client.force_login(editor)
        mine = loaded(client, reliever)
        teammate_saves(teammate, reliever, addresses=[str(p.pk) for p in pains])

        response = client.post(edit_url(reliever), mine | {"text": "Tueste cada lunes"})

        assert response.status_code == 302
        reliever.refresh_from_db()
        assert reliever.text == "Tueste cada lunes"
        assert set(reliever.addresses.all()) == set(pains)

    def test_links_both_changed_show_their_choice(self, client, editor, teammate, pains, reliever):
        client.force_login(editor)
        mine = loaded(client, reliever)
        teammate_saves(teammate, reliever, addresses=[str(p.pk) for p in pains])
        before = db_state()

        response = client.post(edit_url(reliever), {**mine, "addresses": []})

        assert response.status_code == 409
        assert db_state() == before
        shown = element(response.content, f"value-item-{reliever.pk}-addresses-theirs").text
        assert "El café llega rancio" in shown and "Pedidos mínimos altos" in shown
        # Keeping theirs leaves both links.
        again = form_values(response.content, form_id(reliever)) | {"addresses-keep": "theirs"}
        assert client.post(edit_url(reliever), again).status_code == 302
        assert set(reliever.addresses.all()) == set(pains)
