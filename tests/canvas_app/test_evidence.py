"""Evidence on notes: a status from idea to validated (badge, filter, PDF, the validated
share), and a test card and a learning card per note."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.history import undo
from canvas_app.models import Block, Evidence, Note
from canvas_app.pdf import PAGE_SIZES, canvas_html
from tests.canvas_app.test_canvas_pdf import pdf_of, pdftotext
from tests.markup import element

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(canvas, editor):
    validated = canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco cada semana", by=editor)
    validated.edit(by=editor, status=Evidence.VALIDATED)
    testing = canvas.add_note(block=Block.CHANNELS, text="Mercado de los sábados", by=editor)
    testing.edit(by=editor, status=Evidence.TESTING)
    idea = canvas.add_note(block=Block.CHANNELS, text="Tienda en línea", by=editor)
    return validated, testing, idea


def test_the_edit_form_sets_the_status_and_the_board_shows_its_badge(client, canvas, editor, notes):
    _validated, _testing, idea = notes
    client.force_login(editor)
    url = reverse("canvas_app:note_edit", args=[canvas.pk, idea.pk])
    edited = client.post(url, {"text": idea.text, "status": Evidence.HYPOTHESIS}, HTTP_HX_REQUEST="true")
    # The note drawn again keeps its place in the filter, under its new status.
    assert "status-hypothesis" in element(edited.content, f"note-{idea.pk}").attrs["data-filters"].split()
    idea.refresh_from_db()
    assert idea.status == Evidence.HYPOTHESIS
    board = client.get(reverse("canvas_app:board", args=[canvas.pk]), HTTP_ACCEPT_LANGUAGE="en")
    [badge] = [p for p in element(board.content, f"note-{idea.pk}").find_all("p") if "note__status" in p.attrs["class"]]
    assert "note__status--hypothesis" in badge.attrs["class"] and " ".join(badge.text.split()) == "Evidence: Hypothesis"


def test_a_post_without_a_status_keeps_it(client, canvas, editor, notes):
    validated = notes[0]
    client.force_login(editor)
    client.post(reverse("canvas_app:note_edit", args=[canvas.pk, validated.pk]), {"text": "Café fresco, cada lunes"})
    validated.refresh_from_db()
    assert (validated.text, validated.status) == ("Café fresco, cada lunes", Evidence.VALIDATED)


def test_the_board_filter_highlights_the_notes_of_a_status(client, canvas, editor, notes):
    validated, testing, idea = notes
    client.force_login(editor)
    board = client.get(reverse("canvas_app:board", args=[canvas.pk]), {"filter": "status-testing"})
    options = [option.attrs["value"] for option in element(board.content, "board-filter").find_all("option")]
    assert [value for value in options if value.startswith("status-")] == [f"status-{v}" for v in Evidence.values]
    classes = {note.pk: element(board.content, f"note-{note.pk}").attrs["class"] for note in notes}
    assert "note--highlighted" in classes[testing.pk]
    assert "note--dimmed" in classes[validated.pk] and "note--dimmed" in classes[idea.pk]


def test_the_board_says_how_much_of_the_canvas_is_validated(client, canvas, editor, notes):
    client.force_login(editor)
    english = client.get(reverse("canvas_app:board", args=[canvas.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Validated: 1 of 3 notes (33%)" in english.text
    spanish = client.get(reverse("canvas_app:board", args=[canvas.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Validadas: 1 de 3 notas (33\u00a0%)" in spanish.text


def test_the_pdf_prints_each_status_and_the_validated_share(client, canvas, viewer, notes, tmp_path):
    client.force_login(viewer)
    text = pdftotext(pdf_of(client, canvas), tmp_path)  # the canvas is Spanish
    assert "Validada" in text and "En prueba" in text
    assert "Validadas: 1 de 3 notas (33 %)" in " ".join(text.split())
    html = canvas_html(canvas, page=PAGE_SIZES["a3"], exported_at=canvas.created_at)
    assert html.count("note__status--") == 2  # an idea gets no badge


def test_an_editor_fills_in_the_test_and_learning_cards(client, canvas, editor, viewer, notes):
    testing = notes[1]
    url = reverse("canvas_app:note_evidence", args=[canvas.pk, testing.pk])
    client.force_login(editor)
    response = client.post(url, {
        "status": Evidence.INVALIDATED,
        "test_believe": "Los sábados vendemos más", "test_verify": "Un puesto cuatro sábados",
        "test_measure": "Ventas por hora", "test_right_if": "Más de 30 € por hora",
        "learning_observed": "12 € por hora", "learning_learned": "El mercado no es nuestro canal",
        "learning_therefore": "Probaremos oficinas",
    })  # fmt: skip
    assert response.status_code == 302
    testing.refresh_from_db()
    assert (testing.status, testing.test_right_if, testing.learning_therefore) == (
        Evidence.INVALIDATED, "Más de 30 € por hora", "Probaremos oficinas"
    )
    undo(canvas, editor)  # the cards and status come back as they were, in one step
    testing.refresh_from_db()
    assert (testing.status, testing.test_right_if) == (Evidence.TESTING, "")
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None


def test_an_over_long_card_is_refused_next_to_its_field_and_nothing_changes(client, canvas, editor, notes):
    testing = notes[1]
    client.force_login(editor)
    url = reverse("canvas_app:note_evidence", args=[canvas.pk, testing.pk])
    response = client.post(url, {"status": Evidence.VALIDATED, "test_believe": "x" * 501})
    assert response.status_code == 400
    assert response.context["form"].errors["test_believe"]
    assert 'aria-invalid="true"' in response.text
    testing.refresh_from_db()
    assert (testing.status, testing.test_believe) == (Evidence.TESTING, "")
    assert client.post(url, {"status": "proven"}).status_code == 400
    assert Note.objects.get(pk=testing.pk).status == Evidence.TESTING
