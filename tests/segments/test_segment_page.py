"""The segment list and a segment's page: who sees what, and describing a segment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Block, Colour
from segments.models import CustomerType, MarketKind, Segment
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, element, field_error, find_all, has_element, is_partial
from tests.segments.factories import (
    make_note,
    make_persona,
    make_profile_item,
    make_segment,
    make_value_item,
    segments_state,
)


def list_url(canvas) -> str:
    return reverse("segments:list", args=[canvas.pk])


def detail_url(segment) -> str:
    return reverse("segments:detail", args=[segment.note.canvas_id, segment.pk])


def valid_data(**overrides) -> dict:
    data = {"name": "Cafeterías de barrio", "customer_type": CustomerType.B2B}
    return {**data, **overrides}


# The list ---------------------------------------------------------------------------------


class TestList:
    def test_it_requires_login(self, client, canvas):
        response = client.get(list_url(canvas))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.get(list_url(canvas)).status_code == 404

    def test_it_only_answers_get(self, client, editor, canvas):
        client.force_login(editor)
        assert client.post(list_url(canvas)).status_code == 405

    def test_it_shows_each_segment_with_its_facts_in_board_order(self, client, viewer, canvas):
        first = make_segment(
            canvas, "Oficinas", Colour.BLUE, market_kind=MarketKind.NICHE, customer_type=CustomerType.B2B,
            estimated_size=12000,
        )  # fmt: skip
        second = make_segment(canvas, "Estudiantes", Colour.GREEN)
        make_persona(first, "Ana")
        make_persona(first, "Luis")
        pain = make_profile_item(first, "pain", "Café malo", importance=3)
        make_profile_item(first, "gain", "Buen aroma", importance=1)
        make_value_item(first, "reliever", "Tueste semanal", addresses=[pain])
        client.force_login(viewer)

        response = client.get(list_url(canvas))

        assert response.status_code == 200
        rows = find_all(response.content, "tr")[1:]
        assert [row.attrs["id"] for row in rows] == [f"segment-{first.pk}", f"segment-{second.pk}"]
        row = element(response.content, f"segment-{first.pk}")
        assert row.text == "A Oficinas Niche market Businesses (B2B) 12,000 2 75% · value-proposition fit of Oficinas"
        assert row.find_all("span", **{"class": "segment-swatch segment-colour--1", "aria-hidden": "true"})
        links = [a.attrs["href"] for a in row.find_all("a")]
        assert links == [detail_url(first), reverse("segments:fit", args=[canvas.pk, first.pk])]
        empty = element(response.content, f"segment-{second.pk}")
        assert "— Consumers (B2C) — 0 not measured" in empty.text

    def test_it_leaves_out_deleted_segments_and_other_canvases(self, client, owner, editor, canvas):
        gone = make_segment(canvas, "Borrado")
        gone.note.delete_softly()
        elsewhere = make_segment(make_canvas(owner, "Otro"), "Ajeno")
        kept = make_segment(canvas, "Presente")
        client.force_login(editor)
        response = client.get(list_url(canvas))
        assert has_element(response.content, f"segment-{kept.pk}")
        assert not has_element(response.content, f"segment-{gone.pk}")
        assert not has_element(response.content, f"segment-{elsewhere.pk}")

    def test_a_note_added_to_the_segments_block_is_a_segment_at_once(self, client, editor, canvas):
        note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Turistas")
        segment = Segment.objects.get(note=note)  # before any page is drawn
        client.force_login(editor)
        response = client.get(list_url(canvas))
        assert "Turistas" in element(response.content, f"segment-{segment.pk}").text

    def test_a_note_moved_or_restored_into_the_segments_block_is_a_segment_at_once(self, editor, canvas):
        moved = canvas.add_note(block=Block.CHANNELS, text="Turistas")
        assert not Segment.objects.filter(note=moved).exists()
        moved.move(block=Block.CUSTOMER_SEGMENTS, position=1, by=editor)
        assert Segment.objects.filter(note=moved).exists()

        restored = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Jubilados")
        Segment.objects.filter(note=restored).delete()  # as a note of before segments existed
        restored.delete_softly(by=editor)
        restored.restore(by=editor)
        assert Segment.objects.filter(note=restored).exists()

    def test_an_empty_canvas_invites_editors_to_the_board(self, client, editor, viewer, canvas):
        client.force_login(editor)
        response = client.get(list_url(canvas))
        assert b"This canvas has no segments yet." in response.content
        assert f'href="{reverse("canvas_app:board", args=[canvas.pk])}#block-customer_segments"'.encode() in response.content
        client.force_login(viewer)
        assert b"#block-customer_segments" not in client.get(list_url(canvas)).content

    def test_it_costs_the_same_at_1_and_10_segments(self, client, owner):
        small, large = make_canvas(owner, "Pequeño"), make_canvas(owner, "Grande")
        for canvas, count in ((small, 1), (large, 10)):
            for n in range(count):
                segment = make_segment(canvas, f"Segmento {n}")
                make_persona(segment)
                make_profile_item(segment, "pain", "Dolor")
        client.force_login(owner)

        def queries(canvas) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(list_url(canvas)).status_code == 200
            return len(captured)

        assert queries(small) == queries(large)


# A segment's page: reading ------------------------------------------------------------------


class TestDetailPage:
    def test_it_requires_login(self, client, canvas):
        segment = make_segment(canvas)
        response = client.get(detail_url(segment))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.get(detail_url(make_segment(canvas))).status_code == 404

    def test_a_segment_of_another_canvas_is_not_found(self, client, owner, editor, canvas):
        other = make_segment(make_canvas(owner, "Otro"))
        client.force_login(editor)
        url = reverse("segments:detail", args=[canvas.pk, other.pk])
        assert client.get(url).status_code == 404

    def test_a_segment_whose_note_left_the_block_is_not_found(self, client, editor, canvas):
        segment = make_segment(canvas)
        segment.note.move(block=Block.CHANNELS, position=1)
        client.force_login(editor)
        assert client.get(detail_url(segment)).status_code == 404

    def test_a_deleted_segment_is_not_found(self, client, editor, canvas):
        segment = make_segment(canvas)
        segment.note.delete_softly()
        client.force_login(editor)
        assert client.get(detail_url(segment)).status_code == 404

    def test_editors_get_the_form_with_the_current_values(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas", customer_type=CustomerType.B2B, industry="Seguros")
        client.force_login(editor)
        response = client.get(detail_url(segment))
        assert response.status_code == 200
        assert element(response.content, "segment-name").text == "A Oficinas"  # after its letter
        assert element(response.content, "id_name").attrs["value"] == "Oficinas"
        assert element(response.content, "id_industry").attrs["value"] == "Seguros"
        assert "checked" in element(response.content, "id_customer_type_1").attrs
        # Both fieldsets are in the page; the script hides the one that does not apply.
        assert len(find_all(response.content, "fieldset", **{"data-customer-type": "b2c"})) == 1
        assert len(find_all(response.content, "fieldset", **{"data-customer-type": "b2b"})) == 1
        assert b"js/segments.js" in response.content

    def test_every_field_has_a_label(self, client, editor, canvas):
        client.force_login(editor)
        html = client.get(detail_url(make_segment(canvas))).content
        labels = {label.attrs.get("for") for label in find_all(html, "label")}
        form = element(html, "segment-form")
        fields = [e for e in form.descendants if e.tag in ("input", "textarea", "select") and e.attrs.get("type") != "hidden"]
        assert len(fields) > 20
        assert [f.attrs["id"] for f in fields if f.attrs["id"] not in labels] == []

    def test_viewers_read_the_filled_in_facts_without_edit_controls(self, client, viewer, canvas):
        segment = make_segment(
            canvas, "Oficinas", customer_type=CustomerType.B2B, industry="Seguros", gender="no aplica",
            estimated_size=300, willingness_to_pay="high",
        )  # fmt: skip
        make_persona(segment, "Ana")
        client.force_login(viewer)
        response = client.get(detail_url(segment))
        assert response.status_code == 200
        assert not has_element(response.content, "segment-form")
        assert not has_element(response.content, "persona-add")
        facts = [(dt.text, dd.text) for dt, dd in zip(find_all(response.content, "dt"), find_all(response.content, "dd"))]
        assert ("Customers", "Businesses (B2B)") in facts
        assert ("Industry", "Seguros") in facts
        assert ("Willingness to pay", "High") in facts
        assert ("Estimated size (customers)", "300") in facts
        assert "Gender" not in [label for label, _ in facts]  # a B2C attribute of a B2B segment
        card = element(response.content, f"persona-{segment.personas.get().pk}")
        assert card.find_all("a") == [] and card.find_all("form") == []

    def test_it_lists_the_notes_that_serve_the_segment(self, client, viewer, canvas, note):
        segment = make_segment(canvas)
        channel = make_note(canvas, Block.CHANNELS, "Tienda online")
        gone = make_note(canvas, Block.CHANNELS, "Feria")
        segment.linked_notes.set([note, channel, gone])
        gone.delete_softly()
        client.force_login(viewer)
        html = client.get(detail_url(segment)).content
        served = [li.text for li in find_all(html, "ul", **{"class": "served-notes"})[0].find_all("li")]
        assert served == ["Value Propositions Café fresco", "Channels Tienda online"]

    def test_a_segment_not_reviewed_for_90_days_asks_for_a_review(self, client, viewer, canvas):
        segment = make_segment(canvas, reviewed_at=timezone.now() - timezone.timedelta(days=91))
        client.force_login(viewer)
        assert b"revisit this segment" in client.get(detail_url(segment)).content
        assert b"review due" in client.get(list_url(canvas)).content


# A segment's page: describing it ---------------------------------------------------------------


class TestSave:
    def test_it_only_answers_get_and_post(self, client, editor, canvas):
        client.force_login(editor)
        assert client.put(detail_url(make_segment(canvas))).status_code == 405

    def test_it_requires_login(self, client, canvas):
        segment = make_segment(canvas)
        before = segments_state()
        response = client.post(detail_url(segment), valid_data())
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert segments_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        segment = make_segment(canvas)
        before = segments_state(), db_state()
        client.force_login(outsider)
        assert client.post(detail_url(segment), valid_data()).status_code == 404
        assert (segments_state(), db_state()) == before

    def test_viewers_cannot_save(self, client, viewer, canvas):
        segment = make_segment(canvas)
        before = segments_state(), db_state()
        client.force_login(viewer)
        assert client.post(detail_url(segment), valid_data()).status_code == 403
        assert (segments_state(), db_state()) == before

    def test_a_plain_post_saves_renames_the_note_and_marks_the_segment_reviewed(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas", Colour.BLUE, reviewed_at=timezone.now() - timezone.timedelta(days=200))
        client.force_login(editor)
        started = timezone.now()

        response = client.post(
            detail_url(segment),
            valid_data(
                name="  Cafeterías de barrio  ",
                description="Bares pequeños",
                market_kind=MarketKind.SEGMENTED,
                basis="needs",
                industry="Hostelería",
                company_size="1-10",
                replaces="El proveedor mayorista",
                location="Madrid",
                estimated_size="4500",
                growth_rate="-2.5",
                revenue_potential="120000.50",
                cost_to_serve="0",
                willingness_to_pay="medium",
                gives_up="Descuentos por volumen",
            ),
        )

        assert response.status_code == 302
        assert response["Location"] == detail_url(segment)
        segment = Segment.objects.select_related("note").get(pk=segment.pk)
        assert (segment.note.text, segment.note.colour) == ("Cafeterías de barrio", Colour.BLUE)
        assert segment.note.updated_at >= started
        assert (segment.market_kind, segment.customer_type, segment.basis) == ("segmented", "b2b", "needs")
        assert (segment.industry, segment.company_size, segment.replaces) == ("Hostelería", "1-10", "El proveedor mayorista")
        assert (segment.estimated_size, segment.growth_rate) == (4500, Decimal("-2.5"))
        assert (segment.revenue_potential, segment.cost_to_serve) == (Decimal("120000.50"), Decimal("0"))
        assert segment.gives_up == "Descuentos por volumen"
        assert segment.reviewed_at >= started
        assert not segment.is_stale
        assert b"Segment saved." in client.get(response["Location"]).content

    def test_the_new_name_shows_on_the_board(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        client.force_login(editor)
        client.post(detail_url(segment), valid_data(name="Coworkings"))
        board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
        assert element(board, f"note-{segment.note_id}").find_all("p")[0].text == "Coworkings"

    def test_with_htmx_it_answers_the_form_and_the_new_heading(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        client.force_login(editor)
        response = client.post(detail_url(segment), valid_data(name="Coworkings", age_min="20"), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        assert element(response.content, "id_name").attrs["value"] == "Coworkings"
        assert element(response.content, "id_age_min").attrs["value"] == "20"
        assert b"Segment saved." in response.content
        heading = element(response.content, "segment-name")
        assert (heading.text, heading.attrs["hx-swap-oob"]) == ("A Coworkings", "true")
        assert Segment.objects.get(pk=segment.pk).note.text == "Coworkings"

    @pytest.mark.parametrize(
        ("data", "field_id", "message"),
        [
            pytest.param({"name": " "}, "id_name", "Give the segment a name: its note cannot be empty.", id="blank-name"),
            pytest.param(
                {"name": "x" * 501}, "id_name", "A name holds at most 500 characters; this one has 501.", id="long-name"
            ),
            pytest.param(
                {"age_min": "40", "age_max": "30"}, "id_age_max",
                "The age range ends before it starts: “to” must be at least “from”.", id="age-range-reversed",
            ),
            pytest.param({"age_min": "-1"}, "id_age_min", "This cannot be negative.", id="negative-age"),
            pytest.param({"age_max": "121"}, "id_age_max", "Ensure this value is less than or equal to 120.", id="age-over-120"),
            pytest.param({"estimated_size": "-5"}, "id_estimated_size", "This cannot be negative.", id="negative-size"),
            pytest.param({"revenue_potential": "-0.01"}, "id_revenue_potential", "This cannot be negative.", id="negative-revenue"),
            pytest.param({"cost_to_serve": "-3"}, "id_cost_to_serve", "This cannot be negative.", id="negative-cost"),
            pytest.param(
                {"growth_rate": "-101"}, "id_growth_rate", "A segment cannot shrink by more than 100% a year.",
                id="growth-below-minus-100",
            ),
            pytest.param(
                {"market_kind": "galactic"}, "id_market_kind",
                "Select a valid choice. galactic is not one of the available choices.", id="unknown-market",
            ),
        ],
    )  # fmt: skip
    def test_bad_input_is_explained_next_to_the_field_and_changes_nothing(
        self, client, editor, canvas, data, field_id, message
    ):
        segment = make_segment(canvas, "Oficinas", age_min=18, estimated_size=10)
        before = segments_state(), db_state()
        client.force_login(editor)

        response = client.post(detail_url(segment), {**valid_data(estimated_size="20"), **data})

        assert response.status_code == 400
        assert field_error(response.content, field_id) == message
        assert (segments_state(), db_state()) == before
        assert element(response.content, "segment-name").text == "A Oficinas"  # the name saved, not the one typed

    def test_an_unknown_customer_type_is_explained_on_the_radios(self, client, editor, canvas):
        segment = make_segment(canvas)
        before = segments_state()
        client.force_login(editor)
        response = client.post(detail_url(segment), valid_data(customer_type="b2x"))
        assert response.status_code == 400
        error = element(response.content, "id_customer_type_error").text
        assert error == "Select a valid choice. b2x is not one of the available choices."
        fieldset = element(response.content, "segment-form").find_all("fieldset", **{"aria-describedby": "id_customer_type_error"})
        assert len(fieldset) == 1
        assert element(response.content, "id_customer_type_0").attrs["aria-invalid"] == "true"
        assert segments_state() == before

    def test_with_htmx_bad_input_comes_back_in_the_form(self, client, editor, canvas):
        segment = make_segment(canvas, "Oficinas")
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(detail_url(segment), valid_data(age_min="50", age_max="20"), **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert is_partial(response.content)
        assert "ends before it starts" in field_error(response.content, "id_age_max")
        assert element(response.content, "id_age_min").attrs["value"] == "50"
        assert (segments_state(), db_state()) == before

    def test_a_segment_of_another_canvas_cannot_be_saved_through_this_one(self, client, owner, editor, canvas):
        other = make_segment(make_canvas(owner, "Otro"))
        before = segments_state(), db_state()
        client.force_login(editor)
        url = reverse("segments:detail", args=[canvas.pk, other.pk])
        assert client.post(url, valid_data()).status_code == 404
        assert (segments_state(), db_state()) == before
