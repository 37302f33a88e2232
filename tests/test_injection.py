"""Stored content is inert everywhere it appears: script, attribute, URL and template
payloads saved in every text field come back escaped on every screen, in the admin and in
the PDFs (where they print as the literal text).

Each field holds `<payload> @<Model>.<field>`, so a page shows which fields it drew. The
checks on every page: the payload never appears raw, nothing outside our templates runs
(no inline handler, no script without the response's nonce, no javascript: or
data:text/html link), and the fields the page is about appear, escaped."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from accounts.models import FailedLogin
from canvas_app.models import Block, Canvas, Colour, Comment, Invitation, Membership, Note, Role
from segments.models import Criterion, Persona, PrioritySettings, ProfileItem, Segment, ValueItem
from tests.conftest import make_user
from tests.markup import HTMX, parse
from tests.tasks import fetch_pdf
from tests.segments.factories import make_criterion, make_profile_item, make_segment, make_value_item, score

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "<svg onload=alert(1)>",
    "data:text/html,<script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "</title><svg/onload=alert(1)>",
    "&lt;b&gt;escaped once&lt;/b&gt;",
    '<a href="javascript:alert(1)">x</a>',
]
MODELS = [Canvas, Note, Segment, Persona, Criterion, ProfileItem, ValueItem, Invitation, Comment]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}


def text_fields(model: type[models.Model]) -> list[str]:
    """The fields a user types text into: character fields without choices."""
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.editable
    ]


def stored(payload: str, model: type[models.Model], field: str) -> str:
    return f"{payload} @{model.__name__}.{field}"


# The world: one canvas with every text field holding the payload ----------------------------


@dataclass
class World:
    payload: str
    owner: object
    superuser: object
    canvas: Canvas
    note: Note
    segment: Segment
    persona: Persona
    criterion: Criterion
    profile_item: ProfileItem
    value_item: ValueItem
    invitation: Invitation | None = None
    invitation_token: str = ""  # the emailed link's, to open the invitation page

    def value(self, model: type[models.Model], field: str) -> str:
        return stored(self.payload, model, field)

    def fill(self, obj: models.Model) -> models.Model:
        for field in text_fields(type(obj)):
            setattr(obj, field, self.value(type(obj), field))
        obj.save()
        return obj


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def world(request, db) -> World:
    payload = request.param
    owner = make_user("olga")
    superuser = make_user("sara", is_staff=True, is_superuser=True)
    canvas = Canvas.create_for(owner, title="placeholder", language="en")
    Membership.objects.create(canvas=canvas, user=make_user("vera"), role=Role.VIEWER)
    w = World(payload, owner, superuser, canvas, *([None] * 6))
    w.fill(canvas)
    for block in Block:
        if block != Block.CUSTOMER_SEGMENTS:  # that one is the segment's, below
            note = w.fill(canvas.add_note(block=block, text=w.value(Note, "text"), colour=Colour.PINK))
            w.note = note if block == Block.VALUE_PROPOSITIONS else w.note
    w.segment = w.fill(make_segment(canvas, w.value(Note, "text")))
    w.fill(w.segment.note)  # its evidence too
    w.segment.estimated_size = 5000
    w.segment.save()
    w.segment.linked_notes.add(w.note)
    w.persona = w.fill(Persona(segment=w.segment))
    w.fill(Comment(canvas=canvas, note=w.note, author=owner))
    PrioritySettings.objects.filter(canvas=canvas).update(primary_segment=w.segment)
    settings_ = PrioritySettings.objects.get(canvas=canvas)
    w.criterion = make_criterion(canvas, w.value(Criterion, "name"), weight=3, axis="attractiveness")
    ability = make_criterion(canvas, "Reach", weight=2, axis="ability")
    for criterion, value in ((w.criterion, 4), (ability, 3)):
        score(w.segment, criterion, owner, value)
    w.profile_item = make_profile_item(w.segment, "pain", w.value(ProfileItem, "text"), importance=3)
    w.value_item = make_value_item(
        w.segment, "product", w.value(ValueItem, "text"), addresses=[], notes=[w.note]
    )
    make_value_item(w.segment, "reliever", w.value(ValueItem, "text"), addresses=[w.profile_item])
    # Not typed through the form (it takes only well-formed addresses), but stored all the same.
    w.invitation, w.invitation_token = Invitation.create_for(canvas, owner, email="placeholder@example.com")
    w.fill(w.invitation)
    FailedLogin.start(username=payload, address="203.0.113.7")  # a wrong password follows
    assert settings_.pk
    return w


def test_every_text_field_is_filled(world):
    for model in MODELS:
        assert text_fields(model), model
        for obj in model.objects.all():
            for field in text_fields(model):
                value = getattr(obj, field)
                assert value.startswith(world.payload) or value == "Reach", f"{model.__name__}.{field}"


# The pages -----------------------------------------------------------------------------------


def _fields(*names: str):
    """The stored values of these fields ("Model.field"; "Model.*" for all its text fields)."""
    by_name = {model.__name__: model for model in MODELS}

    def values(w: World) -> list[str]:
        found = []
        for name in names:
            model_name, field = name.split(".")
            model = by_name[model_name]
            fields = text_fields(model) if field == "*" else [field]
            found += [w.value(model, f) for f in fields]
        return found

    return values


@dataclass(frozen=True)
class Page:
    name: str
    url: object  # World -> str
    shows: object = lambda w: []  # World -> the stored values it must show, escaped
    user: str = "owner"
    htmx: bool = False


def _canvas(w: World, name: str, *args) -> str:
    return reverse(name, args=[w.canvas.pk, *args])


def _segment(w: World, name: str, *args) -> str:
    return reverse(name, args=[w.canvas.pk, w.segment.pk, *args])


def _admin(w: World, model: type[models.Model], obj: models.Model, action: str = "change") -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=[obj.pk])


PAGES = [
    Page("dashboard", lambda w: reverse("canvas_app:dashboard"), _fields("Canvas.*")),
    Page("board", lambda w: _canvas(w, "canvas_app:board"), _fields("Canvas.*", "Note.text")),
    Page("board, highlighting a segment", lambda w: _canvas(w, "canvas_app:board") + f"?filter=segment-{w.segment.pk}", _fields("Note.text")),
    Page("note menu", lambda w: _canvas(w, "canvas_app:note_actions", w.note.pk), _fields("Note.text"), htmx=True),
    Page("note menu page", lambda w: _canvas(w, "canvas_app:note_actions", w.note.pk), _fields("Note.text")),
    Page("note editor", lambda w: _canvas(w, "canvas_app:note_edit", w.note.pk), _fields("Note.text"), htmx=True),
    Page("note editor page", lambda w: _canvas(w, "canvas_app:note_edit", w.note.pk), _fields("Note.text")),
    Page("note's evidence", lambda w: _canvas(w, "canvas_app:note_evidence", w.note.pk), _fields("Note.*")),
    Page("note's comments", lambda w: _canvas(w, "canvas_app:note_comments", w.note.pk), _fields("Comment.text", "Note.text")),
    Page("note's history", lambda w: _canvas(w, "canvas_app:note_history", w.note.pk), _fields("Note.text")),
    Page("activity", lambda w: _canvas(w, "canvas_app:activity"), _fields("Note.text")),
    Page("note's segments", lambda w: reverse("segments:note_links", args=[w.canvas.pk, w.note.pk]), _fields("Note.text")),
    Page("canvas form", lambda w: _canvas(w, "canvas_app:canvas_edit"), _fields("Canvas.*")),
    Page("canvas deletion", lambda w: _canvas(w, "canvas_app:canvas_delete"), _fields("Canvas.title")),
    Page("members", lambda w: _canvas(w, "canvas_app:members"), _fields("Canvas.title", "Invitation.email")),
    Page("invitation", lambda w: reverse("canvas_app:invitation_accept", args=[w.invitation_token]), _fields("Canvas.title", "Invitation.email")),
    Page("segments", lambda w: _canvas(w, "segments:list"), _fields("Note.text")),
    Page("segment", lambda w: _segment(w, "segments:detail"), _fields("Note.text", "Segment.*", "Persona.*")),
    Page("persona editor", lambda w: _segment(w, "segments:persona_edit", w.persona.pk), _fields("Persona.*"), htmx=True),
    Page("persona editor page", lambda w: _segment(w, "segments:persona_edit", w.persona.pk), _fields("Persona.*")),
    Page("fit", lambda w: _segment(w, "segments:fit"), _fields("Note.text", "ProfileItem.text", "ValueItem.text")),
    Page("profile item editor", lambda w: _segment(w, "segments:profile_item_edit", w.profile_item.pk), _fields("ProfileItem.text"), htmx=True),
    Page("value item editor page", lambda w: _segment(w, "segments:value_item_edit", w.value_item.pk), _fields("ValueItem.text", "Note.text")),
    Page("ranking", lambda w: _canvas(w, "prioritisation:ranking"), _fields("Note.text", "Criterion.name")),
    Page("scores", lambda w: _canvas(w, "prioritisation:scores"), _fields("Note.text", "Criterion.name")),
    Page("criteria", lambda w: _canvas(w, "prioritisation:criteria"), _fields("Criterion.name")),
    # The admin, as a superuser
    Page("admin: canvas", lambda w: _admin(w, Canvas, w.canvas), _fields("Canvas.*"), user="superuser"),
    Page("admin: canvas deletion", lambda w: _admin(w, Canvas, w.canvas, "delete"), _fields("Canvas.title"), user="superuser"),
    Page("admin: note", lambda w: _admin(w, Note, w.note), _fields("Note.text"), user="superuser"),
    Page("admin: segment", lambda w: _admin(w, Segment, w.segment), _fields("Segment.*", "Persona.*"), user="superuser"),
    Page("admin: profile item", lambda w: _admin(w, ProfileItem, w.profile_item), _fields("ProfileItem.text"), user="superuser"),
    Page("admin: value item", lambda w: _admin(w, ValueItem, w.value_item), _fields("ValueItem.text", "ProfileItem.text", "Note.text"), user="superuser"),
    Page("admin: invitation", lambda w: _admin(w, Invitation, w.invitation), _fields("Invitation.email"), user="superuser"),
    Page("admin: failed log-in", lambda w: _admin(w, FailedLogin, FailedLogin.objects.get()), lambda w: [w.payload.strip().casefold()], user="superuser"),
]  # fmt: skip


def _share_pages() -> list[Page]:
    """The public share view, where the share links exist."""
    try:
        from canvas_app.models import ShareLink

        reverse("canvas_app:share_board", args=["x" * 32])
    except (ImportError, NoReverseMatch):
        return []

    def url(w: World) -> str:
        link = ShareLink.objects.filter(canvas=w.canvas).first() or ShareLink.create_for(w.canvas, w.owner)
        return reverse("canvas_app:share_board", args=[link.token])

    return [Page("shared board", url, _fields("Canvas.*", "Note.text"), user="anonymous")]


PAGES += _share_pages()


def _admin_lists(w: World) -> list[str]:
    from django.contrib import admin

    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


# The checks ----------------------------------------------------------------------------------


def _client(client, w: World, user: str):
    if user != "anonymous":
        client.force_login(getattr(w, user))
    return client


def assert_inert(response, payload: str, where: str) -> None:
    html = response.content.decode()
    if escape(payload) != payload:
        assert payload not in html, f"{where}: the payload comes back unescaped"
    header = response.get("Content-Security-Policy", "")
    nonces = set(re.findall(r"'nonce-([^']+)'", header))
    for element in parse(html).elements:
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, f"{where}: <{element.tag}> with {handlers}"
        for name, value in element.attrs.items():
            url = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES:
                assert "javascript:" not in url, f"{where}: {name}={value!r}"
                assert not url.startswith("data:text/html"), f"{where}: {name}={value!r}"
        if element.tag == "script":
            src, nonce = element.attrs.get("src"), element.attrs.get("nonce")
            assert (src or "").startswith("/static/") or nonce in nonces, f"{where}: a script we did not write"


def assert_shown(response, values: list[str], where: str) -> None:
    html = response.content.decode()
    missing = [value for value in values if escape(value) not in html]
    assert not missing, f"{where}: does not show {missing}"


def test_stored_text_comes_back_escaped(world):
    problems = []
    for page in PAGES:
        client = _client(Client(), world, page.user)
        response = client.get(page.url(world), **(HTMX if page.htmx else {}))
        try:
            assert response.status_code == 200, f"{page.name}: {response.status_code}"
            assert_inert(response, world.payload, page.name)
            assert_shown(response, page.shows(world), page.name)
        except AssertionError as problem:
            problems.append(str(problem).splitlines()[0])
    assert problems == []


def test_the_admin_lists_are_inert(client, world):
    client.force_login(world.superuser)
    for url in _admin_lists(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response, world.payload, url)


def test_messages_naming_stored_text_are_escaped(client, world):
    """A saved thing is named in the message of the next page (or in its title)."""
    client.force_login(world.owner)
    persona = {f: world.value(Persona, f) for f in text_fields(Persona)}
    new_criterion = {"name": f"{world.payload} @new", "weight": 2, "axis": "ability"}
    title = world.value(Canvas, "title")
    _invitation, token = Invitation.create_for(world.canvas, world.owner, email="otra@example.com")
    flows = [
        (_segment(world, "segments:persona_edit", world.persona.pk), persona, world.value(Persona, "name")),
        (_canvas(world, "canvas_app:invitation_revoke", world.invitation.pk), {}, world.value(Invitation, "email")),
        (reverse("canvas_app:invitation_accept", args=[token]), {}, title),
        (_canvas(world, "prioritisation:criteria"), new_criterion, new_criterion["name"]),
        (_canvas(world, "canvas_app:canvas_duplicate"), {}, f"Copy of {title}"),
        (_canvas(world, "canvas_app:canvas_delete"), {}, title),
    ]
    for url, data, named in flows:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain, url
        assert_inert(response, world.payload, url)
        assert_shown(response, [named], url)


def test_an_address_an_owner_invites_comes_back_escaped(client, world, mailoutbox):
    """Refused, it is shown back in its field. Well formed (a quoted local part holds almost
    anything), it is named in the message and in the list of pending invitations."""
    client.force_login(world.owner)
    url = _canvas(world, "canvas_app:members")
    refused = client.post(url, {"email": world.payload, "role": Role.VIEWER})
    assert refused.status_code == 400
    assert_inert(refused, world.payload, "a refused address")
    quoted = '"' + re.sub(r'([" \\])', r"\\\1", world.payload) + '"@example.com'
    response = client.post(url, {"email": quoted, "role": Role.VIEWER}, follow=True)
    assert response.redirect_chain, quoted
    assert Invitation.objects.filter(email=quoted).exists()
    assert_inert(response, world.payload, "an invited address")
    assert_shown(response, [f"Invitation sent to {quoted}.", quoted], "an invited address")


def test_what_a_visitor_types_comes_back_escaped(client, world):
    """Not stored, reflected: the address asked for after logging in, a username refused."""
    login = reverse("login")
    for response in [
        client.get(login, {"next": world.payload}),
        client.post(login, {"username": world.payload, "password": "wrong-password"}),
        client.post(reverse("signup"), {"username": world.payload, "email": world.payload}),
        client.post(reverse("password_reset"), {"email": world.payload}),
    ]:
        assert response.status_code in (200, 400)
        assert_inert(response, world.payload, response.request["PATH_INFO"])


# The PDFs --------------------------------------------------------------------------------------

PDFS = [
    ("canvas", lambda w: _canvas(w, "canvas_app:canvas_pdf"), _fields("Canvas.title", "Note.text")),
    (
        "segment report",
        lambda w: _canvas(w, "prioritisation:report"),
        # A B2C segment: its B2B fields are not printed.
        _fields(
            "Canvas.*", "Note.text", "Criterion.name", "Persona.*",
            *(f"Segment.{f}" for f in ["description", "gender", "marital_status", "life_stage", "interests", "needs", "location", "gives_up"]),
        ),
    ),
]  # fmt: skip


def _shared_pdf(w: World) -> str:
    from canvas_app.models import ShareLink

    link = ShareLink.objects.filter(canvas=w.canvas).first() or ShareLink.create_for(w.canvas, w.owner)
    return reverse("canvas_app:share_pdf", args=[link.token])


if _share_pages():
    PDFS.append(("shared canvas", _shared_pdf, _fields("Canvas.title", "Note.text")))


def _squeeze(text: str) -> str:
    """Without white space: where a line breaks depends on the layout, not the text."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("name", "url", "shows"), PDFS, ids=[pdf[0] for pdf in PDFS])
def test_the_pdfs_print_stored_text_as_it_was_typed(client, world, tmp_path, name, url, shows):
    """Escaped in the HTML WeasyPrint reads, so printed literally: markup would vanish."""
    client.force_login(world.owner)
    response = fetch_pdf(client, url(world))
    path = tmp_path / "out.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    printed = _squeeze(text)
    missing = [value for value in shows(world) if _squeeze(value) not in printed]
    assert missing == []
    urls = subprocess.run(["pdfinfo", "-url", str(path)], check=True, capture_output=True, text=True).stdout
    assert "javascript:" not in urls.lower()
    assert "data:" not in urls.lower()
    assert b"/JavaScript" not in response.content and b"/JS " not in response.content
