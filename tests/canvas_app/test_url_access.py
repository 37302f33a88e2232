"""Every URL of the project against every identity: who gets in, who is refused, and that
a refused request changes nothing.

TABLE has one entry per URL name (the admin: one entry for its whole namespace). A URL
pattern without an entry fails `test_url_access[<its name>]`, so a new view cannot ship
without deciding who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.services import activation_token
from canvas_app.models import Block, Canvas, Change, Comment, Membership, Note, Role
from tests.conftest import PASSWORD, db_state, make_export, make_invitation, make_share_link, make_user, membership_of
from tests.segments.factories import make_persona, make_profile_item, make_segment, make_value_item, only_segment
from tests.segments.factories import make_criterion, make_relationship_item
from tests.customers.factories import make_customer_data, make_job, upload

IDENTITIES = ("anonymous", "outsider", "viewer", "commenter", "editor", "owner")


# The world every request runs in --------------------------------------------------------


@dataclass
class World:
    owner: object
    editor: object
    viewer: object
    outsider: object
    commenter: object
    superuser: object
    canvas: Canvas
    note: Note
    deleted_note: Note

    def user(self, identity: str):
        return None if identity == "anonymous" else getattr(self, identity)

    def board(self) -> str:
        return reverse("canvas_app:board", args=[self.canvas.pk])


@pytest.fixture
def world(owner, editor, viewer, outsider, canvas, note, deleted_note) -> World:
    superuser = make_user("sara", is_staff=True, is_superuser=True)
    commenter = make_user("carmen")
    Membership.objects.create(canvas=canvas, user=commenter, role=Role.COMMENTER)
    return World(owner, editor, viewer, outsider, commenter, superuser, canvas, note, deleted_note)


# What a request may answer ----------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    to: Callable[[World, str], str] | None = None  # where a redirect goes, given the URL asked
    prefix: bool = False  # `to` gives the start of the location only (e.g. a new object's URL)
    refused: bool = False  # the request is turned away: it must change nothing
    content_type: str | None = None  # when given, the response's Content-Type

    def check(self, response, world: World, url: str) -> None:
        assert response.status_code == self.status, (
            f"expected {self.status}, got {response.status_code}"
        )
        if self.content_type is not None:
            assert response["Content-Type"] == self.content_type, (
                f"expected {self.content_type}, got {response['Content-Type']}"
            )
        if self.to is not None:
            expected, location = self.to(world, url), response["Location"]
            matches = location.startswith(expected) if self.prefix else location == expected
            assert matches, f"redirects to {location}, not {expected}{'…' if self.prefix else ''}"


OK = Expect(200)
PDF = Expect(200, content_type="application/pdf")
LOGIN = Expect(302, to=lambda w, url: redirect_to_login(url).url, refused=True)
ADMIN_LOGIN = Expect(
    302, to=lambda w, url: redirect_to_login(url, reverse("admin:login")).url, refused=True
)
FORBIDDEN = Expect(403, refused=True)
NOT_FOUND = Expect(404, refused=True)
NOT_ALLOWED = Expect(405, refused=True)


def redirect(
    to: str | Callable[[World], str], *, prefix: bool = False, refused: bool = False
) -> Expect:
    """A 302 to a URL name, or to what `to(world)` gives (or a URL starting so, with `prefix`)."""
    return Expect(
        302,
        to=lambda w, url: to(w) if callable(to) else reverse(to),
        prefix=prefix,
        refused=refused,
    )


def each(expect: Expect, **overrides: Expect) -> dict[str, Expect]:
    return {identity: overrides.get(identity, expect) for identity in IDENTITIES}


def members_only(viewer: Expect, editor: Expect, owner: Expect, *, commenter: Expect | None = None) -> dict[str, Expect]:
    """A commenter may do what a viewer may, unless told otherwise (comments)."""
    return {
        "anonymous": LOGIN,
        "outsider": NOT_FOUND,
        "viewer": viewer,
        "commenter": viewer if commenter is None else commenter,
        "editor": editor,
        "owner": owner,
    }


def logged_in(expect: Expect) -> dict[str, Expect]:
    return each(expect, anonymous=LOGIN)


@dataclass(frozen=True)
class Check:
    method: str
    expect: dict[str, Expect]
    data: Callable[[World], dict] = lambda w: {}
    mutates: bool = False  # when allowed, the request must change the database


@dataclass(frozen=True)
class Entry:
    checks: tuple[Check, ...]
    kwargs: Callable[[World], dict] = lambda w: {}
    urls: Callable[[World, str], list[str]] | None = None  # instead of reverse(name, kwargs)


def _canvas(w: World) -> dict:
    return {"pk": w.canvas.pk}


def _note(w: World) -> dict:
    return {"pk": w.canvas.pk, "note_id": w.note.pk}


def _to_comments(w: World) -> str:
    return reverse("canvas_app:note_comments", args=[w.canvas.pk, w.note.pk])


def _thread(w: World, *, resolved: bool) -> dict:
    """A thread on the note, open or resolved (made again for each request)."""
    thread = Comment(canvas=w.canvas, note=w.note, author=w.viewer, text="¿Y los sábados?")
    thread.add(by=w.owner)
    if resolved:
        thread.resolve(by=w.owner)
    return {"pk": w.canvas.pk, "comment_id": thread.pk}


def _to_versions(w: World) -> str:
    return reverse("canvas_app:versions", args=[w.canvas.pk])


def _version(w: World) -> dict:
    """A version of the canvas (taken by its owner), by id."""
    from canvas_app.snapshots import take

    snapshot = w.canvas.snapshots.filter(name="Versión de prueba").first() or take(w.canvas, by=w.owner, name="Versión de prueba")
    return {"pk": w.canvas.pk, "snapshot_id": snapshot.pk}


def _with_version(w: World) -> dict:
    _version(w)
    return _canvas(w)


def _to_evidence(w: World) -> str:
    return reverse("canvas_app:note_evidence", args=[w.canvas.pk, w.note.pk])


def _own_changes(w: World, *, undone: bool) -> dict:
    """The editor and the owner each add a note (and undo it, for a redo)."""
    from canvas_app.history import undo

    for user in (w.editor, w.owner):
        w.canvas.add_note(block=Block.KEY_RESOURCES, text=f"Nota de {user.username}", by=user)
        if undone:
            undo(w.canvas, user)
    return _canvas(w)


def _to_board(w: World) -> str:
    return w.board()


def _to_note(w: World) -> str:
    return f"{w.board()}#note-{w.note.pk}"


def _to_members(w: World) -> str:
    return reverse("canvas_app:members", args=[w.canvas.pk])


TO_A_NEW_NOTE = redirect(lambda w: f"{w.board()}#note-", prefix=True)
TO_AN_EXPORT = Expect(303, to=lambda w, url: f"/canvases/{w.canvas.pk}/exports/", prefix=True)
TO_A_NEW_BOARD = redirect(lambda w: "/canvases/", prefix=True)
TO_A_JOB = Expect(303, to=lambda w, url: f"/canvases/{w.canvas.pk}/customers/jobs/", prefix=True)
TO_CUSTOMERS = Expect(303, to=lambda w, url: reverse("customers:overview", args=[w.canvas.pk]))
CSV = Expect(200, content_type="text/csv; charset=utf-8")
JSON = Expect(200, content_type="application/json; charset=utf-8")
TO_CAMPAIGNS = Expect(303, to=lambda w, url: reverse("customers:campaigns", args=[w.canvas.pk]), prefix=True)
TO_GROUPS = Expect(303, to=lambda w, url: reverse("customers:overview", args=[w.canvas.pk]) + "#groups-title")


def _job_columns() -> dict:
    return {"separator": ",", "header": "on", "date_format": "%Y-%m-%d", "customer": "customer", "date": "date", "amount": "amount"}


def _plan(w: World) -> str:
    return reverse("segments:relationship", args=[w.canvas.pk, only_segment(w.canvas).pk])


def _campaign(w: World):
    from customers.models import PlannedCampaign

    return PlannedCampaign.objects.create(canvas=w.canvas, group="loyal", name="Club", kind="retention")


def _checked_job(w: World):
    """An upload read, with bad lines, waiting for a decision."""
    from customers.models import Job

    job = make_job(w.canvas, w.owner)
    job.report(status=Job.Status.CHECKED, valid_rows=21, bad_rows=2)
    return job
def _deleted(item, w: World):
    """A persona or fit item an editor deleted a moment ago: it may still come back."""
    item.delete_softly(by=w.editor)
    return item


TO_UNDO = redirect(lambda w: f"{w.board()}?deleted={w.note.pk}")
TO_RESTORED = redirect(lambda w: f"{w.board()}#note-{w.deleted_note.pk}")


def _admin_urls(w: World, name: str) -> list[str]:
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    return [reverse("admin:index"), *changelists]


def _reset_link(w: World) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(w.owner.pk)),
        "token": default_token_generator.make_token(w.owner),
    }


def _activation_link(w: World) -> dict:
    """A sign-up waiting for its address to be confirmed."""
    user = get_user_model().objects.filter(username="paula").first() or make_user("paula", is_active=False)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": activation_token.make_token(user),
    }


NEW_PASSWORD = "a-different-long-passphrase-42"

TABLE: dict[str, Entry] = {
    # Canvases
    # Logged out, the landing page; logged in, the dashboard.
    "canvas_app:dashboard": Entry(checks=(Check("get", each(OK)),)),
    "canvas_app:canvas_create": Entry(
        checks=(
            Check("get", logged_in(OK)),
            Check(
                "post",
                logged_in(TO_A_NEW_BOARD),
                data=lambda w: {"title": "Nuevo lienzo", "language": "es"},
                mutates=True,
            ),
        )
    ),
    # The example gallery: anyone logged in may copy an example as a canvas of their own.
    "gallery:list": Entry(checks=(Check("get", logged_in(OK)),)),
    "gallery:use": Entry(
        kwargs=lambda w: {"slug": "coffee-subscription"},
        checks=(Check("post", logged_in(TO_A_NEW_BOARD), mutates=True),),
    ),
    "canvas_app:board": Entry(kwargs=_canvas, checks=(Check("get", members_only(OK, OK, OK)),)),
    "canvas_app:canvas_edit": Entry(
        kwargs=_canvas,
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_board), redirect(_to_board)),
                data=lambda w: {"title": "Tostadores Boreal", "language": "en"},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:board_changes": Entry(kwargs=_canvas, checks=(Check("get", members_only(OK, OK, OK)),)),
    # The canvas' memory: anyone who reads the canvas reads its history; undo and redo are
    # an editor's own changes (each has one to undo, and one undone to redo).
    "canvas_app:activity": Entry(kwargs=_canvas, checks=(Check("get", members_only(OK, OK, OK)),)),
    "canvas_app:note_history": Entry(kwargs=_note, checks=(Check("get", members_only(OK, OK, OK)),)),
    # A note's evidence (status, test and learning cards): readers see it, editors change it.
    "canvas_app:note_evidence": Entry(
        kwargs=_note,
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_evidence), redirect(_to_evidence)),
                data=lambda w: {"status": "testing", "test_believe": "Los vecinos pagarían por café fresco"},
                mutates=True,
            ),
        ),
    ),
    # Comments: readers read the threads; commenters (and up) write, reply, resolve and reopen.
    "canvas_app:note_comments": Entry(
        kwargs=_note,
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_comments, prefix=True), redirect(_to_comments, prefix=True),
                             commenter=redirect(_to_comments, prefix=True)),
                data=lambda w: {"text": "¿Lo hemos probado con oficinas? @eduardo"},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:comment_resolve": Entry(
        kwargs=lambda w: _thread(w, resolved=False),
        checks=(Check("post", members_only(FORBIDDEN, redirect(_to_comments, prefix=True), redirect(_to_comments, prefix=True),
                                           commenter=redirect(_to_comments, prefix=True)), mutates=True),),
    ),
    "canvas_app:comment_reopen": Entry(
        kwargs=lambda w: _thread(w, resolved=True),
        checks=(Check("post", members_only(FORBIDDEN, redirect(_to_comments, prefix=True), redirect(_to_comments, prefix=True),
                                           commenter=redirect(_to_comments, prefix=True)), mutates=True),),
    ),
    # Versions: readers list, open and compare them; editors name, restore and copy them.
    "canvas_app:versions": Entry(
        kwargs=_canvas,
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_versions), redirect(_to_versions)),
                data=lambda w: {"name": "Antes de la reunión con inversores"},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:versions_compare": Entry(kwargs=_with_version, checks=(Check("get", members_only(OK, OK, OK)),)),
    "canvas_app:version": Entry(kwargs=_version, checks=(Check("get", members_only(OK, OK, OK)),)),
    "canvas_app:version_restore": Entry(
        kwargs=_version,
        checks=(Check("post", members_only(FORBIDDEN, redirect(_to_board), redirect(_to_board)), mutates=True),),
    ),
    "canvas_app:version_copy": Entry(
        kwargs=_version,
        checks=(Check("post", members_only(FORBIDDEN, redirect("canvas_app:dashboard", prefix=True), redirect("canvas_app:dashboard", prefix=True)), mutates=True),),
    ),
    "canvas_app:board_undo": Entry(
        kwargs=lambda w: _own_changes(w, undone=False),
        checks=(Check("post", members_only(FORBIDDEN, redirect(_to_board), redirect(_to_board)), mutates=True),),
    ),
    "canvas_app:board_redo": Entry(
        kwargs=lambda w: _own_changes(w, undone=True),
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_board, prefix=True), redirect(_to_board, prefix=True)),
                mutates=True,
            ),
        ),
    ),
    # Printing: asking for a PDF queues it (readers may print), the file comes from its export.
    "canvas_app:canvas_pdf": Entry(
        kwargs=_canvas,
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check("post", members_only(TO_AN_EXPORT, TO_AN_EXPORT, TO_AN_EXPORT), data=lambda w: {"size": "a4"}, mutates=True),
        ),
    ),
    "canvas_app:export": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "export_id": make_export(w.canvas).pk},
        checks=(Check("get", members_only(OK, OK, OK)),),
    ),
    "canvas_app:export_file": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "export_id": make_export(w.canvas).pk},
        checks=(Check("get", members_only(PDF, PDF, PDF)),),
    ),
    "canvas_app:canvas_duplicate": Entry(
        kwargs=_canvas,
        checks=(
            Check("post", members_only(FORBIDDEN, TO_A_NEW_BOARD, TO_A_NEW_BOARD), mutates=True),
        ),
    ),
    "canvas_app:canvas_delete": Entry(
        kwargs=_canvas,
        checks=(
            Check("get", members_only(FORBIDDEN, FORBIDDEN, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, FORBIDDEN, redirect("canvas_app:dashboard")),
                mutates=True,
            ),
        ),
    ),
    # Members
    "canvas_app:members": Entry(
        kwargs=_canvas,
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    FORBIDDEN,
                    redirect(lambda w: reverse("canvas_app:members", args=[w.canvas.pk])),
                ),
                data=lambda w: {"email": "nadie@example.com", "role": Role.VIEWER},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:member_role": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "member_id": membership_of(w.canvas, w.editor).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    FORBIDDEN,
                    redirect(lambda w: reverse("canvas_app:members", args=[w.canvas.pk])),
                ),
                data=lambda w: {"role": Role.VIEWER},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:member_remove": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "member_id": membership_of(w.canvas, w.viewer).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    FORBIDDEN,
                    redirect(lambda w: reverse("canvas_app:members", args=[w.canvas.pk])),
                ),
                mutates=True,
            ),
        ),
    ),
    # Invitations: the owner sends and revokes them; whoever holds a pending one and logs in joins.
    "canvas_app:invitation_revoke": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "invitation_id": make_invitation(w.canvas, w.owner)[0].pk},
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, FORBIDDEN, redirect(lambda w: f"{_to_members(w)}#invitations")),
                mutates=True,
            ),
        ),
    ),
    # Members accept too (their role stays): the invitation is used up either way.
    "canvas_app:invitation_accept": Entry(
        kwargs=lambda w: {"token": make_invitation(w.canvas, w.owner)[1]},
        checks=(
            Check("get", each(OK)),  # logged out: what it is for, and the way to log in or sign up
            Check("post", logged_in(redirect(_to_board)), mutates=True),
        ),
    ),
    # Share links: the owner manages them; whoever holds a live one reads the board and its PDF.
    "canvas_app:share_link_create": Entry(
        kwargs=_canvas,
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, FORBIDDEN, redirect(lambda w: f"{_to_members(w)}#share-link-", prefix=True)),
                data=lambda w: {"expires_in_days": "7"},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:share_link_revoke": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "link_id": make_share_link(w.canvas, w.owner).pk},
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, FORBIDDEN, redirect(lambda w: f"{_to_members(w)}#share-links")),
                mutates=True,
            ),
        ),
    ),
    "canvas_app:share_board": Entry(
        kwargs=lambda w: {"token": make_share_link(w.canvas, w.owner).token},
        checks=(Check("get", each(OK)),),
    ),
    "canvas_app:share_pdf": Entry(
        kwargs=lambda w: {"token": make_share_link(w.canvas, w.owner).token},
        checks=(
            Check("get", each(OK)),
            Check("post", each(Expect(303, to=lambda w, url: url.removesuffix("pdf/") + "exports/", prefix=True)),
                  data=lambda w: {"size": "a4"}, mutates=True),
        ),
    ),
    "canvas_app:share_export": Entry(
        kwargs=lambda w: {"token": (link := make_share_link(w.canvas, w.owner)).token, "export_id": make_export(w.canvas, share_link=link).pk},
        checks=(Check("get", each(OK)),),
    ),
    "canvas_app:share_export_file": Entry(
        kwargs=lambda w: {"token": (link := make_share_link(w.canvas, w.owner)).token, "export_id": make_export(w.canvas, share_link=link).pk},
        checks=(Check("get", each(PDF)),),
    ),
    # Segments: pages
    "segments:list": Entry(kwargs=_canvas, checks=(Check("get", members_only(OK, OK, OK)),)),
    "segments:detail": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: reverse("segments:detail", args=[w.canvas.pk, only_segment(w.canvas).pk]))] * 2,
                ),
                data=lambda w: {"name": "Cafeterías de barrio", "customer_type": "b2b"},
                mutates=True,
            ),
        ),
    ),
    # The canvas gets a segment for the note to serve.
    "segments:note_links": Entry(
        kwargs=lambda w: (make_segment(w.canvas), _note(w))[1],
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_note), redirect(_to_note)),
                data=lambda w: {"segments": [only_segment(w.canvas).pk]},
                mutates=True,
            ),
        ),
    ),
    # The board's segment picker: htmx opens it in the note; without htmx, the page above.
    "segments:note_picker": Entry(
        kwargs=lambda w: (make_segment(w.canvas), _note(w))[1],
        checks=(
            Check(
                "get",
                members_only(
                    FORBIDDEN, *[redirect(lambda w: reverse("segments:note_links", args=[w.canvas.pk, w.note.pk]))] * 2
                ),
            ),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_note), redirect(_to_note)),
                data=lambda w: {"link": only_segment(w.canvas).pk},
                mutates=True,
            ),
        ),
    ),
    # The board's legend, fetched again by htmx; without htmx, the segment list.
    "segments:legend": Entry(
        kwargs=_canvas,
        checks=(Check("get", members_only(*[redirect(lambda w: reverse("segments:list", args=[w.canvas.pk]))] * 3)),),
    ),
    # The notes that serve a segment, ticked on its page.
    "segments:segment_notes": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:detail', args=[w.canvas.pk, only_segment(w.canvas).pk])}#served")] * 2,
                ),
                data=lambda w: {"notes": [w.note.pk]},
                mutates=True,
            ),
        ),
    ),
    "segments:colour": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: reverse("segments:detail", args=[w.canvas.pk, only_segment(w.canvas).pk]))] * 2,
                ),
                data=lambda w: {"colour": "5"},
                mutates=True,
            ),
        ),
    ),
    "segments:persona_add": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:detail', args=[w.canvas.pk, only_segment(w.canvas).pk])}#persona-", prefix=True)] * 2,
                ),
                data=lambda w: {"name": "Lucía Pérez", "age": "34"},
                mutates=True,
            ),
        ),
    ),
    "segments:persona_edit": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "persona_id": make_persona(segment).pk,
        },
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:detail', args=[w.canvas.pk, only_segment(w.canvas).pk])}#persona-{only_segment(w.canvas).personas.get().pk}")] * 2,
                ),
                data=lambda w: {"name": "Lucía Gómez"},
                mutates=True,
            ),
        ),
    ),
    "segments:persona_delete": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "persona_id": make_persona(segment).pk,
        },
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:detail', args=[w.canvas.pk, only_segment(w.canvas).pk])}?deleted=", prefix=True)] * 2,
                ),
                mutates=True,
            ),
        ),
    ),
    # Undo of a deletion: a persona or a fit item deleted a moment ago comes back.
    "segments:persona_restore": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "persona_id": _deleted(make_persona(segment), w).pk,
        },
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:detail', args=[w.canvas.pk, only_segment(w.canvas).pk])}#persona-{only_segment(w.canvas).personas.get().pk}")] * 2,
                ),
                mutates=True,
            ),
        ),
    ),
    "segments:fit": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(Check("get", members_only(OK, OK, OK)),),
    ),
    "segments:relationship": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(Check("get", members_only(OK, OK, OK)),),
    ),
    "segments:relationship_item_add": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, *[redirect(lambda w: f"{_plan(w)}#relationship-item-", prefix=True)] * 2),
                data=lambda w: {"topic": "touchpoints", "stage": "awareness", "text": "Cata en el mercado"},
                mutates=True,
            ),
        ),
    ),
    "segments:relationship_item_edit": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": make_relationship_item(segment, "support", "Respuesta en 24 horas").pk,
        },
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, *[redirect(lambda w: f"{_plan(w)}#relationship-item-", prefix=True)] * 2),
                data=lambda w: {"text": "Respuesta en 4 horas"},
                mutates=True,
            ),
        ),
    ),
    "segments:relationship_item_delete": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": make_relationship_item(segment, "support", "Respuesta en 24 horas").pk,
        },
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, *[redirect(lambda w: f"{_plan(w)}?deleted=", prefix=True)] * 2),
                mutates=True,
            ),
        ),
    ),
    "segments:relationship_item_restore": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": _deleted(make_relationship_item(segment, "support", "Respuesta en 24 horas"), w).pk,
        },
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, *[redirect(lambda w: f"{_plan(w)}#relationship-item-", prefix=True)] * 2),
                mutates=True,
            ),
        ),
    ),
    "segments:relationship_link": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (make_segment(w.canvas), w.canvas.add_note(block=Block.CUSTOMER_RELATIONSHIPS, text="Comunidad"))[0].pk,
        },
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, *[redirect(lambda w: f"{_plan(w)}#relationship-types")] * 2),
                data=lambda w: {"note": w.canvas.notes.get(block=Block.CUSTOMER_RELATIONSHIPS).pk},
                mutates=True,
            ),
        ),
    ),
    "segments:profile_item_add": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}#profile-item-", prefix=True)] * 2,
                ),
                data=lambda w: {"kind": "pain", "text": "El café llega rancio", "importance": "3"},
                mutates=True,
            ),
        ),
    ),
    "segments:profile_item_edit": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": make_profile_item(segment, "pain", "El café llega rancio").pk,
        },
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}#profile-item-{only_segment(w.canvas).profile_items.get().pk}")] * 2,
                ),
                data=lambda w: {"text": "El café llega tarde", "importance": "1"},
                mutates=True,
            ),
        ),
    ),
    "segments:profile_item_delete": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": make_profile_item(segment, "pain", "El café llega rancio").pk,
        },
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}?deleted=profile-", prefix=True)] * 2,
                ),
                mutates=True,
            ),
        ),
    ),
    "segments:profile_item_restore": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": _deleted(make_profile_item(segment, "pain", "El café llega rancio"), w).pk,
        },
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}#profile-item-{only_segment(w.canvas).profile_items.get().pk}")] * 2,
                ),
                mutates=True,
            ),
        ),
    ),
    "segments:value_item_add": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "segment_id": make_segment(w.canvas).pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}#value-item-", prefix=True)] * 2,
                ),
                data=lambda w: {"kind": "product", "text": "Suscripción mensual", "notes": [w.note.pk]},
                mutates=True,
            ),
        ),
    ),
    "segments:value_item_edit": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": make_value_item(segment, "reliever", "Tueste semanal").pk,
        },
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}#value-item-{only_segment(w.canvas).value_items.get().pk}")] * 2,
                ),
                data=lambda w: {"text": "Tueste diario"},
                mutates=True,
            ),
        ),
    ),
    "segments:value_item_delete": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": make_value_item(segment, "reliever", "Tueste semanal").pk,
        },
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}?deleted=value-", prefix=True)] * 2,
                ),
                mutates=True,
            ),
        ),
    ),
    "segments:value_item_restore": Entry(
        kwargs=lambda w: {
            "pk": w.canvas.pk,
            "segment_id": (segment := make_segment(w.canvas)).pk,
            "item_id": _deleted(make_value_item(segment, "reliever", "Tueste semanal"), w).pk,
        },
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    *[redirect(lambda w: f"{reverse('segments:fit', args=[w.canvas.pk, only_segment(w.canvas).pk])}#value-item-{only_segment(w.canvas).value_items.get().pk}")] * 2,
                ),
                mutates=True,
            ),
        ),
    ),
    # Segments: prioritisation
    # Customer data: members see the figures; owners and editors upload, choose and download rows.
    "canvas_app:canvas_import": Entry(
        checks=(
            Check("get", logged_in(OK)),
            Check(
                "post", logged_in(TO_A_NEW_BOARD), mutates=True,
                data=lambda w: {"file": SimpleUploadedFile("c.md", "# Bicis\n## Canales\n- Tienda\n".encode())},
            ),
        ),
    ),
    "canvas_app:canvas_document": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "kind": "json"},
        checks=(Check("get", members_only(JSON, JSON, JSON)),),
    ),
    "customers:overview": Entry(kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1], checks=(Check("get", members_only(OK, OK, OK)),)),
    "customers:upload": Entry(
        kwargs=_canvas,
        checks=(Check("post", members_only(FORBIDDEN, TO_A_JOB, TO_A_JOB), data=lambda w: {"file": upload()}, mutates=True),),
    ),
    "customers:job": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "job_id": make_job(w.canvas, w.owner).pk},
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check("post", members_only(FORBIDDEN, TO_A_JOB, TO_A_JOB), data=lambda w: _job_columns(), mutates=True),
        ),
    ),
    "customers:job_confirm": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "job_id": _checked_job(w).pk},
        checks=(Check("post", members_only(FORBIDDEN, TO_A_JOB, TO_A_JOB), mutates=True),),
    ),
    "customers:job_cancel": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "job_id": make_job(w.canvas, w.owner).pk},
        checks=(Check("post", members_only(FORBIDDEN, TO_CUSTOMERS, TO_CUSTOMERS), mutates=True),),
    ),
    "customers:choices": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(
            Check(
                "post", members_only(FORBIDDEN, TO_A_JOB, TO_A_JOB), mutates=True,
                data=lambda w: {"binning": "equal_bins", "horizon_days": "60"},
            ),
        ),
    ),
    "customers:grid": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check("post", members_only(FORBIDDEN, TO_A_JOB, TO_A_JOB), data=lambda w: {"reset": "1"}, mutates=True),
        ),
    ),
    "customers:promote": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(
            Check(
                "post", members_only(FORBIDDEN, TO_GROUPS, TO_GROUPS), mutates=True,
                data=lambda w: {"groups": list(w.canvas.customer_data.summary["groups"])[:1]},
            ),
        ),
    ),
    "customers:campaigns": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post", members_only(FORBIDDEN, TO_CAMPAIGNS, TO_CAMPAIGNS), mutates=True,
                data=lambda w: {"name": "Vuelve", "group": "lost", "kind": "win_back"},
            ),
        ),
    ),
    "customers:playbook": Entry(
        kwargs=lambda w: {**(make_customer_data(w.canvas) and _canvas(w)), "group": "lost"},
        checks=(
            Check(
                "post", members_only(FORBIDDEN, TO_CAMPAIGNS, TO_CAMPAIGNS), mutates=True,
                data=lambda w: {"lost-kind": "win_back", "lost-playbook": "Una última oferta."},
            ),
        ),
    ),
    "customers:campaign_edit": Entry(
        kwargs=lambda w: {**_canvas(w), "campaign_id": _campaign(w).pk},
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check(
                "post", members_only(FORBIDDEN, TO_CAMPAIGNS, TO_CAMPAIGNS), mutates=True,
                data=lambda w: {"name": "Club de socios", "group": "loyal", "kind": "retention"},
            ),
        ),
    ),
    "customers:campaign_delete": Entry(
        kwargs=lambda w: {**_canvas(w), "campaign_id": _campaign(w).pk},
        checks=(Check("post", members_only(FORBIDDEN, TO_CAMPAIGNS, TO_CAMPAIGNS), mutates=True),),
    ),
    "customers:campaign_export": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), {**_canvas(w), "campaign_id": _campaign(w).pk})[1],
        checks=(Check("get", members_only(FORBIDDEN, CSV, CSV)),),
    ),
    "customers:report": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check("post", members_only(TO_AN_EXPORT, TO_AN_EXPORT, TO_AN_EXPORT), data=lambda w: {"size": "a4"}, mutates=True),
        ),
    ),
    "customers:export": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(Check("get", members_only(FORBIDDEN, CSV, CSV)),),
    ),
    "customers:delete": Entry(
        kwargs=lambda w: (make_customer_data(w.canvas), _canvas(w))[1],
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check("post", members_only(FORBIDDEN, TO_CUSTOMERS, TO_CUSTOMERS), mutates=True),
        ),
    ),
    "prioritisation:ranking": Entry(kwargs=_canvas, checks=(Check("get", members_only(OK, OK, OK)),)),
    "prioritisation:report": Entry(
        kwargs=lambda w: (make_segment(w.canvas), _canvas(w))[1],
        checks=(
            Check("get", members_only(OK, OK, OK)),
            Check("post", members_only(TO_AN_EXPORT, TO_AN_EXPORT, TO_AN_EXPORT), data=lambda w: {"size": "a4"}, mutates=True),
        ),
    ),
    "prioritisation:scores": Entry(
        kwargs=lambda w: (make_segment(w.canvas), make_criterion(w.canvas, "Tamaño"), _canvas(w))[2],
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, *[redirect(lambda w: reverse("prioritisation:scores", args=[w.canvas.pk]))] * 2),
                data=lambda w: {f"score-{only_segment(w.canvas).pk}-{w.canvas.criteria.get().pk}": "4"},
                mutates=True,
            ),
        ),
    ),
    "prioritisation:primary": Entry(
        kwargs=lambda w: (make_segment(w.canvas), _canvas(w))[1],
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN, FORBIDDEN, redirect(lambda w: f"{reverse('prioritisation:ranking', args=[w.canvas.pk])}#ranking")
                ),
                data=lambda w: {"segment": only_segment(w.canvas).pk},
                mutates=True,
            ),
        ),
    ),
    "prioritisation:threshold": Entry(
        kwargs=_canvas,
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN, FORBIDDEN, redirect(lambda w: f"{reverse('prioritisation:ranking', args=[w.canvas.pk])}#warnings")
                ),
                data=lambda w: {"min_segment_size": "500"},
                mutates=True,
            ),
        ),
    ),
    "prioritisation:criteria": Entry(
        kwargs=_canvas,
        checks=(
            Check("get", members_only(FORBIDDEN, FORBIDDEN, OK)),
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    FORBIDDEN,
                    redirect(lambda w: f"{reverse('prioritisation:criteria', args=[w.canvas.pk])}#criterion-", prefix=True),
                ),
                data=lambda w: {"name": "Fidelidad", "weight": "2", "axis": "ability"},
                mutates=True,
            ),
        ),
    ),
    "prioritisation:criterion_edit": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "criterion_id": make_criterion(w.canvas, "Tamaño").pk},
        checks=(
            Check(
                "post",
                members_only(
                    FORBIDDEN,
                    FORBIDDEN,
                    redirect(lambda w: f"{reverse('prioritisation:criteria', args=[w.canvas.pk])}#criterion-{w.canvas.criteria.get().pk}"),
                ),
                data=lambda w: {"name": "Tamaño del mercado", "weight": "4", "axis": "attractiveness"},
                mutates=True,
            ),
        ),
    ),
    "prioritisation:criterion_delete": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "criterion_id": make_criterion(w.canvas, "Tamaño").pk},
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, FORBIDDEN, redirect(lambda w: reverse("prioritisation:criteria", args=[w.canvas.pk]))),
                mutates=True,
            ),
        ),
    ),
    # Notes
    "canvas_app:note_add": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "block": Block.VALUE_PROPOSITIONS},
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, TO_A_NEW_NOTE, TO_A_NEW_NOTE),
                data=lambda w: {"text": "Tueste propio", "colour": "green"},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:note_detail": Entry(
        kwargs=_note,
        checks=(
            Check("get", members_only(redirect(_to_note), redirect(_to_note), redirect(_to_note))),
        ),
    ),
    "canvas_app:note_actions": Entry(
        kwargs=_note, checks=(Check("get", members_only(FORBIDDEN, OK, OK)),)
    ),
    "canvas_app:note_edit": Entry(
        kwargs=_note,
        checks=(
            Check("get", members_only(FORBIDDEN, OK, OK)),
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_note), redirect(_to_note)),
                data=lambda w: {"text": "Café de origen", "colour": "blue"},
                mutates=True,
            ),
        ),
    ),
    "canvas_app:note_delete": Entry(
        kwargs=_note,
        checks=(Check("post", members_only(FORBIDDEN, TO_UNDO, TO_UNDO), mutates=True),),
    ),
    "canvas_app:note_restore": Entry(
        kwargs=lambda w: {"pk": w.canvas.pk, "note_id": w.deleted_note.pk},
        checks=(Check("post", members_only(FORBIDDEN, TO_RESTORED, TO_RESTORED), mutates=True),),
    ),
    "canvas_app:note_move": Entry(
        kwargs=_note,
        checks=(
            Check(
                "post",
                members_only(FORBIDDEN, redirect(_to_note), redirect(_to_note)),
                data=lambda w: {"block": Block.CUSTOMER_SEGMENTS},
                mutates=True,
            ),
        ),
    ),
    # Accounts
    "signup": Entry(
        checks=(
            Check("get", each(redirect("canvas_app:dashboard"), anonymous=OK)),
            Check(
                "post",
                each(
                    redirect("canvas_app:dashboard", refused=True),
                    anonymous=redirect("signup_done"),
                ),
                data=lambda w: {
                    "username": "nuria",
                    "email": "nuria@example.com",
                    "password1": NEW_PASSWORD,
                    "password2": NEW_PASSWORD,
                },
                mutates=True,
            ),
        )
    ),
    "signup_done": Entry(checks=(Check("get", each(OK)),)),
    # Counted against the sign-up email limits whether or not an account waits at the address.
    "signup_resend": Entry(
        checks=(
            Check(
                "post",
                each(redirect("canvas_app:dashboard", refused=True), anonymous=redirect("signup_done")),
                data=lambda w: {"email": "nuria@example.com"},
                mutates=True,
            ),
        )
    ),
    # Whoever holds the emailed link may confirm the account, and is logged in to it.
    "activate": Entry(
        kwargs=_activation_link,
        checks=(
            Check("get", each(OK)),
            Check("post", each(redirect("canvas_app:dashboard")), mutates=True),
        ),
    ),
    "login": Entry(
        checks=(
            Check("get", each(OK)),
            Check(
                "post",
                each(redirect("canvas_app:dashboard")),
                data=lambda w: {"username": w.owner.username, "password": PASSWORD},
            ),
        )
    ),
    "logout": Entry(
        checks=(Check("get", each(NOT_ALLOWED)), Check("post", each(redirect("login"))))
    ),
    "password_change": Entry(
        checks=(
            Check("get", logged_in(OK)),
            Check(
                "post",
                logged_in(redirect("password_change_done")),
                data=lambda w: {
                    "old_password": PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
                mutates=True,
            ),
        )
    ),
    "password_change_done": Entry(checks=(Check("get", logged_in(OK)),)),
    "password_reset": Entry(
        checks=(
            Check("get", each(OK)),
            Check(
                "post",
                each(redirect("password_reset_done")),
                data=lambda w: {"email": w.owner.email},
            ),
        )
    ),
    "password_reset_done": Entry(checks=(Check("get", each(OK)),)),
    # A valid link trades its token for a session and redirects to the set-password form.
    "password_reset_confirm": Entry(
        kwargs=_reset_link,
        checks=(
            Check(
                "get",
                each(
                    redirect(lambda w: f"/accounts/reset/{_reset_link(w)['uidb64']}/set-password/")
                ),
            ),
        ),
    ),
    "password_reset_complete": Entry(checks=(Check("get", each(OK)),)),
    # Languages
    "set_language": Entry(
        checks=(
            Check(
                "post",
                each(redirect(lambda w: w.board())),
                data=lambda w: {"language": "es", "next": w.board()},
            ),
        )
    ),
    # The admin: staff only. Its index and every model's list stand for the whole namespace.
    "admin": Entry(
        urls=_admin_urls,
        checks=(Check("get", {**each(ADMIN_LOGIN), "superuser": OK}),),
    ),
}


# Walking the URLconf ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None  # the full name, e.g. "canvas_app:board"; None for an unnamed pattern
    namespaces: tuple[str, ...]
    route: str

    def __str__(self) -> str:
        return self.name or ":".join([*self.namespaces, self.route])


def walk(patterns, namespaces: tuple[str, ...] = (), prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from walk(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            name = ":".join([*namespaces, pattern.name]) if pattern.name else None
            yield Pattern(name, namespaces, route)


def entry_key(pattern: Pattern) -> str | None:
    """The TABLE key covering `pattern`: its full name, else a namespace, else its route."""
    namespaces = [":".join(pattern.namespaces[:n]) for n in range(len(pattern.namespaces), 0, -1)]
    for key in [pattern.name, *namespaces, pattern.route]:
        if key in TABLE:
            return key
    return None


PATTERNS = list(walk(get_resolver().url_patterns))


def _cases():
    covered: dict[str, None] = {}
    for pattern in PATTERNS:
        key = entry_key(pattern)
        if key is None:
            yield pytest.param(str(pattern), None, id=str(pattern))
        else:
            covered.setdefault(key)
    for key in covered:
        for identity in TABLE[key].checks[0].expect:
            yield pytest.param(key, identity, id=f"{key}-{identity}")


# The tests ---------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry():
    missing = [str(p) for p in PATTERNS if entry_key(p) is None]
    assert not missing, f"URL patterns without an entry in TABLE: {', '.join(missing)}"


def test_every_entry_names_a_url_pattern():
    used = {entry_key(p) for p in PATTERNS}
    assert not set(TABLE) - used, (
        f"TABLE entries that match no URL pattern: {sorted(set(TABLE) - used)}"
    )


def test_the_admin_is_covered_by_namespace_including_unnamed_patterns():
    admin_patterns = [p for p in PATTERNS if p.namespaces[:1] == ("admin",)]
    assert any(p.name is None for p in admin_patterns)  # e.g. the catch-all
    assert {entry_key(p) for p in admin_patterns} == {"admin"}


@pytest.mark.parametrize(("key", "identity"), list(_cases()))
def test_url_access(client, world, key, identity):
    if identity is None:
        pytest.fail(f"URL pattern {key!r} has no entry in TABLE: say who may use it")
    entry = TABLE[key]
    user = world.user(identity)
    if user is not None:
        client.force_login(user)
    kwargs = entry.kwargs(world)
    urls = entry.urls(world, key) if entry.urls else [reverse(key, kwargs=kwargs)]
    for url in urls:
        for check in entry.checks:
            expect = check.expect[identity]
            before = db_state()
            response = getattr(client, check.method)(url, check.data(world))
            where = f"{check.method.upper()} {url} as {identity}"
            try:
                expect.check(response, world, url)
            except AssertionError as error:
                raise AssertionError(f"{where}: {error}") from None
            if check.method == "get" and response.status_code == 200 and url.startswith(("/canvases/", "/s/")):
                # A canvas is for its readers only, and its pages answer htmx with partials.
                cache = response["Cache-Control"]
                assert "private" in cache and "no-store" in cache, f"{where}: Cache-Control {cache}"
                assert "HX-Request" in response["Vary"], f"{where}: Vary {response.get('Vary')}"
            if check.method == "get":
                # HEAD is answered wherever GET is, with the same status and no body.
                head = client.head(url)
                body = b"".join(head.streaming_content) if head.streaming else head.content
                assert (head.status_code, body) == (response.status_code, b""), f"HEAD {url} as {identity}"
            after = db_state()
            if check.method == "get" or expect.refused:
                assert after == before, f"{where} changed the database"
            elif check.mutates:
                assert after != before, (
                    f"{where} answered {response.status_code} but changed nothing"
                )
                _check_recorded(key, before, user, where)
            if check.method == "post" and not expect.refused:
                return  # the world has changed: one successful change per case


# Who may use a canvas, asking for a PDF, accounts and languages: not the content of a
# canvas, so not recorded as a change of one (deleting a canvas takes its record with it).
NOT_CONTENT = {
    "canvas_app:canvas_pdf", "canvas_app:share_pdf", "prioritisation:report",
    "canvas_app:members", "canvas_app:member_role", "canvas_app:member_remove",
    # Naming a version keeps what the canvas holds; it changes none of it.
    "canvas_app:versions",
    "canvas_app:invitation_revoke", "canvas_app:invitation_accept",
    "canvas_app:share_link_create", "canvas_app:share_link_revoke", "canvas_app:canvas_delete",
    "signup", "activate", "password_change", "set_language", "signup_resend",
    # Customer data is the team's sales, beside the canvas: a segment promoted from it is content.
    "customers:report", "customers:upload", "customers:job", "customers:job_confirm", "customers:job_cancel",
    "customers:choices", "customers:grid", "customers:delete", "customers:campaigns", "customers:playbook",
    "customers:campaign_edit", "customers:campaign_delete",
}  # fmt: skip


def _check_recorded(key: str, before: dict, user, where: str) -> None:
    """A change to a canvas' content is recorded (who, what, which revision), whatever the
    view; other changes record nothing."""
    known = {row[0] for row in before["canvas_app.change"]}
    new = list(Change.objects.exclude(pk__in=known).select_related("canvas"))
    if key in NOT_CONTENT:
        assert new == [], f"{where} recorded {new} for what is not a canvas' content"
        return
    assert new, f"{where} changed a canvas' content without recording the change"
    for change in new:
        assert change.by_id == user.pk, f"{where} recorded {change} as by {change.by_id}, not {user.pk}"
        assert change.canvas.revision >= change.revision > 0


def _posts():
    for key, entry in TABLE.items():
        for check in entry.checks:
            if check.method == "post":
                allowed = [i for i, e in check.expect.items() if not e.refused]
                yield pytest.param(key, check, allowed[-1], id=f"{key}-{allowed[-1]}")


@pytest.mark.parametrize(("key", "check", "identity"), list(_posts()))
def test_every_post_needs_a_csrf_token(world, key, check, identity):
    client = Client(enforce_csrf_checks=True)
    user = world.user(identity)
    if user is not None:
        client.force_login(user)
    url = reverse(key, kwargs=TABLE[key].kwargs(world))  # kwargs may create what the URL names
    before = db_state()
    response = client.post(url, check.data(world))
    assert response.status_code == 403
    assert db_state() == before
