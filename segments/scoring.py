"""Pure functions: value-proposition fit and the team's ranking of segments.

They take plain values, not models, so they can be tested on hand-computed cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean

# Value-proposition fit -----------------------------------------------------------------


@dataclass(frozen=True)
class ProfileEntry:
    """A job, pain or gain of a customer profile, and whether the value map addresses it."""

    key: object
    kind: str  # "job", "pain" or "gain"
    importance: int  # 1..3
    addressed: bool


@dataclass(frozen=True)
class Fit:
    score: float | None  # 0..1; None when the customer profile is empty
    addressed_weight: int
    total_weight: int
    unaddressed: list[ProfileEntry]

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)


def fit_score(entries: Iterable[ProfileEntry]) -> Fit:
    """The importance-weighted share of the customer profile that the value map addresses:
    a job counts as addressed when a product or service helps with it, a pain when a pain
    reliever relieves it, a gain when a gain creator creates it."""
    entries = list(entries)
    total = sum(e.importance for e in entries)
    addressed = sum(e.importance for e in entries if e.addressed)
    unaddressed = sorted(
        (e for e in entries if not e.addressed), key=lambda e: (-e.importance, ("pain", "gain", "job").index(e.kind))
    )
    return Fit(
        score=(addressed / total) if total else None,
        addressed_weight=addressed,
        total_weight=total,
        unaddressed=unaddressed,
    )


# Prioritisation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    key: object
    weight: int
    axis: str  # "attractiveness" or "ability"


@dataclass(frozen=True)
class ScoreValue:
    segment: object
    criterion: object
    reviewer: object
    value: int  # 1..5


#: A spread between reviewers (highest minus lowest score) from which the team disagrees.
DISAGREEMENT_SPREAD = 2


@dataclass(frozen=True)
class CriterionResult:
    mean: float | None
    spread: int | None  # highest minus lowest score among reviewers
    count: int

    @property
    def disagrees(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


@dataclass
class Ranking:
    segment: object
    score: float | None  # weighted mean, 1..5
    attractiveness: float | None
    ability: float | None
    reviewers: int  # how many people scored this segment on at least one criterion
    criteria: dict[object, CriterionResult] = field(default_factory=dict)
    rank: int | None = None

    @property
    def max_spread(self) -> int | None:
        spreads = [c.spread for c in self.criteria.values() if c.spread is not None]
        return max(spreads) if spreads else None


def _weighted(means: dict[object, float], criteria: list[CriterionSpec]) -> float | None:
    scored = [c for c in criteria if c.key in means]
    weights = sum(c.weight for c in scored)
    if not weights:
        return None
    return sum(c.weight * means[c.key] for c in scored) / weights


def rank_segments(
    segments: Iterable[object], criteria: Iterable[CriterionSpec], scores: Iterable[ScoreValue]
) -> list[Ranking]:
    """Rank segments by the weighted mean over criteria of each criterion's mean over
    reviewers. Criteria nobody scored for a segment are left out of its mean. Unscored
    segments come last, in the order given; ties keep the order given."""
    segments = list(segments)
    criteria = list(criteria)
    values: dict[object, dict[object, list[int]]] = defaultdict(lambda: defaultdict(list))
    reviewers: dict[object, set] = defaultdict(set)
    known = {c.key for c in criteria}
    for s in scores:
        if s.criterion in known:
            values[s.segment][s.criterion].append(s.value)
            reviewers[s.segment].add(s.reviewer)

    rankings = []
    for segment in segments:
        per_criterion = {}
        means = {}
        for c in criteria:
            given = values[segment].get(c.key, [])
            if given:
                means[c.key] = mean(given)
                per_criterion[c.key] = CriterionResult(means[c.key], max(given) - min(given), len(given))
            else:
                per_criterion[c.key] = CriterionResult(None, None, 0)
        rankings.append(
            Ranking(
                segment=segment,
                score=_weighted(means, criteria),
                attractiveness=_weighted(means, [c for c in criteria if c.axis == "attractiveness"]),
                ability=_weighted(means, [c for c in criteria if c.axis == "ability"]),
                reviewers=len(reviewers[segment]),
                criteria=per_criterion,
            )
        )
    order = sorted(range(len(rankings)), key=lambda i: (rankings[i].score is None, -(rankings[i].score or 0), i))
    ranked = [rankings[i] for i in order]
    for position, ranking in enumerate(ranked, start=1):
        ranking.rank = position if ranking.score is not None else None
    return ranked


# What the team has not scored yet ------------------------------------------------------------


@dataclass(frozen=True)
class CriterionGap:
    """A criterion on which a reviewer has left segments unscored."""

    criterion: object
    missing: int  # segments the reviewer has not scored on it
    segments: int  # segments there are to score

    @property
    def on_none(self) -> bool:
        return self.missing == self.segments


@dataclass(frozen=True)
class ReviewerGaps:
    reviewer: object
    criteria: list[CriterionGap]  # in the criteria's order
    scored_nothing: bool  # no score at all yet, on any criterion or segment


@dataclass(frozen=True)
class ScoreGaps:
    unscored_criteria: list[object]  # criteria nobody has scored on any segment, in order
    reviewers: list[ReviewerGaps]  # the reviewers with gaps, in the order given
    by_segment: dict[object, int]  # per segment: scores still to give (reviewer x criterion)

    def __bool__(self) -> bool:
        return bool(self.unscored_criteria or self.reviewers)


def score_gaps(
    segments: Iterable[object], criteria: Iterable[object], reviewers: Iterable[object], scores: Iterable[ScoreValue]
) -> ScoreGaps:
    """What the ranking is still missing: the criteria nobody has scored (every segment's
    score leaves them out), each reviewer's criteria with segments they have not scored, and
    how many scores each segment still lacks. Only the given reviewers, criteria and segments
    count; with no segments nothing is missing."""
    segments, criteria, reviewers = list(segments), list(criteria), list(reviewers)
    if not segments:
        return ScoreGaps([], [], {})
    wanted_segments, wanted_criteria, wanted_reviewers = set(segments), set(criteria), set(reviewers)
    given = {
        (s.segment, s.criterion, s.reviewer)
        for s in scores
        if s.segment in wanted_segments and s.criterion in wanted_criteria and s.reviewer in wanted_reviewers
    }
    scored_criteria = {criterion for _segment, criterion, _reviewer in given}
    scoring = {reviewer for _segment, _criterion, reviewer in given}
    by_reviewer = []
    for reviewer in reviewers:
        gaps = []
        for criterion in criteria:
            missing = sum((segment, criterion, reviewer) not in given for segment in segments)
            if missing:
                gaps.append(CriterionGap(criterion, missing, len(segments)))
        if gaps:
            by_reviewer.append(ReviewerGaps(reviewer, gaps, scored_nothing=reviewer not in scoring))
    by_segment = {
        segment: sum((segment, criterion, reviewer) not in given for criterion in criteria for reviewer in reviewers)
        for segment in segments
    }
    return ScoreGaps(
        unscored_criteria=[criterion for criterion in criteria if criterion not in scored_criteria],
        reviewers=by_reviewer,
        by_segment=by_segment,
    )
