"""The customer data report PDF, asked for on the page and made by the worker: figures only,
in the canvas' language, read back with pdftotext as a reader would."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from canvas_app.models import Export
from customers.models import PlannedCampaign
from tests.customers.factories import make_customer_data
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_a_viewer_takes_the_report_with_the_groups_and_the_campaigns_but_no_customer(client, canvas, viewer, tmp_path):
    data = make_customer_data(canvas)
    PlannedCampaign.objects.create(canvas=canvas, group="lost", name="Vuelve en primavera", kind="win_back")
    client.force_login(viewer)
    response = client.post(reverse("customers:report", args=[canvas.pk]), {"size": "a4"})
    assert response.status_code == 303
    run_tasks()
    export = Export.objects.get(canvas=canvas, kind=Export.Kind.CUSTOMER_REPORT)
    assert export.status == Export.Status.READY
    text = _text(bytes(export.content), tmp_path)
    # The canvas is in Spanish: so is its report, whoever asks.
    assert "INFORME DE DATOS DE CLIENTES" in text.upper()
    assert "Recencia por frecuencia" in text
    for group in data.summary["groups"]:
        from customers.rfm import BY_ID
        from django.utils import translation

        with translation.override("es"):
            name = str(BY_ID[group].name)
        assert name.split()[0] in text
    assert "Vuelve en primavera" in text
    assert "ana@example.com" not in text and "Ana" not in text.split()


def test_a_new_computation_makes_a_new_report(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    client.post(reverse("customers:report", args=[canvas.pk]), {"size": "a4"})
    client.post(reverse("customers:report", args=[canvas.pk]), {"size": "a4"})
    assert Export.objects.filter(kind=Export.Kind.CUSTOMER_REPORT).count() == 1  # the same state: one file
    make_customer_data(canvas)
    client.post(reverse("customers:report", args=[canvas.pk]), {"size": "a4"})
    assert Export.objects.filter(kind=Export.Kind.CUSTOMER_REPORT).count() == 2


def test_without_data_there_is_no_report(client, canvas, editor):
    client.force_login(editor)
    assert client.get(reverse("customers:report", args=[canvas.pk])).status_code == 404
