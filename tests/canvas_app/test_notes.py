"""Adding, showing, editing, deleting and restoring notes, as plain posts and with htmx."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from canvas_app.models import Block, Colour, Note
from tests.conftest import db_state, make_canvas, positions
from tests.markup import (
    HTMX,
    described_error,
    element,
    field_error,
    find_all,
    has_element,
    is_partial,
)

VP, KP = Block.VALUE_PROPOSITIONS, Block.KEY_PARTNERS

EMPTY = "Write something: a note cannot be empty."
TOO_LONG = "A note holds at most 500 characters; this one has 501."
BAD_COLOUR = "Select a valid choice. chartreuse is not one of the available choices."

BAD_TEXT = [
    pytest.param("", EMPTY, id="blank"),
    pytest.param("  \n\t ", EMPTY, id="whitespace-only"),
    pytest.param("x" * 501, TOO_LONG, id="501-characters"),
]


def board_url(canvas) -> str:
    return reverse("canvas_app:board", args=[canvas.pk])


def add_url(canvas, block: str = VP) -> str:
    return reverse("canvas_app:note_add", args=[canvas.pk, block])


def note_url(name: str, note) -> str:
    return reverse(f"canvas_app:{name}", args=[note.canvas_id, note.pk])


# Adding -----------------------------------------------------------------------------------


class TestAdd:
    def test_it_requires_post(self, client, editor, canvas):
        client.force_login(editor)
        assert client.get(add_url(canvas)).status_code == 405

    def test_it_requires_login(self, client, canvas):
        response = client.post(add_url(canvas), {"text": "Hola"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not canvas.notes.exists()

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        assert client.post(add_url(canvas), {"text": "Hola"}).status_code == 404
        assert not canvas.notes.exists()

    def test_it_requires_edit_role(self, client, viewer, canvas):
        client.force_login(viewer)
        assert client.post(add_url(canvas), {"text": "Hola"}).status_code == 403
        assert not canvas.notes.exists()

    def test_a_plain_post_adds_the_note_at_the_end_and_redirects_to_it(
        self, client, editor, canvas, note
    ):
        client.force_login(editor)
        response = client.post(
            add_url(canvas), {"text": "  Tueste propio  ", "colour": Colour.GREEN}
        )
        added = canvas.notes.get(text="Tueste propio")
        assert response.status_code == 302
        assert response["Location"] == f"{board_url(canvas)}#note-{added.pk}"
        assert (added.block, added.colour) == (VP, Colour.GREEN)
        assert positions(canvas, VP) == [(1, "Café fresco"), (2, "Tueste propio")]

    def test_an_htmx_post_returns_only_the_new_note(self, client, editor, canvas):
        client.force_login(editor)
        response = client.post(add_url(canvas), {"text": "Tueste propio"}, **HTMX)
        added = canvas.notes.get()
        assert response.status_code == 200
        assert is_partial(response.content)
        assert element(response.content, f"note-{added.pk}").text.startswith("Tueste propio")
        assert "HX-Retarget" not in response.headers

    @pytest.mark.parametrize("block", list(Block))
    def test_a_note_without_a_colour_takes_its_blocks_colour(self, client, editor, canvas, block):
        client.force_login(editor)
        client.post(add_url(canvas, block.value), {"text": "Cooperativa"})
        assert canvas.notes.get().colour == block.default_colour

    def test_a_chosen_colour_wins_over_the_blocks(self, client, editor, canvas):
        client.force_login(editor)
        client.post(add_url(canvas, KP), {"text": "Cooperativa", "colour": Colour.GREY})
        assert Block.KEY_PARTNERS.default_colour != Colour.GREY
        assert canvas.notes.get().colour == Colour.GREY

    def test_neighbouring_blocks_have_different_colours(self):
        neighbours = [
            ("key_partners", "key_activities"), ("key_partners", "key_resources"), ("key_activities", "key_resources"),
            ("key_activities", "value_propositions"), ("key_resources", "value_propositions"),
            ("value_propositions", "customer_relationships"), ("value_propositions", "channels"),
            ("customer_relationships", "channels"), ("customer_relationships", "customer_segments"),
            ("channels", "customer_segments"), ("cost_structure", "revenue_streams"),
            ("key_partners", "cost_structure"), ("key_resources", "cost_structure"), ("value_propositions", "cost_structure"),
            ("value_propositions", "revenue_streams"), ("channels", "revenue_streams"), ("customer_segments", "revenue_streams"),
        ]  # fmt: skip
        for one, other in neighbours:
            assert Block(one).default_colour != Block(other).default_colour, (one, other)

    def test_it_accepts_exactly_500_characters(self, client, editor, canvas):
        client.force_login(editor)
        response = client.post(add_url(canvas), {"text": "x" * 500})
        assert response.status_code == 302
        assert canvas.notes.get().text == "x" * 500

    @pytest.mark.parametrize(("text", "message"), BAD_TEXT)
    def test_bad_text_is_shown_next_to_the_field_and_saves_nothing(
        self, client, editor, canvas, note, text, message
    ):
        client.force_login(editor)
        before = db_state()
        response = client.post(add_url(canvas), {"text": text})
        assert response.status_code == 400
        assert field_error(response.content, f"add-{VP}-text") == message
        assert "<html" in response.content.decode()  # the whole board, with the error in its block
        assert db_state() == before

    @pytest.mark.parametrize(("text", "message"), BAD_TEXT)
    def test_bad_text_over_htmx_retargets_the_add_form(self, client, editor, canvas, text, message):
        client.force_login(editor)
        before = db_state()
        response = client.post(add_url(canvas), {"text": text}, **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert response["HX-Retarget"] == f"#add-{VP}"
        assert response["HX-Reswap"] == "outerHTML"
        assert is_partial(response.content)
        assert has_element(response.content, f"add-{VP}")
        assert field_error(response.content, f"add-{VP}-text") == message
        assert db_state() == before

    def test_the_rejected_text_stays_in_the_form(self, client, editor, canvas):
        client.force_login(editor)
        response = client.post(add_url(canvas), {"text": "y" * 501}, **HTMX)
        assert element(response.content, f"add-{VP}-text").text == "y" * 501

    def test_an_unknown_colour_is_refused_with_a_message(self, client, editor, canvas):
        client.force_login(editor)
        before = db_state()
        response = client.post(add_url(canvas), {"text": "Hola", "colour": "chartreuse"})
        assert response.status_code == 400
        assert BAD_COLOUR in element(response.content, f"add-{VP}").text
        response = client.post(add_url(canvas), {"text": "Hola", "colour": "chartreuse"}, **HTMX)
        assert response["HX-Retarget"] == f"#add-{VP}"
        assert BAD_COLOUR in element(response.content, f"add-{VP}").text
        assert db_state() == before

    def test_an_unknown_block_is_a_404(self, client, editor, canvas):
        client.force_login(editor)
        before = db_state()
        assert (
            client.post(
                f"/canvases/{canvas.pk}/blocks/key_players/notes/", {"text": "Hola"}
            ).status_code
            == 404
        )
        assert db_state() == before

    def test_the_text_is_shown_as_text(self, client, editor, canvas):
        client.force_login(editor)
        response = client.post(
            add_url(canvas), {"text": '<script>alert("hola")</script>\nsegunda línea'}, **HTMX
        )
        html = response.content.decode()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;hola&quot;)&lt;/script&gt;<br>segunda línea" in html

    def test_it_bumps_the_canvas_change_time(self, client, editor, canvas):
        client.force_login(editor)
        before = canvas.updated_at
        client.post(add_url(canvas), {"text": "Hola"})
        canvas.refresh_from_db()
        assert canvas.updated_at > before


# Showing one note (the Cancel of an inline edit) ---------------------------------------------


class TestDetail:
    def test_it_requires_get(self, client, viewer, note):
        client.force_login(viewer)
        assert client.post(note_url("note_detail", note)).status_code == 405

    def test_it_requires_login(self, client, note):
        assert client.get(note_url("note_detail", note))["Location"].startswith(reverse("login"))

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, note):
        client.force_login(outsider)
        assert client.get(note_url("note_detail", note)).status_code == 404

    def test_without_htmx_it_redirects_to_the_note_on_the_board(self, client, viewer, canvas, note):
        client.force_login(viewer)
        response = client.get(note_url("note_detail", note))
        assert response.status_code == 302
        assert response["Location"] == f"{board_url(canvas)}#note-{note.pk}"

    def test_with_htmx_it_returns_the_note(self, client, editor, note):
        client.force_login(editor)
        response = client.get(note_url("note_detail", note), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        menus = element(response.content, f"note-{note.pk}").find_all("form")
        assert [form.attrs["hx-get"] for form in menus] == [note_url("note_actions", note)]

    def test_a_viewer_gets_the_note_without_edit_controls(self, client, viewer, note):
        client.force_login(viewer)
        response = client.get(note_url("note_detail", note), **HTMX)
        assert element(response.content, f"note-{note.pk}").text == "Café fresco"
        assert not find_all(response.content, "form")


# The note's menu --------------------------------------------------------------------------


class TestActions:
    def test_with_htmx_it_opens_the_menu_in_place(self, client, editor, note):
        client.force_login(editor)
        response = client.get(note_url("note_actions", note), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        item = element(response.content, f"note-{note.pk}")
        assert "note--menu-open" in item.attrs["class"]
        toggle = item.find_all("button", **{"aria-expanded": "true"})
        assert len(toggle) == 1
        panel = element(response.content, f"note-{note.pk}-actions")
        actions = {form.attrs["action"] for form in panel.find_all("form")}
        assert actions == {note_url("note_move", note), note_url("note_delete", note)}
        # The segments a note serves are chosen in its segment picker, not in the menu.
        assert [a.attrs["href"] for a in panel.find_all("a")] == [
            note_url("note_edit", note), note_url("note_evidence", note), note_url("note_comments", note),
            note_url("note_history", note),
        ]

    def test_without_htmx_it_is_a_page_of_its_own(self, client, editor, note):
        client.force_login(editor)
        response = client.get(note_url("note_actions", note))
        assert response.status_code == 200
        assert b"<html" in response.content
        assert has_element(response.content, f"note-{note.pk}-actions")
        assert has_element(response.content, f"move-{note.pk}")

    def test_it_is_refused_to_viewers(self, client, viewer, note):
        client.force_login(viewer)
        assert client.get(note_url("note_actions", note), **HTMX).status_code == 403

    def test_a_deleted_note_has_no_menu_and_says_it_is_gone_in_place(self, client, editor, deleted_note):
        client.force_login(editor)
        response = client.get(note_url("note_actions", deleted_note), **HTMX)
        assert response.status_code == 410
        assert response["HX-Retarget"] == f"#note-{deleted_note.pk}"
        assert not has_element(response.content, f"note-{deleted_note.pk}-actions")
        assert "someone deleted it" in element(response.content, f"note-{deleted_note.pk}-gone").text

    def test_a_deleted_note_is_gone(self, client, editor, deleted_note):
        client.force_login(editor)
        assert client.get(note_url("note_detail", deleted_note), **HTMX).status_code == 410
        assert client.get(note_url("note_detail", deleted_note)).status_code == 404

    def test_a_note_of_another_canvas_is_not_found_there(self, client, owner, canvas, note):
        other = make_canvas(owner, "Otro")
        client.force_login(owner)
        url = reverse("canvas_app:note_detail", args=[other.pk, note.pk])
        assert client.get(url, **HTMX).status_code == 410
        assert client.get(url).status_code == 404


# Editing ----------------------------------------------------------------------------------


class TestEdit:
    def test_it_accepts_only_get_and_post(self, client, editor, note):
        client.force_login(editor)
        assert client.put(note_url("note_edit", note)).status_code == 405
        assert client.delete(note_url("note_edit", note)).status_code == 405

    def test_it_requires_login(self, client, note):
        before = db_state()
        response = client.post(note_url("note_edit", note), {"text": "Nuevo"})
        assert response["Location"].startswith(reverse("login"))
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, note):
        client.force_login(outsider)
        before = db_state()
        assert client.post(note_url("note_edit", note), {"text": "Nuevo"}).status_code == 404
        assert db_state() == before

    def test_it_requires_edit_role(self, client, viewer, note):
        client.force_login(viewer)
        before = db_state()
        assert client.get(note_url("note_edit", note)).status_code == 403
        assert client.post(note_url("note_edit", note), {"text": "Nuevo"}).status_code == 403
        assert db_state() == before

    def test_get_shows_the_form_on_its_own_page(self, client, editor, note):
        client.force_login(editor)
        response = client.get(note_url("note_edit", note))
        assert response.status_code == 200
        assert "<html" in response.content.decode()
        assert element(response.content, f"edit-{note.pk}-text").text == "Café fresco"

    def test_get_over_htmx_returns_the_form_in_place_of_the_note(self, client, editor, note):
        client.force_login(editor)
        response = client.get(note_url("note_edit", note), **HTMX)
        assert is_partial(response.content)
        assert "note--editing" in element(response.content, f"note-{note.pk}").attrs["class"]
        checked = [
            r.attrs["value"]
            for r in find_all(response.content, "input", name="colour")
            if "checked" in r.attrs
        ]
        assert checked == [Colour.ORANGE]

    def test_a_plain_post_saves_and_redirects_to_the_note(self, client, editor, canvas, note):
        client.force_login(editor)
        response = client.post(
            note_url("note_edit", note), {"text": " Café de origen ", "colour": Colour.BLUE}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{board_url(canvas)}#note-{note.pk}"
        note.refresh_from_db()
        assert (note.text, note.colour) == ("Café de origen", Colour.BLUE)

    def test_an_htmx_post_returns_the_saved_note(self, client, editor, note):
        client.force_login(editor)
        response = client.post(
            note_url("note_edit", note), {"text": "Café de origen", "colour": Colour.BLUE}, **HTMX
        )
        assert response.status_code == 200
        assert is_partial(response.content)
        shown = element(response.content, f"note-{note.pk}")
        assert shown.text.startswith("Café de origen")
        assert "note--blue" in shown.attrs["class"]

    def test_without_a_colour_the_note_keeps_its_colour(self, client, editor, note):
        client.force_login(editor)
        client.post(note_url("note_edit", note), {"text": "Café de origen"})
        note.refresh_from_db()
        assert note.colour == Colour.ORANGE

    def test_it_accepts_exactly_500_characters(self, client, editor, note):
        client.force_login(editor)
        assert client.post(note_url("note_edit", note), {"text": "é" * 500}).status_code == 302
        note.refresh_from_db()
        assert note.text == "é" * 500

    @pytest.mark.parametrize(("text", "message"), BAD_TEXT)
    def test_bad_text_is_shown_next_to_the_field_and_saves_nothing(
        self, client, editor, note, text, message
    ):
        client.force_login(editor)
        before = db_state()
        response = client.post(note_url("note_edit", note), {"text": text, "colour": Colour.BLUE})
        assert response.status_code == 400
        assert "<html" in response.content.decode()
        assert field_error(response.content, f"edit-{note.pk}-text") == message
        response = client.post(
            note_url("note_edit", note), {"text": text, "colour": Colour.BLUE}, **HTMX
        )
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert is_partial(response.content)
        assert field_error(response.content, f"edit-{note.pk}-text") == message
        assert db_state() == before

    def test_an_unknown_colour_is_shown_next_to_the_colours_and_saves_nothing(
        self, client, editor, note
    ):
        client.force_login(editor)
        before = db_state()
        for extra in ({}, HTMX):
            response = client.post(
                note_url("note_edit", note), {"text": "Nuevo", "colour": "chartreuse"}, **extra
            )
            assert response.status_code == 400
            swatches = find_all(response.content, "input", name="colour")
            assert len(swatches) == len(Colour.values)
            assert {described_error(response.content, swatch) for swatch in swatches} == {
                BAD_COLOUR
            }
            assert element(response.content, f"edit-{note.pk}-text").text == "Nuevo"
        assert db_state() == before

    def test_a_deleted_note_is_not_edited_and_the_user_is_told(self, client, editor, deleted_note):
        client.force_login(editor)
        before = db_state()
        response = client.post(note_url("note_edit", deleted_note), {"text": "Nuevo"})
        assert response.status_code == 302
        assert "someone deleted it" in element(client.get(response["Location"]).content, "messages").text
        assert client.post(note_url("note_edit", deleted_note), {"text": "Nuevo"}, **HTMX).status_code == 410
        assert db_state() == before

    def test_it_bumps_the_canvas_change_time(self, client, editor, canvas, note):
        client.force_login(editor)
        canvas.refresh_from_db()
        before = canvas.updated_at
        client.post(note_url("note_edit", note), {"text": "Nuevo"})
        canvas.refresh_from_db()
        assert canvas.updated_at > before


# Deleting and restoring ---------------------------------------------------------------------


@pytest.fixture
def partners(canvas) -> list[Note]:
    return [canvas.add_note(block=KP, text=text) for text in ("uno", "dos", "tres")]


class TestDelete:
    def test_it_requires_post(self, client, editor, note):
        client.force_login(editor)
        assert client.get(note_url("note_delete", note)).status_code == 405
        assert canvas_notes(note) == 1

    def test_it_requires_login(self, client, note):
        assert client.post(note_url("note_delete", note))["Location"].startswith(reverse("login"))
        assert canvas_notes(note) == 1

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, note):
        client.force_login(outsider)
        assert client.post(note_url("note_delete", note)).status_code == 404
        assert canvas_notes(note) == 1

    def test_it_requires_edit_role(self, client, viewer, note):
        client.force_login(viewer)
        assert client.post(note_url("note_delete", note)).status_code == 403
        assert canvas_notes(note) == 1

    def test_a_plain_post_deletes_softly_and_offers_an_undo(self, client, editor, canvas, partners):
        client.force_login(editor)
        response = client.post(note_url("note_delete", partners[1]))
        assert response.status_code == 302
        assert response["Location"] == f"{board_url(canvas)}?deleted={partners[1].pk}"
        assert Note.all_objects.get(pk=partners[1].pk).deleted_at is not None
        assert positions(canvas, KP) == [(1, "uno"), (2, "tres")]
        page = client.get(response["Location"]).content
        assert not has_element(page, f"note-{partners[1].pk}")
        undo = find_all(page, "form", **{"class": "undo-banner"})
        assert [form.attrs["action"] for form in undo] == [note_url("note_restore", partners[1])]
        assert "“dos”" in undo[0].text

    def test_the_board_without_the_parameter_shows_no_undo(
        self, client, editor, canvas, deleted_note
    ):
        client.force_login(editor)
        assert not find_all(
            client.get(board_url(canvas)).content, "form", **{"class": "undo-banner"}
        )

    def test_a_viewer_is_not_offered_the_undo(self, client, viewer, canvas, deleted_note):
        client.force_login(viewer)
        page = client.get(f"{board_url(canvas)}?deleted={deleted_note.pk}").content
        assert not find_all(page, "form", **{"class": "undo-banner"})

    def test_a_live_note_gets_no_undo_banner(self, client, editor, canvas, note):
        client.force_login(editor)
        page = client.get(f"{board_url(canvas)}?deleted={note.pk}").content
        assert not find_all(page, "form", **{"class": "undo-banner"})

    @pytest.mark.parametrize(
        "value", ["", "abc", "-1", "²", "99999999999999999999999", "other-canvas"]
    )
    def test_an_odd_deleted_parameter_shows_the_board_without_an_undo(
        self, client, owner, canvas, value
    ):
        if value == "other-canvas":
            elsewhere = make_canvas(owner, "Otro").add_note(block=KP, text="ajena")
            elsewhere.delete_softly()
            value = str(elsewhere.pk)
        client.force_login(owner)
        response = client.get(board_url(canvas), {"deleted": value})
        assert response.status_code == 200
        assert not find_all(response.content, "form", **{"class": "undo-banner"})

    def test_an_htmx_post_returns_a_placeholder_with_an_undo(self, client, editor, partners):
        client.force_login(editor)
        response = client.post(note_url("note_delete", partners[0]), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        placeholder = element(response.content, f"note-{partners[0].pk}")
        assert "note--deleted" in placeholder.attrs["class"]
        assert [f.attrs["action"] for f in find_all(response.content, "form")] == [
            note_url("note_restore", partners[0])
        ]

    def test_a_deleted_note_cannot_be_deleted_again(self, client, editor, deleted_note):
        client.force_login(editor)
        before = db_state()
        assert client.post(note_url("note_delete", deleted_note)).status_code == 302
        assert client.post(note_url("note_delete", deleted_note), **HTMX).status_code == 410
        assert db_state() == before


def canvas_notes(note) -> int:
    return Note.objects.filter(canvas_id=note.canvas_id).count()


class TestRestore:
    def test_it_requires_post(self, client, editor, deleted_note):
        client.force_login(editor)
        before = db_state()
        assert client.get(note_url("note_restore", deleted_note)).status_code == 405
        assert db_state() == before

    def test_it_requires_login(self, client, deleted_note):
        before = db_state()
        assert client.post(note_url("note_restore", deleted_note))["Location"].startswith(
            reverse("login")
        )
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, deleted_note):
        client.force_login(outsider)
        before = db_state()
        assert client.post(note_url("note_restore", deleted_note)).status_code == 404
        assert db_state() == before

    def test_it_requires_edit_role(self, client, viewer, deleted_note):
        client.force_login(viewer)
        before = db_state()
        assert client.post(note_url("note_restore", deleted_note)).status_code == 403
        assert db_state() == before

    def test_a_plain_post_puts_the_note_back_where_it_was(
        self, client, editor, canvas, deleted_note
    ):
        client.force_login(editor)
        assert [text for _, text in positions(canvas, KP)] == [
            "Tostadora local",
            "Cooperativa cafetera",
        ]
        response = client.post(note_url("note_restore", deleted_note))
        assert response.status_code == 302
        assert response["Location"] == f"{board_url(canvas)}#note-{deleted_note.pk}"
        assert positions(canvas, KP) == [
            (1, "Tostadora local"),
            (2, "Proveedor de leche"),
            (3, "Cooperativa cafetera"),
        ]
        page = client.get(response["Location"]).content
        assert "Note restored." in element(page, "messages").text
        assert has_element(page, f"note-{deleted_note.pk}")

    def test_an_htmx_post_redraws_the_board_and_focuses_the_note(
        self, client, editor, canvas, deleted_note
    ):
        client.force_login(editor)
        response = client.post(note_url("note_restore", deleted_note), **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        assert response["HX-Retarget"] == "#board"
        assert response["HX-Reswap"] == "outerHTML"
        assert json.loads(response["HX-Trigger-After-Settle"]) == {
            "lienzo:focus": {"id": f"note-{deleted_note.pk}-toggle", "target": "body"}
        }
        assert has_element(response.content, f"note-{deleted_note.pk}")
        assert positions(canvas, KP)[1] == (2, "Proveedor de leche")

    def test_restoring_a_live_note_changes_nothing(self, client, editor, canvas, note):
        client.force_login(editor)
        before = db_state()
        assert client.post(note_url("note_restore", note)).status_code == 302
        assert db_state() == before

    def test_a_note_of_another_canvas_is_not_restored(self, client, owner, deleted_note):
        other = make_canvas(owner, "Otro")
        client.force_login(owner)
        before = db_state()
        url = reverse("canvas_app:note_restore", args=[other.pk, deleted_note.pk])
        assert client.post(url).status_code == 302
        assert client.post(url, **HTMX).status_code == 410
        assert db_state() == before


def test_an_htmx_request_without_a_session_sends_the_page_to_the_login_form(client, canvas, note):
    url = reverse("canvas_app:note_edit", args=[canvas.pk, note.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next={url}"


def test_the_board_gives_each_note_the_urls_the_url_conf_gives(client, editor, canvas, note):
    from tests.markup import element

    other = canvas.add_note(block=Block.CHANNELS, text="Mercado")
    client.force_login(editor)
    board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
    for each in (note, other):
        li = element(board, f"note-{each.pk}")
        assert li.attrs["data-move-url"] == reverse("canvas_app:note_move", args=[canvas.pk, each.pk])
        assert li.attrs["data-edit-url"] == reverse("canvas_app:note_edit", args=[canvas.pk, each.pk])
        [menu] = li.find_all("form", **{"class": "note__menu"})
        assert menu.attrs["hx-get"] == reverse("canvas_app:note_actions", args=[canvas.pk, each.pk])
