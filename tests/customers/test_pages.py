"""Customer data as a team uses it: upload, check the columns, decide on bad lines, see the
groups, choose again, download customers, delete; and what viewers and bad files get."""

from __future__ import annotations

import csv
import io
import os

import pytest
from django.urls import reverse

from customers.models import CustomerData, Job
from tests.conftest import db_state
from tests.customers.factories import PURCHASES, make_customer_data, make_job, upload
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def _overview(canvas) -> str:
    return reverse("customers:overview", args=[canvas.pk])


def test_an_editor_imports_purchases_through_the_preview(client, canvas, editor):
    client.force_login(editor)
    response = client.post(reverse("customers:upload", args=[canvas.pk]), {"file": upload()})
    assert response.status_code == 303
    job = Job.objects.get(canvas=canvas)
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    # The preview shows the file's first lines and proposes the columns.
    assert "Bruno" in text and "bruno@example.com" in text
    layout = job.get_layout()
    assert layout.mapping == {"customer": "customer", "date": "date", "amount": "amount", "name": "name", "email": "email"}
    form = {"separator": ",", "header": "on", "date_format": "%Y-%m-%d", "attributes": ["city"], **layout.mapping}
    response = client.post(reverse("customers:job", args=[canvas.pk, job.pk]), form)
    assert response.status_code == 303
    run_tasks()
    job.refresh_from_db()
    # Two bad lines: the import waits for a decision and lists them with their line numbers.
    assert job.status == Job.Status.CHECKED
    assert (job.valid_rows, job.bad_rows) == (21, 2)
    assert [line for line, _reason, _raw in job.first_bad] == [23, 24]
    page = client.get(reverse("customers:job", args=[canvas.pk, job.pk])).content.decode()
    assert "Import the 21 valid lines" in page or "Importar las 21 líneas válidas" in page
    assert not CustomerData.objects.filter(canvas=canvas).exists()
    client.post(reverse("customers:job_confirm", args=[canvas.pk, job.pk]))
    run_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    data = CustomerData.objects.get(canvas=canvas)
    assert data.summary["customers"] == 12
    assert data.attributes == ["city"]
    page = client.get(_overview(canvas)).content.decode()
    assert 'class="heat-map"' in page and "rfm-group--champions" in page


def test_the_mapping_is_remembered_for_the_next_upload(client, canvas, editor):
    client.force_login(editor)
    first = make_job(canvas, editor)
    form = {"separator": ",", "header": "on", "date_format": "%Y-%m-%d", "customer": "email", "date": "date", "amount": "amount"}
    client.post(reverse("customers:job", args=[canvas.pk, first.pk]), form)
    run_tasks()
    client.post(reverse("customers:job_confirm", args=[canvas.pk, first.pk]))
    run_tasks()
    second = make_job(canvas, editor)
    assert second.get_layout().mapping == {"customer": "email", "date": "date", "amount": "amount"}


def test_a_column_cannot_play_two_roles(client, canvas, editor):
    client.force_login(editor)
    job = make_job(canvas, editor)
    form = {"separator": ",", "header": "on", "date_format": "%Y-%m-%d", "customer": "amount", "date": "date", "amount": "amount"}
    response = client.post(reverse("customers:job", args=[canvas.pk, job.pk]), form)
    assert response.status_code == 400
    assert 'class="field field--invalid"' in response.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.UPLOADED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ventas.pdf", b"%PDF-1.7", "Upload a CSV, TSV, TXT or .xlsx file."),
        ("ventas.csv", b"", "The submitted file is empty."),
        ("ventas.csv", b"\x00\x01\x02\x03" * 400, "This is not a text file"),
        ("ventas.xlsx", b"not a workbook", "This Excel file could not be opened"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(client, canvas, editor, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    client.get(_overview(canvas))
    before = db_state()
    response = client.post(reverse("customers:upload", args=[canvas.pk]), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert db_state() == before


def test_a_failed_import_leaves_the_previous_data_intact(client, canvas, editor):
    data = make_customer_data(canvas)
    client.force_login(editor)
    job = make_job(canvas, editor, text="customer,date,amount\na,never,10\nb,later,12\n")
    form = {"separator": ",", "header": "on", "date_format": "%Y-%m-%d", "customer": "customer", "date": "date", "amount": "amount"}
    client.post(reverse("customers:job", args=[canvas.pk, job.pk]), form)
    run_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "no_rows"
    page = client.get(reverse("customers:job", args=[canvas.pk, job.pk])).content.decode()
    assert "No line of the file" in page or "Ninguna línea" in page
    fresh = CustomerData.objects.get(canvas=canvas)
    assert (fresh.pk, fresh.summary, fresh.customers.name) == (data.pk, data.summary, data.customers.name)
    assert os.path.exists(fresh.customers.path) and os.path.exists(fresh.purchases.path)


def test_a_new_import_replaces_the_old_one_and_its_files(canvas, editor, django_capture_on_commit_callbacks):
    old = make_customer_data(canvas)
    with django_capture_on_commit_callbacks(execute=True):
        new = make_customer_data(canvas, PURCHASES.replace("001,", "101,"))
    assert new.pk != old.pk
    assert not os.path.exists(old.customers.path) and not os.path.exists(old.purchases.path)
    assert "101" in open(new.customers.path, "rb").read().decode("latin-1")


def test_choosing_again_recomputes_in_the_worker(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    response = client.post(
        reverse("customers:choices", args=[canvas.pk]),
        {"as_of": "2024-02-29", "binning": "equal_bins", "churn_window": "30", "horizon_days": "180"},
    )
    assert response.status_code == 303
    run_tasks()
    data = CustomerData.objects.get(canvas=canvas)
    assert data.summary["as_of"] == "2024-02-29"
    assert data.summary["binning"] == "equal_bins"
    assert data.summary["churn_window"] == 30
    # Customers whose first purchase is after the as-of date (003, 007, 012) are not customers yet.
    assert data.summary["customers"] == 9


def test_bad_choices_are_refused_next_to_the_field(client, canvas, editor):
    data = make_customer_data(canvas)
    client.force_login(editor)
    response = client.post(
        reverse("customers:choices", args=[canvas.pk]),
        {"as_of": "not a date", "binning": "quintiles", "churn_window": "0", "horizon_days": "90"},
    )
    assert response.status_code == 400
    assert response.content.decode().count("field--invalid") == 2
    assert CustomerData.objects.get(pk=data.pk).summary == data.summary


def test_the_grid_refuses_a_cell_without_a_group_and_saves_a_full_one(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    from customers.rfm import default_grid

    cells = {f"cell_{r}{f}": group for (r, f), group in default_grid().items()}
    response = client.post(reverse("customers:grid", args=[canvas.pk]), {**cells, "cell_33": ""})
    assert response.status_code == 400
    assert 'id="err_cell_33"' in response.content.decode()
    cells["cell_33"] = "loyal"
    response = client.post(reverse("customers:grid", args=[canvas.pk]), cells)
    assert response.status_code == 303
    run_tasks()
    data = CustomerData.objects.get(canvas=canvas)
    assert data.grid["33"] == "loyal"
    assert "need_attention" not in data.summary["groups"]


def test_editors_download_customers_as_csv(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    response = client.get(reverse("customers:export", args=[canvas.pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 12
    assert {"customer_id", "name", "email", "recency_days", "frequency", "monetary", "r", "f", "m", "group", "churned"} <= set(rows[0])
    assert rows[0]["customer_id"] == "001" and rows[0]["email"] == "ana@example.com"
    assert rows[0]["churned"] in ("true", "false")
    one_group = rows[0]["group"]
    response = client.get(reverse("customers:export", args=[canvas.pk]) + f"?group={one_group}")
    grouped = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert grouped and {row["group"] for row in grouped} == {one_group}


def test_viewers_see_figures_but_no_customer_rows(client, canvas, viewer):
    make_customer_data(canvas)
    client.force_login(viewer)
    page = client.get(_overview(canvas)).content.decode()
    assert "rfm-group--champions" in page
    assert "ana@example.com" not in page and "customers.csv" not in page
    assert client.get(reverse("customers:export", args=[canvas.pk])).status_code == 403


def test_deleting_the_data_deletes_rows_and_files(client, canvas, editor, django_capture_on_commit_callbacks):
    data = make_customer_data(canvas)
    pending = make_job(canvas, editor)
    files = [data.customers.path, data.purchases.path, pending.upload.path]
    assert all(os.path.exists(path) for path in files)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("customers:delete", args=[canvas.pk]))
    assert response.status_code == 303
    assert not CustomerData.objects.filter(canvas=canvas).exists()
    assert not Job.objects.filter(canvas=canvas).exists()
    assert not any(os.path.exists(path) for path in files)


def test_the_progress_region_polls_while_the_worker_reads(client, canvas, editor):
    client.force_login(editor)
    job = make_job(canvas, editor)
    job.report(status=Job.Status.READING, stage="read", percent=42.0)
    response = client.get(reverse("customers:job", args=[canvas.pk, job.pk]), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert 'hx-trigger="every 1s"' in text and 'value="42"' in text
    assert "<html" not in text


def test_a_file_past_the_cap_gets_a_page_that_says_so_and_changes_nothing(client, canvas, editor, settings):
    settings.FILE_UPLOAD_MAX_BODY = 4096
    client.force_login(editor)
    before = db_state()
    response = client.post(reverse("customers:upload", args=[canvas.pk]), {"file": upload(PURCHASES * 20)})
    assert response.status_code == 413
    text = response.content.decode()
    assert "File too large" in text or "Archivo demasiado grande" in text
    assert "4.0" in text  # the cap, as a size
    assert db_state() == before


def test_the_upload_field_knows_the_cap(client, canvas, editor, settings):
    settings.FILE_UPLOAD_MAX_BODY = 4096
    client.force_login(editor)
    page = client.get(_overview(canvas)).content.decode()
    assert 'data-max-bytes="4096"' in page and "customers.js" in page


def test_an_excel_workbook_is_read_like_a_csv(client, canvas, editor):
    from datetime import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Cliente", "Fecha", "Importe"])
    sheet.append(["0007", datetime(2024, 1, 31), 1234.5])
    sheet.append(["0007", datetime(2024, 3, 1), -34.5])
    sheet.append(["12", datetime(2024, 2, 15), 12])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(editor)
    response = client.post(
        reverse("customers:upload", args=[canvas.pk]), {"file": SimpleUploadedFile("ventas.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 303
    job = Job.objects.get(canvas=canvas)
    layout = job.get_layout()
    assert layout.mapping == {"customer": "Cliente", "date": "Fecha", "amount": "Importe"}
    assert layout.rows[0] == ["0007", "2024-01-31", "1234.5"]
    form = {"separator": layout.separator, "header": "on", "date_format": layout.date_format, **layout.mapping}
    client.post(reverse("customers:job", args=[canvas.pk, job.pk]), form)
    run_tasks()
    data = CustomerData.objects.get(canvas=canvas)
    assert data.summary["customers"] == 2 and data.summary["revenue"] == pytest.approx(1212.0)
