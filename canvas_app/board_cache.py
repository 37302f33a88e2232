"""The board's notes, rendered once per change of the canvas and shared by every reader who
sees the same thing (language, role, highlighted segment): a board of hundreds of notes
costs one render per change instead of one per page view and per live-board poll. What is
each request's own, the CSRF token, is put in after the cache, and the key holds what
the markup depends on, so nobody is served another's board."""

from __future__ import annotations

import re
import secrets
import zlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import Canvas, Role

TEMPLATE = "canvas_app/board.html#board"
TIMEOUT = 60 * 60  # a change makes a new key; old ones age out
# What the rest of the page takes from the same render (the segment filter and legend).
KEPT = ("board_filters", "evidence_filters", "evidence_share", "active_filter")


def board_key(request, canvas: Canvas) -> str:
    role = Role(canvas.user_role)  # editors, commenters and viewers see different markup
    wanted = request.GET.get("filter", "")
    highlight = wanted if re.fullmatch(r"[\w-]{1,40}", wanted) else ""
    # created_at: a canvas id and revision seen again after a database restore is another board.
    parts = (canvas.pk, canvas.created_at.timestamp(), canvas.revision, get_language(), role.value, highlight)
    return "lienzo:board:" + ":".join(map(str, parts))


def rendered_board(request, canvas: Canvas, context: Callable[[], dict]) -> tuple[SafeString, dict]:
    """The board's markup for this request, and what of its context the page needs (KEPT).
    `context()` is only called when the board must be rendered."""
    key = board_key(request, canvas)
    found = cache.get(key)
    if found is None:
        # A placeholder nobody can guess stands for the token while the markup is shared.
        placeholder = secrets.token_hex(16)
        full = context()
        html = get_template(TEMPLATE).render({**full, "csrf_token": placeholder})
        # Compressed: a 300-note board is some 300 KB of markup and a tenth of that stored.
        found = (placeholder, zlib.compress(html.encode(), 1), {name: full[name] for name in KEPT})
        cache.set(key, found, TIMEOUT)
    placeholder, packed, kept = found
    html = zlib.decompress(packed).decode()
    return mark_safe(html.replace(placeholder, get_token(request))), kept  # noqa: S308 - our own render
