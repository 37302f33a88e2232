"""A segment's relationship plan: items per topic, touchpoints at lifecycle stages tied to
Channels notes, gaps flagged, relationship types from the board, edits merged like the fit's,
undo after a delete, and the plan in the segment report."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from canvas_app.models import Block, Change, Export
from segments.models import RelationshipItem
from segments.prioritisation.ranking import lifecycle_gaps
from tests.markup import form_values
from tests.segments.factories import make_relationship_item, make_segment
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _plan(canvas, segment) -> str:
    return reverse("segments:relationship", args=[canvas.pk, segment.pk])


def _add(canvas, segment) -> str:
    return reverse("segments:relationship_item_add", args=[canvas.pk, segment.pk])


def test_an_empty_plan_asks_each_topics_question(client, canvas, viewer):
    segment = make_segment(canvas)
    client.force_login(viewer)
    page = client.get(_plan(canvas, segment), headers={"Accept-Language": "en"}).content.decode()
    for question in ("How do we listen", "What help do they get", "What keeps them with us", "What data of theirs"):
        assert question in page
    assert "add-support" not in page  # viewers read only


def test_touchpoints_need_a_stage_and_may_name_a_channel_of_this_canvas(client, canvas, editor, owner):
    from tests.conftest import make_canvas

    segment = make_segment(canvas)
    market = canvas.add_note(block=Block.CHANNELS, text="Mercado del barrio")
    elsewhere = make_canvas(owner, "Otro").add_note(block=Block.CHANNELS, text="Otra tienda")
    client.force_login(editor)
    response = client.post(_add(canvas, segment), {"topic": "touchpoints", "text": "Cata"})
    assert response.status_code == 400 and "field--invalid" in response.content.decode()
    response = client.post(_add(canvas, segment), {"topic": "touchpoints", "stage": "awareness", "text": "Cata", "channel": elsewhere.pk})
    assert response.status_code == 400
    assert not RelationshipItem.objects.exists()
    response = client.post(_add(canvas, segment), {"topic": "touchpoints", "stage": "awareness", "text": "Cata", "channel": market.pk})
    assert response.status_code == 302
    item = RelationshipItem.objects.get()
    assert (item.topic, item.stage, item.channel_id) == ("touchpoints", "awareness", market.pk)
    assert Change.objects.filter(canvas=canvas, by=editor, action="add", target_id=item.pk).exists()


def test_the_lifecycle_flags_the_stages_without_a_touchpoint(client, canvas, editor):
    segment = make_segment(canvas)
    client.force_login(editor)
    for stage, text in (("awareness", "Cata en el mercado"), ("purchase", "Tienda online")):
        client.post(_add(canvas, segment), {"topic": "touchpoints", "stage": stage, "text": text})
    page = client.get(_plan(canvas, segment), headers={"Accept-Language": "en"}).content.decode()
    assert "No touchpoint yet at these stages: Evaluation, Delivery, After-sales." in page
    assert page.count("lifecycle__stage--empty") == 3
    assert lifecycle_gaps([segment])[segment.pk] == ("Evaluation", "Delivery", "After-sales")


def test_a_plan_without_touchpoints_is_not_a_lifecycle_warning(canvas):
    segment = make_segment(canvas)
    make_relationship_item(segment, "support", "Respuesta en 24 horas")
    assert lifecycle_gaps([segment])[segment.pk] == ()


def test_the_ranking_warns_of_a_segment_with_an_empty_stage(client, canvas, editor):
    segment = make_segment(canvas)
    make_relationship_item(segment, "touchpoints", "Cata", stage="awareness")
    client.force_login(editor)
    page = client.get(reverse("prioritisation:ranking", args=[canvas.pk]), headers={"Accept-Language": "en"}).content.decode()
    assert "warning--lifecycle_gap" in page
    assert "no touchpoint yet at: Evaluation, Purchase, Delivery, After-sales" in page


def test_a_teammates_change_to_another_field_is_kept_and_a_clash_shows_both(client, canvas, editor, owner):
    segment = make_segment(canvas)
    market = canvas.add_note(block=Block.CHANNELS, text="Mercado")
    item = make_relationship_item(segment, "touchpoints", "Cata", stage="awareness")
    url = reverse("segments:relationship_item_edit", args=[canvas.pk, segment.pk, item.pk])

    def loaded() -> dict:
        response = client.get(url, headers={"HX-Request": "true"})
        return form_values(response.content, f"relationship-item-{item.pk}-form")

    client.force_login(editor)
    mine = loaded()
    # Meanwhile a teammate names the channel.
    item.channel = market
    item.save_if_unchanged(fields=["channel"], by=owner)
    response = client.post(url, mine | {"text": "Cata de verano"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.channel_id) == ("Cata de verano", market.pk)
    # Both change the text: the editor sees both versions and nothing is saved.
    mine = loaded()
    item.text = "Cata de otoño"
    item.save_if_unchanged(fields=["text"], by=owner)
    response = client.post(url, mine | {"text": "Cata de invierno"})
    assert response.status_code == 409
    assert "Cata de otoño" in response.content.decode()
    item.refresh_from_db()
    assert item.text == "Cata de otoño"


def test_delete_and_undo(client, canvas, editor):
    segment = make_segment(canvas)
    item = make_relationship_item(segment, "privacy", "Solo guardamos el email")
    client.force_login(editor)
    client.post(reverse("segments:relationship_item_delete", args=[canvas.pk, segment.pk, item.pk]))
    assert not RelationshipItem.objects.filter(pk=item.pk).exists()
    client.post(reverse("segments:relationship_item_restore", args=[canvas.pk, segment.pk, item.pk]))
    assert RelationshipItem.objects.filter(pk=item.pk).exists()


def test_a_relationship_note_is_linked_from_the_plan(client, canvas, editor):
    segment = make_segment(canvas)
    community = canvas.add_note(block=Block.CUSTOMER_RELATIONSHIPS, text="Comunidad de socios")
    canvas.add_note(block=Block.CHANNELS, text="Mercado")
    client.force_login(editor)
    page = client.get(_plan(canvas, segment)).content.decode()
    assert "Comunidad de socios" in page and "Mercado</option>" not in page.split('id="relationship-link"')[1].split("</form>")[0]
    client.post(reverse("segments:relationship_link", args=[canvas.pk, segment.pk]), {"note": community.pk})
    assert list(segment.linked_notes.all()) == [community]
    response = client.post(reverse("segments:relationship_link", args=[canvas.pk, segment.pk]), {"note": community.pk})
    assert response.status_code == 400  # linked already


def test_the_segment_report_prints_the_plan(client, canvas, editor, tmp_path):
    segment = make_segment(canvas)
    make_relationship_item(segment, "touchpoints", "Cata en el mercado", stage="awareness")
    make_relationship_item(segment, "complaints", "Devolución sin preguntas")
    client.force_login(editor)
    client.post(reverse("prioritisation:report", args=[canvas.pk]), {"size": "a4"})
    run_tasks()
    export = Export.objects.get(canvas=canvas, kind=Export.Kind.SEGMENT_REPORT)
    path = tmp_path / "report.pdf"
    path.write_bytes(bytes(export.content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    # The canvas is in Spanish, so is its report.
    assert "Plan de relación" in text
    assert "Cata en el mercado" in text and "Devolución sin preguntas" in text
    assert "Gestión de quejas" in text


def test_a_duplicated_canvas_keeps_the_plan(client, canvas, owner):
    segment = make_segment(canvas)
    market = canvas.add_note(block=Block.CHANNELS, text="Mercado")
    make_relationship_item(segment, "touchpoints", "Cata", stage="awareness", channel=market)
    client.force_login(owner)
    client.post(reverse("canvas_app:canvas_duplicate", args=[canvas.pk]))
    copy = RelationshipItem.objects.exclude(segment=segment).get()
    assert copy.text == "Cata" and copy.channel.canvas_id != canvas.pk and copy.channel.text == "Mercado"
