"""The demo canvases come with a purchase history, the same every time, that shows groups,
churn and forecasts at once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from canvas_app.demo import load_demo
from customers.demo import STORES, purchases
from customers.models import CustomerData
from customers.rfm import GROUP_IDS

pytestmark = pytest.mark.django_db


def test_the_generated_history_is_the_same_every_time():
    store = STORES["Tostadores Aurora"]
    assert purchases(store, customers=50) == purchases(store, customers=50)
    lines = purchases(store, customers=200)
    assert any(float(line[4]) < 0 for line in lines), "some purchases are returned"


def test_make_run_gives_each_demo_canvas_groups_churn_and_forecasts():
    load_demo()
    call_command("load_demo_customers")
    data = list(CustomerData.objects.select_related("canvas"))
    assert len(data) == len(STORES)
    for item in data:
        summary = item.summary
        assert set(summary["groups"]) == set(GROUP_IDS), "every group has customers"
        assert 0 < summary["churn_rate"] < 1
        assert summary["model"] is not None and summary["model"]["bgnbd"]["r"] > 0
        assert item.attributes == ["city", "channel"]
    call_command("load_demo_customers")  # a second run changes nothing
    assert CustomerData.objects.count() == len(STORES)
