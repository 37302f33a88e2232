"""Read-only share links: the owner creates, copies and revokes them; whoever holds a live
one reads the board and downloads its PDF without an account, and nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Block, ShareLink
from segments.models import Segment
from tests.canvas_app.test_canvas_pdf import SIZES, assert_every_note_present, page_size, pdfinfo, pdftotext
from tests.tasks import fetch_pdf
from tests.conftest import db_state, make_canvas, make_notes, make_share_link
from tests.markup import element, field_error, find_all, has_element, parse
from tests.segments.factories import make_note, make_segment

DAYS_RANGE = "Choose from 1 to 365 days, or leave the field empty for no expiry."
# The link with its canvas, every note of the board, the canvas' segments, the notes
# linked to them. An anonymous visitor has no session to load.
SHARE_BOARD_QUERIES = 4


def members_url(canvas) -> str:
    return reverse("canvas_app:members", args=[canvas.pk])


def create_url(canvas) -> str:
    return reverse("canvas_app:share_link_create", args=[canvas.pk])


def revoke_url(link: ShareLink) -> str:
    return reverse("canvas_app:share_link_revoke", args=[link.canvas_id, link.pk])


def board_url(link: ShareLink) -> str:
    return reverse("canvas_app:share_board", args=[link.token])


def pdf_url(link: ShareLink) -> str:
    return reverse("canvas_app:share_pdf", args=[link.token])


def expired(link: ShareLink) -> ShareLink:
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    link.refresh_from_db()
    return link


def revoked(link: ShareLink) -> ShareLink:
    link.revoke()
    return link


@pytest.fixture
def link(canvas, owner) -> ShareLink:
    return make_share_link(canvas, owner)


# Creating -----------------------------------------------------------------------------------


class TestCreate:
    def test_it_requires_post(self, client, owner, canvas):
        client.force_login(owner)
        assert client.get(create_url(canvas)).status_code == 405

    def test_it_requires_login(self, client, canvas):
        before = db_state()
        response = client.post(create_url(canvas), {"expires_in_days": ""})
        assert response["Location"].startswith(reverse("login"))
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, canvas):
        client.force_login(outsider)
        before = db_state()
        assert client.post(create_url(canvas), {"expires_in_days": ""}).status_code == 404
        assert db_state() == before

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_the_owner_creates_links(self, client, canvas, member, request):
        client.force_login(request.getfixturevalue(member))
        before = db_state()
        assert client.post(create_url(canvas), {"expires_in_days": ""}).status_code == 403
        assert db_state() == before

    def test_the_owner_creates_a_link_that_lasts_until_revoked(self, client, owner, canvas):
        client.force_login(owner)
        response = client.post(create_url(canvas), {"expires_in_days": ""})
        link = canvas.share_links.get()
        assert response.status_code == 302
        assert response["Location"] == f"{members_url(canvas)}#share-link-{link.pk}"
        assert (link.created_by, link.expires_at, link.revoked_at) == (owner, None, None)
        messages = element(client.get(response["Location"]).content, "messages").text
        assert messages.startswith("Share link created")

    def test_the_owner_creates_a_link_that_expires(self, client, owner, canvas):
        client.force_login(owner)
        client.post(create_url(canvas), {"expires_in_days": "30"})
        link = canvas.share_links.get()
        assert link.expires_at - link.created_at == timedelta(days=30)
        assert list(ShareLink.objects.live()) == [link]

    def test_each_link_gets_its_own_unguessable_token(self, client, owner, canvas):
        client.force_login(owner)
        for _ in range(2):
            client.post(create_url(canvas), {"expires_in_days": "365"})
        tokens = list(canvas.share_links.values_list("token", flat=True))
        assert len(set(tokens)) == 2
        for token in tokens:
            assert len(token) == 43  # secrets.token_urlsafe(32): 256 random bits
            assert token.replace("-", "").replace("_", "").isalnum()

    @pytest.mark.parametrize("days", ["0", "366", "-3", "1.5", "a week"])
    def test_an_expiry_out_of_range_is_shown_next_to_the_field(self, client, owner, canvas, days):
        client.force_login(owner)
        before = db_state()
        response = client.post(create_url(canvas), {"expires_in_days": days})
        assert response.status_code == 400
        assert field_error(response.content, "id_expires_in_days") == DAYS_RANGE
        assert element(response.content, "id_expires_in_days").attrs["value"] == days
        assert db_state() == before

    def test_the_expiry_field_tells_its_range(self, client, owner, canvas):
        client.force_login(owner)
        field = element(client.get(members_url(canvas)).content, "id_expires_in_days")
        assert (field.attrs["type"], field.attrs["min"], field.attrs["max"]) == ("number", "1", "365")
        assert "required" not in field.attrs


# The list on the members page ---------------------------------------------------------------


class TestMembersPage:
    def test_the_owner_sees_each_live_link_ready_to_copy(self, client, owner, canvas, link):
        later = make_share_link(canvas, owner, days=7)
        gone = [revoked(make_share_link(canvas, owner)), expired(make_share_link(canvas, owner))]
        client.force_login(owner)
        page = client.get(members_url(canvas)).content
        fields = find_all(page, "input", **{"class": "share-link__url"})
        assert [f.attrs["value"] for f in fields] == [
            f"http://testserver/s/{later.token}/",
            f"http://testserver/s/{link.token}/",
        ]
        for field in fields:
            assert "readonly" in field.attrs  # without JavaScript, select and copy by hand
            (copy,) = find_all(page, "button", **{"data-copy": field.attrs["id"]})
            assert copy.text == "Copy"
            assert copy.attrs["data-copied-label"] == "Copied"
            assert "hidden" in copy.attrs  # members.js shows it
        assert f'action="{revoke_url(link)}"' in page.decode()
        assert "Link, does not expire" in element(page, f"share-link-{link.pk}").text
        assert "expires" in element(page, f"share-link-{later.pk}").text
        for dead in gone:
            assert dead.token not in page.decode()
        assert find_all(page, "script", src="/static/js/members.js")

    def test_without_links_the_owner_is_told_so(self, client, owner, canvas):
        client.force_login(owner)
        section = element(client.get(members_url(canvas)).content, "share-links")
        assert "No live share links" in section.text

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_other_members_see_no_links(self, client, canvas, link, member, request):
        client.force_login(request.getfixturevalue(member))
        page = client.get(members_url(canvas)).content
        assert not has_element(page, "share-links")
        assert link.token not in page.decode()

    def test_the_list_costs_the_same_with_one_link_and_ten(self, client, owner, canvas):
        client.force_login(owner)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(members_url(canvas)).status_code == 200
            return len(captured)

        make_share_link(canvas, owner)
        one = queries()
        for _ in range(9):
            make_share_link(canvas, owner, days=3)
        assert queries() == one


# Revoking ------------------------------------------------------------------------------------


class TestRevoke:
    def test_it_requires_post(self, client, owner, link):
        client.force_login(owner)
        assert client.get(revoke_url(link)).status_code == 405

    def test_it_requires_login(self, client, link):
        before = db_state()
        assert client.post(revoke_url(link))["Location"].startswith(reverse("login"))
        assert db_state() == before

    def test_it_hides_the_canvas_from_outsiders(self, client, outsider, link):
        client.force_login(outsider)
        before = db_state()
        assert client.post(revoke_url(link)).status_code == 404
        assert db_state() == before

    @pytest.mark.parametrize("member", ["viewer", "editor"])
    def test_only_the_owner_revokes(self, client, link, member, request):
        client.force_login(request.getfixturevalue(member))
        before = db_state()
        assert client.post(revoke_url(link)).status_code == 403
        assert db_state() == before

    def test_the_owner_revokes_and_the_link_is_dead_at_once(self, client, owner, canvas, link):
        anonymous = client.__class__()
        assert anonymous.get(board_url(link)).status_code == 200
        client.force_login(owner)
        response = client.post(revoke_url(link))
        assert response["Location"] == f"{members_url(canvas)}#share-links"
        link.refresh_from_db()
        assert link.revoked_at is not None
        assert anonymous.get(board_url(link)).status_code == 404
        assert anonymous.get(pdf_url(link)).status_code == 404
        assert anonymous.post(pdf_url(link)).status_code == 404
        page = client.get(response["Location"]).content
        assert "Share link revoked" in element(page, "messages").text
        assert link.token not in page.decode()

    def test_a_dead_link_cannot_be_revoked_again(self, client, owner, link):
        revoked(link)
        client.force_login(owner)
        assert client.post(revoke_url(link)).status_code == 404

    def test_a_link_of_another_canvas_is_not_found(self, client, owner, canvas):
        other = make_share_link(make_canvas(owner, "Otro lienzo"), owner)
        client.force_login(owner)
        url = reverse("canvas_app:share_link_revoke", args=[canvas.pk, other.pk])
        assert client.post(url).status_code == 404
        assert ShareLink.objects.live().get() == other


# The shared board ----------------------------------------------------------------------------


@pytest.fixture
def full_canvas(canvas):
    """A canvas with notes in every block, a segment and a note serving it."""
    make_notes(canvas, 18)
    segment = make_segment(canvas, "Oficinas del centro")
    segment.linked_notes.add(make_note(canvas, Block.CHANNELS, "Reparto en bicicleta"))
    return canvas


class TestShareBoard:
    def test_anyone_with_the_link_sees_every_note(self, client, full_canvas, link):
        response = client.get(board_url(link))
        assert response.status_code == 200
        page = response.content
        notes = list(full_canvas.notes.all())
        assert len(notes) == 20
        for note in notes:
            assert element(page, f"note-{note.pk}").text.startswith(note.text)
            assert has_element(page, f"notes-{note.block}")
        assert find_all(page, "h1")[0].text == "Tostadores Aurora"
        assert "read-only shared view" in element(page, "share-notice").text
        markers = find_all(page, "ul", **{"class": "note__markers"})
        names = [m.find_all("span", **{"class": "visually-hidden"})[0].text for m in markers]
        assert names == ["Oficinas del centro"]

    def test_it_offers_no_way_to_change_anything(self, client, full_canvas, link):
        page = client.get(board_url(link)).content
        html = page.decode()
        # Two posts: asking for the PDF (which makes a file, not a change) and the language.
        posts = [f.attrs.get("action") for f in find_all(page, "form") if f.attrs.get("method") == "post"]
        assert posts == [reverse("set_language"), pdf_url(link)]
        assert not find_all(page, "textarea")
        assert "note__menu" not in html
        assert "board--editable" not in html and "data-move-url" not in html and "data-edit-url" not in html
        htmx = {(k, v) for e in parse(page).elements for k, v in e.attrs.items() if k.startswith("hx-")}
        # On <body> the CSRF token for htmx; on the PDF form, where its progress shows.
        assert {k for k, _v in htmx} == {"hx-headers", "hx-post", "hx-target", "hx-swap"}
        assert ("hx-post", pdf_url(link)) in htmx
        assert "Your role" not in html
        assert "js/board.js" not in html
        for label in ("Rename", "Duplicate", "Delete", "Segments it serves"):
            assert label not in html

    def test_it_links_to_no_other_page_of_the_canvas(self, client, full_canvas, link):
        page = client.get(board_url(link)).content
        # (A dialog's closing form goes nowhere: method="dialog".)
        forms = [f for f in find_all(page, "form") if f.attrs.get("method") != "dialog"]
        elements = find_all(page, "a") + forms
        targets = {e.attrs.get("href") or e.attrs.get("action") for e in elements}
        assert targets == {
            "#main",  # the skip link
            "/",  # the brand: the page about Lienzo, for a visitor without an account
            board_url(link),  # the segment highlight
            pdf_url(link),
            reverse("set_language"),
        }
        html = page.decode()
        assert "Segment details" not in html
        assert "canvas-nav" not in html
        assert f"/canvases/{full_canvas.pk}/" not in html

    def test_a_signed_in_visitor_sees_the_same_page(self, client, outsider, canvas, link):
        client.force_login(outsider)
        page = client.get(board_url(link)).content
        posts = [f.attrs.get("action") for f in find_all(page, "form") if f.attrs.get("method") == "post"]
        assert posts == [reverse("set_language"), pdf_url(link)]
        assert "My canvases" not in page.decode()

    def test_the_segment_highlight_stays_on_the_shared_page(self, client, full_canvas, link):
        segment = Segment.objects.of_canvas(full_canvas).get(note__text="Oficinas del centro")
        page = client.get(f"{board_url(link)}?filter=segment-{segment.pk}").content
        highlighted = {
            e.attrs["id"] for e in parse(page).elements if "note--highlighted" in e.attrs.get("class", "")
        }
        assert highlighted == {f"note-{segment.note_id}", f"note-{segment.linked_notes.get().pk}"}

    def test_it_keeps_the_token_out_of_referers_indexes_and_caches(self, client, link):
        response = client.get(board_url(link))
        assert response["Referrer-Policy"] == "strict-origin"
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-store" in response["Cache-Control"]

    def test_it_only_answers_get(self, client, link):
        before = db_state()
        assert client.post(board_url(link)).status_code == 405
        assert db_state() == before

    def test_a_link_to_one_canvas_shows_nothing_of_another(self, client, owner, canvas, note, link):
        other = make_canvas(owner, "Panadería Boreal")
        secret = other.add_note(block=Block.VALUE_PROPOSITIONS, text="Masa madre secreta")
        other_link = make_share_link(other, owner)
        page = client.get(board_url(link)).content.decode()
        assert "Panadería Boreal" not in page and secret.text not in page
        assert other_link.token not in page
        assert note.text in page
        assert "Panadería Boreal" in client.get(board_url(other_link)).content.decode()
        # Nothing in the URL picks another canvas.
        assert secret.text not in client.get(f"{board_url(link)}?pk={other.pk}").content.decode()

    def test_the_shared_board_costs_the_same_at_10_and_300_notes(self, client, owner):
        links = []
        for title, count in (("Pequeño", 10), ("Grande", 300)):
            shared = make_canvas(owner, title)
            make_notes(shared, count)
            links.append(make_share_link(shared, owner))

        def queries(link: ShareLink) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(board_url(link)).status_code == 200
            return len(captured)

        assert [queries(link) for link in links] == [SHARE_BOARD_QUERIES] * 2


# Dead links ----------------------------------------------------------------------------------


DEAD = {
    "revoked": lambda link: board_url(revoked(link)),
    "expired": lambda link: board_url(expired(link)),
    "unknown": lambda link: reverse("canvas_app:share_board", args=["x" * 43]),
    "one-character-off": lambda link: board_url(link)[:-2] + ("A" if link.token[-1] != "A" else "B") + "/",
    "canvas-deleted": lambda link: (url := board_url(link), link.canvas.delete())[0],
}


class TestDeadLinks:
    @pytest.mark.parametrize("how", DEAD)
    @pytest.mark.parametrize("view", ["board", "pdf"])
    def test_a_dead_link_is_the_ordinary_not_found_page(self, client, link, how, view):
        url = DEAD[how](link)
        if view == "pdf":
            url += "pdf/"
        response = client.get(url)
        assert response.status_code == 404
        assert [t.name for t in response.templates][:1] == ["404.html"]
        assert "Page not found" in response.content.decode()
        assert link.canvas.title not in response.content.decode()

    def test_a_link_dies_the_moment_it_expires(self, client, link):
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(minutes=1))
        assert client.get(board_url(link)).status_code == 200
        expired(link)
        assert client.get(board_url(link)).status_code == 404

    def test_a_malformed_token_matches_no_url(self, client):
        assert client.get("/s/not a token!/").status_code == 404
        assert client.get("/s/short/").status_code == 404


# The shared PDF ------------------------------------------------------------------------------


class TestSharePdf:
    def test_it_downloads_without_an_account(self, client, canvas, link, tmp_path):
        make_notes(canvas, 12)
        response = fetch_pdf(client, pdf_url(link))
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Referrer-Policy"] == "strict-origin"
        assert response["X-Robots-Tag"] == "noindex"
        text = pdftotext(response.content, tmp_path)
        assert "Tostadores Aurora" in text
        assert_every_note_present(canvas, text)

    def test_it_offers_the_boards_page_sizes(self, client, link, tmp_path):
        page = client.get(board_url(link)).content
        sizes = [o.attrs["value"] for o in element(page, "pdf-size").find_all("option")]
        assert sizes == ["a3", "a4", "letter"]
        content = fetch_pdf(client, pdf_url(link), "a4").content
        assert page_size(pdfinfo(content, tmp_path)) == pytest.approx(SIZES["a4"], abs=0.5)

    def test_it_holds_only_its_own_canvas(self, client, owner, canvas, note, link, tmp_path):
        other = make_canvas(owner, "Panadería Boreal")
        other.add_note(block=Block.VALUE_PROPOSITIONS, text="Masa madre secreta")
        text = pdftotext(fetch_pdf(client, pdf_url(link)).content, tmp_path)
        assert "Café fresco" in text
        assert "Panadería" not in text and "Masa madre" not in text
