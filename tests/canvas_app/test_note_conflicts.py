"""Concurrent edits of one note: an edit based on a stale version is never applied silently."""

from __future__ import annotations

from django.urls import reverse

from canvas_app.models import Note
from tests.markup import HTMX, element


def edit_url(note) -> str:
    return reverse("canvas_app:note_edit", args=[note.canvas_id, note.pk])


def test_every_edit_raises_the_version(client, editor, note):
    client.force_login(editor)
    client.post(edit_url(note), {"text": "Café tostado", "colour": "blue", "version": note.version})
    note.refresh_from_db()
    assert (note.text, note.version) == ("Café tostado", 2)


def test_the_edit_form_carries_the_version_it_is_based_on(client, editor, note):
    client.force_login(editor)
    Note.objects.filter(pk=note.pk).update(version=7)
    form = client.get(edit_url(note), **HTMX).content
    assert b'name="version" value="7"' in form


def test_a_stale_edit_shows_both_texts_and_changes_nothing(client, editor, owner, note):
    stale = note.version
    client.force_login(owner)
    client.post(edit_url(note), {"text": "Texto de Olga", "colour": "green", "version": stale})
    client.force_login(editor)
    response = client.post(edit_url(note), {"text": "Texto de Eduardo", "colour": "pink", "version": stale}, **HTMX)

    note.refresh_from_db()
    assert (note.text, note.colour, note.version) == ("Texto de Olga", "green", stale + 1)
    conflict = element(response.content, f"edit-{note.pk}-conflict")
    assert "Texto de Olga" in conflict.text
    textarea = element(response.content, f"edit-{note.pk}-text")
    assert textarea.text == "Texto de Eduardo"
    assert f'name="version" value="{stale + 1}"'.encode() in response.content


def test_saving_again_after_a_conflict_keeps_the_users_text(client, editor, owner, note):
    stale = note.version
    client.force_login(owner)
    client.post(edit_url(note), {"text": "Texto de Olga", "colour": "green", "version": stale})
    client.force_login(editor)
    client.post(edit_url(note), {"text": "Texto de Eduardo", "colour": "pink", "version": stale}, **HTMX)
    client.post(edit_url(note), {"text": "Texto de Eduardo", "colour": "pink", "version": stale + 1}, **HTMX)
    note.refresh_from_db()
    assert (note.text, note.colour, note.version) == ("Texto de Eduardo", "pink", stale + 2)


def test_without_htmx_a_conflict_is_a_409_page_with_both_texts(client, editor, owner, note):
    stale = note.version
    note.edit(text="Cambiado por otro", colour="grey")
    client.force_login(editor)
    response = client.post(edit_url(note), {"text": "Mi versión", "colour": "pink", "version": stale})
    assert response.status_code == 409
    assert b"Cambiado por otro" in response.content and b"Mi versi\xc3\xb3n" in response.content
    note.refresh_from_db()
    assert note.text == "Cambiado por otro"
