"""The board's segment picker: on each note of the other blocks, one click per segment to
make the note serve it or stop serving it, saved at once and recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from canvas_app.models import Action, Block, Change
from tests.conftest import db_state, make_canvas
from tests.markup import HTMX, element, find_all, has_element, is_partial
from tests.segments.factories import make_note, make_segment, segments_state


@pytest.fixture
def segments(canvas):
    return [make_segment(canvas, "Oficinas"), make_segment(canvas, "Estudiantes")]


def picker_url(note) -> str:
    return reverse("segments:note_picker", args=[note.canvas_id, note.pk])


def serving(note) -> list[str]:
    return sorted(note.segments.values_list("note__text", flat=True))


def unchanged(before) -> bool:
    return (segments_state(), db_state()) == before


def toggles(html, note) -> list[tuple[str, str, str, str]]:
    """(name, value, aria-pressed, text) of each toggle of the open picker."""
    panel = element(html, f"note-{note.pk}-segments-panel")
    return [(b.attrs["name"], b.attrs["value"], b.attrs["aria-pressed"], b.text) for b in panel.find_all("button") if "aria-pressed" in b.attrs]


class TestOnTheBoard:
    def test_editors_get_a_closed_picker_on_each_note_of_the_other_blocks(self, client, editor, canvas, note, segments):
        client.force_login(editor)
        board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
        toggle = element(board, f"note-{note.pk}-segments-toggle")
        assert toggle.attrs["aria-expanded"] == "false"
        assert (toggle.attrs["title"], toggle.text) == ("Choose the segments this note serves", "+")
        assert not has_element(board, f"note-{note.pk}-segments-panel")
        # Not on the segments' own notes.
        assert not has_element(board, f"note-{segments[0].note_id}-segments")

    def test_a_canvas_without_segments_offers_no_picker(self, client, editor, canvas, note):
        client.force_login(editor)
        board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content
        assert not has_element(board, f"note-{note.pk}-segments")


class TestOpenAndClose:
    def test_it_opens_in_place_with_one_toggle_per_segment(self, client, editor, note, segments):
        note.segments.add(segments[1])
        client.force_login(editor)
        response = client.get(picker_url(note), {"open": "1"}, **HTMX)
        assert response.status_code == 200 and is_partial(response.content)
        assert element(response.content, f"note-{note.pk}-segments-toggle").attrs["aria-expanded"] == "true"
        assert toggles(response.content, note) == [
            ("link", str(segments[0].pk), "false", "A Oficinas"),
            ("unlink", str(segments[1].pk), "true", "B Estudiantes"),
        ]
        assert f"note-{note.pk}-segment-{segments[0].pk}" in response["HX-Trigger-After-Settle"]

    def test_it_closes_with_the_focus_on_its_toggle(self, client, editor, note, segments):
        client.force_login(editor)
        response = client.get(picker_url(note), **HTMX)
        assert response.status_code == 200
        assert not has_element(response.content, f"note-{note.pk}-segments-panel")
        assert f"note-{note.pk}-segments-toggle" in response["HX-Trigger-After-Settle"]

    def test_without_htmx_it_is_the_note_segments_page(self, client, editor, note, segments):
        client.force_login(editor)
        response = client.get(picker_url(note), {"open": "1"})
        assert response["Location"] == reverse("segments:note_links", args=[note.canvas_id, note.pk])


class TestToggle:
    def test_one_click_links_the_segment_and_the_note_comes_back_with_its_marker(self, client, editor, note, segments):
        client.force_login(editor)
        response = client.post(picker_url(note), {"link": segments[1].pk}, **HTMX)
        assert response.status_code == 200 and is_partial(response.content)
        assert serving(note) == ["Estudiantes"]
        toggle = element(response.content, f"note-{note.pk}-segments-toggle")
        [marker] = toggle.find_all("span", **{"aria-hidden": "true"})
        assert (marker.attrs["class"], marker.text) == ("marker segment-colour--2", "B")
        assert [t[2] for t in toggles(response.content, note)] == ["false", "true"]  # still open
        assert f"note-{note.pk}-segment-{segments[1].pk}" in response["HX-Trigger-After-Settle"]

    def test_one_click_unlinks_it(self, client, editor, note, segments):
        note.segments.add(*segments)
        client.force_login(editor)
        client.post(picker_url(note), {"unlink": segments[0].pk}, **HTMX)
        assert serving(note) == ["Estudiantes"]

    def test_each_click_is_one_recorded_change(self, client, editor, canvas, note, segments):
        client.force_login(editor)
        revision = canvas.revision
        client.post(picker_url(note), {"link": segments[0].pk}, **HTMX)
        change = Change.objects.filter(canvas=canvas).order_by("-revision").first()
        assert (change.action, change.by, change.target_id) == (Action.LINK, editor, note.pk)
        assert change.data == {"linked": [segments[0].pk], "unlinked": []}
        canvas.refresh_from_db()
        assert canvas.revision == revision + 1

    def test_a_click_on_what_a_teammate_did_meanwhile_changes_nothing_else(self, client, editor, note, segments):
        # The page showed "not serving"; a teammate linked it meanwhile; the click links it again.
        note.segments.add(segments[0])
        client.force_login(editor)
        client.post(picker_url(note), {"link": segments[0].pk}, **HTMX)
        assert serving(note) == ["Oficinas"]

    def test_a_plain_post_returns_to_the_note(self, client, editor, canvas, note, segments):
        client.force_login(editor)
        response = client.post(picker_url(note), {"link": segments[0].pk})
        assert response["Location"] == f"{reverse('canvas_app:board', args=[canvas.pk])}#note-{note.pk}"
        assert serving(note) == ["Oficinas"]


class TestRefusals:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            pytest.param({"link": "abc"}, "Choose among this canvas' segments.", id="not-an-id"),
            pytest.param({"link": "999999"}, "Choose among this canvas' segments.", id="no-such-segment"),
            pytest.param({}, "Choose one segment to add or to remove.", id="nothing"),
            pytest.param("both", "Choose one segment to add or to remove.", id="both"),
            pytest.param("foreign", "Choose among this canvas' segments.", id="segment-of-another-canvas"),
        ],
    )
    def test_bad_input_is_a_400_with_a_message_and_changes_nothing(
        self, client, owner, editor, note, segments, data, message
    ):
        if data == "both":
            data = {"link": segments[0].pk, "unlink": segments[1].pk}
        elif data == "foreign":
            data = {"link": make_segment(make_canvas(owner, "Otro"), "Ajeno").pk}
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(picker_url(note), data, **HTMX)
        assert response.status_code == 400
        assert element(response.content, f"note-{note.pk}-segments-error").text == message
        assert element(response.content, f"note-{note.pk}-segments-panel").attrs["aria-describedby"] == (
            f"note-{note.pk}-segments-error"
        )
        assert unchanged(before)
        # Without htmx: the page of the note's segments, with the reason.
        response = client.post(picker_url(note), data)
        assert response.status_code == 400
        assert message in [p.text.split(" Nothing")[0] for p in find_all(response.content, "p", role="alert")]
        assert unchanged(before)

    def test_a_segment_off_the_board_cannot_be_linked(self, client, editor, note, segments):
        segments[0].note.move(block=Block.KEY_PARTNERS, position=1)
        before = segments_state(), db_state()
        client.force_login(editor)
        assert client.post(picker_url(note), {"link": segments[0].pk}, **HTMX).status_code == 400
        assert unchanged(before)

    def test_it_requires_a_csrf_token(self, editor, note, segments):
        client = Client(enforce_csrf_checks=True)
        client.force_login(editor)
        before = segments_state(), db_state()
        assert client.post(picker_url(note), {"link": segments[0].pk}, **HTMX).status_code == 403
        assert unchanged(before)

    def test_viewers_outsiders_and_visitors_are_refused(self, client, viewer, outsider, note, segments):
        before = segments_state(), db_state()
        response = client.post(picker_url(note), {"link": segments[0].pk})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        client.force_login(viewer)
        assert client.get(picker_url(note), {"open": "1"}, **HTMX).status_code == 403
        assert client.post(picker_url(note), {"link": segments[0].pk}, **HTMX).status_code == 403
        client.force_login(outsider)
        assert client.post(picker_url(note), {"link": segments[0].pk}, **HTMX).status_code == 404
        assert unchanged(before)

    def test_only_get_and_post(self, client, editor, note, segments):
        client.force_login(editor)
        assert client.put(picker_url(note)).status_code == 405

    def test_a_segment_note_and_a_note_of_another_canvas_are_not_found(self, client, owner, editor, canvas, segments):
        foreign = make_note(make_canvas(owner, "Otro"))
        client.force_login(editor)
        assert client.post(picker_url(segments[0].note), {"link": segments[1].pk}, **HTMX).status_code == 404
        url = reverse("segments:note_picker", args=[canvas.pk, foreign.pk])
        assert client.post(url, {"link": segments[1].pk}, **HTMX).status_code == 404
        assert not foreign.segments.exists() and not segments[0].note.segments.exists()

    def test_a_note_deleted_meanwhile_says_so(self, client, editor, note, segments):
        note.delete_softly()
        before = segments_state(), db_state()
        client.force_login(editor)
        response = client.post(picker_url(note), {"link": segments[0].pk}, **HTMX)
        assert response.status_code == 410
        assert "no longer on the board" in element(response.content, f"note-{note.pk}-segments").text
        assert unchanged(before)
