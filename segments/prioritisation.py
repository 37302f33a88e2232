"""Prioritisation as a team (namespace "prioritisation"): the owner's weighted criteria, each
member's own scores, and the ranking with its matrix and the best-practice warnings.
Every htmx endpoint also works as a plain form post."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from canvas_app.models import Block, Canvas, Role
from canvas_app.views import get_canvas_for_user

from .best_practices import SegmentFacts, SegmentWarning, segment_warnings
from .charts import MatrixPoint, matrix_layout
from .models import DISTINCTNESS_BLOCKS, Axis, Criterion, PrioritySettings, Score, Segment
from .report import report_filename, segment_report
from .scoring import CriterionResult, CriterionSpec, Ranking, ScoreValue, rank_segments

#: Who scores: every member who may edit the canvas.
SCORING_ROLES = [Role.EDITOR, Role.OWNER]
SCORE_CHOICES = [("", "–"), *((str(value), str(value)) for value in range(1, 6))]
_CELL_NAME = re.compile(r"^score-(\d+)-(\d+)$")


def cell_name(segment_id: int, criterion_id: int) -> str:
    return f"score-{segment_id}-{criterion_id}"


# Queries ----------------------------------------------------------------------------------


def segments_of(canvas: Canvas) -> list[Segment]:
    """The canvas' segments in board order: one query, unless a segment note has no segment
    yet (a page may be seen before the board that creates them)."""
    notes = list(
        canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).select_related("segment").order_by("position")
    )
    if not all(hasattr(note, "segment") for note in notes):
        Segment.ensure_for_notes(notes)
        return list(Segment.objects.of_canvas(canvas))
    return [note.segment for note in notes]


def team_size(canvas: Canvas) -> int:
    return canvas.memberships.filter(role__in=SCORING_ROLES).count()


def team_scores(canvas: Canvas, segments: list[Segment]) -> list[ScoreValue]:
    """Every score given to these segments by a member who may still edit the canvas: a
    former member's or a viewer's old scores no longer count (they return if the role does)."""
    rows = Score.objects.filter(
        segment__in=[segment.pk for segment in segments],
        criterion__canvas=canvas,
        reviewer__canvas_memberships__canvas=canvas,
        reviewer__canvas_memberships__role__in=SCORING_ROLES,
    ).values_list("segment_id", "criterion_id", "reviewer_id", "value")
    return [ScoreValue(*row) for row in rows]


def own_scores(reviewer, segments: list[Segment], criteria: list[Criterion]) -> dict[tuple[int, int], int]:
    rows = Score.objects.filter(
        reviewer=reviewer, segment__in=[s.pk for s in segments], criterion__in=[c.pk for c in criteria]
    ).values_list("segment_id", "criterion_id", "value")
    return {(segment_id, criterion_id): value for segment_id, criterion_id, value in rows}


def distinctness_links(segments: list[Segment]) -> dict[int, frozenset[int]]:
    """For each segment, the live value propositions, channels and relationships it is linked to."""
    links: dict[int, set[int]] = {segment.pk: set() for segment in segments}
    rows = Segment.linked_notes.through.objects.filter(
        segment__in=list(links), note__block__in=DISTINCTNESS_BLOCKS, note__deleted_at__isnull=True
    ).values_list("segment_id", "note_id")
    for segment_id, note_id in rows:
        links[segment_id].add(note_id)
    return {segment_id: frozenset(notes) for segment_id, notes in links.items()}


def record_scores(
    *, canvas: Canvas, reviewer, values: dict[tuple[int, int], int | None], reviewed: set[int]
) -> None:
    """Save one reviewer's scores ({(segment id, criterion id): value, None clears it}) and
    mark the `reviewed` segments as reviewed now. A fixed number of queries, however many."""
    now = timezone.now()
    given = [
        Score(segment_id=s, criterion_id=c, reviewer=reviewer, value=value, updated_at=now)
        for (s, c), value in values.items()
        if value is not None
    ]
    cleared = [Q(segment_id=s, criterion_id=c) for (s, c), value in values.items() if value is None]
    if not values and not reviewed:
        return
    with transaction.atomic():
        if given:
            # An upsert: the same reviewer saving from two tabs cannot collide.
            Score.objects.bulk_create(
                given,
                update_conflicts=True,
                unique_fields=["segment", "criterion", "reviewer"],
                update_fields=["value", "updated_at"],
            )
        if cleared:
            condition = Q()
            for cell in cleared:
                condition |= cell
            Score.objects.filter(condition, reviewer=reviewer).delete()
        if reviewed:
            Segment.objects.filter(pk__in=reviewed).update(reviewed_at=now)
        canvas.touch()


# Forms ------------------------------------------------------------------------------------


class ScoreSheetForm(forms.Form):
    """One reviewer's scores: a field per segment and criterion, named `score-<segment>-<criterion>`.

    A post may carry any of the cells (htmx sends one, a plain submit the whole table): a
    cell it leaves out keeps its saved score, an empty one clears it."""

    def __init__(
        self,
        data=None,
        *,
        segments: list[Segment],
        criteria: list[Criterion],
        saved: dict[tuple[int, int], int],
    ):
        self.cells: dict[str, tuple[Segment, Criterion]] = {}
        fields = {}
        for segment in segments:
            for criterion in criteria:
                name = cell_name(segment.pk, criterion.pk)
                self.cells[name] = (segment, criterion)
                fields[name] = forms.TypedChoiceField(
                    label=_("Score of %(segment)s on %(criterion)s")
                    % {"segment": segment.name, "criterion": criterion.name},
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=saved.get((segment.pk, criterion.pk)),
                    error_messages={"invalid_choice": _("A score is a whole number from 1 to 5, or empty.")},
                )
        self.posted: list[str] = []
        self.unknown: list[str] = []
        if data is not None:
            self.posted = [name for name in data if name in fields]
            self.unknown = [name for name in data if _CELL_NAME.match(name) and name not in fields]
            merged = {name: "" if f.initial is None else str(f.initial) for name, f in fields.items()}
            merged.update({name: data.get(name) for name in self.posted})
            data = merged
        super().__init__(data, auto_id="%s")
        self.fields.update(fields)

    def clean(self):
        data = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("Some scores are for a segment or criterion that is not on this canvas (any more): reload the page. Nothing was saved.")
            )
        return data

    def changes(self) -> dict[tuple[int, int], int | None]:
        """The cells whose value differs from the saved one."""
        found = {}
        for name in self.posted:
            segment, criterion = self.cells[name]
            value = self.cleaned_data[name]
            if value != self.fields[name].initial:
                found[(segment.pk, criterion.pk)] = value
        return found

    def reviewed(self) -> set[int]:
        """Segments whose scores this post saved: a row with a score in it, or one it changed."""
        changed = self.changes()
        return {
            self.cells[name][0].pk
            for name in self.posted
            if self.cleaned_data[name] is not None or (self.cells[name][0].pk, self.cells[name][1].pk) in changed
        }

    def rows(self) -> list[tuple[Segment, list[forms.BoundField]]]:
        rows: dict[int, tuple[Segment, list[forms.BoundField]]] = {}
        for name, (segment, _criterion) in self.cells.items():
            rows.setdefault(segment.pk, (segment, []))[1].append(self[name])
        return list(rows.values())


class CriterionForm(forms.ModelForm):
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"),
        min_value=1,
        max_value=10,
        help_text=gettext_lazy("From 1 to 10: how much it counts."),
        error_messages={
            "required": gettext_lazy("Give the criterion a weight from 1 to 10."),
            "invalid": gettext_lazy("A weight is a whole number from 1 to 10."),
            "min_value": gettext_lazy("A weight is a whole number from 1 to 10."),
            "max_value": gettext_lazy("A weight is a whole number from 1 to 10."),
        },
    )

    class Meta:
        model = Criterion
        fields = ["name", "weight", "axis"]
        error_messages = {
            "name": {
                "required": gettext_lazy("Give the criterion a name."),
                "max_length": gettext_lazy("A name holds at most %(limit_value)d characters."),
            },
            "axis": {"invalid_choice": gettext_lazy("Choose the axis it counts towards.")},
        }

    def __init__(self, *args, canvas: Canvas, **kwargs):
        super().__init__(*args, **kwargs)
        self.canvas = canvas
        self.fields["weight"].widget.attrs.update({"min": 1, "max": 10})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        others = self.canvas.criteria.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("There is already a criterion called “%(name)s”."), params={"name": name})
        return name


class PrimarySegmentForm(forms.Form):
    segment = forms.TypedChoiceField(
        label=gettext_lazy("Primary segment"),
        help_text=gettext_lazy("The segment to serve first."),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of this canvas' segments.")},
    )

    def __init__(self, *args, segments: list[Segment], **kwargs):
        super().__init__(*args, **kwargs)
        self.segments = {segment.pk: segment for segment in segments}
        self.fields["segment"].choices = [
            ("", _("None chosen yet")),
            *((str(segment.pk), segment.name) for segment in segments),
        ]

    def chosen(self) -> Segment | None:
        segment_id = self.cleaned_data["segment"]
        return None if segment_id is None else self.segments[segment_id]


class ThresholdForm(forms.ModelForm):
    min_segment_size = forms.IntegerField(
        label=gettext_lazy("Smallest useful segment (customers)"),
        help_text=gettext_lazy("A segment estimated below this size gets a warning; 0 turns the warning off."),
        min_value=0,
        max_value=10**12,
        error_messages={
            "required": gettext_lazy("Enter a number of customers: 0 or more."),
            "invalid": gettext_lazy("Enter a number of customers: 0 or more."),
            "min_value": gettext_lazy("Enter a number of customers: 0 or more."),
            "max_value": gettext_lazy("That is more customers than the world has."),
        },
    )

    class Meta:
        model = PrioritySettings
        fields = ["min_segment_size"]


# The ranking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    criterion: Criterion
    result: CriterionResult


@dataclass
class Row:
    segment: Segment
    ranking: Ranking
    cells: list[Cell]
    warnings: list[SegmentWarning]
    look_alikes: list[Segment] = field(default_factory=list)
    is_primary: bool = False

    @property
    def look_alike_names(self) -> str:
        return ", ".join(f"“{segment.name}”" for segment in self.look_alikes)


def _role_context(canvas: Canvas) -> dict:
    role = Role(canvas.user_role)
    return {"canvas": canvas, "role": role, "can_score": role.allows(Role.EDITOR), "is_owner": role == Role.OWNER}


def _ranking_context(
    canvas: Canvas,
    settings_: PrioritySettings,
    *,
    segments: list[Segment] | None = None,
    primary_form: PrimarySegmentForm | None = None,
    threshold_form: ThresholdForm | None = None,
) -> dict:
    criteria = list(canvas.criteria.all())
    segments = segments_of(canvas) if segments is None else segments
    by_id = {segment.pk: segment for segment in segments}
    rankings = rank_segments(
        list(by_id),
        [CriterionSpec(c.pk, c.weight, c.axis) for c in criteria],
        team_scores(canvas, segments),
    )
    links = distinctness_links(segments)
    warnings = segment_warnings(
        (
            SegmentFacts(s.pk, s.estimated_size, s.is_stale, s.willingness_to_pay, links[s.pk])
            for s in segments
        ),
        min_size=settings_.min_segment_size,
    )
    rows = []
    for ranking in rankings:
        segment = by_id[ranking.segment]
        found = warnings.of(segment.pk)
        rows.append(
            Row(
                segment=segment,
                ranking=ranking,
                cells=[Cell(c, ranking.criteria[c.pk]) for c in criteria],
                warnings=found,
                look_alikes=[by_id[k] for w in found for k in w.look_alikes],
                is_primary=segment.pk == settings_.primary_segment_id,
            )
        )
    matrix = matrix_layout(
        MatrixPoint(
            key=row.segment.pk,
            label=f"{row.ranking.rank}. {row.segment.name}" if row.ranking.rank else row.segment.name,
            attractiveness=row.ranking.attractiveness,
            ability=row.ranking.ability,
            size=row.segment.estimated_size,
            colour=row.segment.colour,
        )
        for row in rows
    )
    return {
        **_role_context(canvas),
        "settings": settings_,
        "criteria": criteria,
        "rows": rows,
        "warned_rows": [row for row in rows if row.warnings],
        "primary": by_id.get(settings_.primary_segment_id),
        "team_size": team_size(canvas),
        "matrix": matrix,
        "primary_form": primary_form
        or PrimarySegmentForm(segments=segments, initial={"segment": settings_.primary_segment_id}),
        "threshold_form": threshold_form or ThresholdForm(instance=settings_),
        "axes": Axis,
    }


def _ranking_url(canvas: Canvas, anchor: str = "") -> str:
    url = reverse("prioritisation:ranking", args=[canvas.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk)
    settings_ = PrioritySettings.for_canvas(canvas)
    return TemplateResponse(request, "prioritisation/ranking.html", _ranking_context(canvas, settings_))


@login_required
@require_POST
def primary(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    settings_ = PrioritySettings.for_canvas(canvas)
    segments = segments_of(canvas)
    form = PrimarySegmentForm(request.POST, segments=segments)
    if not form.is_valid():
        context = _ranking_context(canvas, settings_, segments=segments, primary_form=form)
        return TemplateResponse(request, "prioritisation/ranking.html", context, status=400)
    segment = form.chosen()
    settings_.primary_segment = segment
    settings_.save(update_fields=["primary_segment"])
    canvas.touch()
    if segment is None:
        messages.success(request, _("No segment is primary now."))
    else:
        messages.success(request, _("“%(name)s” is now the primary segment.") % {"name": segment.name})
    return HttpResponseRedirect(_ranking_url(canvas, "ranking"))


@login_required
@require_POST
def threshold(request: HttpRequest, pk: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    settings_ = PrioritySettings.for_canvas(canvas)
    form = ThresholdForm(request.POST, instance=settings_)
    if not form.is_valid():
        context = _ranking_context(canvas, settings_, threshold_form=form)
        return TemplateResponse(request, "prioritisation/ranking.html", context, status=400)
    form.save()
    canvas.touch()
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


@login_required
@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Each member's own scores: the reviewer is always the user asking."""
    canvas = get_canvas_for_user(request, pk, Role.EDITOR)
    PrioritySettings.for_canvas(canvas)  # the default criteria, on first use
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
        # htmx 2 swaps no 4xx: the status line and each wrong cell come back out of band.
        errors = [form[name] for name in form.posted if form[name].errors]
        status = form.non_field_errors()[0] if form.non_field_errors() else _("Nothing was saved: check the marked score.")
        return TemplateResponse(
            request, "prioritisation/scores.html#outcome", {**context, "status": status, "error": True, "invalid": errors}
        )
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


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's criteria; a post adds one."""
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    PrioritySettings.for_canvas(canvas)
    if request.method == "GET":
        return _criteria_page(request, canvas)
    form = _criterion_form(canvas, data=request.POST)
    if form.is_valid():
        criterion = form.save(commit=False)
        criterion.canvas = canvas
        criterion.position = (canvas.criteria.aggregate(last=Max("position"))["last"] or 0) + 1
        criterion.save()
        canvas.touch()
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
        response = TemplateResponse(
            request, "prioritisation/criteria.html#add_form", {**_role_context(canvas), "add_form": form}
        )
        return reswap(retarget(response, "#criterion-add"), "outerHTML")
    return _criteria_page(request, canvas, add_form=form, status=400)


@login_required
@require_POST
def criterion_edit(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    criterion = _get_criterion(canvas, criterion_id)
    form = _criterion_form(canvas, criterion, data=request.POST)
    if form.is_valid():
        form.save()
        canvas.touch()
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
    criterion.refresh_from_db()  # the invalid input stays in the form, never on the criterion
    if request.htmx:
        context = {**_role_context(canvas), "criterion": criterion, "form": form}
        return TemplateResponse(request, "prioritisation/criteria.html#criterion", context)
    return _criteria_page(request, canvas, editing=form, status=400)


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """Remove a criterion and every member's scores on it."""
    canvas = get_canvas_for_user(request, pk, Role.OWNER)
    criterion = _get_criterion(canvas, criterion_id)
    name = criterion.name
    with transaction.atomic():
        criterion.delete()
        canvas.touch()
    message = _("Criterion “%(name)s” removed, with its scores.") % {"name": name}
    if request.htmx:
        return TemplateResponse(request, "prioritisation/criteria.html#removed", {"status": message})
    messages.success(request, message)
    return HttpResponseRedirect(_criteria_url(canvas))


# The report -------------------------------------------------------------------------------


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The segment report as a PDF (?size=a4|letter), in the canvas' language. Anyone who
    may see the ranking may take it away on paper."""
    canvas = get_canvas_for_user(request, pk)
    settings_ = PrioritySettings.for_canvas(canvas)
    segments = segments_of(canvas)
    today = timezone.localdate()
    pdf = segment_report(
        _ranking_context(canvas, settings_, segments=segments),
        team_scores(canvas, segments),
        size=request.GET.get("size"),
        today=today,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, report_filename(canvas, today))
    return response
