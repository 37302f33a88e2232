"""Value-proposition fit: a segment's customer profile (jobs, pains, gains) against the
value map (products and services, pain relievers, gain creators), with the links between."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canvas_app.access import canvas_view
from canvas_app.concurrent import merge_and_save
from canvas_app.htmx import focus, replace
from canvas_app.models import Canvas, Note, Role

from ..fit import profile_entries
from ..forms import ProfileItemForm, ValueItemForm, profile_kind, value_kind
from ..models import ProfileItem, ProfileKind, Segment, ValueItem, ValueKind
from ..scoring import fit_score
from .common import context, get_segment, rejected_status


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


def _shown(model, segment: Segment, deleted):
    """The segment's live items of this model, and the one just deleted (shown as its undo)."""
    shown = Q(deleted_at__isnull=True)
    if isinstance(deleted, model):
        shown |= Q(pk=deleted.pk)
    return model.all_objects.filter(shown, segment=segment)


def _fit_context(canvas: Canvas, segment: Segment, **extra) -> dict:
    """Everything the fit page shows; `editing` is ("profile"|"value", pk, form) for an
    item shown as a form, `add_forms` may replace the empty add forms (with errors),
    `deleted` is an item just deleted, shown in its place with an undo."""
    deleted = extra.pop("deleted", None)
    shown_items = list(
        _shown(ProfileItem, segment, deleted).prefetch_related(
            Prefetch("addressed_by", queryset=ValueItem.objects.order_by("kind", "created_at", "pk"))
        )
    )
    items = [i for i in shown_items if not i.is_deleted]
    value_items = list(
        _shown(ValueItem, segment, deleted).prefetch_related(
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
            "items": [i for i in shown_items if i.kind == kind],
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
    return context(
        canvas,
        segment=segment,
        fit=fit_score(profile_entries(items)),
        profile=profile,
        value_map=value_map,
        # Side by side: jobs and the products that help with them, pains and their
        # relievers, gains and their creators.
        pairs=list(zip(profile, value_map, strict=True)),
        editing=editing,
        profile_total=len(items),
        **extra,
    )


def _fit_url(canvas: Canvas, segment: Segment, anchor: str = "") -> str:
    url = reverse("segments:fit", args=[canvas.pk, segment.pk])
    return f"{url}#{anchor}" if anchor else url


def _workspace(request: HttpRequest, canvas: Canvas, segment: Segment, element_id: str) -> HttpResponse:
    """After a change the score, the lists and every item's links may change: redraw them all."""
    response = TemplateResponse(request, "segments/fit.html#workspace", _fit_context(canvas, segment))
    return focus(replace(response, "fit-workspace"), element_id)


@canvas_view()
def fit(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    template = "segments/fit.html#workspace" if request.htmx else "segments/fit.html"
    extra = {}
    if Role(canvas.user_role).allows(Role.EDITOR):
        # After a delete posted without JavaScript: the item shows in its place, with an undo.
        extra["deleted"] = _deleted_item(segment, request.GET.get("deleted", ""))
    return TemplateResponse(request, template, _fit_context(canvas, segment, **extra))


def _deleted_item(segment: Segment, key: str) -> ProfileItem | ValueItem | None:
    """The item named `profile-<pk>` or `value-<pk>`, if deleted and not yet gone for good."""
    part, _dash, pk = key.partition("-")
    model = {"profile": ProfileItem, "value": ValueItem}.get(part)
    if model is None or not (pk.isascii() and pk.isdigit()):
        return None
    return model.all_objects.filter(segment=segment, pk=int(pk), deleted_at__isnull=False).first()


def _saved(request, canvas, segment, anchor: str, message: str) -> HttpResponse:
    if request.htmx:
        return _workspace(request, canvas, segment, anchor)
    messages.success(request, message)
    return HttpResponseRedirect(_fit_url(canvas, segment, anchor))


@canvas_view(Role.EDITOR, methods=["POST"])
def profile_item_add(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    kind = profile_kind(request.POST.get("kind", "")) or ProfileKind.JOB
    form = ProfileItemForm(request.POST, auto_id=f"add-{kind}-%s")
    if form.is_valid():
        item = form.save(commit=False)
        item.segment = segment
        item.add(by=request.user)
        return _saved(request, canvas, segment, f"profile-item-{item.pk}", _("Added to the customer profile."))
    return _rejected_add(request, canvas, segment, kind, form, f"add-profile-{kind}")


@canvas_view(Role.EDITOR, methods=["POST"])
def value_item_add(request: HttpRequest, canvas: Canvas, segment_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    kind = value_kind(request.POST.get("kind", "")) or ValueKind.PRODUCT
    form = ValueItemForm(request.POST, segment=segment, auto_id=f"add-{kind}-%s")
    if form.is_valid():
        item = form.save(commit=False)
        item.segment = segment
        item.add(by=request.user, then=form.save_m2m)
        return _saved(request, canvas, segment, f"value-item-{item.pk}", _("Added to the value map."))
    return _rejected_add(request, canvas, segment, kind, form, f"add-value-{kind}")


def _rejected_add(request, canvas, segment, kind, form, form_id: str) -> HttpResponse:
    context_ = _fit_context(canvas, segment, add_forms={kind: form})
    if request.htmx:
        group = next(g for g in [*context_["profile"], *context_["value_map"]] if g["kind"] == kind)
        partial = "add_profile_form" if form_id.startswith("add-profile") else "add_value_form"
        response = TemplateResponse(request, f"segments/fit.html#{partial}", {**context_, "group": group}, status=400)
        return replace(response, form_id)
    return TemplateResponse(request, "segments/fit.html", context_, status=400)


def _item_edit(request, canvas, segment, load, make_form, *, part: str, saved_message: str) -> HttpResponse:
    """Show an item's edit form, or save it merged with what teammates saved meanwhile."""
    item = load()
    element_id = f"{part}-item-{item.pk}"
    form = make_form(item, None)
    if request.method == "POST":
        form = merge_and_save(
            load, lambda stored: make_form(stored, request.POST), lambda form: form.save_merged(by=request.user)
        )
        if form.is_valid():
            return _saved(request, canvas, segment, element_id, saved_message)
        item = load()  # the rejected values stay in the form only
    editing = (part, item.pk, form)
    if request.htmx:
        context_ = context(canvas, segment=segment, item=item, form=form, editing=editing)
        response = TemplateResponse(
            request, f"segments/fit.html#{part}_item_form", context_, status=rejected_status(form)
        )
        return replace(response, element_id) if form.is_bound else response
    context_ = _fit_context(canvas, segment, editing=editing)
    return TemplateResponse(request, "segments/fit.html", context_, status=rejected_status(form))


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def profile_item_edit(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    return _item_edit(
        request, canvas, segment,
        lambda: _item(segment.profile_items, item_id, segment),
        lambda item, data: ProfileItemForm(data, instance=item, auto_id=f"profile-item-{item.pk}-%s"),
        part="profile", saved_message=_("Customer profile saved."),
    )  # fmt: skip


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def value_item_edit(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    return _item_edit(
        request, canvas, segment,
        lambda: _item(segment.value_items, item_id, segment),
        lambda item, data: ValueItemForm(data, instance=item, segment=segment, auto_id=f"value-item-{item.pk}-%s"),
        part="value", saved_message=_("Value map saved."),
    )  # fmt: skip


@canvas_view(Role.EDITOR, methods=["POST"])
def profile_item_delete(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    return _deleted(request, canvas, segment, _item(segment.profile_items, item_id, segment), "profile")


@canvas_view(Role.EDITOR, methods=["POST"])
def value_item_delete(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    return _deleted(request, canvas, segment, _item(segment.value_items, item_id, segment), "value")


def _deleted(request, canvas, segment, item, part: str) -> HttpResponse:
    """Delete softly; the item stays in its place as an undo (for a while, with JavaScript)."""
    item.delete_softly(by=request.user)
    element_id = f"{part}-item-{item.pk}"
    if request.htmx:
        response = TemplateResponse(
            request, "segments/fit.html#workspace", _fit_context(canvas, segment, deleted=item)
        )
        return focus(replace(response, "fit-workspace"), f"{element_id}-undo")
    return HttpResponseRedirect(f"{_fit_url(canvas, segment)}?deleted={part}-{item.pk}#{element_id}")


@canvas_view(Role.EDITOR, methods=["POST"])
def profile_item_restore(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    item = ProfileItem.all_objects.filter(segment=segment, pk=item_id).first()
    return _restored(request, canvas, segment, item, "profile", _("Back in the customer profile."))


@canvas_view(Role.EDITOR, methods=["POST"])
def value_item_restore(request: HttpRequest, canvas: Canvas, segment_id: int, item_id: int) -> HttpResponse:
    segment = get_segment(canvas, segment_id)
    item = ValueItem.all_objects.filter(segment=segment, pk=item_id).first()
    return _restored(request, canvas, segment, item, "value", _("Back in the value map."))


def _restored(request, canvas, segment, item, part: str, message: str) -> HttpResponse:
    if item is None:  # past the undo window
        gone = _("Too late to undo: it was deleted for good.")
        if request.htmx:
            context_ = _fit_context(canvas, segment, undo_gone=gone)
            response = TemplateResponse(request, "segments/fit.html#workspace", context_, status=410)
            return focus(replace(response, "fit-workspace"), "fit-undo-gone")
        messages.error(request, gone)
        return HttpResponseRedirect(_fit_url(canvas, segment))
    item.segment = segment
    item.restore(by=request.user)
    return _saved(request, canvas, segment, f"{part}-item-{item.pk}", message)


def _item(items, item_id: int, segment: Segment):
    item = get_object_or_404(items, pk=item_id)
    item.segment = segment  # its canvas is known without a query
    return item
