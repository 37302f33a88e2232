"""Per-customer summaries, for data too large to upload: a line per customer (id, last
purchase, number of orders, total spend, optionally first purchase) joins the same path after
the aggregation step."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from django.urls import reverse

from customers import analysis, reading, staging
from customers.models import CustomerData, Job
from tests.customers.factories import upload
from tests.tasks import run_tasks

SUMMARIES = """customer_id,last_purchase,orders,total_spend,first_purchase
0001,2024-03-30,6,310.50,2023-06-01
0002,2024-01-10,2,45.00,2023-12-01
0003,2024-03-01,1,20.00,2024-03-01
0004,2023-11-15,9,820.00,2022-11-15
0005,2024-03-31,3,99.90,2024-01-31
0006,2024-02-14,4,130.00,2023-08-14
0007,2024-03-20,cero,15.00,2024-03-20
"""


def _analyse(tmp_path, text, options=None):
    path = tmp_path / "clientes.csv"
    path.write_text(text, encoding="utf-8")
    layout = reading.guess_layout(path.read_bytes(), source=reading.SUMMARIES)
    staged_path = str(tmp_path / "staged.parquet")
    with staging.connect() as con:
        staged = staging.stage(con, str(path), layout, staged_path, attributes=[], progress=lambda p: None)
        result = analysis.analyse(
            con, staged_path, str(tmp_path / "c.parquet"), options or analysis.Options(source=reading.SUMMARIES), lambda p: None
        )
        rows = {row[0]: row for row in con.execute("SELECT customer_id, recency_days, frequency, monetary FROM customer").fetchall()}
    return layout, staged, result, rows


def test_summaries_are_read_and_scored_like_aggregated_purchases(tmp_path):
    layout, staged, result, rows = _analyse(tmp_path, SUMMARIES)
    assert layout.mapping == {
        "customer": "customer_id", "date": "last_purchase", "orders": "orders", "amount": "total_spend",
        "first_date": "first_purchase",
    }  # fmt: skip
    assert (staged.valid, staged.by_reason) == (6, {"bad_orders": 1})
    assert result["as_of"] == "2024-03-31"  # the latest last purchase
    assert rows["0001"] == ("0001", 1, 6, 310.5)
    assert rows["0004"] == ("0004", 137, 9, 820.0)
    freq = [rows[key][2] for key in sorted(rows)]
    assert result["cut_points"]["frequency"] == pytest.approx(list(np.percentile(freq, [20, 40, 60, 80])))
    # The churn window from each customer's average gap between orders.
    gaps = [(date(2024, 3, 30) - date(2023, 6, 1)).days / 5, (date(2024, 1, 10) - date(2023, 12, 1)).days / 1,
            (date(2023, 11, 15) - date(2022, 11, 15)).days / 8, (date(2024, 3, 31) - date(2024, 1, 31)).days / 2,
            (date(2024, 2, 14) - date(2023, 8, 14)).days / 3]  # fmt: skip
    assert result["default_churn_window"] == pytest.approx(np.percentile(gaps, 80))
    # Last 12 months' revenue is not known from a summary.
    assert all(group["revenue_12m"] is None for group in result["groups"].values())


def test_without_first_purchase_dates_there_is_no_forecast_but_there_are_groups(tmp_path):
    text = "\n".join(",".join(line.split(",")[:4]) for line in SUMMARIES.splitlines()) + "\n"
    _layout, _staged, result, rows = _analyse(tmp_path, text)
    assert result["model"] is None
    assert sum(group["customers"] for group in result["groups"].values()) == len(rows) == 6


@pytest.mark.django_db
def test_a_summaries_file_through_the_pages(client, canvas, editor):
    client.force_login(editor)
    response = client.post(reverse("customers:upload", args=[canvas.pk]), {"file": upload(SUMMARIES), "source": "summaries"})
    job = Job.objects.get(canvas=canvas)
    page = client.get(response["Location"]).content.decode()
    assert "Last purchase date" in page or "Fecha de la última compra" in page
    layout = job.get_layout()
    form = {"separator": ",", "header": "on", "date_format": "%Y-%m-%d", **layout.mapping}
    client.post(reverse("customers:job", args=[canvas.pk, job.pk]), form)
    run_tasks()
    client.post(reverse("customers:job_confirm", args=[canvas.pk, job.pk]))
    run_tasks()
    data = CustomerData.objects.get(canvas=canvas)
    assert data.source == "summaries" and data.summary["customers"] == 6
