"""Demo data: users and complete example canvases from fixtures/demo.json, and the
building of one canvas from such a file (the example gallery copies its canvases so)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Block, Canvas, Membership, Note
from .money import default_currency
from .signals import notes_placed

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


def load_demo(path: Path = DEMO_FILE) -> list[tuple[dict, Canvas]] | None:
    """Create the demo users and canvases unless the first demo user exists.
    Returns each canvas with its part of the file (None when the demo was there already)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    User = get_user_model()
    if User.objects.filter(username=data["users"][0]["username"]).exists():
        return None
    created = []
    with transaction.atomic():
        users = {}
        for spec in data["users"]:
            user = User(username=spec["username"], email=spec["email"], first_name=spec.get("first_name", ""))
            user.set_password(spec["password"])
            user.save()
            users[user.username] = user
        for spec in data["canvases"]:
            canvas = build_canvas(spec, users)
            created.append((spec, canvas))
    return created


def build_canvas(spec: dict, users: dict) -> Canvas:
    """A canvas as a data file describes it (the demo's, or an example of the gallery): its
    details, its members (`spec["members"]`, a name in `users` -> role) and its notes. What
    hangs on the notes (segments) is the business of the apps that receive notes_placed."""
    owner = next(users[name] for name, role in spec["members"].items() if role == "owner")
    canvas = Canvas.objects.create(
        title=spec["title"],
        description=spec["description"],
        language=spec["language"],
        currency=spec.get("currency") or default_currency(spec["language"]),
        created_by=owner,
    )
    Membership.objects.bulk_create(
        Membership(canvas=canvas, user=users[name], role=role) for name, role in spec["members"].items()
    )
    notes = Note.objects.bulk_create(
        Note(
            canvas=canvas,
            block=block,
            text=note["text"],
            colour=note.get("colour") or Block(block).default_colour,
            position=index,
            relationship_type=note.get("relationship_type", ""),
        )
        for block, block_notes in spec["blocks"].items()
        for index, note in enumerate(block_notes, start=1)
    )
    notes_placed.send(sender=Canvas, canvas=canvas, notes=notes)
    return canvas
