"""Creating, renaming, duplicating and deleting canvases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.models import Block, Canvas, Colour, Membership, Note, Role
from tests.conftest import db_state, make_notes
from tests.markup import element, field_error

CREATE = reverse("canvas_app:canvas_create")
TITLE_REQUIRED = "Give the canvas a title."
TITLE_TOO_LONG = "A title holds at most 120 characters."


def url(name: str, canvas) -> str:
    return reverse(f"canvas_app:{name}", args=[canvas.pk])


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("login") + "?next="
    )


# Create -----------------------------------------------------------------------------------


class TestCreate:
    def test_it_accepts_only_get_and_post(self, client, owner):
        client.force_login(owner)
        assert client.put(CREATE).status_code == 405

    def test_it_requires_login(self, client, db):
        assert login_redirect(client.post(CREATE, {"title": "Lienzo", "language": "en"}))
        assert not Canvas.objects.exists()

    def test_get_shows_the_form_in_the_current_language(self, client, outsider):
        client.force_login(outsider)
        response = client.get(CREATE, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200
        selected = [
            o
            for o in element(response.content, "id_language").find_all("option")
            if "selected" in o.attrs
        ]
        assert [o.attrs["value"] for o in selected] == ["es"]

    def test_a_post_creates_a_canvas_owned_by_its_creator(self, client, outsider):
        client.force_login(outsider)
        response = client.post(
            CREATE,
            {"title": "  Panadería Sol ", "description": "Pan de masa madre", "language": "es"},
        )
        canvas = Canvas.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("board", canvas)
        assert (canvas.title, canvas.description, canvas.language) == (
            "Panadería Sol",
            "Pan de masa madre",
            "es",
        )
        assert canvas.created_by == outsider
        assert list(canvas.memberships.values_list("user", "role")) == [(outsider.pk, Role.OWNER)]

    @pytest.mark.parametrize(
        ("title", "message"),
        [("", TITLE_REQUIRED), ("   ", TITLE_REQUIRED), ("t" * 121, TITLE_TOO_LONG)],
        ids=["blank", "whitespace-only", "121-characters"],
    )
    def test_a_bad_title_is_shown_next_to_the_field(self, client, owner, title, message):
        client.force_login(owner)
        before = db_state()
        response = client.post(CREATE, {"title": title, "language": "en"})
        assert response.status_code == 400
        assert field_error(response.content, "id_title") == message
        assert db_state() == before

    def test_a_title_of_120_characters_is_accepted(self, client, owner):
        client.force_login(owner)
        assert client.post(CREATE, {"title": "t" * 120, "language": "en"}).status_code == 302
        assert Canvas.objects.get().title == "t" * 120


# Rename -----------------------------------------------------------------------------------


class TestEdit:
    def test_it_accepts_only_get_and_post(self, client, editor, canvas):
        client.force_login(editor)
        assert client.put(url("canvas_edit", canvas)).status_code == 405

    def test_it_requires_login(self, client, canvas):
        before = db_state()
        assert login_redirect(
            client.post(url("canvas_edit", canvas), {"title": "Otro", "language": "es"})
        )
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        before = db_state()
        assert (
            client.post(url("canvas_edit", canvas), {"title": "Otro", "language": "es"}).status_code
            == 404
        )
        assert db_state() == before

    def test_it_requires_edit_role(self, client, viewer, canvas):
        client.force_login(viewer)
        before = db_state()
        assert client.get(url("canvas_edit", canvas)).status_code == 403
        assert (
            client.post(url("canvas_edit", canvas), {"title": "Otro", "language": "es"}).status_code
            == 403
        )
        assert db_state() == before

    def test_get_shows_the_current_values(self, client, editor, canvas):
        client.force_login(editor)
        response = client.get(url("canvas_edit", canvas))
        assert response.status_code == 200
        assert element(response.content, "id_title").attrs["value"] == "Tostadores Aurora"

    def test_an_editor_renames_the_canvas(self, client, editor, canvas):
        client.force_login(editor)
        before = canvas.updated_at
        response = client.post(
            url("canvas_edit", canvas),
            {"title": "Tostadores Boreal", "description": "Café", "language": "en"},
        )
        assert response.status_code == 302
        assert response["Location"] == url("board", canvas)
        canvas.refresh_from_db()
        assert (canvas.title, canvas.description, canvas.language) == (
            "Tostadores Boreal",
            "Café",
            "en",
        )
        assert canvas.updated_at > before
        assert "Canvas saved." in element(client.get(response["Location"]).content, "messages").text

    @pytest.mark.parametrize(
        ("title", "message"),
        [("", TITLE_REQUIRED), ("t" * 121, TITLE_TOO_LONG)],
        ids=["blank", "121-characters"],
    )
    def test_a_bad_title_is_shown_next_to_the_field(self, client, owner, canvas, title, message):
        client.force_login(owner)
        before = db_state()
        response = client.post(url("canvas_edit", canvas), {"title": title, "language": "es"})
        assert response.status_code == 400
        assert field_error(response.content, "id_title") == message
        assert db_state() == before


# Duplicate --------------------------------------------------------------------------------


class TestDuplicate:
    def test_it_requires_post(self, client, editor, canvas):
        client.force_login(editor)
        before = db_state()
        assert client.get(url("canvas_duplicate", canvas)).status_code == 405
        assert db_state() == before

    def test_it_requires_login(self, client, canvas):
        before = db_state()
        assert login_redirect(client.post(url("canvas_duplicate", canvas)))
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        before = db_state()
        assert client.post(url("canvas_duplicate", canvas)).status_code == 404
        assert db_state() == before

    def test_it_requires_edit_role(self, client, viewer, canvas):
        client.force_login(viewer)
        before = db_state()
        assert client.post(url("canvas_duplicate", canvas)).status_code == 403
        assert db_state() == before

    def test_it_copies_every_live_note_into_a_canvas_owned_by_the_duplicator(
        self, client, editor, canvas, deleted_note
    ):
        make_notes(canvas, 20, block=Block.CHANNELS)
        canvas.add_note(block=Block.REVENUE_STREAMS, text="Suscripción", colour=Colour.PINK)
        client.force_login(editor)
        response = client.post(url("canvas_duplicate", canvas))
        copy = Canvas.objects.exclude(pk=canvas.pk).get()
        assert response.status_code == 302
        assert response["Location"] == url("board", copy)
        assert copy.title == "Copy of Tostadores Aurora"
        assert (copy.description, copy.language, copy.created_by) == (
            canvas.description,
            canvas.language,
            editor,
        )
        assert list(copy.memberships.values_list("user", "role")) == [(editor.pk, Role.OWNER)]

        def board(c):
            return list(
                c.notes.order_by("block", "position").values_list(
                    "block", "position", "colour", "text"
                )
            )

        assert board(copy) == board(canvas)
        assert len(board(copy)) == 23
        assert not Note.all_objects.filter(canvas=copy, text=deleted_note.text).exists()
        assert not Note.all_objects.filter(canvas=copy, deleted_at__isnull=False).exists()

    def test_the_original_is_left_as_it_was(self, client, owner, canvas, note):
        before = db_state()
        client.force_login(owner)
        client.post(url("canvas_duplicate", canvas))
        after = db_state()
        assert {k: [row for row in rows if row in before[k]] for k, rows in after.items()} == before

    def test_a_long_title_is_cut_to_fit(self, client, owner, canvas):
        Canvas.objects.filter(pk=canvas.pk).update(title="t" * 120)
        client.force_login(owner)
        client.post(url("canvas_duplicate", canvas))
        assert Canvas.objects.exclude(pk=canvas.pk).get().title == ("Copy of " + "t" * 120)[:120]


# Delete -----------------------------------------------------------------------------------


class TestDelete:
    def test_it_accepts_only_get_and_post(self, client, owner, canvas):
        client.force_login(owner)
        assert client.put(url("canvas_delete", canvas)).status_code == 405
        assert Canvas.objects.filter(pk=canvas.pk).exists()

    def test_it_requires_login(self, client, canvas):
        assert login_redirect(client.post(url("canvas_delete", canvas)))
        assert Canvas.objects.filter(pk=canvas.pk).exists()

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.post(url("canvas_delete", canvas)).status_code == 404
        assert Canvas.objects.filter(pk=canvas.pk).exists()

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_an_owner_may_delete(self, client, canvas, note, member, request):
        client.force_login(request.getfixturevalue(member))
        before = db_state()
        assert client.get(url("canvas_delete", canvas)).status_code == 403
        assert client.post(url("canvas_delete", canvas)).status_code == 403
        assert db_state() == before

    def test_get_asks_for_confirmation(self, client, owner, canvas, note):
        canvas.add_note(block=Block.CHANNELS, text="Tienda")
        client.force_login(owner)
        before = db_state()
        response = client.get(url("canvas_delete", canvas))
        assert response.status_code == 200
        assert (
            "Delete “Tostadores Aurora” and its 2 notes for everyone?" in response.content.decode()
        )
        assert db_state() == before

    def test_post_deletes_the_canvas_its_notes_and_memberships(
        self, client, owner, canvas, note, deleted_note
    ):
        client.force_login(owner)
        response = client.post(url("canvas_delete", canvas))
        assert response.status_code == 302
        assert response["Location"] == reverse("canvas_app:dashboard")
        assert not Canvas.objects.filter(pk=canvas.pk).exists()
        assert not Note.all_objects.filter(canvas_id=canvas.pk).exists()
        assert not Membership.objects.filter(canvas_id=canvas.pk).exists()
        page = client.get(response["Location"]).content
        assert element(page, "messages").text == "Canvas “Tostadores Aurora” deleted."
