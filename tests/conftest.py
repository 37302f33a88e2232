"""Standing users and a canvas they share: the owner, an editor, a viewer and an outsider."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from canvas_app.models import Block, Canvas, Colour, Export, Invitation, Membership, Note, Role, ShareLink
from canvas_app.signals import notes_placed
from tests.tasks import MailWorkerClient

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD, **extra
    )


def make_canvas(owner, title: str = "Test canvas", **members: Role) -> Canvas:
    canvas = Canvas.create_for(owner, title=title, language="en")
    for user, role in members.items():
        Membership.objects.create(canvas=canvas, user=user, role=role)
    return canvas


def make_share_link(canvas: Canvas, user=None, *, days: int | None = None) -> ShareLink:
    return ShareLink.create_for(canvas, user, days=days)


def make_invitation(
    canvas: Canvas, user=None, *, email: str = "nadie@example.com", role: str = Role.EDITOR
) -> tuple[Invitation, str]:
    """A pending invitation and its token (what the emailed link holds)."""
    return Invitation.create_for(canvas, user, email=email, role=role)


def make_export(canvas: Canvas, *, kind: str = "canvas", share_link: ShareLink | None = None) -> Export:
    """A PDF export the worker has made already."""
    return Export.objects.create(
        canvas=canvas, kind=kind, size="a4", revision=canvas.revision, day=timezone.localdate(),
        status=Export.Status.READY, share_link=share_link, content=b"%PDF-1.7 made earlier", filename="lienzo.pdf",
    )  # fmt: skip


def make_notes(canvas: Canvas, count: int, block: str | None = None) -> list[Note]:
    """`count` notes spread over the nine blocks (or all in `block`), positions 1..n per block."""
    blocks = [block] if block else list(Block.values)
    per_block: dict[str, int] = {}
    notes = []
    for index in range(count):
        block_id = blocks[index % len(blocks)]
        per_block[block_id] = per_block.get(block_id, 0) + 1
        notes.append(
            Note(
                canvas=canvas,
                block=block_id,
                text=f"Note {index + 1} ñ",
                colour=Colour.values[index % len(Colour.values)],
                position=per_block[block_id],
            )
        )
    created = Note.objects.bulk_create(notes)
    notes_placed.send(sender=Canvas, canvas=canvas, notes=created)  # as the app's own bulk paths do
    return created


@pytest.fixture
def client():
    """pytest-django's client, with mail sent by a worker at once (tests.tasks.MailWorkerClient)."""
    return MailWorkerClient()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the board cache keys on ids a test database reuses)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded and computed files (customer data) go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return make_user("olga")


@pytest.fixture
def editor(db):
    return make_user("eduardo")


@pytest.fixture
def viewer(db):
    return make_user("vera")


@pytest.fixture
def outsider(db):
    return make_user("oscar")


@pytest.fixture
def canvas(owner, editor, viewer) -> Canvas:
    canvas = Canvas.create_for(owner, title="Tostadores Aurora", language="es")
    Membership.objects.create(canvas=canvas, user=editor, role=Role.EDITOR)
    Membership.objects.create(canvas=canvas, user=viewer, role=Role.VIEWER)
    return canvas


@pytest.fixture
def note(canvas) -> Note:
    return canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco", colour=Colour.ORANGE)


def positions(canvas: Canvas, block: str) -> list[tuple[int, str]]:
    return list(canvas.notes.filter(block=block).order_by("position").values_list("position", "text"))


def membership_of(canvas: Canvas, user) -> Membership:
    return canvas.memberships.get(user=user)


@pytest.fixture
def deleted_note(canvas) -> Note:
    """A note waiting for an undo: it sat second in Key Partners."""
    canvas.add_note(block=Block.KEY_PARTNERS, text="Tostadora local")
    gone = canvas.add_note(block=Block.KEY_PARTNERS, text="Proveedor de leche")
    canvas.add_note(block=Block.KEY_PARTNERS, text="Cooperativa cafetera")
    gone.delete_softly()
    return gone


def db_state() -> dict[str, list[tuple]]:
    """Every row of every model, the many-to-many tables and Django's own included (the task
    queue, the admin's log...), to compare before and after a request: "a refused request
    changed nothing" holds for every app's data, also those added later. Sessions and the time
    of a user's last log-in are left out: Django keeps a visitor's state there (a password-reset
    link's token, say), and a test logs its users in when it needs to."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower == "sessions.session":
            continue
        fields = [field.attname for field in model._meta.concrete_fields if field.attname != "last_login"]
        state[model._meta.label_lower] = list(model._base_manager.order_by("pk").values_list(*fields))
    return state
