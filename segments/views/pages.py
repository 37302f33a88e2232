"""The segment list, and a segment's page: its description and its personas."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canvas_app.access import canvas_view
from canvas_app.concurrent import merge_and_save
from canvas_app.htmx import focus, replace
from canvas_app.models import Block, Canvas, Note, Role

from ..facts import segment_facts
from ..fit import fits_of
from ..forms import PersonaForm, SegmentColourForm, SegmentForm, SegmentNotesForm
from ..models import LINKABLE_BLOCKS, Persona, Segment
from ..relationship.models import Topic
from ..relationship.views import lifecycle_of
from ..signals import panels_for
from .common import context, get_segment, kept_message, rejected_status


@canvas_view()
def segment_list(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    live_personas = Count("personas", filter=Q(personas__deleted_at__isnull=True))
    segments = list(Segment.objects.of_canvas(canvas).annotate(persona_count=live_personas))
    fits = fits_of(segments)
    for segment in segments:
        segment.fit = fits[segment.pk]
    return TemplateResponse(request, "segments/list.html", context(canvas, segments=segments))


def notes_to_pick(segment: Segment) -> list[tuple[str, list[Note]]]:
    """The live notes of the blocks whose notes serve segments, by block in board order: one query."""
    by_block: dict[str, list[Note]] = {block.value: [] for block in LINKABLE_BLOCKS}
    for note in Note.objects.filter(canvas_id=segment.canvas_id, block__in=LINKABLE_BLOCKS).order_by("position"):
        by_block[note.block].append(note)
    return [(Block(block).label, notes) for block, notes in by_block.items() if notes]


def _detail_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    extra.setdefault("form", SegmentForm(instance=segment))
    extra.setdefault("personas", list(segment.personas.all()))
    if (deleted := extra.pop("deleted_persona", None)) is not None:
        # The persona just deleted stays in its place, as its undo.
        extra["persona_cards"] = sorted([*extra["personas"], deleted], key=lambda p: (p.created_at, p.pk))
    extra.setdefault("persona_form", PersonaForm(auto_id="new-persona-%s"))
    order = list(Block)
    served = sorted(
        segment.linked_notes.filter(deleted_at__isnull=True), key=lambda n: (order.index(n.block), n.position)
    )
    blocks = dict(Block.choices)
    touchpoints = list(segment.relationship_items.filter(topic=Topic.TOUCHPOINTS).select_related("channel"))
    extra.setdefault("lifecycle", lifecycle_of(touchpoints))
    extra.setdefault("empty_stages", [stage.label for stage, found in extra["lifecycle"] if not found])
    extra.setdefault("colour_form", SegmentColourForm(instance=segment, auto_id="segment-colour-%s"))
    extra.setdefault("notes_form", SegmentNotesForm(segment=segment, initial={"notes": served}))
    return context(
        canvas,
        segment=segment,
        panels=panels_for(canvas, segment),
        facts=segment_facts(segment, currency=canvas.currency),
        served_notes=[(blocks[note.block], note) for note in served],
        served_ids={note.pk for note in served},
        notes_by_block=notes_to_pick(segment),
        **extra,
    )


@canvas_view(Role.VIEWER, change=Role.EDITOR, methods=["GET", "POST"])
def segment_detail(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    if request.method != "POST":
        deleted = _deleted_persona(canvas, segment, request.GET.get("deleted", ""))
        context_ = _detail_context(canvas, segment, deleted_persona=deleted)
        return TemplateResponse(request, "segments/detail.html", context_)
    form = merge_and_save(
        lambda: get_segment(canvas, segment_id),
        lambda stored: SegmentForm(request.POST, instance=stored),
        lambda form: _save_segment(form, by=request.user),
        stored=segment,
    )
    if form.is_valid():
        segment = form.instance
        kept = form.kept_labels()
        if request.htmx:
            form = SegmentForm(instance=segment)
            context_ = _detail_context(canvas, segment, saved=True, kept=kept, form=form)
            return TemplateResponse(request, "segments/detail.html#segment_saved", context_)
        messages.success(request, _("Segment saved."))
        if kept:
            messages.info(request, kept_message(kept))
        return HttpResponseRedirect(reverse("segments:detail", args=[canvas.pk, segment.pk]))
    segment = get_segment(canvas, segment.pk)  # the rejected values stay in the form only
    form.instance = segment
    context_ = _detail_context(canvas, segment, form=form)
    template = "segments/detail.html#segment_form" if request.htmx else "segments/detail.html"
    return TemplateResponse(request, template, context_, status=rejected_status(form))


def _save_segment(form: SegmentForm, *, by) -> bool:
    """Save the merged form, all of it or nothing; the name is the note's text, which has
    its own version."""
    note = form.instance.note
    now = timezone.now()
    with transaction.atomic():
        name = form.cleaned_data.get("name", note.text)
        if form.save_merged(by=by, reviewed_at=now, updated_at=now) and (
            name == note.text or note.edit(text=name, by=by)
        ):
            return True
        transaction.set_rollback(True)
        return False


# Personas ---------------------------------------------------------------------------------


def _segment_url(canvas: Canvas, segment: Segment, anchor: str = "") -> str:
    url = reverse("segments:detail", args=[canvas.pk, segment.pk])
    return f"{url}#{anchor}" if anchor else url


@canvas_view(Role.EDITOR, methods=["POST"])
def persona_add(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    form = PersonaForm(request.POST, auto_id="new-persona-%s")
    if form.is_valid():
        persona = form.save(commit=False)
        persona.segment = segment
        persona.add(by=request.user)
        if request.htmx:
            response = TemplateResponse(request, "segments/detail.html#personas", _detail_context(canvas, segment))
            return focus(response, f"persona-{persona.pk}")
        messages.success(request, _("Persona %(name)s added.") % {"name": persona.name})
        return HttpResponseRedirect(_segment_url(canvas, segment, f"persona-{persona.pk}"))
    context_ = _detail_context(canvas, segment, persona_form=form)
    if request.htmx:
        response = TemplateResponse(request, "segments/detail.html#persona_add", context_, status=400)
        return replace(response, "persona-add")
    return TemplateResponse(request, "segments/detail.html", context_, status=400)


def _get_persona(segment: Segment, persona_id: int) -> Persona:
    persona = get_object_or_404(segment.personas, pk=persona_id)
    persona.segment = segment
    return persona


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def persona_edit(request: HttpRequest, canvas: Canvas, segment_id: int, persona_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    persona = _get_persona(segment, persona_id)
    auto_id = f"persona-{persona.pk}-%s"
    form = PersonaForm(instance=persona, auto_id=auto_id)
    if request.method == "POST":
        form = merge_and_save(
            lambda: _get_persona(segment, persona_id),
            lambda stored: PersonaForm(request.POST, instance=stored, auto_id=auto_id),
            lambda form: form.save_merged(by=request.user),
            stored=persona,
        )
    if form.is_valid():
        persona = form.instance
        if request.htmx:
            response = TemplateResponse(
                request, "segments/detail.html#persona", context(canvas, segment=segment, persona=persona)
            )
            return focus(response, f"persona-{persona.pk}")
        messages.success(request, _("Persona %(name)s saved.") % {"name": persona.name})
        if kept := form.kept_labels():
            messages.info(request, kept_message(kept))
        return HttpResponseRedirect(_segment_url(canvas, segment, f"persona-{persona.pk}"))
    if form.is_bound:
        persona = _get_persona(segment, persona_id)
    if request.htmx:
        context_ = context(canvas, segment=segment, persona=persona, persona_edit_form=form)
        return TemplateResponse(request, "segments/detail.html#persona_form", context_, status=rejected_status(form))
    context_ = _detail_context(canvas, segment, editing_persona=persona.pk, persona_edit_form=form)
    return TemplateResponse(request, "segments/detail.html", context_, status=rejected_status(form))


@canvas_view(Role.EDITOR, methods=["POST"])
def persona_delete(request: HttpRequest, canvas: Canvas, segment_id: int, persona_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    persona = _get_persona(segment, persona_id)
    persona.delete_softly(by=request.user)
    if request.htmx:
        context_ = _detail_context(canvas, segment, deleted_persona=persona)
        response = TemplateResponse(request, "segments/detail.html#personas", context_)
        return focus(response, f"persona-{persona.pk}-undo")
    url = reverse("segments:detail", args=[canvas.pk, segment.pk])
    return HttpResponseRedirect(f"{url}?deleted={persona.pk}#persona-{persona.pk}")


def _deleted_persona(canvas: Canvas, segment: Segment, persona_id: str) -> Persona | None:
    """A persona of the segment deleted a moment ago, for an editor to bring back."""
    if not (Role(canvas.user_role).allows(Role.EDITOR) and persona_id.isascii() and persona_id.isdigit()):
        return None
    return Persona.all_objects.filter(segment=segment, pk=int(persona_id), deleted_at__isnull=False).first()


@canvas_view(Role.EDITOR, methods=["POST"])
def persona_restore(request: HttpRequest, canvas: Canvas, segment_id: int, persona_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    persona = Persona.all_objects.filter(segment=segment, pk=persona_id).first()
    if persona is None:  # past the undo window
        gone = _("Too late to undo: the persona was deleted for good.")
        if request.htmx:
            context_ = _detail_context(canvas, segment, undo_gone=gone)
            response = TemplateResponse(request, "segments/detail.html#personas", context_, status=410)
            return focus(response, "persona-undo-gone")
        messages.error(request, gone)
        return HttpResponseRedirect(_segment_url(canvas, segment, "personas"))
    persona.segment = segment
    persona.restore(by=request.user)
    if request.htmx:
        response = TemplateResponse(request, "segments/detail.html#personas", _detail_context(canvas, segment))
        return focus(response, f"persona-{persona.pk}")
    messages.success(request, _("Persona %(name)s restored.") % {"name": persona.name})
    return HttpResponseRedirect(_segment_url(canvas, segment, f"persona-{persona.pk}"))


@canvas_view(Role.EDITOR, methods=["POST"])
def segment_colour(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    """The segment's colour, chosen from the segment palette (its letter stays)."""
    segment = get_segment(canvas, segment_id)
    form = SegmentColourForm(request.POST, instance=segment, auto_id="segment-colour-%s")
    if form.is_valid():
        segment.save_changes(by=request.user, fields=["colour"])
        if not request.htmx:
            messages.success(request, _("Colour of the segment saved."))
            return HttpResponseRedirect(_segment_url(canvas, segment))
        context_ = _detail_context(canvas, segment, colour_saved=True)
        response = TemplateResponse(request, "segments/detail.html#colour_saved", context_)
        return focus(response, f"segment-colour-{segment.colour}")
    segment = get_segment(canvas, segment.pk)
    context_ = _detail_context(canvas, segment, colour_form=form)
    template = "segments/detail.html#colour_form" if request.htmx else "segments/detail.html"
    return TemplateResponse(request, template, context_, status=400)
