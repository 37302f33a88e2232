"""A canvas written out as a document (export): JSON with all its content, Markdown with
`#`/`##` headings in the canvas' language, CSV with a row per note; the page and the command
`export_canvas ID [--format json|markdown|csv]`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from canvas_app.models import Block, Comment
from canvas_app.serializer import canvas_document
from segments.models import Criterion
from tests.segments.factories import make_persona, make_profile_item, make_relationship_item, make_segment, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(canvas, owner, editor):
    value = canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco")
    value.edit(status="testing", test_believe="Las oficinas pagarían por café fresco", learning_observed="8 de 10 repiten")
    channel = canvas.add_note(block=Block.CHANNELS, text="Mercado")
    thread = Comment(canvas=canvas, note=value, author=editor, text="¿Lo probamos con oficinas? @olga")
    thread.add(by=editor)
    Comment(canvas=canvas, note=value, parent=thread, author=owner, text="Sí, la semana que viene").add(by=owner)
    thread.resolve(by=owner)
    segment = make_segment(canvas, "Oficinas pequeñas", description="De 10 a 50 personas", estimated_size=1200)
    segment.linked_notes.add(value)
    make_persona(segment, "Lucía Pérez", age=34)
    make_profile_item(segment, "pain", "El café se acaba", 3)
    make_relationship_item(segment, "touchpoints", "Cata", stage="awareness", channel=channel)
    criterion = Criterion.objects.filter(canvas=canvas).first()
    score(segment, criterion, editor, 4)
    return segment


def test_json_holds_notes_segments_personas_fit_plans_criteria_and_scores_but_no_ids(full, canvas):
    document = canvas_document(canvas)
    assert document["canvas"]["title"] == "Tostadores Aurora" and document["canvas"]["language"] == "es"
    refs = {note["text"]: note["ref"] for note in document["notes"]}
    [segment] = document["segments"]
    assert segment["note"] == refs["Oficinas pequeñas"]
    assert (segment["description"], segment["estimated_size"]) == ("De 10 a 50 personas", 1200)
    assert segment["linked_notes"] == [refs["Café fresco"]]
    [value] = [note for note in document["notes"] if note["text"] == "Café fresco"]
    assert document["comments"] == [{
        "note": value["ref"], "author": "eduardo", "text": "¿Lo probamos con oficinas? @olga", "resolved": True,
        "replies": [{"author": "olga", "text": "Sí, la semana que viene"}],
    }]  # fmt: skip
    assert (value["status"], value["test_believe"], value["learning_observed"]) == (
        "testing", "Las oficinas pagarían por café fresco", "8 de 10 repiten"
    )
    assert segment["personas"][0]["name"] == "Lucía Pérez" and segment["personas"][0]["age"] == 34
    assert segment["profile"][0]["text"] == "El café se acaba" and segment["profile"][0]["importance"] == 3
    assert segment["relationship"][0] == {"topic": "touchpoints", "stage": "awareness", "text": "Cata", "channel": refs["Mercado"]}
    assert document["criteria"] and document["scores"][0]["value"] == 4 and document["scores"][0]["reviewer"] == "eduardo"
    text = json.dumps(document)
    assert '"id"' not in text and "members" not in text and "share" not in text


def test_markdown_has_the_blocks_in_the_canvas_language_and_the_segment_nested(full, canvas):
    out = io.StringIO()
    call_command("export_canvas", str(canvas.pk), "--format", "markdown", stdout=out)
    text = out.getvalue()
    assert text.startswith("# Tostadores Aurora\n")
    assert "## Propuestas de valor\n- Café fresco\n" in text
    assert "## Segmentos de clientes\n- Oficinas pequeñas\n  - Descripción: De 10 a 50 personas\n" in text
    assert "  - Lucía Pérez" in text


def test_csv_is_one_row_per_note(full, canvas, client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("canvas_app:canvas_document", args=[canvas.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == canvas.notes.count() == 3
    assert {row["block"] for row in rows} == {"value_propositions", "channels", "customer_segments"}
    assert response["Content-Disposition"].startswith('attachment; filename="tostadores-aurora.csv"')


def test_the_json_command_writes_what_the_page_gives(full, canvas, client, viewer):
    out = io.StringIO()
    call_command("export_canvas", str(canvas.pk), stdout=out)
    client.force_login(viewer)
    page = client.get(reverse("canvas_app:canvas_document", args=[canvas.pk, "json"]))
    assert json.loads(out.getvalue()) == json.loads(page.content) == canvas_document(canvas)


def test_an_unknown_format_is_a_404(canvas, client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("canvas_app:canvas_document", args=[canvas.pk, "xml"])).status_code == 404
