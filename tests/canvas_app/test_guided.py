"""A guided canvas: its empty blocks show their question and two short examples, in the
reader's language, until a note arrives. A blank canvas shows the question only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from canvas_app.models import Block, Canvas, Membership, Role
from tests.conftest import db_state
from tests.markup import HTMX, find_all, parse

CREATE = reverse("canvas_app:canvas_create")


def board(client, canvas: Canvas):
    return client.get(reverse("canvas_app:board", args=[canvas.pk]))


def examples_by_block(response) -> dict[str, list[str]]:
    """The examples each block shows, by block id."""
    page = parse(response.content)
    shown = {}
    for block in Block:
        lists = page.by_id[f"block-{block.value}"].find_all("ul", **{"class": "block__examples"})
        shown[block.value] = [li.text for ul in lists for li in ul.find_all("li")]
    return shown


def test_creating_a_guided_canvas(client, owner):
    client.force_login(owner)
    response = client.post(CREATE, {"title": "Panadería Lucía", "language": "es", "guided": "True"})
    canvas = Canvas.objects.get(title="Panadería Lucía")
    assert response["Location"] == reverse("canvas_app:board", args=[canvas.pk])
    assert canvas.guided


@pytest.mark.parametrize("data", [{"guided": "False"}, {}])
def test_a_canvas_is_blank_unless_asked_to_guide(client, owner, data):
    client.force_login(owner)
    client.post(CREATE, {"title": "Panadería Lucía", "language": "es", **data})
    assert not Canvas.objects.get(title="Panadería Lucía").guided


def test_an_odd_choice_is_refused_next_to_the_field(client, owner):
    client.force_login(owner)
    before = db_state()
    response = client.post(CREATE, {"title": "Panadería Lucía", "language": "es", "guided": "maybe"})
    assert response.status_code == 400
    assert "Choose a blank or a guided canvas." in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_empty_block_of_a_guided_canvas_shows_two_examples_in_my_language(client, owner, language):
    canvas = Canvas.create_for(owner, title="Guiado", language="en", guided=True)
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    shown = examples_by_block(board(client, canvas))
    with translation.override(language):
        written = translation.gettext("e.g. %(example)s")
        expected = {block.value: [written % {"example": example} for example in block.examples] for block in Block}
    assert shown == expected
    assert all(len(texts) == 2 for texts in shown.values())
    if language == "es":
        assert shown[Block.CHANNELS] == [
            "Ej.: Tienda en línea y aplicación móvil",
            "Ej.: Un equipo comercial que visita restaurantes",
        ]


def test_a_block_with_a_note_shows_no_examples(client, owner):
    canvas = Canvas.create_for(owner, title="Guiado", language="en", guided=True)
    canvas.add_note(block=Block.CHANNELS, text="Our own shop")
    client.force_login(owner)
    shown = examples_by_block(board(client, canvas))
    assert shown[Block.CHANNELS] == []
    assert all(len(shown[block.value]) == 2 for block in Block if block != Block.CHANNELS)


def test_a_blank_canvas_shows_questions_but_no_examples(client, owner):
    canvas = Canvas.create_for(owner, title="En blanco", language="en")
    client.force_login(owner)
    response = board(client, canvas)
    assert all(texts == [] for texts in examples_by_block(response).values())
    questions = find_all(response.content, "p", **{"class": "block__question"})
    assert [q.text for q in questions] == [str(block.question) for block in Block]


def test_readers_who_cannot_write_see_no_examples(client, owner, viewer):
    canvas = Canvas.create_for(owner, title="Guiado", language="en", guided=True)
    Membership.objects.create(canvas=canvas, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert all(texts == [] for texts in examples_by_block(board(client, canvas)).values())


def test_the_live_board_keeps_the_examples(client, owner):
    canvas = Canvas.create_for(owner, title="Guiado", language="en", guided=True)
    client.force_login(owner)
    response = client.get(reverse("canvas_app:board_changes", args=[canvas.pk]), {"version": "stale"}, **HTMX)
    assert sum(len(texts) for texts in examples_by_block(response).values()) == 18


def test_the_owner_can_turn_the_guidance_off_and_on(client, owner):
    canvas = Canvas.create_for(owner, title="Guiado", language="en", guided=True)
    client.force_login(owner)
    edit = reverse("canvas_app:canvas_edit", args=[canvas.pk])
    client.post(edit, {"title": "Guiado", "language": "en", "currency": "USD", "guided": "False"})
    canvas.refresh_from_db()
    assert not canvas.guided
    client.post(edit, {"title": "Guiado", "language": "en", "currency": "USD", "guided": "True"})
    canvas.refresh_from_db()
    assert canvas.guided
    # A post that leaves the choice out leaves it as it was.
    client.post(edit, {"title": "Guiado de nuevo", "language": "en"})
    canvas.refresh_from_db()
    assert (canvas.title, canvas.guided) == ("Guiado de nuevo", True)
