"""A segment's relationship plan (namespace "segments"): the relationship types from the
board, the topics' lists, and the lifecycle of touchpoints with its gaps. Items edit in place
like the fit's, with the same merge of concurrent edits and the same undo after a delete.
Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from canvas_app.access import canvas_view
from canvas_app.concurrent import merge_and_save
from canvas_app.htmx import focus, replace
from canvas_app.models import Block, Canvas, Role

from ..models import Segment
from ..services import relink_segment
from ..signals import panels_for
from ..views.common import context, get_segment, rejected_status
from .forms import LinkRelationshipForm, RelationshipItemForm, topic_of
from .models import QUESTIONS, RelationshipItem, Stage, Topic


def lifecycle_of(touchpoints: list[RelationshipItem]) -> list[tuple[Stage, list[RelationshipItem]]]:
    """The lifecycle's stages in order, each with its touchpoints."""
    return [(stage, [item for item in touchpoints if item.stage == stage]) for stage in Stage]


def plan_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    """Everything the plan shows; `editing` is (pk, form) for an item shown as a form,
    `add_forms` may replace the empty add forms (with errors), `deleted` is an item just
    deleted, shown in its place with an undo."""
    deleted = extra.pop("deleted", None)
    shown = Q(deleted_at__isnull=True) | Q(pk=getattr(deleted, "pk", 0))
    items = list(RelationshipItem.all_objects.filter(shown, segment=segment).select_related("channel"))
    add_forms = extra.pop("add_forms", {})
    topics = [
        {
            "topic": topic,
            "question": QUESTIONS[topic],
            "items": [item for item in items if item.topic == topic],
            "add_form": add_forms.get(topic)
            or RelationshipItemForm(initial={"topic": topic}, segment=segment, auto_id=f"add-{topic.value}-%s"),
        }
        for topic in Topic
    ]
    touchpoints = [item for item in items if item.topic == Topic.TOUCHPOINTS and not item.is_deleted]
    lifecycle = lifecycle_of(touchpoints)
    relationships = [note for note in segment.linked_notes.all() if note.block == Block.CUSTOMER_RELATIONSHIPS and not note.deleted_at]
    return context(
        canvas,
        segment=segment,
        topics=topics,
        lifecycle=lifecycle,
        empty_stages=[stage.label for stage, found in lifecycle if not found],
        relationships=relationships,
        link_form=extra.pop("link_form", None) or LinkRelationshipForm(segment=segment),
        panels=panels_for(canvas, segment),
        editing=extra.pop("editing", None),
        **extra,
    )


def _url(canvas: Canvas, segment: Segment, anchor: str = "") -> str:
    url = reverse("segments:relationship", args=[canvas.pk, segment.pk])
    return f"{url}#{anchor}" if anchor else url


def _workspace(request, canvas, segment, element_id: str, **extra) -> HttpResponse:
    response = TemplateResponse(request, "segments/relationship.html#plan", plan_context(canvas, segment, **extra))
    return focus(replace(response, "relationship-plan"), element_id)


def _saved(request, canvas, segment, anchor: str, message: str) -> HttpResponse:
    if request.htmx:
        return _workspace(request, canvas, segment, anchor)
    messages.success(request, message)
    return HttpResponseRedirect(_url(canvas, segment, anchor))


@canvas_view()
def relationship(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    extra = {}
    if Role(canvas.user_role).allows(Role.EDITOR):
        key = request.GET.get("deleted", "")
        if key.isascii() and key.isdigit():  # after a delete posted without JavaScript: its undo
            extra["deleted"] = RelationshipItem.all_objects.filter(segment=segment, pk=int(key), deleted_at__isnull=False).first()
    template = "segments/relationship.html#plan" if request.htmx else "segments/relationship.html"
    return TemplateResponse(request, template, plan_context(canvas, segment, **extra))


@canvas_view(Role.EDITOR, methods=["POST"])
def relationship_item_add(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    topic = topic_of(request.POST.get("topic", "")) or Topic.PERSONALISATION
    form = RelationshipItemForm(request.POST, segment=segment, auto_id=f"add-{topic.value}-%s")
    if form.is_valid():
        item = form.save(commit=False)
        item.segment = segment
        item.add(by=request.user)
        return _saved(request, canvas, segment, f"relationship-item-{item.pk}", _("Added to the relationship plan."))
    context_ = plan_context(canvas, segment, add_forms={topic: form})
    if request.htmx:
        group = next(group for group in context_["topics"] if group["topic"] == topic)
        response = TemplateResponse(request, "segments/relationship.html#add_form", {**context_, "group": group}, status=400)
        return replace(response, f"add-{topic.value}")
    return TemplateResponse(request, "segments/relationship.html", context_, status=400)


def _item(segment: Segment, item_id: int) -> RelationshipItem:
    item = get_object_or_404(segment.relationship_items, pk=item_id)
    item.segment = segment  # its canvas is known without a query
    return item


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def relationship_item_edit(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    """An item's form, or the item saved merged with what teammates saved meanwhile (a
    clash on the same field shows both versions)."""
    segment = get_segment(canvas, segment_id)

    def make_form(item, data):
        return RelationshipItemForm(data, instance=item, segment=segment, auto_id=f"relationship-item-{item.pk}-%s")

    item = _item(segment, item_id)
    element_id = f"relationship-item-{item.pk}"
    form = make_form(item, None)
    if request.method == "POST":
        form = merge_and_save(
            lambda: _item(segment, item_id), lambda stored: make_form(stored, request.POST),
            lambda form: form.save_merged(by=request.user),
        )  # fmt: skip
        if form.is_valid():
            return _saved(request, canvas, segment, element_id, _("Relationship plan saved."))
        item = _item(segment, item_id)
    if request.htmx:
        context_ = context(canvas, segment=segment, item=item, form=form)
        response = TemplateResponse(request, "segments/relationship.html#item_form", context_, status=rejected_status(form))
        return replace(response, element_id) if form.is_bound else response
    context_ = plan_context(canvas, segment, editing=(item.pk, form))
    return TemplateResponse(request, "segments/relationship.html", context_, status=rejected_status(form))


@canvas_view(Role.EDITOR, methods=["POST"])
def relationship_item_delete(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    item = _item(segment, item_id)
    item.delete_softly(by=request.user)
    element_id = f"relationship-item-{item.pk}"
    if request.htmx:
        return _workspace(request, canvas, segment, f"{element_id}-undo", deleted=item)
    return HttpResponseRedirect(f"{_url(canvas, segment)}?deleted={item.pk}#{element_id}")


@canvas_view(Role.EDITOR, methods=["POST"])
def relationship_item_restore(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    item = RelationshipItem.all_objects.filter(segment=segment, pk=item_id).first()
    if item is None:  # past the undo window
        gone = _("Too late to undo: it was deleted for good.")
        if request.htmx:
            response = _workspace(request, canvas, segment, "relationship-undo-gone", undo_gone=gone)
            response.status_code = 410
            return response
        messages.error(request, gone)
        return HttpResponseRedirect(_url(canvas, segment))
    item.segment = segment
    item.restore(by=request.user)
    return _saved(request, canvas, segment, f"relationship-item-{item.pk}", _("Back in the relationship plan."))


@canvas_view(Role.EDITOR, methods=["POST"])
def relationship_link(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    """Link one more Customer Relationships note of the board to the segment."""
    segment = get_segment(canvas, segment_id)
    form = LinkRelationshipForm(request.POST, segment=segment)
    if form.is_valid():
        relink_segment(segment, link={form.cleaned_data["note"]}, unlink=set(), by=request.user)
        return _saved(request, canvas, segment, "relationship-types", _("Relationship linked to the segment."))
    if request.htmx:
        response = _workspace(request, canvas, segment, "relationship-link-note", link_form=form)
        response.status_code = 400
        return response
    return TemplateResponse(request, "segments/relationship.html", plan_context(canvas, segment, link_form=form), status=400)
