"""From a segment's page: the notes of the board that serve it, ticked in a checklist grouped
by block (each tick saved at once with htmx, the whole list at once without it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvas_app.models import Action, Block, Change
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, element, find_all, form_values, is_partial
from tests.segments.factories import make_note, make_segment, segments_state


@pytest.fixture
def segment(canvas):
    return make_segment(canvas, "Oficinas")


@pytest.fixture
def notes(canvas):
    return {
        "coffee": make_note(canvas, Block.VALUE_PROPOSITIONS, "Café fresco"),
        "shop": make_note(canvas, Block.CHANNELS, "Tienda online"),
        "app": make_note(canvas, Block.CHANNELS, "App"),
    }


def page_url(segment) -> str:
    return reverse("segments:detail", args=[segment.canvas_id, segment.pk])


def notes_url(segment) -> str:
    return reverse("segments:segment_notes", args=[segment.canvas_id, segment.pk])


def served(segment) -> list[str]:
    return sorted(segment.linked_notes.values_list("text", flat=True))


def unchanged(before) -> bool:
    return (segments_state(), db_state()) == before


class TestChecklist:
    def test_editors_get_the_notes_of_the_other_blocks_grouped_by_block(self, client, editor, segment, notes):
        segment.linked_notes.add(notes["shop"])
        client.force_login(editor)
        page = client.get(page_url(segment)).content
        form = element(page, "served-form")
        assert [legend.text for legend in form.find_all("legend")] == ["Value Propositions", "Channels"]
        boxes = form.find_all("input", type="checkbox")
        assert [(b.attrs["id"], "checked" in b.attrs) for b in boxes] == [
            (f"served-note-{notes['coffee'].pk}", False),
            (f"served-note-{notes['shop'].pk}", True),
            (f"served-note-{notes['app'].pk}", False),
        ]
        labels = {label.attrs["for"]: label.text for label in form.find_all("label")}
        assert labels[f"served-note-{notes['app'].pk}"] == "App"
        # Each tick posts the form at once.
        assert form.attrs["hx-trigger"] == "change, submit" and form.attrs["hx-post"] == notes_url(segment)
        # Neither the segments' own notes nor deleted notes are offered.
        assert str(segment.note_id) not in [b.attrs["value"] for b in boxes]

    def test_viewers_get_the_list_only(self, client, viewer, segment, notes):
        segment.linked_notes.add(notes["shop"])
        client.force_login(viewer)
        page = client.get(page_url(segment)).content
        served_section = element(page, "served")
        assert served_section.find_all("form") == []
        assert [a.text for a in served_section.find_all("a")] == ["Tienda online"]


class TestSave:
    def test_a_tick_sent_with_htmx_links_that_note_only(self, client, editor, segment, notes):
        segment.linked_notes.add(notes["shop"])
        client.force_login(editor)
        data = form_values(client.get(page_url(segment)).content, "served-form")
        data["notes"] = [data["notes"], str(notes["app"].pk)]  # what the browser sends after the tick
        response = client.post(notes_url(segment), data, **HTMX)
        assert response.status_code == 200 and is_partial(response.content)
        assert served(segment) == ["App", "Tienda online"]
        assert "checked" in element(response.content, f"served-note-{notes['app'].pk}").attrs
        assert f"served-note-{notes['app'].pk}" in response["HX-Trigger-After-Settle"]
        change = Change.objects.filter(canvas=segment.note.canvas).order_by("-revision").first()
        assert (change.action, change.by, change.target_id) == (Action.LINK, editor, segment.pk)
        assert change.data == {"linked": [notes["app"].pk], "unlinked": []}

    def test_an_untick_unlinks(self, client, editor, segment, notes):
        segment.linked_notes.add(notes["shop"], notes["app"])
        client.force_login(editor)
        data = form_values(client.get(page_url(segment)).content, "served-form")
        data["notes"] = [str(notes["app"].pk)]
        client.post(notes_url(segment), data, **HTMX)
        assert served(segment) == ["App"]

    def test_a_teammate_link_made_meanwhile_is_kept(self, client, editor, segment, notes):
        client.force_login(editor)
        data = form_values(client.get(page_url(segment)).content, "served-form")
        segment.linked_notes.add(notes["coffee"])  # a teammate, meanwhile
        data["notes"] = [str(notes["shop"].pk)]
        client.post(notes_url(segment), data, **HTMX)
        assert served(segment) == ["Café fresco", "Tienda online"]

    def test_without_javascript_the_whole_list_is_saved_and_the_page_comes_back(self, client, editor, segment, notes):
        segment.linked_notes.add(notes["shop"])
        client.force_login(editor)
        data = form_values(client.get(page_url(segment)).content, "served-form")
        data["notes"] = [str(notes["coffee"].pk), str(notes["app"].pk)]
        response = client.post(notes_url(segment), data)
        assert response["Location"] == f"{page_url(segment)}#served"
        assert served(segment) == ["App", "Café fresco"]


class TestRefusals:
    @pytest.mark.parametrize("value", ["abc", "999999", "segment-note", "other-canvas"])
    def test_a_note_that_cannot_serve_it_is_refused_and_changes_nothing(
        self, client, owner, editor, segment, notes, value
    ):
        if value == "segment-note":
            value = str(segment.note_id)
        elif value == "other-canvas":
            value = str(make_note(make_canvas(owner, "Otro")).pk)
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(notes_url(segment), {"shown": "True", "notes": [notes["app"].pk, value]}, **HTMX)
        assert response.status_code == 400
        assert element(response.content, "served-error").text == "Choose among the notes of this canvas' board."
        assert element(response.content, "served-form").attrs["aria-describedby"] == "served-error"
        assert unchanged(before)
        response = client.post(notes_url(segment), {"shown": "True", "notes": [value]})
        assert response.status_code == 400 and b"<html" in response.content
        assert unchanged(before)

    def test_viewers_outsiders_and_visitors_are_refused(self, client, viewer, outsider, segment, notes):
        before = segments_state(), db_state()
        assert client.post(notes_url(segment), {"notes": [notes["app"].pk]}).status_code == 302
        client.force_login(viewer)
        assert client.post(notes_url(segment), {"notes": [notes["app"].pk]}).status_code == 403
        client.force_login(outsider)
        assert client.post(notes_url(segment), {"notes": [notes["app"].pk]}).status_code == 404
        assert client.get(notes_url(segment)).status_code in (404, 405)
        assert unchanged(before)

    def test_a_deleted_note_is_not_offered_and_its_link_is_kept(self, client, editor, segment, notes):
        segment.linked_notes.add(notes["shop"])
        notes["shop"].delete_softly()
        client.force_login(editor)
        page = client.get(page_url(segment)).content
        values = [b.attrs["value"] for b in element(page, "served-form").find_all("input", type="checkbox")]
        assert str(notes["shop"].pk) not in values
        data = form_values(page, "served-form")
        data["notes"] = [str(notes["app"].pk)]
        client.post(notes_url(segment), data, **HTMX)
        assert served(segment) == ["App"]
        notes["shop"].restore()  # the undo brings it back, still serving the segment
        assert served(segment) == ["App", "Tienda online"]
        assert find_all(page, "input", name="shown")
