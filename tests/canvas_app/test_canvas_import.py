"""A canvas from a file: the JSON export imported and exported again is the same document;
Markdown with English or Spanish headings, any case; a bad file creates nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from canvas_app.models import Canvas
from canvas_app.serializer import canvas_document
from tests.conftest import db_state
from tests.canvas_app.test_canvas_document import full  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_json_exported_imported_and_exported_again_is_the_same(full, canvas, client, editor):  # noqa: F811
    exported = canvas_document(canvas)
    client.force_login(editor)
    upload = SimpleUploadedFile("lienzo.json", json.dumps(exported).encode())
    response = client.post(reverse("canvas_app:canvas_import"), {"file": upload})
    assert response.status_code == 302
    copy = Canvas.objects.exclude(pk=canvas.pk).get()
    assert response["Location"] == reverse("canvas_app:board", args=[copy.pk])
    assert copy.memberships.get().user == editor
    assert canvas_document(copy) == exported


MARKDOWN = """# Bicis del barrio

## PROPUESTAS DE VALOR
- Reparación en el día
- Piezas de segunda mano
  - una nota anidada no es otra nota

## Segmentos de clientes
- Estudiantes

## Cosas varias
- Esto no es un bloque

## key partners
- Ayuntamiento
"""


def test_markdown_with_spanish_headings_in_any_case_and_unknown_headings_reported(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("canvas_app:canvas_import"), {"file": SimpleUploadedFile("lienzo.md", MARKDOWN.encode())}, follow=True
    )
    canvas = Canvas.objects.get()
    assert canvas.title == "Bicis del barrio"
    notes = {(note.block, note.text) for note in canvas.notes.all()}
    assert notes == {
        ("value_propositions", "Reparación en el día"), ("value_propositions", "Piezas de segunda mano"),
        ("customer_segments", "Estudiantes"), ("key_partners", "Ayuntamiento"),
    }  # fmt: skip
    assert canvas.notes.get(text="Estudiantes").segment  # a segment, as for any note placed there
    assert "Cosas varias" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.json", b'{"format": "other"}', "This is not a Lienzo canvas file."),
        ("x.json", b"{not json", "The file is not valid JSON"),
        ("x.md", b"just some words", "nothing to import"),
        ("x.json", b'{"format": "lienzo-canvas", "version": 1, "canvas": {"title": "T"}, "notes": [{"ref": "n1", "block": "nope", "text": "x"}]}', "no block"),
        ("x.md", "# Título\n".encode("latin-1") + b"\xe9\xff", "UTF-8"),
    ],
)
def test_a_bad_file_gets_a_message_next_to_the_field_and_creates_nothing(client, editor, name, content, message):
    client.force_login(editor)
    before = db_state()
    response = client.post(reverse("canvas_app:canvas_import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert db_state() == before


def test_the_command_prints_the_new_id_last(full, canvas, tmp_path, owner):  # noqa: F811
    path = tmp_path / "c.json"
    path.write_text(json.dumps(canvas_document(canvas)), encoding="utf-8")
    out = io.StringIO()
    call_command("import_canvas", str(path), "--owner", owner.username, stdout=out)
    new_id = int(out.getvalue().split()[-1])
    assert canvas_document(Canvas.objects.get(pk=new_id)) == canvas_document(canvas)


def test_a_segment_the_file_gets_wrong_creates_nothing(full, canvas, client, editor):  # noqa: F811
    document = canvas_document(canvas)
    document["segments"][0]["estimated_size"] = -5  # refused by the segment's own validation
    client.force_login(editor)
    before = Canvas.objects.count()
    response = client.post(reverse("canvas_app:canvas_import"), {"file": SimpleUploadedFile("c.json", json.dumps(document).encode())})
    assert response.status_code == 400 and "cannot be read" in response.content.decode()
    assert Canvas.objects.count() == before
