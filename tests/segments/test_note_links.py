"""Linking a note of another block to the segments it serves, and the markers that follow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.models import Block, Colour
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, described_error, element, find_all, form_values, has_element, is_partial
from tests.segments.factories import make_note, make_segment, segments_state


@pytest.fixture
def segments(canvas):
    return [make_segment(canvas, "Oficinas", Colour.BLUE), make_segment(canvas, "Estudiantes", Colour.GREEN)]


def links_url(note) -> str:
    return reverse("segments:note_links", args=[note.canvas_id, note.pk])


def board_url(canvas) -> str:
    return reverse("canvas_app:board", args=[canvas.pk])


def linked(note) -> list[str]:
    return sorted(note.segments.values_list("note__text", flat=True))


def unchanged(before) -> bool:
    return (segments_state(), db_state()) == before


class TestAccess:
    def test_it_requires_login(self, client, note, segments):
        before = segments_state(), db_state()
        response = client.post(links_url(note), {"segments": [segments[0].pk]})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert client.get(links_url(note))["Location"].startswith(reverse("login"))
        assert unchanged(before)

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, note, segments):
        before = segments_state(), db_state()
        client.force_login(outsider)
        assert client.get(links_url(note)).status_code == 404
        assert client.post(links_url(note), {"segments": [segments[0].pk]}).status_code == 404
        assert unchanged(before)

    def test_viewers_read_the_links_but_cannot_change_them(self, client, viewer, note, segments):
        note.segments.add(segments[1])
        before = segments_state(), db_state()
        client.force_login(viewer)
        response = client.get(links_url(note))
        assert response.status_code == 200
        panel = element(response.content, "note-links")
        assert panel.find_all("form") == [] and panel.find_all("input") == []
        assert [li.text for li in panel.find_all("li")] == ["B Estudiantes"]  # each with its letter
        assert client.post(links_url(note), {"segments": [segments[0].pk]}).status_code == 403
        assert client.post(links_url(note), {"segments": [segments[0].pk]}, **HTMX).status_code == 403
        assert unchanged(before)

    def test_it_only_answers_get_and_post(self, client, editor, note):
        client.force_login(editor)
        assert client.put(links_url(note)).status_code == 405

    def test_a_note_of_another_canvas_is_not_found(self, client, owner, editor, canvas, segments):
        foreign = make_note(make_canvas(owner, "Otro"))
        client.force_login(editor)
        url = reverse("segments:note_links", args=[canvas.pk, foreign.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"segments": [segments[0].pk]}).status_code == 404
        assert not foreign.segments.exists()

    def test_a_segment_note_does_not_serve_segments(self, client, editor, segments):
        client.force_login(editor)
        own = segments[0].note
        assert client.get(links_url(own)).status_code == 404
        assert client.post(links_url(own), {"segments": [segments[1].pk]}).status_code == 404
        assert not own.segments.exists()

    def test_a_deleted_note_is_not_found(self, client, editor, note, segments):
        note.delete_softly()
        client.force_login(editor)
        assert client.get(links_url(note)).status_code == 404


class TestForm:
    def test_editors_get_a_labelled_checkbox_per_segment_with_the_current_ones_checked(
        self, client, editor, note, segments
    ):
        note.segments.add(segments[1])
        client.force_login(editor)
        response = client.get(links_url(note))
        assert response.status_code == 200
        boxes = find_all(response.content, "input", type="checkbox")
        assert [(b.attrs["value"], "checked" in b.attrs) for b in boxes] == [
            (str(segments[0].pk), False),
            (str(segments[1].pk), True),
        ]
        labels = {label.attrs["for"]: label.text for label in find_all(response.content, "label")}
        assert [labels[b.attrs["id"]] for b in boxes] == ["A Oficinas", "B Estudiantes"]
        legend = element(response.content, "note-links").find_all("legend")[0]
        assert legend.text == "Which segments does this note serve?"

    def test_a_canvas_without_segments_says_so(self, client, editor, note):
        client.force_login(editor)
        response = client.get(links_url(note))
        assert b"This canvas has no segments yet" in response.content
        assert find_all(response.content, "input", type="checkbox") == []

    def test_without_javascript_the_note_segment_picker_opens_the_page(self, client, editor, canvas, note, segments):
        client.force_login(editor)
        board = client.get(board_url(canvas)).content
        picker = element(board, f"note-{note.pk}-segments")
        assert links_url(note) in [form.attrs["action"] for form in picker.find_all("form")]


class TestSave:
    def test_a_plain_post_sets_the_links_and_returns_to_the_note(self, client, editor, canvas, note, segments):
        note.segments.add(segments[0])
        client.force_login(editor)
        response = client.post(links_url(note), {"segments": [segments[1].pk]})
        assert response.status_code == 302
        assert response["Location"] == f"{board_url(canvas)}#note-{note.pk}"
        assert linked(note) == ["Estudiantes"]

    def test_no_box_checked_removes_every_link(self, client, editor, note, segments):
        note.segments.set(segments)
        client.force_login(editor)
        client.post(links_url(note), {})
        assert linked(note) == []

    def test_with_htmx_it_answers_the_panel_with_the_saved_choice(self, client, editor, note, segments):
        client.force_login(editor)
        response = client.post(links_url(note), {"segments": [s.pk for s in segments]}, **HTMX)
        assert response.status_code == 200
        assert is_partial(response.content)
        panel = element(response.content, "note-links")
        assert "Saved." in panel.text
        assert all("checked" in box.attrs for box in panel.find_all("input", type="checkbox"))
        assert linked(note) == ["Estudiantes", "Oficinas"]

    def test_linked_notes_show_the_segments_colours_on_the_board(self, client, editor, canvas, segments):
        channel = make_note(canvas, Block.CHANNELS, "Tienda online")
        client.force_login(editor)
        client.post(links_url(channel), {"segments": [segments[1].pk, segments[0].pk]})
        board = client.get(board_url(canvas)).content
        toggle = element(board, f"note-{channel.pk}-segments-toggle")
        markers = toggle.find_all("span", **{"aria-hidden": "true"})
        assert [(m.attrs["class"], m.text) for m in markers] == [
            (f"marker segment-colour--{segments[0].colour}", segments[0].letter),
            (f"marker segment-colour--{segments[1].colour}", segments[1].letter),
        ]
        assert segments[0].colour != segments[1].colour and segments[0].letter != segments[1].letter
        assert toggle.attrs["title"] == "Serves: Oficinas, Estudiantes. Change the segments this note serves"

    def test_links_to_segments_off_the_board_are_kept(self, client, editor, note, segments):
        note.segments.set(segments)
        segments[0].note.move(block=Block.KEY_PARTNERS, position=1)  # no longer a segment, for now
        client.force_login(editor)
        response = client.get(links_url(note))
        assert len(find_all(response.content, "input", type="checkbox")) == 1
        client.post(links_url(note), {})
        assert linked(note) == ["Oficinas"]

    @pytest.mark.parametrize(
        "value",
        [pytest.param("other-canvas", id="segment-of-another-canvas"), pytest.param("abc", id="not-an-id")],
    )
    def test_a_segment_that_is_not_on_this_canvas_is_refused_and_changes_nothing(
        self, client, owner, editor, note, segments, value
    ):
        note.segments.add(segments[0])
        foreign = make_segment(make_canvas(owner, "Otro"), "Ajeno")
        before = segments_state(), db_state()
        client.force_login(editor)
        bad = str(foreign.pk) if value == "other-canvas" else value
        response = client.post(links_url(note), {"segments": [segments[1].pk, bad]})
        assert response.status_code == 400
        box = find_all(response.content, "input", type="checkbox")[0]
        assert described_error(response.content, box) == "Choose among this canvas' segments."
        assert unchanged(before)
        assert not has_element(response.content, f"segment-{foreign.pk}")

    def test_with_htmx_a_refused_segment_comes_back_in_the_panel(self, client, owner, editor, note, segments):
        foreign = make_segment(make_canvas(owner, "Otro"), "Ajeno")
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(links_url(note), {"segments": [foreign.pk]}, **HTMX)
        assert response.status_code == 400  # a refusal: the page swaps it in where the user acted
        assert is_partial(response.content)
        assert element(response.content, "note-links-error").text == "Choose among this canvas' segments."
        assert unchanged(before)


class TestTwoPeopleLinkingAtOnce:
    """Each saves the boxes they changed, not the whole set they saw."""

    def loaded(self, client, note) -> dict:
        response = client.get(links_url(note))
        assert response.status_code == 200
        return form_values(response.content, "note-links-form")

    def test_a_teammates_new_link_survives_my_save(self, client, editor, owner, note, segments):
        note.segments.add(segments[0])
        client.force_login(editor)
        mine = self.loaded(client, note)
        note.segments.add(segments[1])  # a teammate links the second segment meanwhile

        # I uncheck the first one and save what my page shows.
        response = client.post(links_url(note), {**mine, "segments": []})

        assert response.status_code == 302
        assert linked(note) == ["Estudiantes"]

    def test_a_teammates_unlink_is_not_undone_by_my_save(self, client, editor, note, segments):
        note.segments.set(segments)
        client.force_login(editor)
        mine = self.loaded(client, note)
        note.segments.remove(segments[0])  # a teammate unlinks it meanwhile

        # I only uncheck the second one; the first box is still checked on my page.
        response = client.post(links_url(note), {**mine, "segments": [str(segments[0].pk)]})

        assert response.status_code == 302
        assert linked(note) == []

    def test_the_page_sends_what_it_showed(self, client, editor, note, segments):
        note.segments.add(segments[1])
        client.force_login(editor)
        assert self.loaded(client, note)["was_serving"] == str(segments[1].pk)
