"""The gallery of example canvases, and copying one as a canvas of one's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from canvas_app.access import private

from .examples import copy_example, examples, find_example


@login_required
@require_safe
def gallery(request: HttpRequest) -> HttpResponse:
    return private(TemplateResponse(request, "segments/gallery.html", {"examples": examples()}))


@login_required
@require_POST
def example_use(request: HttpRequest, slug: str) -> HttpResponse:
    example = find_example(slug)
    if example is None:
        raise Http404
    canvas = copy_example(example, user=request.user)
    messages.success(
        request, _("“%(title)s” is your own canvas now: change anything you like.") % {"title": canvas.title}
    )
    return redirect("canvas_app:board", canvas.pk)
