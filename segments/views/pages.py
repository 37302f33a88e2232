"""The segment list, and a segment's page: its description and its personas."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canvas_app.access import canvas_view
from canvas_app.concurrent import merge_and_save
from canvas_app.htmx import focus, replace
from canvas_app.models import Block, Canvas, Role

from ..facts import segment_facts
from ..fit import fits_of
from ..forms import PersonaForm, SegmentForm
from ..models import Persona, Segment
from .common import context, get_segment, kept_message, rejected_status


@canvas_view()
def segment_list(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    segments = list(Segment.objects.of_canvas(canvas).annotate(persona_count=Count("personas")))
    fits = fits_of(segments)
    for segment in segments:
        segment.fit = fits[segment.pk]
    return TemplateResponse(request, "segments/list.html", context(canvas, segments=segments))


def _detail_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    extra.setdefault("form", SegmentForm(instance=segment))
    extra.setdefault("personas", list(segment.personas.all()))
    extra.setdefault("persona_form", PersonaForm(auto_id="new-persona-%s"))
    order = list(Block)
    served = sorted(
        segment.linked_notes.filter(deleted_at__isnull=True), key=lambda n: (order.index(n.block), n.position)
    )
    blocks = dict(Block.choices)
    return context(
        canvas,
        segment=segment,
        facts=segment_facts(segment, currency=canvas.currency),
        served_notes=[(blocks[note.block], note) for note in served],
        **extra,
    )


@canvas_view(Role.VIEWER, change=Role.EDITOR, methods=["GET", "POST"])
def segment_detail(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    if request.method != "POST":
        return TemplateResponse(request, "segments/detail.html", _detail_context(canvas, segment))
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
    name = persona.name
    persona.remove(by=request.user)
    if request.htmx:
        response = TemplateResponse(request, "segments/detail.html#personas", _detail_context(canvas, segment))
        return focus(response, "personas-title")
    messages.success(request, _("Persona %(name)s deleted.") % {"name": name})
    return HttpResponseRedirect(_segment_url(canvas, segment, "personas"))
