"""Versions: named and daily snapshots, comparing two (a hand-made case), restoring one as a
change that undo takes back, and copying one into a new canvas."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from canvas_app.compare import compare
from canvas_app.history import redo, undo
from canvas_app.models import Block, Canvas, Colour, Evidence, Note, Snapshot
from canvas_app.snapshots import copy, restore, take
from segments.models import Segment
from tests.conftest import positions

pytestmark = pytest.mark.django_db


def _note(pk: int, ref: str, block: str, position: int, text: str, colour: str = "yellow", status: str = "idea") -> tuple:
    return pk, {"ref": ref, "block": block, "position": position, "text": text, "colour": colour, "status": status}


def _version(*notes, segments=(), criteria=(), scores=()) -> tuple[dict, dict]:
    document = {
        "notes": [note for _pk, note in notes],
        "segments": list(segments),
        "criteria": list(criteria),
        "scores": list(scores),
    }
    return document, {note["ref"]: pk for pk, note in notes}


def test_a_hand_made_comparison():
    old = _version(
        _note(1, "n1", "channels", 1, "Mercado de los sábados"),
        _note(2, "n2", "channels", 2, "Tienda en línea"),
        _note(3, "n3", "channels", 3, "Boca a boca"),
        _note(4, "n4", "key_partners", 1, "Tostadora local"),
        _note(5, "n5", "customer_segments", 1, "Oficinas"),
        segments=[{"note": "n5", "estimated_size": 100, "description": "Pequeñas", "personas": []}],
        criteria=[{"ref": "c1", "name": "Tamaño"}],
        scores=[{"segment": "n5", "criterion": "c1", "reviewer": "olga", "value": 3}],
    )
    new = _version(
        # 1 deleted: 2 and 3 keep their order, so neither moved; 3 is recoloured.
        _note(2, "n1", "channels", 1, "Tienda en línea propia"),
        _note(3, "n2", "channels", 2, "Boca a boca", colour="green"),
        _note(4, "n3", "key_resources", 1, "Tostadora local", status="validated"),
        _note(6, "n4", "channels", 3, "Ferias"),
        _note(5, "n5", "customer_segments", 1, "Oficinas"),
        segments=[{"note": "n5", "estimated_size": 250, "description": "Pequeñas", "personas": [{"name": "Lucía"}]}],
        criteria=[{"ref": "c1", "name": "Tamaño"}],
        scores=[{"segment": "n5", "criterion": "c1", "reviewer": "olga", "value": 5}],
    )
    result = compare(*old, *new)
    assert [c.note["text"] for c in result.added] == ["Ferias"]
    assert [c.note["text"] for c in result.removed] == ["Mercado de los sábados"]
    assert {pk: change.kinds for pk, change in result.notes.items() if pk not in (1, 6)} == {
        2: ["edited"], 3: ["recoloured"], 4: ["moved", "evidence"],
    }  # fmt: skip
    assert result.notes[2].text == [("same", "Tienda en línea"), ("added", " propia")]
    assert result.segments == [("Oficinas", "estimated_size", 100, 250)]  # personas: a list, not a field
    assert result.scores == [("Oficinas", "Tamaño", "olga", 3, 5)]
    assert compare(*old, *old).nothing


def test_a_reorder_within_a_block_is_a_move():
    old = _version(_note(1, "n1", "channels", 1, "A"), _note(2, "n2", "channels", 2, "B"))
    new = _version(_note(2, "n1", "channels", 1, "B"), _note(1, "n2", "channels", 2, "A"))
    assert {pk: c.kinds for pk, c in compare(*old, *new).notes.items()} == {1: ["moved"], 2: ["moved"]}


def test_restoring_a_version_is_one_change_that_undo_takes_back(canvas, editor, owner):
    web = canvas.add_note(block=Block.CHANNELS, text="Web", by=editor)
    segment_note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Oficinas", by=editor)
    Segment.objects.filter(note=segment_note).update(estimated_size=120)
    version = take(canvas, by=editor, name="Antes de la reunión")
    web.edit(by=editor, text="Web y app", status=Evidence.TESTING)
    canvas.add_note(block=Block.KEY_PARTNERS, text="Tostadora local", by=editor)
    Segment.objects.filter(note=segment_note).update(estimated_size=999)

    restore(canvas, version, by=owner)
    assert positions(canvas, Block.CHANNELS) == [(1, "Web")]
    assert positions(canvas, Block.KEY_PARTNERS) == []
    assert Segment.objects.get(note__canvas=canvas).estimated_size == 120
    before = Snapshot.objects.filter(canvas=canvas).order_by("-pk").first()
    assert before.automatic and "Antes de la reunión" in before.name

    undo(canvas, owner)  # the owner's last change: the restore
    assert positions(canvas, Block.CHANNELS) == [(1, "Web y app")]
    assert Note.objects.get(canvas=canvas, text="Web y app").status == Evidence.TESTING
    assert positions(canvas, Block.KEY_PARTNERS) == [(1, "Tostadora local")]
    assert Segment.objects.get(note__canvas=canvas).estimated_size == 999
    redo(canvas, owner)
    assert positions(canvas, Block.CHANNELS) == [(1, "Web")]


def test_the_first_change_of_a_day_keeps_the_day_before_in_a_daily_version(canvas, editor, note):
    Canvas.objects.filter(pk=canvas.pk).update(daily_snapshot_on=timezone.localdate() - timedelta(days=1))
    note.edit(by=editor, text="Café de origen")
    [daily] = Snapshot.objects.filter(canvas=canvas, automatic=True)
    assert [n["text"] for n in daily.document["notes"]] == ["Café fresco"]  # as the day left it
    assert daily.note_ids == {"n1": note.pk}
    note.edit(by=editor, text="Café de origen, tostado")
    assert Snapshot.objects.filter(canvas=canvas, automatic=True).count() == 1  # one a day


def test_a_version_copied_into_a_new_canvas(canvas, editor, note):
    version = take(canvas, by=editor, name="Primera")
    note.edit(by=editor, text="Otra cosa")
    copied = copy(version, owner=editor)
    assert copied.pk != canvas.pk and "Primera" in copied.title
    assert [n.text for n in copied.notes.all()] == ["Café fresco"]
    assert copied.role_of(editor) == "owner"


def test_the_pages_name_list_open_and_compare_versions(client, canvas, editor, viewer, note):
    client.force_login(editor)
    url = reverse("canvas_app:versions", args=[canvas.pk])
    assert client.post(url, {"name": ""}).status_code == 400  # a name is needed
    assert not Snapshot.objects.filter(canvas=canvas).exists()
    client.post(url, {"name": "Antes de la reunión con inversores"})
    version = Snapshot.objects.get(canvas=canvas)
    note.edit(by=editor, text="Café fresco de origen", colour=Colour.BLUE)
    client.force_login(viewer)
    page = client.get(reverse("canvas_app:versions_compare", args=[canvas.pk]), {"a": version.pk, "b": "now"})
    assert page.status_code == 200
    assert "Café fresco<ins> de origen</ins>" in page.text
    assert page.context["comparison"].notes[note.pk].kinds == ["edited", "recoloured"]
    opened = client.get(reverse("canvas_app:version", args=[canvas.pk, version.pk]))
    assert "Café fresco" in opened.text and "Restore this version" not in opened.text  # a viewer only reads
    assert client.get(reverse("canvas_app:versions_compare", args=[canvas.pk]), {"a": "x"}).status_code == 404
