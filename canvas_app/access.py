"""The doors into a canvas: for its members (`canvas_view`) and for whoever holds a live
share link (`shared_canvas_view`). Every canvas-scoped view, in every app, comes in through
one of them, so who may do what is decided in one place.

A canvas the user is not a member of is a 404, not a 403 that would confirm it exists; a
member whose role is too low for what they ask gets a 403."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods

from .models import Canvas, Note, Role, ShareLink

SAFE_METHODS = ("GET", "HEAD")


def get_canvas_for_user(user, pk: int, need: Role = Role.VIEWER) -> Canvas:
    """The canvas if `user` is a member (else 404) with at least the `need` role (else 403),
    annotated with `user_role`."""
    canvas = get_object_or_404(Canvas.objects.for_user(user), pk=pk)
    if not Role(canvas.user_role).allows(need):
        raise PermissionDenied
    return canvas


def get_note_of_canvas(canvas: Canvas, note_id: int) -> Note:
    """A live note of `canvas` (which the view already fetched for this user), else 404."""
    note = get_object_or_404(Note, canvas=canvas, pk=note_id)
    note.canvas = canvas
    return note


def private(response: HttpResponse) -> HttpResponse:
    """What only members may read is kept by no cache, shared or not, and the page may differ
    for an htmx request (a partial) and a plain one."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["HX-Request"])
    return response


def canvas_view(
    need: Role = Role.VIEWER, *, change: Role | None = None, methods: Iterable[str] = SAFE_METHODS
) -> Callable:
    """A view of one canvas for its members: `view(request, canvas, **kwargs)` in place of
    the URL's `pk`. `need` is the role any request needs; `change`, when given, the role a
    request that changes something (any other method than GET and HEAD) needs."""
    allowed = _with_head(methods)

    def decorator(view: Callable) -> Callable:
        @login_required
        @require_http_methods(allowed)
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            needed = need if change is None or request.method in SAFE_METHODS else change
            canvas = get_canvas_for_user(request.user, pk, needed)
            return private(view(request, canvas, *args, **kwargs))

        return wrapped

    return decorator


def shared_canvas_view(*, methods: Iterable[str] = SAFE_METHODS) -> Callable:
    """A public, read-only view of a canvas through its share link: `view(request, link,
    canvas)` in place of the URL's `token`. Dead or unknown links are a plain 404.

    The token in the URL must not travel on in a Referer, search engines must not index it,
    and no cache may keep serving it once the link is revoked. `strict-origin`, not
    `no-referrer`: both keep the path (and so the token) out of every Referer, but under
    `no-referrer` browsers send `Origin: null` with the page's posts, and Django's CSRF check
    then refuses the language switcher."""
    allowed = _with_head(methods)

    def decorator(view: Callable) -> Callable:
        @require_http_methods(allowed)
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
            link = get_object_or_404(ShareLink.objects.live().select_related("canvas"), token=token)
            canvas = link.canvas
            canvas.user_role = Role.VIEWER  # what the board and its decorations read
            response = private(view(request, link, canvas, *args, **kwargs))
            response["Referrer-Policy"] = "strict-origin"
            response["X-Robots-Tag"] = "noindex"
            return response

        return wrapped

    return decorator


def _with_head(methods: Iterable[str]) -> list[str]:
    """HEAD is answered wherever GET is (Django drops the body)."""
    allowed = [method.upper() for method in methods]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")
    return allowed
