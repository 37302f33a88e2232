"""A group of customers becomes a canvas segment in one action: a Customer Segments note
named after it, value-based, sized by its customers, worth its last 12 months of revenue,
and linked to the data, whose next import updates its figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from canvas_app.models import Block, Change
from customers.models import CustomerData, PromotedGroup
from segments.models import Basis, Segment
from tests.customers.factories import PURCHASES, make_customer_data

pytestmark = pytest.mark.django_db


def _promote(client, canvas, *groups):
    return client.post(reverse("customers:promote", args=[canvas.pk]), {"groups": list(groups)})


def test_promoting_groups_makes_value_based_segments_named_in_the_canvas_language(client, canvas, editor):
    data = make_customer_data(canvas)
    groups = data.summary["groups"]
    chosen = sorted(groups, key=lambda group: -groups[group]["customers"])[:2]
    client.force_login(editor)
    revision = canvas.revision
    response = _promote(client, canvas, *chosen)
    assert response.status_code == 303
    segments = list(Segment.objects.filter(note__canvas=canvas).select_related("note", "data_group"))
    assert len(segments) == 2
    spanish = {"champions": "Campeones", "loyal": "Leales", "potential_loyalists": "Leales potenciales", "new": "Clientes nuevos",
               "promising": "Prometedores", "need_attention": "Necesitan atención", "about_to_sleep": "A punto de dormirse",
               "at_risk": "En riesgo", "cant_lose": "No podemos perderlos", "hibernating": "Hibernando", "lost": "Perdidos"}  # fmt: skip
    for segment in segments:
        group = segment.data_group.group
        assert segment.note.block == Block.CUSTOMER_SEGMENTS
        assert segment.note.text == spanish[group]  # the canvas is in Spanish, whoever promotes
        assert segment.basis == Basis.VALUE
        assert segment.estimated_size == groups[group]["customers"]
        assert segment.revenue_potential == Decimal(str(round(groups[group]["revenue_12m"], 2)))
    canvas.refresh_from_db()
    assert canvas.revision > revision
    assert Change.objects.filter(canvas=canvas, by=editor).exists()
    # Promoting a group again adds nothing.
    _promote(client, canvas, *chosen)
    assert Segment.objects.filter(note__canvas=canvas).count() == 2


def test_no_group_chosen_is_a_message_and_no_change(client, canvas, editor):
    make_customer_data(canvas)
    client.force_login(editor)
    response = client.post(reverse("customers:promote", args=[canvas.pk]), {"groups": ["nonsense"]}, follow=True)
    assert "Elige al menos un grupo" in response.content.decode() or "Choose at least one group" in response.content.decode()
    assert not Segment.objects.filter(note__canvas=canvas).exists()


def test_a_new_import_updates_the_figures_and_keeps_the_previous_ones_beside_them(client, canvas, editor, viewer):
    data = make_customer_data(canvas)
    group = max(sorted(data.summary["groups"]), key=lambda key: data.summary["groups"][key]["customers"])
    before = data.summary["groups"][group]["customers"]
    client.force_login(editor)
    _promote(client, canvas, group)
    promoted = PromotedGroup.objects.get(canvas=canvas)
    assert promoted.previous is None
    # The same customers again under other ids: every group doubles.
    copies = [line.replace(line.split(",")[0], "9" + line.split(",")[0], 1) for line in PURCHASES.splitlines()[1:] if line.split(",")[0]]
    more = PURCHASES + "\n".join(copies) + "\n"
    make_customer_data(canvas, more)
    promoted.refresh_from_db()
    assert promoted.previous["customers"] == before
    new = CustomerData.objects.get(canvas=canvas).summary["groups"][group]
    assert promoted.figures == new != promoted.previous
    client.force_login(viewer)
    page = client.get(reverse("segments:detail", args=[canvas.pk, promoted.segment_id])).content.decode()
    assert 'id="segment-data-title"' in page
    assert f"<td>{before}</td>" in page  # the figure before the import, beside the new one
    assert f"<td>{promoted.figures['customers']}</td>" in page


def test_deleting_the_data_keeps_the_segment_and_says_so(client, canvas, editor, django_capture_on_commit_callbacks):
    data = make_customer_data(canvas)
    group = next(iter(data.summary["groups"]))
    client.force_login(editor)
    _promote(client, canvas, group)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("customers:delete", args=[canvas.pk]))
    promoted = PromotedGroup.objects.get(canvas=canvas)
    assert promoted.figures == {}
    page = client.get(reverse("segments:detail", args=[canvas.pk, promoted.segment_id])).content.decode()
    assert "segment-data-title" in page
