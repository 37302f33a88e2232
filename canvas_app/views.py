"""Views of the canvas board. Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

import sys
from functools import wraps

from django import db
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from . import pdf, services
from .accounts.services import send_templated_email
from .forms import CanvasForm, InvitationForm, MemberRoleForm, NoteForm, NoteMoveForm
from .models import (
    Block,
    Canvas,
    Colour,
    Invitation,
    InvitationClosedError,
    LastOwnerError,
    Note,
    Role,
    ShareLink,
)
from .share_forms import ShareLinkForm
from .signals import decorate

DASHBOARD_PAGE_SIZE = 12


def get_canvas_for_user(request: HttpRequest, pk: int, need: Role = Role.VIEWER) -> Canvas:
    """The canvas if the user is a member (else 404) with at least the `need` role (else 403)."""
    canvas = get_object_or_404(Canvas.objects.for_user(request.user), pk=pk)
    if not Role(canvas.user_role).allows(need):
        raise PermissionDenied
    canvas.loaded_version = canvas.version
    return canvas


def _reports_version(view):
    """Tell the live board which canvas version an htmx change started from and led to, so
    a page that was current stays current without fetching its own change back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        canvas = (getattr(response, "context_data", None) or {}).get("canvas")
        if request.htmx and canvas is not None and hasattr(canvas, "loaded_version"):
            response["X-Lienzo-Version-Before"] = canvas.loaded_version
            response["X-Lienzo-Version"] = canvas.version
        return response

    return wrapper


def _get_note(canvas: Canvas, note_id: int) -> Note:
    note = get_object_or_404(Note.objects, canvas=canvas, pk=note_id)
    note.canvas = canvas
    return note


def _focus_note(response: HttpResponse, note: Note) -> HttpResponse:
    """Ask the page to put the focus back on the note once the swap has settled."""
    return trigger_client_event(response, "lienzo:focusNote", {"id": note.pk}, after="settle")


def _board_url(canvas: Canvas, note: Note | None = None) -> str:
    url = reverse("canvas_app:board", args=[canvas.pk])
    return f"{url}#note-{note.pk}" if note else url


def _canvas_context(request: HttpRequest, canvas: Canvas, **extra) -> dict:
    role = Role(canvas.user_role)
    if "note" in extra and not extra.get("blocks"):
        decorate(canvas, [extra["note"]], request)
    return {
        "canvas": canvas,
        "role": role,
        "can_edit": role.allows(Role.EDITOR),
        "block_choices": Block.choices,
        "live_url": reverse("canvas_app:board_changes", args=[canvas.pk]),
        "colours": Colour.choices,
        **extra,
    }


def _block_context(block: Block, notes: list[Note] | None = None, add_form: NoteForm | None = None) -> dict:
    return {"id": block.value, "label": block.label, "question": block.question, "notes": notes or [], "add_form": add_form}


def _board_context(
    request: HttpRequest, canvas: Canvas, *, add_form: NoteForm | None = None, add_block: str = "", **extra
) -> dict:
    grouped = canvas.notes_by_block()
    filters = decorate(canvas, [note for notes in grouped.values() for note in notes], request)
    blocks = [
        _block_context(block, grouped[block.value], add_form if block == add_block else None) for block in Block
    ]
    active = request.GET.get("filter", "")
    return _canvas_context(
        request,
        canvas,
        blocks=blocks,
        board_filters=filters,
        active_filter=active if any(f.key == active for f in filters) else "",
        **extra,
    )


# Canvases -------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    canvases = Canvas.objects.for_user(request.user).order_by("-updated_at", "-pk")
    page = Paginator(canvases, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "canvas_app/dashboard.html", {"page": page, "form": CanvasForm(initial={"language": request.LANGUAGE_CODE})}
    )


@login_required
@require_http_methods(["GET", "POST"])
def canvas_create(request: HttpRequest) -> HttpResponse:
    form = CanvasForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        canvas = Canvas.create_for(request.user, **form.cleaned_data)
        return redirect("canvas_app:board", canvas.pk)
    return TemplateResponse(
        request, "canvas_app/canvas_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def canvas_edit(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    form = CanvasForm(request.POST or None, instance=canvas)
    if request.method == "POST" and form.is_valid():
        form.save()
        canvas.touch()
        messages.success(request, _("Canvas saved."))
        return redirect("canvas_app:board", canvas.pk)
    return TemplateResponse(
        request,
        "canvas_app/canvas_form.html",
        {"form": form, "canvas": canvas},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def canvas_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    copy = services.duplicate_canvas(canvas=canvas, user=request.user, title=_("Copy of %(title)s") % {"title": canvas.title})
    messages.success(request, _("Canvas duplicated with all its notes."))
    return redirect("canvas_app:board", copy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def canvas_delete(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    if request.method == "POST":
        title = canvas.title
        canvas.delete()
        messages.success(request, _("Canvas “%(title)s” deleted.") % {"title": title})
        return redirect("canvas_app:dashboard")
    return TemplateResponse(
        request, "canvas_app/canvas_delete.html", {"canvas": canvas, "note_count": canvas.notes.count()}
    )


# Board and notes -----------------------------------------------------------------------


@login_required
@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk)
    extra = {}
    deleted_id = request.GET.get("deleted", "")
    if deleted_id.isascii() and deleted_id.isdigit():  # str.isdigit() also accepts "²"
        extra["deleted_note"] = Note.all_objects.filter(
            canvas=canvas, pk=int(deleted_id), deleted_at__isnull=False
        ).first()
    return TemplateResponse(request, "canvas_app/board.html", _board_context(request, canvas, **extra))


@login_required
@require_GET
def board_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """For the live board: 204 while the canvas is as the page has it (no board is rendered
    for that), else the board as it is now."""
    canvas = get_canvas_for_user(request, pk)
    if request.GET.get("version") == canvas.version:
        return HttpResponse(status=204)
    return TemplateResponse(request, "canvas_app/board.html#board", _board_context(request, canvas))


@login_required
@require_POST
@_reports_version
def note_add(request: HttpRequest, pk: int, block: str) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    form = NoteForm(request.POST)
    if form.is_valid():
        note = canvas.add_note(block=block, text=form.cleaned_data["text"], colour=form.cleaned_data["colour"])
        if request.htmx:
            return TemplateResponse(request, "canvas_app/board.html#note", _canvas_context(request, canvas, note=note))
        return HttpResponseRedirect(_board_url(canvas, note))
    if request.htmx:
        context = _canvas_context(request, canvas, block=_block_context(Block(block), add_form=form))
        response = TemplateResponse(request, "canvas_app/board.html#add_form", context)
        return reswap(retarget(response, f"#add-{block}"), "outerHTML")
    context = _board_context(request, canvas, add_form=form, add_block=block)
    return TemplateResponse(request, "canvas_app/board.html", context, status=400)


@login_required
@require_GET
def note_detail(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk)
    note = _get_note(canvas, note_id)
    if not request.htmx:
        return HttpResponseRedirect(_board_url(canvas, note))
    response = TemplateResponse(request, "canvas_app/board.html#note", _canvas_context(request, canvas, note=note))
    return _focus_note(response, note)


@login_required
@require_GET
def note_actions(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    """The note's menu: opened in place on the board, or as a page of its own without JS."""
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = _get_note(canvas, note_id)
    template = "canvas_app/board.html#note_menu" if request.htmx else "canvas_app/note_actions.html"
    return TemplateResponse(request, template, _canvas_context(request, canvas, note=note))


@login_required
@require_http_methods(["GET", "POST"])
@_reports_version
def note_edit(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = _get_note(canvas, note_id)
    form = NoteForm(request.POST or None, instance=note)
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved = note.edit(
            text=form.cleaned_data["text"],
            colour=form.cleaned_data["colour"],
            relationship_type=form.cleaned_data.get("relationship_type"),
            based_on=form.cleaned_data["version"],
        )
        if saved:
            if request.htmx:
                response = TemplateResponse(request, "canvas_app/board.html#note", _canvas_context(request, canvas, note=note))
                return _focus_note(response, note)
            return HttpResponseRedirect(_board_url(canvas, note))
        # Someone changed the note meanwhile: show both texts; saving again keeps this one.
        conflict = True
        data = request.POST.copy()
        data["version"] = str(note.version)
        form = NoteForm(data, instance=note)
        form.is_valid()
    if form.is_bound:
        note.refresh_from_db()  # the text being edited stays in the form, never on the note
    context = _canvas_context(request, canvas, note=note, form=form, conflict=conflict)
    status = 409 if conflict else 400 if form.errors else 200
    if request.htmx:
        status = 200  # htmx swaps only successful responses
    template = "canvas_app/board.html#note_form" if request.htmx else "canvas_app/note_edit.html"
    return TemplateResponse(request, template, context, status=status)


@login_required
@require_POST
@_reports_version
def note_delete(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = _get_note(canvas, note_id)
    note.delete_softly()
    if request.htmx:
        return TemplateResponse(request, "canvas_app/board.html#deleted_note", {"canvas": canvas, "note": note})
    return HttpResponseRedirect(f"{reverse('canvas_app:board', args=[canvas.pk])}?deleted={note.pk}")


@login_required
@require_POST
@_reports_version
def note_restore(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = get_object_or_404(Note.all_objects, canvas=canvas, pk=note_id)
    note.canvas = canvas
    note.restore()
    if request.htmx:
        # The note may come back at another place than the placeholder: redraw the board.
        response = TemplateResponse(request, "canvas_app/board.html#board", _board_context(request, canvas))
        return _focus_note(reswap(retarget(response, "#board"), "outerHTML"), note)
    messages.success(request, _("Note restored."))
    return HttpResponseRedirect(_board_url(canvas, note))


@login_required
@require_POST
@_reports_version
def note_move(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = _get_note(canvas, note_id)
    form = NoteMoveForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            response = HttpResponse(_("That move is not possible."), status=400)
            return trigger_client_event(response, "lienzo:error", {"message": _("That move is not possible.")})
        messages.error(request, _("That move is not possible."))
        return HttpResponseRedirect(_board_url(canvas, note))
    data = form.cleaned_data
    if data["direction"]:
        note.move_by(-1 if data["direction"] == "up" else 1)
    else:
        position = data["position"] or 10**6  # no position: the end of the block
        note.move(block=data["block"], position=position)
    if request.htmx:
        response = TemplateResponse(request, "canvas_app/board.html#board", _board_context(request, canvas))
        return _focus_note(response, note)
    return HttpResponseRedirect(_board_url(canvas, note))


# Members -------------------------------------------------------------------------------


def _members_context(
    request: HttpRequest,
    canvas: Canvas,
    *,
    form: InvitationForm | None = None,
    share_form: ShareLinkForm | None = None,
) -> dict:
    is_owner = Role(canvas.user_role) == Role.OWNER
    context = {
        "canvas": canvas,
        "is_owner": is_owner,
        "memberships": canvas.memberships.select_related("user"),
        "roles": Role.choices,
    }
    if is_owner:
        context["form"] = form if form is not None else InvitationForm(canvas=canvas, user=request.user)
        # Owners only: the addresses someone typed are not for every member to read.
        context["invitations"] = canvas.invitations.pending().select_related("invited_by")
        context["invitation_days"] = Invitation.DAYS
        share_links = list(canvas.share_links.live().select_related("created_by"))
        for link in share_links:
            link.url = request.build_absolute_uri(link.get_absolute_url())
        context["share_links"] = share_links
        context["share_form"] = share_form if share_form is not None else ShareLinkForm()
    return context


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """The members, and for owners the form that invites someone by email. Whether the
    address has an account changes nothing in the answer: nothing here looks it up."""
    canvas = get_canvas_for_user(request, pk)
    form = None
    if request.method == "POST":
        if Role(canvas.user_role) != Role.OWNER:
            raise PermissionDenied
        with transaction.atomic():
            # The form's checks (one pending invitation per address, the inviter's hourly
            # limit) and the insert must not interleave with another owner's submit.
            get_user_model().objects.select_for_update().get(pk=request.user.pk)
            canvas.lock()
            form = InvitationForm(request.POST, canvas=canvas, user=request.user)
            invitation = None
            if form.is_valid():
                invitation = _invite(request, canvas, email=form.cleaned_data["email"], role=form.cleaned_data["role"])
        if invitation is not None:
            messages.success(
                request,
                _("Invitation sent to %(email)s. They join once they accept it.") % {"email": invitation.email},
            )
            return redirect("canvas_app:members", canvas.pk)
    context = _members_context(request, canvas, form=form)
    status = 400 if form is not None and form.errors else 200
    response = TemplateResponse(request, "canvas_app/members.html", context, status=status)
    if form is not None and form.retry_after:
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


def _invite(request: HttpRequest, canvas: Canvas, *, email: str, role: str) -> Invitation:
    # One transaction: an invitation whose email could not be sent is not kept, since as a
    # pending invitation it would stop the owner from sending it again.
    with transaction.atomic():
        invitation, token = Invitation.create_for(canvas, request.user, email=email, role=role)
        accept = reverse("canvas_app:invitation_accept", args=[token])
        context = {
            "invitation": invitation,
            "canvas": canvas,
            "inviter": request.user,
            "role": invitation.get_role_display(),
            "link": request.build_absolute_uri(accept),
            # Signing up from it comes back to the invitation once the address is confirmed.
            "signup_link": request.build_absolute_uri(reverse("signup", query={"next": accept})),
            "days": Invitation.DAYS,
        }
        send_templated_email(request, "canvas_app/invitation", to=invitation.email, context=context)
    return invitation


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    invitation = get_object_or_404(canvas.invitations.pending(), pk=invitation_id)
    invitation.revoke()
    messages.success(
        request, _("Invitation to %(email)s revoked: its link no longer works.") % {"email": invitation.email}
    )
    return HttpResponseRedirect(f"{reverse('canvas_app:members', args=[canvas.pk])}#invitations")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: shows what the invitation is for; its button makes the logged-in
    user a member. Anything but a pending invitation is a plain 404.

    The logged-in account need not have the address the invitation was sent to: the token
    is the secret that went to that address, and people often accept with another address
    of theirs (as with GitHub, Google Docs or Slack invitations). It works once."""
    invitation = get_object_or_404(
        Invitation.objects.pending().with_token(token).select_related("canvas", "invited_by")
    )
    canvas = invitation.canvas
    if request.method == "POST":
        try:
            membership, joined = invitation.accept(request.user)
        except InvitationClosedError:
            raise Http404 from None
        if joined:
            message = _("Welcome to “%(title)s”: you joined it as %(role)s.")
        else:
            message = _("You were a member of “%(title)s” already: your role stays %(role)s.")
        messages.success(request, message % {"title": canvas.title, "role": membership.get_role_display()})
        return redirect("canvas_app:board", canvas.pk)
    context = {
        "invitation": invitation,
        "canvas": canvas,
        "membership": canvas.memberships.filter(user=request.user).first(),
    }
    response = TemplateResponse(request, "canvas_app/invitation.html", context)
    # As for share links: the token in the path must not travel on in a Referer or be indexed.
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    membership = get_object_or_404(canvas.memberships, pk=member_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: owner, editor or viewer."))
    else:
        try:
            canvas.change_role(membership, form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except LastOwnerError:
            messages.error(request, _("A canvas needs at least one owner: make someone else owner first."))
    return redirect("canvas_app:members", canvas.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    membership = get_object_or_404(canvas.memberships.select_related("user"), pk=member_id)
    try:
        canvas.remove_member(membership)
    except LastOwnerError:
        messages.error(request, _("A canvas needs at least one owner: make someone else owner first."))
        return redirect("canvas_app:members", canvas.pk)
    messages.success(request, _("%(user)s no longer has access to this canvas.") % {"user": membership.user.username})
    if membership.user_id == request.user.pk:
        return redirect("canvas_app:dashboard")
    return redirect("canvas_app:members", canvas.pk)


# Share links ---------------------------------------------------------------------------


def _share_links_url(canvas: Canvas, link: ShareLink | None = None) -> str:
    url = reverse("canvas_app:members", args=[canvas.pk])
    return f"{url}#share-link-{link.pk}" if link else f"{url}#share-links"


@login_required
@require_POST
def share_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        context = _members_context(request, canvas, share_form=form)
        return TemplateResponse(request, "canvas_app/members.html", context, status=400)
    link = ShareLink.create_for(canvas, request.user, days=form.cleaned_data["expires_in_days"])
    messages.success(request, _("Share link created: copy it and send it to the people who should read the canvas."))
    return HttpResponseRedirect(_share_links_url(canvas, link))


@login_required
@require_POST
def share_link_revoke(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    link = get_object_or_404(canvas.share_links.live(), pk=link_id)
    link.revoke()
    messages.success(request, _("Share link revoked: it no longer opens the canvas."))
    return HttpResponseRedirect(_share_links_url(canvas))


def _shared(view):
    """A public view of a canvas through its share link: the token in the URL must not
    travel on in a Referer, search engines must not index it, and no cache may keep
    serving it once the link is revoked. Dead or unknown links are a plain 404.

    `strict-origin`, not `no-referrer`: both keep the path (and so the token) out of every
    Referer, but under `no-referrer` browsers send `Origin: null` with the page's posts,
    and Django's CSRF check then refuses the language switcher."""

    @wraps(view)
    @never_cache
    @require_GET
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        link = get_object_or_404(ShareLink.objects.live().select_related("canvas"), token=token)
        canvas = link.canvas
        canvas.user_role = Role.VIEWER  # what the board and its decorations read
        response = view(request, link, canvas)
        response["Referrer-Policy"] = "strict-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


@_shared
def share_board(request: HttpRequest, link: ShareLink, canvas: Canvas) -> HttpResponse:
    # No live updates: their endpoint is for members, and would name the canvas.
    context = _board_context(request, canvas, live_url=None)
    for block in context["blocks"]:
        for note in block["notes"]:
            # They lead to pages of the canvas a visitor without an account cannot open.
            note.links, note.actions = [], []
    context.update(can_edit=False, share_link=link)
    return TemplateResponse(request, "canvas_app/share_board.html", context)


@_shared
def share_pdf(request: HttpRequest, link: ShareLink, canvas: Canvas) -> HttpResponse:
    return _pdf_response(request, canvas)


# Export ------------------------------------------------------------------------------------


def _pdf_response(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    page = pdf.PAGE_SIZES.get(request.GET.get("size", ""), pdf.PAGE_SIZES[pdf.DEFAULT_PAGE_SIZE])
    exported_at = timezone.localtime()
    content = pdf.canvas_pdf(canvas, page=page, request=request, exported_at=exported_at)
    name = f"{slugify(canvas.title) or 'canvas'}-{exported_at:%Y-%m-%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@require_GET
def canvas_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_response(request, get_canvas_for_user(request, pk))


# Errors ------------------------------------------------------------------------------------


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that went away is a 503 the user can retry, not a 500. Both
    pages are rendered without the request context, which would need the database."""
    error = sys.exc_info()[1]
    if isinstance(error, (db.OperationalError, db.InterfaceError)):
        page = loader.get_template("503.html").render({"LANGUAGE_CODE": get_language()})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()}), status=500)
