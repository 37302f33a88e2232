"""The board and its notes. Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import live, pdf
from ..access import canvas_view
from ..board_cache import rendered_board
from ..concurrent import merge_and_save
from ..forms import NoteForm, NoteMoveForm
from ..htmx import focus, replace, reswap
from ..models import (
    AddingTooFastError,
    Block,
    Canvas,
    CanvasLimitError,
    Colour,
    Evidence,
    Note,
    NoteGoneError,
    Role,
    STORY_ORDER,
    validated_share,
)
from ..models.comments import open_counts
from ..signals import BoardFilter, decorate


def _board_url(canvas: Canvas, note: Note | None = None) -> str:
    url = reverse("canvas_app:board", args=[canvas.pk])
    return f"{url}#note-{note.pk}" if note else url


def note_urls(canvas: Canvas, notes: list[Note]) -> None:
    """Give each note the URLs the board's markup needs (its menu, its move and its edit),
    reversing once for all of them: a board has hundreds of notes."""
    base = reverse("canvas_app:note_detail", args=[canvas.pk, 0]).removesuffix("0/")
    for note in notes:
        url = f"{base}{note.pk}/"
        note.actions_url, note.move_url, note.edit_url = f"{url}actions/", f"{url}move/", f"{url}edit/"
        note.comments_url = f"{url}comments/"


def dress_notes(
    request: HttpRequest, canvas: Canvas, notes: list[Note], *, whole_board: bool = False, comments: bool = True
) -> list[BoardFilter]:
    """Everything a note's markup needs besides the note: other apps' decorations, its filter
    keys (its status among them), its URLs and the count of its open comments; in a fixed
    number of queries. For the whole board, also the filter's options (by segment)."""
    found = decorate(canvas, notes, request, filters=whole_board)
    note_urls(canvas, notes)
    counts = open_counts(canvas.pk, None if whole_board else [note.pk for note in notes]) if comments else {}
    for note in notes:
        note.filter_keys.append(f"status-{note.status}")
        note.comment_count = counts.get(note.pk, 0)
    return found


def evidence_filters() -> list[BoardFilter]:
    """The board's filter by evidence: a note is found under its status (dress_notes)."""
    return [BoardFilter(f"status-{value}", label, colour="") for value, label in Evidence.choices]


def canvas_context(request: HttpRequest, canvas: Canvas, **extra) -> dict:
    role = Role(canvas.user_role)
    if "note" in extra and not extra.get("blocks"):
        dress_notes(request, canvas, [extra["note"]])
    return {
        "canvas": canvas,
        "role": role,
        "can_edit": role.allows(Role.EDITOR),
        "can_comment": role.allows(Role.COMMENTER),
        "comments_visible": True,
        "block_choices": Block.choices,
        "live_url": reverse("canvas_app:board_changes", args=[canvas.pk]),
        "colours": Colour.choices,
        "note_max_length": Note.TEXT_MAX_LENGTH,
        **extra,
    }


def _block_context(
    block: Block, notes: list[Note] | None = None, add_form: NoteForm | None = None, *, guided: bool = False
) -> dict:
    return {
        "id": block.value,
        "label": block.label,
        "question": block.question,
        "examples": block.examples if guided else (),
        "notes": notes or [],
        "add_form": add_form,
    }


def board_context(
    request: HttpRequest, canvas: Canvas, *, add_form: NoteForm | None = None, add_block: str = "", **extra
) -> dict:
    grouped = canvas.notes_by_block()
    notes = [note for block_notes in grouped.values() for note in block_notes]
    # A share link's board shows no comments.
    filters = dress_notes(request, canvas, notes, whole_board=True, comments=extra.get("comments_visible", True))
    evidence = evidence_filters()
    blocks = [
        _block_context(block, grouped[block.value], add_form if block == add_block else None, guided=canvas.guided)
        for block in Block
    ]
    active = request.GET.get("filter", "")
    return canvas_context(
        request,
        canvas,
        blocks=blocks,
        pdf_sizes=pdf.PAGE_SIZE_CHOICES,
        story_order=STORY_ORDER,
        board_filters=filters,
        evidence_filters=evidence,
        evidence_share=validated_share(notes),
        active_filter=active if any(f.key == active for f in [*filters, *evidence]) else "",
        **extra,
    )



def _note_partial(request: HttpRequest, canvas: Canvas, note: Note, **extra) -> TemplateResponse:
    response = TemplateResponse(
        request, "canvas_app/board.html#note", canvas_context(request, canvas, note=note, **extra)
    )
    return focus(
        response, f"note-{note.pk}-toggle" if Role(canvas.user_role).allows(Role.EDITOR) else f"note-{note.pk}"
    )


def _board_partial(request: HttpRequest, canvas: Canvas, *, status: int = 200, **extra) -> TemplateResponse:
    response = TemplateResponse(
        request, "canvas_app/board.html#board", board_context(request, canvas, **extra), status=status
    )
    return replace(response, "board")


def note_view(view: Callable) -> Callable:
    """For views of one live note of the canvas: `view(request, canvas, note)`. A note that
    is gone (deleted by someone else meanwhile) is said to be gone where the user acted."""

    @wraps(view)
    def wrapped(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
        note = Note.objects.filter(canvas=canvas, pk=note_id).first()
        try:
            if note is None:
                raise NoteGoneError
            note.canvas = canvas
            return view(request, canvas, note)
        except NoteGoneError:
            return _note_gone(request, canvas, note_id)

    return wrapped


def _note_gone(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    message = _("This note is no longer on the board: someone deleted it a moment ago.")
    if request.htmx:
        context = {"canvas": canvas, "note_id": note_id, "message": message}
        response = TemplateResponse(request, "canvas_app/board.html#note_gone", context, status=410)
        return focus(replace(response, f"note-{note_id}"), f"note-{note_id}-gone")
    if request.method == "POST":
        messages.error(request, message)
        return HttpResponseRedirect(_board_url(canvas))
    raise Http404


@canvas_view()
def board(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    extra = {}
    deleted_id = request.GET.get("deleted", "")
    if deleted_id.isascii() and deleted_id.isdigit():  # str.isdigit() also accepts "²"
        extra["deleted_note"] = Note.all_objects.filter(
            canvas=canvas, pk=int(deleted_id), deleted_at__isnull=False
        ).first()
    return TemplateResponse(request, "canvas_app/board.html", _page_context(request, canvas, **extra))


def _page_context(request: HttpRequest, canvas: Canvas, **extra) -> dict:
    """The board page: its notes (and segment filter) from the board cache, rendered only
    after a change; the rest (the page's own forms) for this request."""
    board_html, kept = rendered_board(request, canvas, lambda: board_context(request, canvas))
    return canvas_context(
        request, canvas, board_html=board_html, pdf_sizes=pdf.PAGE_SIZE_CHOICES, story_order=STORY_ORDER, **kept, **extra
    )


@canvas_view()
def board_changes(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """For the live board: 204 while the canvas is as the page has it (no board is rendered
    for that); a few notes' changes behind, only what changed (live.catch_up); else the
    board as it is now."""
    if request.GET.get("version") == canvas.version:
        return HttpResponse(status=204)
    changed = live.changed_since(canvas, request.GET.get("version", ""))
    if changed is not None:
        return _board_delta(request, canvas, changed)
    board_html, _kept = rendered_board(request, canvas, lambda: board_context(request, canvas))
    return HttpResponse(board_html)


def _board_delta(request: HttpRequest, canvas: Canvas, changed: live.Changed) -> HttpResponse:
    """The blocks whose notes came, went or moved, and the notes edited, out of band."""
    in_blocks, edited = live.notes_of(canvas, changed)
    notes = [note for block_notes in in_blocks.values() for note in block_notes] + edited
    dress_notes(request, canvas, notes)
    blocks = [_block_context(Block(block), block_notes) for block, block_notes in in_blocks.items()]
    context = canvas_context(request, canvas, blocks=blocks, notes=edited, active_filter="")
    response = TemplateResponse(request, "canvas_app/board.html#board_delta", context)
    return reswap(response, "none")


@canvas_view(Role.EDITOR, methods=["POST"])
def note_add(request: HttpRequest, canvas: Canvas, block: str) -> HttpResponse:
    form = NoteForm(request.POST, initial_colour=Block(block).default_colour)
    status = 400
    if form.is_valid():
        try:
            note = canvas.add_note(
                block=block, text=form.cleaned_data["text"], colour=form.cleaned_data["colour"], by=request.user
            )
        except CanvasLimitError as error:
            form.add_error("text", str(error))
            status = 429 if isinstance(error, AddingTooFastError) else 422
        else:
            if request.htmx:
                return TemplateResponse(
                    request, "canvas_app/board.html#note", canvas_context(request, canvas, note=note)
                )
            return HttpResponseRedirect(_board_url(canvas, note))
    if request.htmx:
        context = canvas_context(request, canvas, block=_block_context(Block(block), add_form=form))
        response = TemplateResponse(request, "canvas_app/board.html#add_form", context, status=status)
        return replace(response, f"add-{block}")
    context = board_context(request, canvas, add_form=form, add_block=block)
    return TemplateResponse(request, "canvas_app/board.html", context, status=status)


@canvas_view()
@note_view
def note_detail(request: HttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    if not request.htmx:
        return HttpResponseRedirect(_board_url(canvas, note))
    return _note_partial(request, canvas, note)


@canvas_view(Role.EDITOR)
@note_view
def note_actions(request: HttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    """The note's menu: opened in place on the board, or as a page of its own without JS."""
    template = "canvas_app/board.html#note_menu" if request.htmx else "canvas_app/note_actions.html"
    return TemplateResponse(request, template, canvas_context(request, canvas, note=note))


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
@note_view
def note_edit(request: HttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    """Edit a note's text, colour (and relationship type). An edit based on an older version
    is merged field by field with what was saved meanwhile; where both changed the same
    field, nothing is saved and both versions are shown (409)."""
    form = NoteForm(instance=note)
    if request.method == "POST":
        form = merge_and_save(
            lambda: _reload(canvas, note.pk),
            lambda stored: NoteForm(request.POST, instance=stored),
            lambda form: form.save_merged(by=request.user),
            stored=note,
        )
        if form.is_valid():
            if request.htmx:
                return _note_partial(request, canvas, form.instance)
            return HttpResponseRedirect(_board_url(canvas, note))
        note = _reload(canvas, note.pk)  # the rejected text stays in the form only
    status = 200 if not form.errors else 409 if form.theirs else 400
    context = canvas_context(request, canvas, note=note, form=form, conflict=bool(form.theirs))
    template = "canvas_app/board.html#note_form" if request.htmx else "canvas_app/note_edit.html"
    return TemplateResponse(request, template, context, status=status)


def _reload(canvas: Canvas, note_id: int) -> Note:
    note = Note.objects.filter(canvas=canvas, pk=note_id).first()
    if note is None:
        raise NoteGoneError
    note.canvas = canvas
    return note


@canvas_view(Role.EDITOR, methods=["POST"])
@note_view
def note_delete(request: HttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    note.delete_softly(by=request.user)
    if request.htmx:
        return TemplateResponse(request, "canvas_app/board.html#deleted_note", {"canvas": canvas, "note": note})
    return HttpResponseRedirect(f"{reverse('canvas_app:board', args=[canvas.pk])}?deleted={note.pk}")


@canvas_view(Role.EDITOR, methods=["POST"])
def note_restore(request: HttpRequest, canvas: Canvas, note_id: int) -> HttpResponse:
    note = Note.all_objects.filter(canvas=canvas, pk=note_id).first()
    if note is None:  # past the undo window
        return _note_gone(request, canvas, note_id)
    note.canvas = canvas
    try:
        note.restore(by=request.user)
    except CanvasLimitError as error:
        if request.htmx:
            return _board_partial(request, canvas, status=422, refused_note=note_id, refusal=str(error))
        messages.error(request, str(error))
        return HttpResponseRedirect(_board_url(canvas))
    if request.htmx:
        # The note may come back at another place than the placeholder: redraw the board.
        return focus(_board_partial(request, canvas), f"note-{note.pk}-toggle")
    messages.success(request, _("Note restored."))
    return HttpResponseRedirect(_board_url(canvas, note))


@canvas_view(Role.EDITOR, methods=["POST"])
@note_view
def note_move(request: HttpRequest, canvas: Canvas, note: Note) -> HttpResponse:
    form = NoteMoveForm(request.POST)
    refusal, status = "", 200
    if not form.is_valid():
        refusal, status = _("That move is not possible."), 400
    else:
        data = form.cleaned_data
        try:
            if data["direction"]:
                note.move_by(-1 if data["direction"] == "up" else 1, by=request.user)
            else:
                position = data["position"] or 10**6  # no position: the end of the block
                note.move(block=data["block"], position=position, by=request.user)
        except CanvasLimitError as error:
            refusal, status = str(error), 422
    if request.htmx:
        # The whole board: a refused drag must put the note back where it is.
        extra = {"refused_note": note.pk, "refusal": refusal} if refusal else {}
        return focus(_board_partial(request, canvas, status=status, **extra), f"note-{note.pk}-toggle")
    if refusal:
        messages.error(request, refusal)
    return HttpResponseRedirect(_board_url(canvas, note))
