"""Segment pages: the list, a segment's description and personas, the segments a note
serves, and value-proposition fit. Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from canvas_app.models import Block, Canvas, Note, Role
from canvas_app.views import get_canvas_for_user

from .concurrent import ConcurrentEditForm, merge_and_save
from .fit import fits_of, profile_entries
from .forms import (
    B2B_FIELDS,
    B2C_FIELDS,
    NoteSegmentsForm,
    PersonaForm,
    ProfileItemForm,
    SegmentForm,
    ValueItemForm,
    profile_kind,
    value_kind,
)
from .models import CustomerType, ProfileItem, ProfileKind, Segment, ValueItem, ValueKind
from .scoring import fit_score


def _needed_role(request: HttpRequest) -> Role:
    return Role.VIEWER if request.method in ("GET", "HEAD") else Role.EDITOR


def _posted(request: HttpRequest):
    """The posted data to bind a form to, even when empty (no box checked), else None."""
    return request.POST if request.method == "POST" else None


def _get_segment(canvas: Canvas, segment_id: int) -> Segment:
    """A segment of this canvas whose note is live in the Customer Segments block, else 404."""
    segment = get_object_or_404(Segment.objects.of_canvas(canvas), pk=segment_id)
    segment.note.canvas = canvas
    return segment


def _get_canvas_and_segment(request: HttpRequest, pk: int, segment_id: int) -> tuple[Canvas, Segment]:
    canvas = get_canvas_for_user(request, pk, _needed_role(request))
    return canvas, _get_segment(canvas, segment_id)


def _ensure_segments(canvas: Canvas) -> None:
    """Segments are created when their notes are drawn; a page may come before the board."""
    notes = canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).only("pk", "block", "deleted_at")
    Segment.ensure_for_notes(list(notes))


def _context(canvas: Canvas, **extra) -> dict:
    return {"canvas": canvas, "can_edit": Role(canvas.user_role).allows(Role.EDITOR), **extra}


def _focus(response: HttpResponse, element_id: str) -> HttpResponse:
    """Ask the page to move the focus to an element once the swap has settled."""
    # Sent to <body>: the element that asked may have been swapped out of the page.
    detail = {"id": element_id, "target": "body"}
    return trigger_client_event(response, "segments:focus", detail, after="settle")


def _retarget(response: HttpResponse, element_id: str) -> HttpResponse:
    return reswap(retarget(response, f"#{element_id}"), "outerHTML")


# The list ----------------------------------------------------------------------------------


@login_required
@require_GET
def segment_list(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk)
    _ensure_segments(canvas)
    segments = list(Segment.objects.of_canvas(canvas).annotate(persona_count=Count("personas")))
    fits = fits_of(segments)
    for segment in segments:
        segment.fit = fits[segment.pk]
    return TemplateResponse(request, "segments/list.html", _context(canvas, segments=segments))


# A segment's page: its description and its personas --------------------------------------


def _segment_facts(segment: Segment) -> list[tuple[str, object]]:
    """What a reader sees of the segment's description: the fields that are filled in."""
    facts = []
    hidden = B2B_FIELDS if segment.customer_type == CustomerType.B2C else B2C_FIELDS
    for name in SegmentForm.Meta.fields:
        if name in hidden:
            continue
        field = Segment._meta.get_field(name)
        value = getattr(segment, name)
        if value in (None, ""):
            continue
        if field.choices:
            value = getattr(segment, f"get_{name}_display")()
        facts.append((field.verbose_name, value))
    return facts


def _detail_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    extra.setdefault("form", SegmentForm(instance=segment))
    extra.setdefault("personas", list(segment.personas.all()))
    extra.setdefault("persona_form", PersonaForm(auto_id="new-persona-%s"))
    order = list(Block)
    served = sorted(
        segment.linked_notes.filter(deleted_at__isnull=True), key=lambda n: (order.index(n.block), n.position)
    )
    blocks = dict(Block.choices)
    return _context(
        canvas,
        segment=segment,
        facts=_segment_facts(segment),
        served_notes=[(blocks[note.block], note) for note in served],
        **extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def segment_detail(request: HttpRequest, pk: int, segment_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    if request.method == "GET":
        return TemplateResponse(request, "segments/detail.html", _detail_context(canvas, segment))
    form = merge_and_save(
        lambda: _get_segment(canvas, segment_id),
        lambda stored: SegmentForm(request.POST, instance=stored),
        _save_segment,
    )
    if form.is_valid():
        segment = form.instance
        canvas.touch()
        kept = form.kept_labels()
        if request.htmx:
            form = SegmentForm(instance=segment)
            context = _detail_context(canvas, segment, saved=True, kept=kept, form=form)
            return TemplateResponse(request, "segments/detail.html#segment_saved", context)
        messages.success(request, _("Segment saved."))
        if kept:
            messages.info(request, _kept_message(kept))
        return HttpResponseRedirect(reverse("segments:detail", args=[canvas.pk, segment.pk]))
    segment = _get_segment(canvas, segment.pk)  # the rejected values stay in the form only
    form.instance = segment
    context = _detail_context(canvas, segment, form=form)
    if request.htmx:
        return TemplateResponse(request, "segments/detail.html#segment_form", context)
    return TemplateResponse(request, "segments/detail.html", context, status=_rejected_status(form))


def _save_segment(form: SegmentForm) -> bool:
    """Save the merged form; the name is the note's text, which has its own version."""
    note = form.instance.note
    now = timezone.now()
    if not form.save_merged(reviewed_at=now, updated_at=now):
        return False
    name = form.cleaned_data.get("name", note.text)
    if name == note.text:
        return True
    return note.edit(text=name, colour=note.colour, based_on=note.version)


def _rejected_status(form: ConcurrentEditForm) -> int:
    """A teammate's conflicting change is a 409, another rejected value a 400."""
    if not form.errors:
        return 200
    return 409 if form.theirs else 400


def _kept_message(labels: list[str]) -> str:
    return _("Someone else changed this meanwhile; their changes are kept too: %(fields)s.") % {
        "fields": ", ".join(labels)
    }


# Personas ---------------------------------------------------------------------------------


def _segment_url(canvas: Canvas, segment: Segment, anchor: str = "") -> str:
    url = reverse("segments:detail", args=[canvas.pk, segment.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_POST
def persona_add(request: HttpRequest, pk: int, segment_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    form = PersonaForm(request.POST, auto_id="new-persona-%s")
    if form.is_valid():
        persona = form.save(commit=False)
        persona.segment = segment
        persona.save()
        canvas.touch()
        if request.htmx:
            context = _detail_context(canvas, segment)
            response = TemplateResponse(request, "segments/detail.html#personas", context)
            return _focus(response, f"persona-{persona.pk}")
        messages.success(request, _("Persona %(name)s added.") % {"name": persona.name})
        return HttpResponseRedirect(_segment_url(canvas, segment, f"persona-{persona.pk}"))
    context = _detail_context(canvas, segment, persona_form=form)
    if request.htmx:
        response = TemplateResponse(request, "segments/detail.html#persona_add", context)
        return _retarget(response, "persona-add")
    return TemplateResponse(request, "segments/detail.html", context, status=400)


def _get_persona(segment: Segment, persona_id: int):
    return get_object_or_404(segment.personas, pk=persona_id)


@login_required
@require_http_methods(["GET", "POST"])
def persona_edit(request: HttpRequest, pk: int, segment_id: int, persona_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    segment = _get_segment(canvas, segment_id)
    persona = _get_persona(segment, persona_id)
    auto_id = f"persona-{persona.pk}-%s"
    form = PersonaForm(instance=persona, auto_id=auto_id)
    if request.method == "POST":
        form = merge_and_save(
            lambda: _get_persona(segment, persona_id),
            lambda stored: PersonaForm(request.POST, instance=stored, auto_id=auto_id),
            lambda form: form.save_merged(),
        )
    if form.is_valid():
        persona = form.instance
        canvas.touch()
        if request.htmx:
            context = _context(canvas, segment=segment, persona=persona)
            response = TemplateResponse(request, "segments/detail.html#persona", context)
            return _focus(response, f"persona-{persona.pk}")
        messages.success(request, _("Persona %(name)s saved.") % {"name": persona.name})
        if kept := form.kept_labels():
            messages.info(request, _kept_message(kept))
        return HttpResponseRedirect(_segment_url(canvas, segment, f"persona-{persona.pk}"))
    if form.is_bound:
        persona.refresh_from_db()
    if request.htmx:
        context = _context(canvas, segment=segment, persona=persona, persona_edit_form=form)
        return TemplateResponse(request, "segments/detail.html#persona_form", context)
    context = _detail_context(canvas, segment, editing_persona=persona.pk, persona_edit_form=form)
    return TemplateResponse(request, "segments/detail.html", context, status=_rejected_status(form))


@login_required
@require_POST
def persona_delete(request: HttpRequest, pk: int, segment_id: int, persona_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    persona = _get_persona(segment, persona_id)
    name = persona.name
    persona.delete()
    canvas.touch()
    if request.htmx:
        response = TemplateResponse(request, "segments/detail.html#personas", _detail_context(canvas, segment))
        return _focus(response, "personas-title")
    messages.success(request, _("Persona %(name)s deleted.") % {"name": name})
    return HttpResponseRedirect(_segment_url(canvas, segment, "personas"))


# The segments a note serves -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def note_links(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, _needed_role(request))
    note = get_object_or_404(Note.objects.exclude(block=Block.CUSTOMER_SEGMENTS), canvas=canvas, pk=note_id)
    note.canvas = canvas
    _ensure_segments(canvas)
    on_board = list(Segment.objects.of_canvas(canvas))
    served = [segment for segment in on_board if segment in set(note.segments.all())]
    form = NoteSegmentsForm(_posted(request), canvas=canvas, initial={"segments": served})
    saved = False
    if request.method == "POST" and form.is_valid():
        # Only the segments on the board are offered: links to others (a segment note moved
        # to another block, and perhaps back later) are left alone, as are boxes left as shown.
        link, unlink = form.changes(on_board)
        with transaction.atomic():
            note.segments.remove(*unlink)
            note.segments.add(*link)
            canvas.touch()
        if not request.htmx:
            messages.success(request, _("Segments of the note saved."))
            return HttpResponseRedirect(f"{reverse('canvas_app:board', args=[canvas.pk])}#note-{note.pk}")
        linked = set(note.segments.all())
        served = [segment for segment in on_board if segment in linked]
        form = NoteSegmentsForm(canvas=canvas, initial={"segments": served})
        saved = True
    context = _context(
        canvas, note=note, form=form, saved=saved, served=served, block_label=Block(note.block).label
    )
    template = "segments/note_links.html#panel" if request.htmx else "segments/note_links.html"
    status = 400 if form.errors and not request.htmx else 200
    return TemplateResponse(request, template, context, status=status)


# Value-proposition fit ------------------------------------------------------------------


GROUPS = {
    ProfileKind.JOB: {
        "title": gettext_lazy("Jobs to be done"),
        "help": gettext_lazy("What are these customers trying to get done, at work or in their lives?"),
        "add_label": gettext_lazy("job to be done"),
    },
    ProfileKind.PAIN: {
        "title": gettext_lazy("Pains"),
        "help": gettext_lazy("What annoys them, gets in their way or worries them, before, during or after the job?"),
        "add_label": gettext_lazy("pain"),
    },
    ProfileKind.GAIN: {
        "title": gettext_lazy("Gains"),
        "help": gettext_lazy("What outcomes and benefits do they want, expect or would be delighted by?"),
        "add_label": gettext_lazy("gain"),
    },
    ValueKind.PRODUCT: {
        "title": gettext_lazy("Products and services"),
        "help": gettext_lazy("What do we offer that helps them get their jobs done?"),
        "add_label": gettext_lazy("product or service"),
    },
    ValueKind.RELIEVER: {
        "title": gettext_lazy("Pain relievers"),
        "help": gettext_lazy("How does our offer take away or ease their pains?"),
        "add_label": gettext_lazy("pain reliever"),
    },
    ValueKind.CREATOR: {
        "title": gettext_lazy("Gain creators"),
        "help": gettext_lazy("How does our offer produce the gains they want?"),
        "add_label": gettext_lazy("gain creator"),
    },
}


def _fit_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    """Everything the fit page shows; `editing` is ("profile"|"value", pk, form) for an
    item shown as a form, `add_forms` may replace the empty add forms (with errors)."""
    items = list(
        segment.profile_items.prefetch_related(
            Prefetch("addressed_by", queryset=ValueItem.objects.order_by("kind", "created_at", "pk"))
        )
    )
    value_items = list(
        segment.value_items.prefetch_related(
            Prefetch("addresses", queryset=ProfileItem.objects.order_by(*ProfileItem._meta.ordering)),
            Prefetch("notes", queryset=Note.objects.order_by("position")),
        )
    )
    add_forms = extra.pop("add_forms", {})
    editing = extra.pop("editing", None)
    profile = [
        {
            **GROUPS[kind],
            "kind": kind,
            "items": [i for i in items if i.kind == kind],
            "add_form": add_forms.get(kind)
            or ProfileItemForm(initial={"kind": kind, "importance": 2}, auto_id=f"add-{kind}-%s"),
        }
        for kind in (ProfileKind.JOB, ProfileKind.PAIN, ProfileKind.GAIN)
    ]
    value_map = [
        {
            **GROUPS[kind],
            "kind": kind,
            "items": [i for i in value_items if i.kind == kind],
            "add_form": add_forms.get(kind)
            or ValueItemForm(initial={"kind": kind}, segment=segment, auto_id=f"add-{kind}-%s"),
        }
        for kind in (ValueKind.PRODUCT, ValueKind.RELIEVER, ValueKind.CREATOR)
    ]
    return _context(
        canvas,
        segment=segment,
        fit=fit_score(profile_entries(items)),
        profile=profile,
        value_map=value_map,
        editing=editing,
        profile_total=len(items),
        **extra,
    )


def _fit_url(canvas: Canvas, segment: Segment, anchor: str = "") -> str:
    url = reverse("segments:fit", args=[canvas.pk, segment.pk])
    return f"{url}#{anchor}" if anchor else url


def _workspace(request: HttpRequest, canvas: Canvas, segment: Segment, focus: str) -> HttpResponse:
    """After a change the score, the lists and every item's links may change: redraw them all."""
    response = TemplateResponse(request, "segments/fit.html#workspace", _fit_context(canvas, segment))
    return _focus(_retarget(response, "fit-workspace"), focus)


@login_required
@require_GET
def fit(request: HttpRequest, pk: int, segment_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    template = "segments/fit.html#workspace" if request.htmx else "segments/fit.html"
    return TemplateResponse(request, template, _fit_context(canvas, segment))


def _saved(request, canvas, segment, anchor: str, message: str) -> HttpResponse:
    if request.htmx:
        return _workspace(request, canvas, segment, anchor)
    messages.success(request, message)
    return HttpResponseRedirect(_fit_url(canvas, segment, anchor))


@login_required
@require_POST
def profile_item_add(request: HttpRequest, pk: int, segment_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    kind = profile_kind(request.POST.get("kind", "")) or ProfileKind.JOB
    form = ProfileItemForm(request.POST, auto_id=f"add-{kind}-%s")
    if form.is_valid():
        item = form.save(commit=False)
        item.segment = segment
        item.save()
        canvas.touch()
        return _saved(request, canvas, segment, f"profile-item-{item.pk}", _("Added to the customer profile."))
    return _rejected_add(request, canvas, segment, kind, form, f"add-profile-{kind}")


@login_required
@require_POST
def value_item_add(request: HttpRequest, pk: int, segment_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    kind = value_kind(request.POST.get("kind", "")) or ValueKind.PRODUCT
    form = ValueItemForm(request.POST, segment=segment, auto_id=f"add-{kind}-%s")
    if form.is_valid():
        with transaction.atomic():
            item = form.save(commit=False)
            item.segment = segment
            item.save()
            form.save_m2m()
            canvas.touch()
        return _saved(request, canvas, segment, f"value-item-{item.pk}", _("Added to the value map."))
    return _rejected_add(request, canvas, segment, kind, form, f"add-value-{kind}")


def _rejected_add(request, canvas, segment, kind, form, form_id: str) -> HttpResponse:
    context = _fit_context(canvas, segment, add_forms={kind: form})
    if request.htmx:
        group = next(g for g in [*context["profile"], *context["value_map"]] if g["kind"] == kind)
        partial = "add_profile_form" if form_id.startswith("add-profile") else "add_value_form"
        response = TemplateResponse(request, f"segments/fit.html#{partial}", {**context, "group": group})
        return _retarget(response, form_id)
    return TemplateResponse(request, "segments/fit.html", context, status=400)


def _item_edit(request, canvas, segment, load, make_form, *, part: str, saved_message: str) -> HttpResponse:
    """Show an item's edit form, or save it merged with what teammates saved meanwhile."""
    item = load()
    element_id = f"{part}-item-{item.pk}"
    form = make_form(item, None)
    if request.method == "POST":
        form = merge_and_save(load, lambda stored: make_form(stored, request.POST), lambda form: form.save_merged())
        if form.is_valid():
            canvas.touch()
            return _saved(request, canvas, segment, element_id, saved_message)
        item = load()  # the rejected values stay in the form only
    editing = (part, item.pk, form)
    if request.htmx:
        context = _context(canvas, segment=segment, item=item, form=form, editing=editing)
        response = TemplateResponse(request, f"segments/fit.html#{part}_item_form", context)
        return _retarget(response, element_id) if form.is_bound else response
    context = _fit_context(canvas, segment, editing=editing)
    return TemplateResponse(request, "segments/fit.html", context, status=_rejected_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def profile_item_edit(request: HttpRequest, pk: int, segment_id: int, item_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    segment = _get_segment(canvas, segment_id)
    return _item_edit(
        request, canvas, segment,
        lambda: get_object_or_404(segment.profile_items, pk=item_id),
        lambda item, data: ProfileItemForm(data, instance=item, auto_id=f"profile-item-{item.pk}-%s"),
        part="profile", saved_message=_("Customer profile saved."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def value_item_edit(request: HttpRequest, pk: int, segment_id: int, item_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    segment = _get_segment(canvas, segment_id)
    return _item_edit(
        request, canvas, segment,
        lambda: get_object_or_404(segment.value_items, pk=item_id),
        lambda item, data: ValueItemForm(data, instance=item, segment=segment, auto_id=f"value-item-{item.pk}-%s"),
        part="value", saved_message=_("Value map saved."),
    )  # fmt: skip


@login_required
@require_POST
def profile_item_delete(request: HttpRequest, pk: int, segment_id: int, item_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    item = get_object_or_404(segment.profile_items, pk=item_id)
    kind = item.kind
    item.delete()
    canvas.touch()
    return _saved(request, canvas, segment, f"profile-{kind}-title", _("Removed from the customer profile."))


@login_required
@require_POST
def value_item_delete(request: HttpRequest, pk: int, segment_id: int, item_id: int) -> HttpResponse:
    canvas, segment = _get_canvas_and_segment(request, pk, segment_id)
    item = get_object_or_404(segment.value_items, pk=item_id)
    kind = item.kind
    item.delete()
    canvas.touch()
    return _saved(request, canvas, segment, f"value-{kind}-title", _("Removed from the value map."))
