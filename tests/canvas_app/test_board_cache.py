"""The board's notes are rendered once per change and shared: nothing of one reader reaches
another (CSRF token, role, language), and every change shows at once."""

from __future__ import annotations

import re

from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection

from canvas_app.models import Block
from tests.conftest import make_notes

VP = Block.VALUE_PROPOSITIONS.value


def board(client: Client, canvas, **params) -> str:
    response = client.get(f"/canvases/{canvas.pk}/", params)
    assert response.status_code == 200
    return response.content.decode()


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_each_reader_gets_their_own_csrf_token_and_it_works(canvas, owner, editor):
    canvas.add_note(block=VP, text="Café")
    mine, theirs = logged_in(owner), logged_in(editor)
    first, second = board(mine, canvas), board(theirs, canvas)
    assert tokens(first) and tokens(second) and not tokens(first) & tokens(second)
    add_form = re.search(rf'<form id="add-{VP}".*?</form>', second, re.S).group(0)
    assert len(tokens(add_form)) == 1 and tokens(add_form) <= tokens(second)
    assert not tokens(add_form) & tokens(first)
    # The editor's token from the shared markup is accepted for the editor's post.
    token = sorted(tokens(second))[0]
    response = theirs.post(f"/canvases/{canvas.pk}/blocks/{VP}/notes/", {"text": "Té", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert canvas.notes.filter(text="Té").exists()


def test_a_viewer_never_gets_the_editors_board(canvas, editor, viewer):
    note = canvas.add_note(block=VP, text="Café")
    editing = board(logged_in(editor), canvas)
    reading = board(logged_in(viewer), canvas)
    assert f'id="add-{VP}"' in editing and "note__menu-toggle" in editing
    assert f'id="add-{VP}"' not in reading and "note__menu-toggle" not in reading
    assert f'id="note-{note.pk}"' in reading


def test_each_language_gets_its_own_board(canvas, owner):
    client = logged_in(owner)
    english = board(client, canvas)
    client.cookies["lienzo_language"] = "es"
    spanish = board(client, canvas)
    assert "Value Propositions" in english and "Propuestas de valor" in spanish
    assert "Propuestas de valor" not in english


def test_a_change_shows_at_once(canvas, owner, editor):
    client = logged_in(owner)
    board(client, canvas)
    canvas.add_note(block=VP, text="Recién añadida", by=editor)
    canvas.refresh_from_db()
    assert "Recién añadida" in board(client, canvas)


def test_the_highlight_is_part_of_what_is_shared(canvas, owner):
    client = logged_in(owner)
    segment_note = canvas.add_note(block=Block.CUSTOMER_SEGMENTS, text="Oficinas")
    plain = board(client, canvas)
    key = f"segment-{segment_note.segment.pk}"
    highlighted = board(client, canvas, filter=key)
    assert "note--highlighted" in highlighted and "note--highlighted" not in plain


def test_a_second_view_does_not_render_the_notes_again(canvas, owner):
    make_notes(canvas, 90)
    canvas.add_note(block=VP, text="Una más")  # a recorded change after the bulk insert
    client = logged_in(owner)
    with CaptureQueriesContext(connection) as first:
        board(client, canvas)
    with CaptureQueriesContext(connection) as second:
        html = board(client, canvas)
    assert html.count('class="note ') >= 91
    notes_queries = [q for q in second.captured_queries if 'FROM "canvas_app_note"' in q["sql"]]
    assert not notes_queries, "the cached board still read the notes"
    assert len(second) < len(first)
