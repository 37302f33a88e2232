"""score_gaps on hand-computed cases: what the team has not scored yet, so the ranking can
say what its scores leave out."""

from __future__ import annotations

from segments.scoring import CriterionGap, ReviewerGaps, ScoreValue, score_gaps

SEGMENTS = ["cafés", "oficinas"]
TEAM = ["ana", "ben"]


def given(*cells: tuple[str, str, str]) -> list[ScoreValue]:
    return [ScoreValue(segment, criterion, reviewer, 3) for segment, criterion, reviewer in cells]


# Ana scored cafés on both criteria and oficinas on size; Ben scored cafés on size only.
SCORES = given(
    ("cafés", "size", "ana"), ("cafés", "fit", "ana"), ("oficinas", "size", "ana"),
    ("cafés", "size", "ben"),
)  # fmt: skip


def test_each_reviewer_is_told_the_criteria_they_left_unscored_and_on_how_many_segments():
    gaps = score_gaps(SEGMENTS, ["size", "fit"], TEAM, SCORES)

    assert gaps.unscored_criteria == []  # someone scored each criterion somewhere
    assert gaps.reviewers == [
        ReviewerGaps("ana", [CriterionGap("fit", missing=1, segments=2)], scored_nothing=False),
        ReviewerGaps(
            "ben", [CriterionGap("size", missing=1, segments=2), CriterionGap("fit", missing=2, segments=2)],
            scored_nothing=False,
        ),
    ]  # fmt: skip
    assert [gap.on_none for gap in gaps.reviewers[1].criteria] == [False, True]
    # cafés lacks Ben's fit (1); oficinas lacks Ana's fit and Ben's size and fit (3).
    assert gaps.by_segment == {"cafés": 1, "oficinas": 3}
    assert gaps


def test_a_criterion_added_later_that_nobody_scored_is_named():
    gaps = score_gaps(SEGMENTS, ["size", "fit", "reach"], TEAM, SCORES)

    assert gaps.unscored_criteria == ["reach"]
    assert [(g.criterion, g.missing) for g in gaps.reviewers[0].criteria] == [("fit", 1), ("reach", 2)]
    assert [(g.criterion, g.missing) for g in gaps.reviewers[1].criteria] == [("size", 1), ("fit", 2), ("reach", 2)]
    assert gaps.by_segment == {"cafés": 1 + 2, "oficinas": 3 + 2}  # two reviewers each lack reach


def test_a_member_who_scored_nothing_is_said_so():
    gaps = score_gaps(SEGMENTS, ["size", "fit"], [*TEAM, "cai"], SCORES)

    [cai] = [found for found in gaps.reviewers if found.reviewer == "cai"]
    assert cai.scored_nothing
    assert [(g.criterion, g.missing, g.on_none) for g in cai.criteria] == [("size", 2, True), ("fit", 2, True)]
    assert gaps.by_segment == {"cafés": 1 + 2, "oficinas": 3 + 2}


def test_scores_of_others_or_on_other_criteria_or_segments_fill_no_gap():
    strays = given(("oficinas", "fit", "former"), ("oficinas", "old", "ana"), ("hoteles", "fit", "ana"))
    assert score_gaps(SEGMENTS, ["size", "fit"], TEAM, [*SCORES, *strays]) == score_gaps(
        SEGMENTS, ["size", "fit"], TEAM, SCORES
    )
    # Only a former member scored "fit": to the team, nobody has.
    gaps = score_gaps(SEGMENTS, ["size", "fit"], TEAM, given(("cafés", "size", "ana"), ("cafés", "fit", "former")))
    assert gaps.unscored_criteria == ["fit"]


def test_when_everyone_scored_everything_nothing_is_missing():
    full = given(*[(s, c, r) for s in SEGMENTS for c in ("size", "fit") for r in TEAM])
    gaps = score_gaps(SEGMENTS, ["size", "fit"], TEAM, full)

    assert (gaps.unscored_criteria, gaps.reviewers, gaps.by_segment) == ([], [], {"cafés": 0, "oficinas": 0})
    assert not gaps


def test_without_segments_nothing_is_missing():
    gaps = score_gaps([], ["size", "fit"], TEAM, [])
    assert (gaps.unscored_criteria, gaps.reviewers, gaps.by_segment) == ([], [], {})
    assert not gaps
