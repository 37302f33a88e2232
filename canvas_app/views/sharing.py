"""Read-only share links: the owner makes and revokes them; whoever holds a live one reads
the board (and prints it) without an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import canvas_view, shared_canvas_view
from ..forms import ShareLinkForm
from ..models import Canvas, Role, ShareLink
from .board import board_context
from .members import members_context


def _share_links_url(canvas: Canvas, link: ShareLink | None = None) -> str:
    url = reverse("canvas_app:members", args=[canvas.pk])
    return f"{url}#share-link-{link.pk}" if link else f"{url}#share-links"


@canvas_view(Role.OWNER, methods=["POST"])
def share_link_create(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        context = members_context(request, canvas, share_form=form)
        return TemplateResponse(request, "canvas_app/members.html", context, status=400)
    link = ShareLink.create_for(canvas, request.user, days=form.cleaned_data["expires_in_days"])
    messages.success(request, _("Share link created: copy it and send it to the people who should read the canvas."))
    return HttpResponseRedirect(_share_links_url(canvas, link))


@canvas_view(Role.OWNER, methods=["POST"])
def share_link_revoke(request: HttpRequest, canvas: Canvas, link_id: int) -> HttpResponse:
    link = get_object_or_404(canvas.share_links.live(), pk=link_id)
    link.revoke()
    messages.success(request, _("Share link revoked: it no longer opens the canvas."))
    return HttpResponseRedirect(_share_links_url(canvas))


@shared_canvas_view()
def share_board(request: HttpRequest, link: ShareLink, canvas: Canvas) -> HttpResponse:
    # No live updates: their endpoint is for members, and would name the canvas.
    context = board_context(request, canvas, live_url=None, comments_visible=False)
    for block in context["blocks"]:
        for note in block["notes"]:
            # They lead to pages of the canvas a visitor without an account cannot open.
            note.links, note.actions = [], []
    context.update(can_edit=False, share_link=link)
    return TemplateResponse(request, "canvas_app/share_board.html", context)
