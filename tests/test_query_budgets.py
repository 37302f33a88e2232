"""Every page costs the same number of queries however much the canvas holds: each GET of the
URL access table, asked at two sizes of the same canvas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvas_app.models import Block
from segments.models import Criterion, Segment
from tests.canvas_app.test_url_access import TABLE, World, world  # noqa: F401 - the fixture
from tests.conftest import make_export, make_invitation, make_share_link
from tests.segments.factories import add_members, make_persona, make_profile_item, make_segment, make_value_item, score

# The identity each page is read as: the owner sees the most.
READER = {"admin": "superuser", "canvas_app:share_export_file": "anonymous"}


def _gets():
    for key, entry in TABLE.items():
        for check in entry.checks:
            if check.method == "get":
                identity = READER.get(key, "owner")
                if check.expect.get(identity, check.expect.get("owner")).status < 400 or key == "admin":
                    yield pytest.param(key, identity, id=key)


def grow(w: World, *, notes: int, members: int, segments: int, each: int) -> None:
    """More of everything a page could list: notes, segments with personas, fit and scores,
    members, invitations, share links, exports and the record of changes."""
    canvas = w.canvas
    for index in range(notes):
        canvas.add_note(block=list(Block)[index % len(Block)], text=f"Nota {index}")
    new_members = add_members(canvas, members, prefix=f"miembro{canvas.revision}-")
    for index in range(segments):
        make_segment(canvas, f"Segmento {canvas.revision}-{index}")
    criteria = list(Criterion.objects.filter(canvas=canvas))
    for segment in Segment.objects.of_canvas(canvas):
        segment.linked_notes.add(w.note, *canvas.notes.filter(block=Block.CHANNELS)[:each])
        for index in range(each):
            make_persona(segment, f"Persona {index}")
        pains = [make_profile_item(segment, "pain", f"Dolor {index}") for index in range(each)]
        make_profile_item(segment, "job", "Tarea")
        make_value_item(segment, "reliever", "Alivio", addresses=pains)
        make_value_item(segment, "product", "Producto", notes=[w.note])
        for reviewer in [w.owner, w.editor, *new_members]:
            for criterion in criteria:
                score(segment, criterion, reviewer, 3)
    for index in range(each):
        make_invitation(canvas, w.owner, email=f"persona{canvas.revision}-{index}@example.com")
        link = make_share_link(canvas, w.owner)
        make_export(canvas, share_link=link)
        w.note.edit(text=f"Versión {index}", by=w.editor)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code < 500
    return len(captured)


@pytest.mark.parametrize(("key", "identity"), list(_gets()))
def test_every_page_costs_the_same_at_two_sizes(client, world, key, identity):  # noqa: F811 - the fixture
    user = world.user(identity) if identity != "superuser" else world.superuser
    if user is not None:
        client.force_login(user)
    entry = TABLE[key]
    urls = entry.urls(world, key) if entry.urls else [reverse(key, kwargs=entry.kwargs(world))]
    # One of everything first: a page may skip a query for what is empty.
    grow(world, notes=9, members=1, segments=1, each=1)
    for url in urls:
        client.get(url)  # what a first visit does once (sessions, caches) is not counted
    small = [queries_for(client, url) for url in urls]
    grow(world, notes=45, members=4, segments=4, each=3)
    for url in urls:
        client.get(url)  # the same again after the change (the board cache renders it once)
    large = [queries_for(client, url) for url in urls]
    assert large == small, f"{key}: {small} queries with a small canvas, {large} with a large one"


def test_every_get_of_the_table_is_measured():
    measured = {param.values[0] for param in _gets()}
    gets = {key for key, entry in TABLE.items() if any(c.method == "get" for c in entry.checks)}
    # Pages that only refuse or redirect anyone (logout's GET) cost nothing worth a budget.
    assert gets - measured <= {"logout"}
