"""Views of the canvas board. Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from . import pdf, services
from .forms import CanvasForm, MemberAddForm, MemberRoleForm, NoteForm, NoteMoveForm, SignUpForm
from .models import Block, Canvas, Colour, LastOwnerError, Membership, Note, Role
from .signals import decorate

DASHBOARD_PAGE_SIZE = 12


def get_canvas_for_user(request: HttpRequest, pk: int, need: Role = Role.VIEWER) -> Canvas:
    """The canvas if the user is a member (else 404) with at least the `need` role (else 403)."""
    canvas = get_object_or_404(Canvas.objects.for_user(request.user), pk=pk)
    if not Role(canvas.user_role).allows(need):
        raise PermissionDenied
    return canvas


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


# Accounts -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("canvas_app:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Lienzo! Create your first canvas."))
        return redirect("canvas_app:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


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
@require_POST
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
def note_edit(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = _get_note(canvas, note_id)
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        note.edit(
            text=form.cleaned_data["text"],
            colour=form.cleaned_data["colour"],
            relationship_type=form.cleaned_data.get("relationship_type"),
        )
        if request.htmx:
            response = TemplateResponse(request, "canvas_app/board.html#note", _canvas_context(request, canvas, note=note))
            return _focus_note(response, note)
        return HttpResponseRedirect(_board_url(canvas, note))
    if form.is_bound:
        note.refresh_from_db()  # the invalid text stays in the form, never on the note
    context = _canvas_context(request, canvas, note=note, form=form)
    status = 400 if form.errors and not request.htmx else 200
    template = "canvas_app/board.html#note_form" if request.htmx else "canvas_app/note_edit.html"
    return TemplateResponse(request, template, context, status=status)


@login_required
@require_POST
def note_delete(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    note = _get_note(canvas, note_id)
    note.delete_softly()
    if request.htmx:
        return TemplateResponse(request, "canvas_app/board.html#deleted_note", {"canvas": canvas, "note": note})
    return HttpResponseRedirect(f"{reverse('canvas_app:board', args=[canvas.pk])}?deleted={note.pk}")


@login_required
@require_POST
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


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk)
    is_owner = Role(canvas.user_role) == Role.OWNER
    form = MemberAddForm(request.POST or None, canvas=canvas)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            user = form.cleaned_data["user"]
            Membership.objects.create(canvas=canvas, user=user, role=form.cleaned_data["role"])
            messages.success(request, _("%(user)s can now use this canvas.") % {"user": user.username})
            return redirect("canvas_app:members", canvas.pk)
    context = {
        "canvas": canvas,
        "is_owner": is_owner,
        "memberships": canvas.memberships.select_related("user"),
        "form": form,
        "roles": Role.choices,
    }
    return TemplateResponse(request, "canvas_app/members.html", context, status=400 if form.errors else 200)


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


# Export ------------------------------------------------------------------------------------


@login_required
@require_GET
def canvas_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk)
    page = pdf.PAGE_SIZES.get(request.GET.get("size", ""), pdf.PAGE_SIZES[pdf.DEFAULT_PAGE_SIZE])
    exported_at = timezone.localtime()
    content = pdf.canvas_pdf(canvas, page=page, request=request, exported_at=exported_at)
    name = f"{slugify(canvas.title) or 'canvas'}-{exported_at:%Y-%m-%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
