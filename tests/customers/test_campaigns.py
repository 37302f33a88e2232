"""Tactical segmentation: each group's suggested campaign and playbook (the team may rewrite
it), campaigns planned on a group, and a campaign's customers as CSV for an email tool."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from customers.models import CustomerData, PlannedCampaign
from tests.customers.factories import make_customer_data

pytestmark = pytest.mark.django_db


def test_every_group_has_a_suggested_campaign_in_the_readers_language(client, canvas, viewer):
    make_customer_data(canvas)
    client.force_login(viewer)
    page = client.get(reverse("customers:campaigns", args=[canvas.pk]), headers={"Accept-Language": "es"}).content.decode()
    for name, campaign in (("Campeones", "Retención"), ("En riesgo", "Recuperación"), ("Prometedores", "Venta cruzada")):
        assert f">{name}</h3>" in page
        assert campaign in page
    # Viewers read, and plan nothing.
    assert 'action="/canvases/%d/customers/campaigns/"' % canvas.pk not in page


def test_the_team_rewrites_a_playbook_and_can_go_back_to_the_suggestion(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    url = reverse("customers:playbook", args=[canvas.pk, "at_risk"])
    response = client.post(url, {"at_risk-kind": "up_sell", "at_risk-playbook": "Llamarles uno a uno."})
    assert response.status_code == 303
    assert CustomerData.objects.get(canvas=canvas).playbooks == {"at_risk": {"kind": "up_sell", "playbook": "Llamarles uno a uno."}}
    page = client.get(reverse("customers:campaigns", args=[canvas.pk])).content.decode()
    assert "Llamarles uno a uno." in page
    client.post(url, {"at_risk-kind": "win_back", "at_risk-playbook": ""})
    assert CustomerData.objects.get(canvas=canvas).playbooks == {}


def test_a_new_import_keeps_the_teams_playbooks(canvas, editor):
    data = make_customer_data(canvas)
    data.playbooks = {"lost": {"kind": "win_back", "playbook": "Una última oferta."}}
    data.save()
    assert make_customer_data(canvas).playbooks == data.playbooks


def test_planning_a_campaign_and_exporting_its_customers(client, canvas, editor):
    data = make_customer_data(canvas)
    group = max(sorted(data.summary["groups"]), key=lambda key: data.summary["groups"][key]["customers"])
    client.force_login(editor)
    response = client.post(
        reverse("customers:campaigns", args=[canvas.pk]),
        {"name": "Vuelve en primavera", "group": group, "kind": "win_back", "goal": "20 % compra otra vez",
         "starts_on": "2024-04-01", "ends_on": "2024-04-30", "notes": ""},
    )  # fmt: skip
    assert response.status_code == 303
    campaign = PlannedCampaign.objects.get(canvas=canvas)
    response = client.get(reverse("customers:campaign_export", args=[canvas.pk, campaign.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == data.summary["groups"][group]["customers"]
    assert {row["group"] for row in rows} == {group}
    assert "vuelve-en-primavera" in response["Content-Disposition"]


def test_a_campaign_ending_before_it_starts_is_refused_next_to_the_field(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    response = client.post(
        reverse("customers:campaigns", args=[canvas.pk]),
        {"name": "Al revés", "group": "loyal", "kind": "retention", "starts_on": "2024-05-01", "ends_on": "2024-04-01"},
    )
    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()
    assert not PlannedCampaign.objects.exists()


def test_editing_and_deleting_a_campaign(client, canvas, editor):
    campaign = PlannedCampaign.objects.create(canvas=canvas, group="loyal", name="Club", kind="retention")
    client.force_login(editor)
    url = reverse("customers:campaign_edit", args=[canvas.pk, campaign.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Club de socios", "group": "loyal", "kind": "retention"})
    campaign.refresh_from_db()
    assert campaign.name == "Club de socios"
    client.post(reverse("customers:campaign_delete", args=[canvas.pk, campaign.pk]))
    assert not PlannedCampaign.objects.exists()
