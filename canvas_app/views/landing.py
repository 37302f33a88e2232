"""The site's front page: what Lienzo is, for someone who has no account yet; the dashboard
for someone logged in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from . import canvases


@require_safe
@vary_on_cookie
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return canvases.dashboard(request)
    return TemplateResponse(request, "canvas_app/landing.html")
