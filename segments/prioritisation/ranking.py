"""The team's ranking of a canvas' segments, as data: what the ranking page shows and the
report prints, both from `team_ranking()`. Also the one way scores are saved."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from canvas_app.models import Action, Block, Canvas, Role, recording

from ..best_practices import SegmentFacts, SegmentWarning, segment_warnings
from ..charts import Matrix, MatrixPoint, matrix_layout
from ..models import DISTINCTNESS_BLOCKS, Criterion, PrioritySettings, Score, Segment
from ..relationship.models import RelationshipItem, Stage, Topic
from ..scoring import CriterionGap, CriterionResult, CriterionSpec, Ranking, ScoreValue, rank_segments, score_gaps

#: Who scores: every member who may edit the canvas.
SCORING_ROLES = [Role.EDITOR, Role.OWNER]


def segments_of(canvas: Canvas) -> list[Segment]:
    """The canvas' segments in board order: one query."""
    notes = canvas.notes.filter(block=Block.CUSTOMER_SEGMENTS).select_related("segment").order_by("position")
    return [note.segment for note in notes if hasattr(note, "segment")]


def team_basis(canvas: Canvas) -> str:
    """What the team's ranking depends on besides the canvas' content (which its revision
    follows): who scores, under which name. A report is made again when it changes."""
    team = canvas.memberships.filter(role__in=SCORING_ROLES).order_by("user_id")
    names = ",".join(
        f"{user_id}:{role}:{username}"
        for user_id, role, username in team.values_list("user_id", "role", "user__username")
    )
    return hashlib.sha256(names.encode()).hexdigest()


@dataclass(frozen=True)
class Member:
    """Someone who scores: a member who may edit the canvas."""

    pk: int
    username: str


def team_of(canvas: Canvas) -> list[Member]:
    """The members who score, by username: one query."""
    team = canvas.memberships.filter(role__in=SCORING_ROLES).order_by("user__username")
    return [Member(*row) for row in team.values_list("user_id", "user__username")]


def scores_given(canvas: Canvas) -> dict[int, int]:
    """How many scores each person has given on the canvas' live segments and criteria, by
    user id, whatever their role now: what counts in the ranking while they may edit. One query."""
    rows = (
        Score.objects.filter(
            segment__note__canvas=canvas,
            segment__note__block=Block.CUSTOMER_SEGMENTS,
            segment__note__deleted_at__isnull=True,
            criterion__canvas=canvas,
        )
        .values("reviewer_id")
        .annotate(count=Count("pk"))
        .values_list("reviewer_id", "count")
    )
    return dict(rows)


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


def lifecycle_gaps(segments: list[Segment]) -> dict[int, tuple[str, ...]]:
    """For each segment whose relationship plan has touchpoints, the stages (their names)
    that have none; one query whatever the number of segments."""
    covered: dict[int, set[str]] = {segment.pk: set() for segment in segments}
    rows = RelationshipItem.objects.filter(segment__in=list(covered), topic=Topic.TOUCHPOINTS).values_list(
        "segment_id", "stage"
    )
    for segment_id, stage in rows.distinct():
        covered[segment_id].add(stage)
    return {
        segment_id: tuple(str(label) for value, label in Stage.choices if value not in stages) if stages else ()
        for segment_id, stages in covered.items()
    }


def distinctness_links(segments: list[Segment]) -> dict[int, frozenset[int]]:
    """For each segment, the live value propositions, channels and relationships it is linked to."""
    links: dict[int, set[int]] = {segment.pk: set() for segment in segments}
    rows = Segment.linked_notes.through.objects.filter(
        segment__in=list(links), note__block__in=DISTINCTNESS_BLOCKS, note__deleted_at__isnull=True
    ).values_list("segment_id", "note_id")
    for segment_id, note_id in rows:
        links[segment_id].add(note_id)
    return {segment_id: frozenset(notes) for segment_id, notes in links.items()}


def record_scores(*, canvas: Canvas, reviewer, values: dict[tuple[int, int], int | None], reviewed: set[int]) -> None:
    """Save one reviewer's scores ({(segment id, criterion id): value, None clears it}) and
    mark the `reviewed` segments as reviewed now, as one change. A fixed number of queries,
    however many."""
    if not values and not reviewed:
        return
    now = timezone.now()
    given = [
        Score(segment_id=s, criterion_id=c, reviewer=reviewer, value=value, updated_at=now)
        for (s, c), value in values.items()
        if value is not None
    ]
    cleared = [Q(segment_id=s, criterion_id=c) for (s, c), value in values.items() if value is None]
    data = {"cells": len(values), "segments": sorted(reviewed)}
    with recording(canvas, by=reviewer, action=Action.SCORE, data=data):
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


@dataclass(frozen=True)
class Cell:
    criterion: Criterion
    result: CriterionResult


@dataclass
class Row:
    """A segment's line of the ranking: rank, scores, per-criterion results, warnings."""

    segment: Segment
    ranking: Ranking
    cells: list[Cell]
    warnings: list[SegmentWarning]
    look_alikes: list[Segment] = field(default_factory=list)
    is_primary: bool = False
    missing: int = 0  # scores the team has still to give this segment

    @property
    def look_alike_names(self) -> str:
        return ", ".join(f"“{segment.name}”" for segment in self.look_alikes)

    @property
    def left_out(self) -> list[Criterion]:
        """The criteria its score leaves out, as nobody has scored the segment on them."""
        if self.ranking.score is None:
            return []
        return [cell.criterion for cell in self.cells if not cell.result.count]

    @property
    def left_out_names(self) -> str:
        return ", ".join(f"“{criterion.name}”" for criterion in self.left_out)


@dataclass(frozen=True)
class MemberGaps:
    """What one member of the team has not scored yet."""

    member: Member
    criteria: list[tuple[Criterion, CriterionGap]]
    scored_nothing: bool


@dataclass
class TeamRanking:
    canvas: Canvas
    settings: PrioritySettings
    criteria: list[Criterion]
    segments: list[Segment]
    rows: list[Row]
    scores: list[ScoreValue]  # what the rows were ranked on
    team: list[Member]
    unscored_criteria: list[Criterion] = field(default_factory=list)  # nobody has scored them
    member_gaps: list[MemberGaps] = field(default_factory=list)

    @property
    def team_size(self) -> int:
        return len(self.team)

    @property
    def has_gaps(self) -> bool:
        return bool(self.unscored_criteria or self.member_gaps)

    @property
    def warned_rows(self) -> list[Row]:
        return [row for row in self.rows if row.warnings]

    @property
    def primary(self) -> Segment | None:
        return next((row.segment for row in self.rows if row.is_primary), None)

    def matrix(self) -> Matrix:
        return matrix_layout(
            MatrixPoint(
                key=row.segment.pk,
                label=f"{row.ranking.rank}. {row.segment.name}" if row.ranking.rank else row.segment.name,
                attractiveness=row.ranking.attractiveness,
                ability=row.ranking.ability,
                size=row.segment.estimated_size,
                colour=row.segment.colour,
                letter=row.segment.letter,
            )
            for row in self.rows
        )


def team_ranking(canvas: Canvas, settings: PrioritySettings, segments: list[Segment] | None = None) -> TeamRanking:
    """The ranking of the canvas' segments on the team's scores, with the warnings."""
    criteria = list(canvas.criteria.all())
    segments = segments_of(canvas) if segments is None else segments
    by_id = {segment.pk: segment for segment in segments}
    scores = team_scores(canvas, segments)
    rankings = rank_segments(list(by_id), [CriterionSpec(c.pk, c.weight, c.axis) for c in criteria], scores)
    links = distinctness_links(segments)
    gaps_by_segment = lifecycle_gaps(segments)
    warnings = segment_warnings(
        (
            SegmentFacts(s.pk, s.estimated_size, s.is_stale, s.willingness_to_pay, links[s.pk], gaps_by_segment[s.pk])
            for s in segments
        ),
        min_size=settings.min_segment_size,
    )
    team = team_of(canvas)
    gaps = score_gaps(list(by_id), [c.pk for c in criteria], [m.pk for m in team], scores)
    criterion_of = {c.pk: c for c in criteria}
    member_of = {m.pk: m for m in team}
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
                is_primary=segment.pk == settings.primary_segment_id,
                missing=gaps.by_segment.get(segment.pk, 0),
            )
        )
    return TeamRanking(
        canvas,
        settings,
        criteria,
        segments,
        rows,
        scores,
        team,
        unscored_criteria=[criterion_of[pk] for pk in gaps.unscored_criteria],
        member_gaps=[
            MemberGaps(
                member_of[found.reviewer],
                [(criterion_of[gap.criterion], gap) for gap in found.criteria],
                found.scored_nothing,
            )
            for found in gaps.reviewers
        ],
    )
