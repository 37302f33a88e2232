"""Example canvases, one file per example in fixtures/examples/ with a version per language,
built into a user's own canvas by the same code that loads the demo."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language

from canvas_app.demo import build_canvas
from canvas_app.models import Action, Block, Canvas, Role, recording

from ..demo import load_canvas_segments

EXAMPLES_DIR = Path(settings.BASE_DIR) / "fixtures" / "examples"
#: Who an example file means by its one member and reviewer: whoever copies it.
YOU = "you"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Example:
    slug: str
    language: str
    title: str
    description: str
    currency: str
    segments: tuple[str, ...]
    persona_count: int
    note_count: int
    spec: dict = field(repr=False, compare=False)


@lru_cache(maxsize=32)
def _read(path: Path, modified: float) -> dict:
    # Keyed by the file's modification time, so an edited example shows without a restart.
    return json.loads(path.read_text(encoding="utf-8"))


def _files() -> list[tuple[str, dict]]:
    found = [(path.stem, _read(path, path.stat().st_mtime)) for path in EXAMPLES_DIR.glob("*.json")]
    return sorted(found, key=lambda item: (item[1].get("order", 0), item[0]))


def _example(slug: str, data: dict, language: str) -> Example:
    spec = data.get(language) or data[FALLBACK_LANGUAGE]
    segments = spec.get("segments", {})
    return Example(
        slug=slug,
        language=spec["language"],
        title=spec["title"],
        description=spec["description"],
        currency=spec["currency"],
        segments=tuple(note["text"] for note in spec["blocks"].get(Block.CUSTOMER_SEGMENTS, [])),
        persona_count=sum(len(segment.get("personas", [])) for segment in segments.values()),
        note_count=sum(len(notes) for notes in spec["blocks"].values()),
        spec=spec,
    )


def _language(language: str | None) -> str:
    return (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]


def examples(language: str | None = None) -> list[Example]:
    """Every example, in `language` (the active one unless given) where it is written in it."""
    language = _language(language)
    return [_example(slug, data, language) for slug, data in _files()]


def find_example(slug: str, language: str | None = None) -> Example | None:
    return next((example for example in examples(language) if example.slug == slug), None)


def copy_example(example: Example, *, user) -> Canvas:
    """A new canvas of `user` (its owner and only member) with everything the example holds:
    notes, segments, personas, fit, criteria, and the example's scores as the user's own."""
    spec = {**example.spec, "members": {YOU: Role.OWNER}}
    users = {YOU: user}
    with transaction.atomic():
        canvas = build_canvas(spec, users)
        with recording(canvas, by=user, action=Action.ADD, target=canvas, data={"example": example.slug}):
            load_canvas_segments(spec, canvas, users)
    return canvas
