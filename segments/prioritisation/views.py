"""Prioritisation pages (namespace "prioritisation"): the ranking with its matrix and
warnings, each member's own scores, the owner's criteria, and the report.
Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canvas_app.access import canvas_view
from canvas_app.exports import member_urls, request_export
from canvas_app.htmx import replace
from canvas_app.models import Canvas, Export, Role

from ..models import Axis, Criterion, PrioritySettings
from .forms import SCORE_CHOICES, CriterionForm, PrimarySegmentForm, ScoreSheetForm, ThresholdForm
from .ranking import TeamRanking, own_scores, record_scores, segments_of, team_basis, team_ranking
from .tasks import render_segment_report


REPORT_SIZES = [("a4", gettext_lazy("A4 portrait")), ("letter", gettext_lazy("Letter portrait"))]


def _role_context(canvas: Canvas) -> dict:
    role = Role(canvas.user_role)
    return {"canvas": canvas, "role": role, "can_score": role.allows(Role.EDITOR), "is_owner": role == Role.OWNER}


def _ranking_context(
    ranking: TeamRanking,
    *,
    primary_form: PrimarySegmentForm | None = None,
    threshold_form: ThresholdForm | None = None,
) -> dict:
    settings_ = ranking.settings
    return {
        **_role_context(ranking.canvas),
        "settings": settings_,
        "criteria": ranking.criteria,
        "rows": ranking.rows,
        "warned_rows": ranking.warned_rows,
        "primary": ranking.primary,
        "team_size": ranking.team_size,
        "has_gaps": ranking.has_gaps,
        "unscored_criteria": ranking.unscored_criteria,
        "member_gaps": ranking.member_gaps,
        "matrix": ranking.matrix(),
        "primary_form": primary_form
        or PrimarySegmentForm(segments=ranking.segments, initial={"segment": settings_.primary_segment_id}),
        "threshold_form": threshold_form or ThresholdForm(instance=settings_),
        "axes": Axis,
        "report_sizes": REPORT_SIZES,
    }


def _ranking_url(canvas: Canvas, anchor: str = "") -> str:
    url = reverse("prioritisation:ranking", args=[canvas.pk])
    return f"{url}#{anchor}" if anchor else url


@canvas_view()
def ranking(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    ranking_ = team_ranking(canvas, PrioritySettings.for_canvas(canvas))
    return TemplateResponse(request, "prioritisation/ranking.html", _ranking_context(ranking_))


@canvas_view(Role.OWNER, methods=["POST"])
def primary(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    settings_ = PrioritySettings.for_canvas(canvas)
    segments = segments_of(canvas)
    form = PrimarySegmentForm(request.POST, segments=segments)
    if not form.is_valid():
        context = _ranking_context(team_ranking(canvas, settings_, segments), primary_form=form)
        return TemplateResponse(request, "prioritisation/ranking.html", context, status=400)
    segment = form.chosen()
    settings_.primary_segment = segment
    settings_.save_changes(by=request.user, fields=["primary_segment"])
    if segment is None:
        messages.success(request, _("No segment is primary now."))
    else:
        messages.success(request, _("“%(name)s” is now the primary segment.") % {"name": segment.name})
    return HttpResponseRedirect(_ranking_url(canvas, "ranking"))


@canvas_view(Role.OWNER, methods=["POST"])
def threshold(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    settings_ = PrioritySettings.for_canvas(canvas)
    form = ThresholdForm(request.POST, instance=settings_)
    if not form.is_valid():
        settings_ = PrioritySettings.for_canvas(canvas)  # the rejected value stays in the form only
        context = _ranking_context(team_ranking(canvas, settings_), threshold_form=form)
        return TemplateResponse(request, "prioritisation/ranking.html", context, status=400)
    form.instance.save_changes(by=request.user, fields=["min_segment_size"])
    messages.success(request, _("Threshold saved."))
    return HttpResponseRedirect(_ranking_url(canvas, "warnings"))


# Scoring ----------------------------------------------------------------------------------


def _saved_message(form: ScoreSheetForm) -> str:
    if len(form.posted) != 1:
        return _("Your scores are saved.")
    segment, criterion = form.cells[form.posted[0]]
    value = form.cleaned_data[form.posted[0]]
    names = {"segment": segment.name, "criterion": criterion.name, "value": value}
    if value is None:
        return _("Your score of “%(segment)s” on “%(criterion)s” is cleared.") % names
    return _("Saved: %(value)s for “%(segment)s” on “%(criterion)s”.") % names


@canvas_view(Role.EDITOR, methods=["GET", "POST"])
def scores(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """Each member's own scores: the reviewer is always the user asking."""
    criteria = list(canvas.criteria.all())
    segments = segments_of(canvas)
    saved = own_scores(request.user, segments, criteria)
    data = request.POST if request.method == "POST" else None
    form = ScoreSheetForm(data, segments=segments, criteria=criteria, saved=saved)
    context = {
        **_role_context(canvas),
        "form": form,
        "criteria": criteria,
        "segments": segments,
        "score_choices": SCORE_CHOICES,
        "scores_url": reverse("prioritisation:scores", args=[canvas.pk]),
    }
    if form.is_bound and form.is_valid():
        record_scores(canvas=canvas, reviewer=request.user, values=form.changes(), reviewed=form.reviewed())
        message = _saved_message(form)
        if request.htmx:
            return TemplateResponse(request, "prioritisation/scores.html#outcome", {**context, "status": message})
        messages.success(request, message)
        return redirect("prioritisation:scores", canvas.pk)
    if form.is_bound and request.htmx:
        # The status line and each wrong cell come back out of band.
        errors = [form[name] for name in form.posted if form[name].errors]
        status = (
            form.non_field_errors()[0] if form.non_field_errors() else _("Nothing was saved: check the marked score.")
        )
        context.update(status=status, error=True, invalid=errors)
        return TemplateResponse(request, "prioritisation/scores.html#outcome", context, status=400)
    return TemplateResponse(request, "prioritisation/scores.html", context, status=400 if form.errors else 200)


# Criteria ---------------------------------------------------------------------------------


def _criterion_form(canvas: Canvas, criterion: Criterion | None = None, data=None) -> CriterionForm:
    prefix_id = f"criterion-{criterion.pk}" if criterion else "criterion-new"
    return CriterionForm(data, instance=criterion, canvas=canvas, auto_id=f"{prefix_id}-%s")


def _criteria_url(canvas: Canvas, criterion: Criterion | None = None) -> str:
    url = reverse("prioritisation:criteria", args=[canvas.pk])
    return f"{url}#criterion-{criterion.pk}" if criterion else url


def _criteria_page(request: HttpRequest, canvas: Canvas, *, add_form=None, editing=None, status=200) -> HttpResponse:
    """The criteria page; `editing` is a bound form that stands in for its criterion's row."""
    rows = []
    for criterion in canvas.criteria.all():
        if editing is not None and editing.instance.pk == criterion.pk:
            rows.append((criterion, editing))
        else:
            rows.append((criterion, _criterion_form(canvas, criterion)))
    context = {**_role_context(canvas), "rows": rows, "add_form": add_form or _criterion_form(canvas)}
    return TemplateResponse(request, "prioritisation/criteria.html", context, status=status)


def _get_criterion(canvas: Canvas, criterion_id: int) -> Criterion:
    return get_object_or_404(canvas.criteria, pk=criterion_id)


@canvas_view(Role.OWNER, methods=["GET", "POST"])
def criteria(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The owner's criteria; a post adds one."""
    if request.method != "POST":
        return _criteria_page(request, canvas)
    form = _criterion_form(canvas, data=request.POST)
    if form.is_valid():
        criterion = form.save_new(by=request.user)
    if form.is_valid():
        message = _("Criterion “%(name)s” added.") % {"name": criterion.name}
        if request.htmx:
            context = {
                **_role_context(canvas),
                "criterion": criterion,
                "form": _criterion_form(canvas, criterion),
                "add_form": _criterion_form(canvas),
                "status": message,
            }
            return TemplateResponse(request, "prioritisation/criteria.html#added", context)
        messages.success(request, message)
        return HttpResponseRedirect(_criteria_url(canvas, criterion))
    if request.htmx:
        context = {**_role_context(canvas), "add_form": form}
        return replace(
            TemplateResponse(request, "prioritisation/criteria.html#add_form", context, status=400), "criterion-add"
        )
    return _criteria_page(request, canvas, add_form=form, status=400)


@canvas_view(Role.OWNER, methods=["POST"])
def criterion_edit(request: HttpRequest, canvas: Canvas, criterion_id: int) -> HttpResponse:
    criterion = _get_criterion(canvas, criterion_id)
    form = _criterion_form(canvas, criterion, data=request.POST)
    if form.is_valid():
        form.save_changes(by=request.user)
    if form.is_valid():
        message = _("Criterion “%(name)s” saved.") % {"name": criterion.name}
        if request.htmx:
            context = {
                **_role_context(canvas),
                "criterion": criterion,
                "form": _criterion_form(canvas, criterion),
                "status": message,
            }
            return TemplateResponse(request, "prioritisation/criteria.html#saved", context)
        messages.success(request, message)
        return HttpResponseRedirect(_criteria_url(canvas, criterion))
    criterion = _get_criterion(canvas, criterion_id)  # the invalid input stays in the form only
    if request.htmx:
        context = {**_role_context(canvas), "criterion": criterion, "form": form}
        return TemplateResponse(request, "prioritisation/criteria.html#criterion", context, status=400)
    return _criteria_page(request, canvas, editing=form, status=400)


@canvas_view(Role.OWNER, methods=["POST"])
def criterion_delete(request: HttpRequest, canvas: Canvas, criterion_id: int) -> HttpResponse:
    """Remove a criterion and every member's scores on it."""
    criterion = _get_criterion(canvas, criterion_id)
    name = criterion.name
    criterion.remove(by=request.user)
    message = _("Criterion “%(name)s” removed, with its scores.") % {"name": name}
    if request.htmx:
        return TemplateResponse(request, "prioritisation/criteria.html#removed", {"status": message})
    messages.success(request, message)
    return HttpResponseRedirect(_criteria_url(canvas))


# The report -------------------------------------------------------------------------------


@canvas_view(methods=["GET", "POST"])
def report(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """The segment report as a PDF, in the canvas' language, made by the task worker: GET
    offers the paper, POST asks for it. Anyone who may see the ranking may take it away."""
    if request.method != "POST":
        context = {"canvas": canvas, "pdf_url": request.path, "sizes": REPORT_SIZES, "report": True}
        return TemplateResponse(request, "canvas_app/export.html", context)
    size = request.POST.get("size", "").strip().lower()  # read case-blind, as the report's own size
    return request_export(
        request,
        canvas,
        kind=Export.Kind.SEGMENT_REPORT,
        size=size if size in dict(REPORT_SIZES) else "a4",
        basis=team_basis(canvas),
        enqueue=render_segment_report.enqueue,
        urls=member_urls(canvas),
    )
