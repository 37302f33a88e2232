"""The segment report: a PDF per canvas with the team's ranking on a cover, the matrix, then
one section per segment in priority order (description, personas, fit, each reviewer's
scores). The figures come from the same TeamRanking as the ranking page's, so paper and
screen agree."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from canvas_app.models import Canvas
from canvas_app.pdf import render_pdf

from ..charts import Matrix, keyed
from ..facts import segment_facts
from ..fit import fits_of
from ..models import Axis, Persona, Segment
from ..scoring import Fit, ScoreValue
from ..relationship.models import RelationshipItem, Topic
from .ranking import Row, TeamRanking, lifecycle_gaps

#: ?size= values and the CSS page size each one gives; anything else is A4.
PAGE_SIZES = {"a4": "A4", "letter": "letter"}
DEFAULT_PAGE_SIZE = "A4"
STYLESHEETS = ["css/report.css", "css/palette.css"]


@dataclass(frozen=True)
class ReviewerScores:
    username: str
    values: list[int | None]  # one per criterion, in the criteria's order; None: not scored


@dataclass(frozen=True)
class SegmentSection:
    row: Row  # the segment's line of the ranking: rank, scores, per-criterion results, warnings
    facts: list[tuple[str, object]]
    personas: list[Persona]
    fit: Fit
    reviewers: list[ReviewerScores]
    #: The relationship plan: (topic, its items) for each topic with items; and the lifecycle
    #: stages without a touchpoint once the plan has one.
    plan: list = field(default_factory=list)
    empty_stages: tuple = ()

    @property
    def segment(self) -> Segment:
        return self.row.segment


def page_size(requested: str | None) -> str:
    return PAGE_SIZES.get((requested or "").strip().lower(), DEFAULT_PAGE_SIZE)


def report_filename(canvas: Canvas, day: date) -> str:
    # An ASCII name: a title in a script slugify drops still gets a usable file name.
    return f"{slugify(canvas.title) or 'canvas'}-segments-{day.isoformat()}.pdf"


def prints_in_svg(text: str) -> bool:
    """Whether WeasyPrint can draw `text` in an SVG: it lays SVG text out letter by letter,
    left to right, so right-to-left scripts would come out reversed and scripts whose letters
    join or carry marks (Arabic, Devanagari, Thai...) would come apart."""
    return not any(
        unicodedata.bidirectional(char) in ("R", "AL") or unicodedata.category(char) in ("Mn", "Mc", "Me")
        for char in text
    )


def _printable_matrix(matrix: Matrix) -> Matrix:
    """The matrix with each label WeasyPrint cannot draw left to the key under the chart,
    which is HTML text: the chart shows the segment's letter (or number) only."""
    bubbles = [bubble if prints_in_svg(bubble.label) else keyed(bubble) for bubble in matrix.bubbles]
    return replace(matrix, bubbles=bubbles)


def _reviewer_scores(rows: list[Row], criteria: list, scores: list[ScoreValue]) -> dict[int, list[ReviewerScores]]:
    """For each segment, a line per reviewer who scored it, by username."""
    column = {criterion.pk: index for index, criterion in enumerate(criteria)}
    given: dict[int, dict[int, list[int | None]]] = defaultdict(dict)
    for score in scores:
        if score.criterion in column:
            values = given[score.segment].setdefault(score.reviewer, [None] * len(criteria))
            values[column[score.criterion]] = score.value
    reviewers = {score.reviewer for score in scores}
    usernames = dict(get_user_model().objects.filter(pk__in=reviewers).values_list("pk", "username"))
    return {
        row.segment.pk: sorted(
            (ReviewerScores(usernames[reviewer], values) for reviewer, values in given[row.segment.pk].items()),
            key=lambda line: line.username.casefold(),
        )
        for row in rows
    }


def report_context(ranking: TeamRanking, *, size: str | None, today: date) -> dict:
    rows = ranking.rows
    segments = [row.segment for row in rows]
    fits = fits_of(segments)
    personas: dict[int, list[Persona]] = defaultdict(list)
    for persona in Persona.objects.filter(segment__in=segments):
        personas[persona.segment_id].append(persona)
    reviewers = _reviewer_scores(rows, ranking.criteria, ranking.scores)
    plans: dict[int, list[RelationshipItem]] = defaultdict(list)
    for item in RelationshipItem.objects.filter(segment__in=segments).select_related("channel"):
        plans[item.segment_id].append(item)
    gaps = lifecycle_gaps(segments)
    sections = [
        SegmentSection(
            row=row,
            facts=segment_facts(row.segment, currency=ranking.canvas.currency),
            personas=personas[row.segment.pk],
            fit=fits[row.segment.pk],
            reviewers=reviewers[row.segment.pk],
            plan=[(topic, found) for topic in Topic if (found := [i for i in plans[row.segment.pk] if i.topic == topic])],
            empty_stages=gaps[row.segment.pk],
        )
        for row in rows
    ]
    return {
        "canvas": ranking.canvas,
        "settings": ranking.settings,
        "criteria": ranking.criteria,
        "rows": rows,
        "warned_rows": ranking.warned_rows,
        "primary": ranking.primary,
        "team_size": ranking.team_size,
        "axes": Axis,
        "matrix": _printable_matrix(ranking.matrix()),
        "sections": sections,
        "page_size": page_size(size),
        "today": today,
    }


def report_html(ranking: TeamRanking, *, size: str | None, today: date) -> str:
    """The report as HTML for print, written in the canvas' language whoever asks for it."""
    with translation.override(ranking.canvas.language):
        # Inside the override: choice labels in the facts are translated when they are read.
        context = report_context(ranking, size=size, today=today)
        return render_to_string("prioritisation/report.html", context)


def segment_report(ranking: TeamRanking, *, size: str | None, today: date) -> bytes:
    """The report as PDF bytes (rendered in a bounded process of its own)."""
    return render_pdf(report_html(ranking, size=size, today=today), stylesheets=STYLESHEETS)
