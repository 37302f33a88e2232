"""rank_segments on hand-computed cases: weights, means over reviewers, criteria nobody
scored, unscored segments last, and the spread between reviewers."""

from __future__ import annotations

import pytest

from segments.scoring import CriterionSpec, ScoreValue, rank_segments

ATTRACTIVENESS, ABILITY = "attractiveness", "ability"


def by_segment(rankings):
    return {r.segment: r for r in rankings}


def test_the_score_is_the_weighted_mean_over_criteria():
    criteria = [CriterionSpec("size", 3, ATTRACTIVENESS), CriterionSpec("fit", 1, ABILITY)]
    scores = [ScoreValue("cafés", "size", "ana", 5), ScoreValue("cafés", "fit", "ana", 1)]

    [ranking] = rank_segments(["cafés"], criteria, scores)

    assert ranking.score == pytest.approx((3 * 5 + 1 * 1) / 4)  # 4.0, not the plain mean 3.0
    assert ranking.attractiveness == 5
    assert ranking.ability == 1
    assert ranking.reviewers == 1
    assert ranking.rank == 1


def test_each_criterion_counts_the_mean_over_reviewers():
    criteria = [CriterionSpec("size", 2, ATTRACTIVENESS), CriterionSpec("fit", 2, ABILITY)]
    scores = [
        ScoreValue("cafés", "size", "ana", 4),
        ScoreValue("cafés", "size", "bea", 2),
        ScoreValue("cafés", "fit", "bea", 5),
    ]

    [ranking] = rank_segments(["cafés"], criteria, scores)

    size, fit = ranking.criteria["size"], ranking.criteria["fit"]
    assert (size.mean, size.spread, size.count) == (3, 2, 2)
    assert (fit.mean, fit.spread, fit.count) == (5, 0, 1)
    assert ranking.score == pytest.approx((2 * 3 + 2 * 5) / 4)  # 4.0
    assert ranking.reviewers == 2


def test_several_criteria_on_one_axis_are_weighted_within_the_axis():
    criteria = [
        CriterionSpec("size", 3, ATTRACTIVENESS),
        CriterionSpec("growth", 1, ATTRACTIVENESS),
        CriterionSpec("fit", 2, ABILITY),
        CriterionSpec("channels", 2, ABILITY),
    ]
    scores = [
        ScoreValue("cafés", "size", "ana", 4),
        ScoreValue("cafés", "growth", "ana", 2),
        ScoreValue("cafés", "fit", "ana", 1),
        ScoreValue("cafés", "channels", "ana", 3),
    ]

    [ranking] = rank_segments(["cafés"], criteria, scores)

    assert ranking.attractiveness == pytest.approx((3 * 4 + 1 * 2) / 4)  # 3.5
    assert ranking.ability == pytest.approx((2 * 1 + 2 * 3) / 4)  # 2.0
    assert ranking.score == pytest.approx((12 + 2 + 2 + 6) / 8)  # 2.75


def test_a_criterion_nobody_scored_is_left_out_of_the_mean():
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS), CriterionSpec("fit", 9, ABILITY)]

    [ranking] = rank_segments(["cafés"], criteria, [ScoreValue("cafés", "size", "ana", 2)])

    assert ranking.score == 2  # not (1 × 2 + 9 × 0) / 10
    assert ranking.attractiveness == 2
    assert ranking.ability is None
    assert ranking.criteria["fit"].mean is None
    assert ranking.criteria["fit"].spread is None
    assert ranking.criteria["fit"].count == 0


def test_segments_are_ranked_by_score_and_unscored_ones_come_last_in_the_given_order():
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS)]
    scores = [
        ScoreValue("oficinas", "size", "ana", 2),
        ScoreValue("cafés", "size", "ana", 4),
        ScoreValue("hoteles", "size", "ana", 3),
    ]

    rankings = rank_segments(["hogares", "oficinas", "tiendas", "cafés", "hoteles"], criteria, scores)

    assert [r.segment for r in rankings] == ["cafés", "hoteles", "oficinas", "hogares", "tiendas"]
    assert [r.rank for r in rankings] == [1, 2, 3, None, None]
    assert [r.score for r in rankings][3:] == [None, None]


def test_ties_keep_the_given_order():
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS)]
    scores = [ScoreValue(s, "size", "ana", 3) for s in ("b", "a", "c")]

    assert [r.segment for r in rank_segments(["c", "a", "b"], criteria, scores)] == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("values", "spread", "disagrees"),
    [
        pytest.param([3], 0, False, id="one-reviewer"),
        pytest.param([3, 4], 1, False, id="one-apart"),
        pytest.param([2, 4, 3], 2, True, id="two-apart"),
        pytest.param([1, 5, 3, 3], 4, True, id="all-the-way"),
    ],
)
def test_the_spread_is_the_highest_minus_the_lowest_score(values, spread, disagrees):
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS)]
    scores = [ScoreValue("cafés", "size", f"reviewer {i}", v) for i, v in enumerate(values)]

    [ranking] = rank_segments(["cafés"], criteria, scores)

    result = ranking.criteria["size"]
    assert (result.spread, result.disagrees, result.count) == (spread, disagrees, len(values))
    assert result.mean == pytest.approx(sum(values) / len(values))


def test_the_largest_spread_of_a_segment():
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS), CriterionSpec("fit", 1, ABILITY)]
    scores = [
        ScoreValue("cafés", "size", "ana", 1),
        ScoreValue("cafés", "size", "bea", 4),
        ScoreValue("cafés", "fit", "ana", 2),
    ]

    [ranking] = rank_segments(["cafés"], criteria, scores)

    assert ranking.max_spread == 3
    assert rank_segments(["hogares"], criteria, [])[0].max_spread is None


def test_scores_on_unknown_criteria_are_ignored_and_do_not_make_a_reviewer():
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS)]
    scores = [ScoreValue("cafés", "size", "ana", 4), ScoreValue("cafés", "removed", "bea", 1)]

    [ranking] = rank_segments(["cafés"], criteria, scores)

    assert ranking.score == 4
    assert ranking.reviewers == 1
    assert set(ranking.criteria) == {"size"}


def test_reviewers_count_people_not_scores():
    criteria = [CriterionSpec("size", 1, ATTRACTIVENESS), CriterionSpec("fit", 1, ABILITY)]
    scores = [
        ScoreValue("cafés", "size", "ana", 4),
        ScoreValue("cafés", "fit", "ana", 4),
        ScoreValue("cafés", "fit", "bea", 2),
        ScoreValue("oficinas", "fit", "carla", 2),
    ]

    rankings = by_segment(rank_segments(["cafés", "oficinas"], criteria, scores))

    assert rankings["cafés"].reviewers == 2
    assert rankings["oficinas"].reviewers == 1
    # cafés: size 4, fit (4 + 2) / 2 = 3 → 3.5
    assert rankings["cafés"].score == pytest.approx(3.5)


def test_no_criteria_leaves_every_segment_unscored():
    rankings = rank_segments(["cafés"], [], [ScoreValue("cafés", "size", "ana", 4)])

    assert [(r.score, r.rank, r.reviewers) for r in rankings] == [(None, None, 0)]
