"""Standing users and a canvas they share: the owner, an editor, a viewer and an outsider."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from canvas_app.models import Block, Canvas, Colour, Invitation, Membership, Note, Role, ShareLink

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
    return Note.objects.bulk_create(notes)


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
    """Everything a request could change, to compare before and after it."""
    users = get_user_model().objects.order_by("pk")
    canvases = Canvas.objects.order_by("pk")
    memberships = Membership.objects.order_by("pk")
    notes = Note.all_objects.order_by("pk")
    share_links = ShareLink.objects.order_by("pk")
    invitations = Invitation.objects.order_by("pk")
    return {
        "users": list(users.values_list("pk", "username", "email", "password", "is_active")),
        "canvases": list(
            canvases.values_list("pk", "title", "description", "language", "updated_at")
        ),
        "memberships": list(memberships.values_list("pk", "canvas_id", "user_id", "role")),
        "share_links": list(
            share_links.values_list("pk", "canvas_id", "token", "expires_at", "revoked_at")
        ),
        "invitations": list(
            invitations.values_list(
                "pk", "canvas_id", "email", "role", "token_hash", "accepted_at", "accepted_by_id", "revoked_at"
            )
        ),
        "notes": list(
            notes.values_list(
                "pk", "canvas_id", "block", "position", "text", "colour", "updated_at", "deleted_at"
            )
        ),
    }
