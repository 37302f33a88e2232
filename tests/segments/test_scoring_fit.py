"""`fit_score` on hand-computed cases, and the same figures from the database (segments.fit)."""

from __future__ import annotations

import pytest

from segments.fit import fits_of, profile_entries, with_addressed
from segments.scoring import ProfileEntry, fit_score
from tests.segments.factories import make_profile_item, make_segment, make_value_item


def entry(key: str, kind: str, importance: int, addressed: bool) -> ProfileEntry:
    return ProfileEntry(key=key, kind=kind, importance=importance, addressed=addressed)


def keys(entries) -> list[str]:
    return [e.key for e in entries]


def test_an_empty_profile_has_no_score():
    fit = fit_score([])
    assert (fit.score, fit.percent, fit.addressed_weight, fit.total_weight, fit.unaddressed) == (None, None, 0, 0, [])


def test_a_profile_of_jobs_only_is_scored_on_the_jobs_products_help_with():
    # Commute (1) is served, cook (3) is not: 1 of 4 points.
    fit = fit_score([entry("cook", "job", 3, False), entry("commute", "job", 1, True)])
    assert (fit.addressed_weight, fit.total_weight, fit.score, fit.percent) == (1, 4, 0.25, 25)
    assert keys(fit.unaddressed) == ["cook"]


def test_a_product_that_helps_with_a_job_lifts_the_score_from_zero():
    jobs = [entry("cook", "job", 2, False), entry("commute", "job", 1, False)]
    assert fit_score(jobs).percent == 0
    served = [entry("cook", "job", 2, True), entry("commute", "job", 1, False)]
    assert (fit_score(served).addressed_weight, fit_score(served).total_weight, fit_score(served).percent) == (2, 3, 67)


def test_everything_addressed_is_a_full_fit():
    fit = fit_score([entry("stale", "pain", 2, True), entry("aroma", "gain", 1, True)])
    assert (fit.score, fit.percent, fit.unaddressed) == (1.0, 100, [])


def test_nothing_addressed_is_no_fit():
    fit = fit_score([entry("stale", "pain", 2, False), entry("aroma", "gain", 3, False)])
    assert (fit.score, fit.percent) == (0.0, 0)
    assert keys(fit.unaddressed) == ["aroma", "stale"]


def test_importance_weights_the_share():
    # Pains 3 (addressed) + 1 (not), gains 2 (not): 3 of 6 points, though 1 item of 3.
    fit = fit_score([entry("stale", "pain", 3, True), entry("price", "pain", 1, False), entry("aroma", "gain", 2, False)])
    assert (fit.addressed_weight, fit.total_weight, fit.score, fit.percent) == (3, 6, 0.5, 50)


def test_the_same_items_at_other_importances_give_another_score():
    # Now the addressed pain weighs 1 and the others 3 and 2: 1 of 6.
    fit = fit_score([entry("stale", "pain", 1, True), entry("price", "pain", 3, False), entry("aroma", "gain", 2, False)])
    assert (fit.addressed_weight, fit.total_weight, fit.percent) == (1, 6, 17)  # 16.67 rounds to 17


def test_a_job_weighs_as_a_pain_or_a_gain_of_the_same_importance():
    base = [entry("stale", "pain", 2, True), entry("aroma", "gain", 2, False)]
    # Without a job: 2 of 4. A served job of 3: 5 of 7 (71.4%). An unserved one: 2 of 7 (28.6%).
    cases = [([], (2, 4, 50)), ([entry("cook", "job", 3, True)], (5, 7, 71)), ([entry("cook", "job", 3, False)], (2, 7, 29))]
    for jobs, expected in cases:
        fit = fit_score([*base, *jobs])
        assert (fit.addressed_weight, fit.total_weight, fit.percent) == expected


def test_two_thirds_rounds_to_67_percent():
    fit = fit_score([entry("a", "pain", 1, True), entry("b", "gain", 1, True), entry("c", "gain", 1, False)])
    assert fit.score == pytest.approx(2 / 3)
    assert fit.percent == 67


def test_the_unaddressed_come_most_important_first_then_pains_gains_and_jobs():
    fit = fit_score(
        [
            entry("job-3", "job", 3, False),
            entry("gain-2", "gain", 2, False),
            entry("pain-1", "pain", 1, False),
            entry("pain-3", "pain", 3, False),
            entry("gain-3", "gain", 3, False),
            entry("done", "pain", 3, True),
        ]
    )
    assert keys(fit.unaddressed) == ["pain-3", "gain-3", "job-3", "gain-2", "pain-1"]


# From the database -------------------------------------------------------------------------


def test_an_item_is_addressed_when_any_value_item_links_to_it(canvas):
    segment = make_segment(canvas)
    stale = make_profile_item(segment, "pain", "Rancio", 3)
    price = make_profile_item(segment, "pain", "Caro", 1)
    aroma = make_profile_item(segment, "gain", "Aroma", 2)
    make_value_item(segment, "reliever", "Tueste semanal", addresses=[stale])
    make_value_item(segment, "reliever", "Envío gratis", addresses=[stale])

    annotated = {e.key.pk: e.addressed for e in profile_entries(with_addressed(segment.profile_items.all()))}
    assert annotated == {stale.pk: True, price.pk: False, aroma.pk: False}
    prefetched = profile_entries(segment.profile_items.prefetch_related("addressed_by"))
    assert {e.key.pk: e.addressed for e in prefetched} == annotated


def test_deleted_items_neither_count_nor_address(canvas, editor):
    segment = make_segment(canvas)
    stale = make_profile_item(segment, "pain", "Rancio", 3)
    price = make_profile_item(segment, "pain", "Caro", 1)
    cook = make_profile_item(segment, "job", "Cocinar", 2)
    reliever = make_value_item(segment, "reliever", "Tueste", addresses=[stale])
    make_value_item(segment, "product", "Cafetera", addresses=[cook])
    assert fits_of([segment])[segment.pk].percent == 83  # 3 + 2 of 6
    price.delete_softly(by=editor)
    assert fits_of([segment])[segment.pk].percent == 100  # 3 + 2 of 5
    reliever.delete_softly(by=editor)
    assert fits_of([segment])[segment.pk].percent == 40  # 2 of 5
    annotated = {e.key.pk: e.addressed for e in profile_entries(with_addressed(segment.profile_items.all()))}
    assert annotated == {stale.pk: False, cook.pk: True}
    reliever.restore(by=editor)
    price.restore(by=editor)
    assert fits_of([segment])[segment.pk].percent == 83


def test_fits_of_scores_each_segment_in_one_query(canvas, django_assert_num_queries):
    first, second, empty = make_segment(canvas, "Uno"), make_segment(canvas, "Dos"), make_segment(canvas, "Tres")
    pain = make_profile_item(first, "pain", "Rancio", 3)
    make_profile_item(first, "gain", "Aroma", 1)
    make_value_item(first, "reliever", "Tueste", addresses=[pain])
    make_profile_item(second, "gain", "Aroma", 2)

    with django_assert_num_queries(1):
        fits = fits_of([first, second, empty])

    assert {pk: fit.percent for pk, fit in fits.items()} == {first.pk: 75, second.pk: 0, empty.pk: None}
