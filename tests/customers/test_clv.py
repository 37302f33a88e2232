"""The CLV maths against published figures (the CDNOW sample of Fader, Hardie & Lee 2005 and
Hardie's spreadsheets), against an independent numerical evaluation of the model, and against
data simulated from the model itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad

from customers.clv import (
    BGNBDParams,
    GammaGammaParams,
    customer_lifetime_value,
    expected_average_value,
    expected_purchases,
    fit_bgnbd,
    fit_gamma_gamma,
    p_alive,
)

CDNOW = Path(__file__).resolve().parents[2] / "fixtures" / "cdnow"
PUBLISHED = BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426)


def read(name: str) -> np.ndarray:
    return np.loadtxt(CDNOW / name, delimiter=",", skiprows=1)


@pytest.fixture(scope="module")
def cdnow() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    data = read("cdnow_customers_summary.csv")
    assert data.shape == (2357, 4)
    return data[:, 1], data[:, 2], data[:, 3]


@pytest.fixture(scope="module")
def cdnow_fit(cdnow) -> BGNBDParams:
    return fit_bgnbd(*cdnow)


@pytest.fixture(scope="module")
def spend() -> tuple[np.ndarray, np.ndarray]:
    data = read("cdnow_customers_summary_with_transactions.csv")
    assert data.shape == (2357, 5)
    return data[:, 1], data[:, 4]


def test_bgnbd_fit_gives_the_published_cdnow_estimates(cdnow_fit):
    # FHL 2005, section 4: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426.
    got = [cdnow_fit.r, cdnow_fit.alpha, cdnow_fit.a, cdnow_fit.b]
    assert got == pytest.approx([PUBLISHED.r, PUBLISHED.alpha, PUBLISHED.a, PUBLISHED.b], abs=1e-3)


def test_gamma_gamma_fit_gives_the_published_cdnow_estimates(spend):
    # FHL 2005 "RFM and CLV": p = 6.25, q = 3.74, v = 15.44 (to two decimals).
    frequency, zbar = spend
    fitted = fit_gamma_gamma(frequency[frequency > 0], zbar[frequency > 0])
    assert [fitted.p, fitted.q, fitted.v] == pytest.approx([6.25, 3.74, 15.44], abs=0.01)


def test_gamma_gamma_fit_leaves_out_customers_without_a_repeat_purchase(spend):
    frequency, zbar = spend
    junk = np.where(frequency > 0, zbar, np.nan)
    repeat = frequency > 0
    assert fit_gamma_gamma(frequency, junk) == fit_gamma_gamma(frequency[repeat], zbar[repeat])


def test_expected_average_value_matches_hardies_spreadsheet(spend):
    # The first ten CDNOW customers, from the workbook of Hardie's note 025 (as quoted in the
    # lifetimes test suite); 35.17 is the population mean given to the non-repeaters.
    frequency, zbar = spend
    fitted = fit_gamma_gamma(frequency, zbar)
    expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    got = expected_average_value(fitted, frequency[:10], zbar[:10])
    assert got == pytest.approx(expected, abs=0.01)
    population_mean = fitted.p * fitted.v / (fitted.q - 1)
    assert expected_average_value(fitted, [0], [123.0])[0] == pytest.approx(population_mean)


def test_p_alive_is_one_for_customers_who_never_came_back():
    assert p_alive(PUBLISHED, [0, 0], [0, 0], [1.0, 300.0]) == pytest.approx([1.0, 1.0], abs=0)


def test_p_alive_falls_the_longer_a_buyer_has_been_silent():
    T = np.array([31.0, 35.0, 40.0, 60.0, 100.0])
    alive = p_alive(PUBLISHED, np.full(5, 4), np.full(5, 30.0), T)
    assert np.all(np.diff(alive) < 0)
    assert 0 < alive[-1] < alive[0] < 1


def test_expected_purchases_start_at_zero_and_grow_with_the_horizon():
    t = np.array([0.0, 1.0, 10.0, 52.0, 520.0])
    for x, t_x, T in [(0, 0.0, 38.86), (2, 30.43, 38.86), (26, 30.86, 31.0)]:
        got = expected_purchases(PUBLISHED, t, np.full(5, x), np.full(5, t_x), np.full(5, T))
        assert got[0] == 0
        assert np.all(np.diff(got) > 0)


def test_conditional_expectation_matches_hardies_excel_sheet(cdnow_fit):
    # Hardie's BG/NBD workbook (note 004): customer (x=2, t_x=30.43, T=38.86) is expected to make
    # 1.226 purchases in the next 39 weeks; the lifetimes suite checks the same figure.
    assert expected_purchases(cdnow_fit, 39, 2, 30.43, 38.86)[0] == pytest.approx(1.226, abs=1e-3)


def posterior(params: BGNBDParams, t: float, x: int, t_x: float, T: float) -> tuple[float, float]:
    """P(alive) and E[purchases in (T, T+t]] by integrating over the posterior of the dropout
    probability p, with the purchase rate integrated out by hand. Alive at T, a customer makes
    (1 - exp(-lambda p t)) / p purchases in expectation; all terms are scaled by (alpha+T)^(r+x)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    k = r + x

    def beta_integral(f, p_power: float, q_power: float) -> float:
        return quad(f, 0, 1, weight="alg", wvar=(p_power, q_power), epsabs=0, epsrel=1e-11)[0]

    alive = beta_integral(lambda p: 1.0, a - 1, b + x - 1)
    gone = 0.0
    if x:
        gone = beta_integral(lambda p: 1.0, a, b + x - 2) * ((alpha + T) / (alpha + t_x)) ** k

    def gain(p: float) -> float:  # 1 - ((alpha+T) / (alpha+T+p*t))^k, over p
        return k * t / (alpha + T) if p == 0 else -np.expm1(-k * np.log1p(p * t / (alpha + T))) / p

    future = beta_integral(gain, a - 1, b + x - 1)
    return alive / (alive + gone), future / (alive + gone)


@pytest.mark.parametrize(
    "t, x, t_x, T",
    [
        (39, 2, 30.43, 38.86),
        (52, 0, 0.0, 38.86),
        (10, 1, 1.71, 38.86),
        (52, 26, 30.86, 31.0),
        (13, 120, 51.0, 52.0),
    ],
)
def test_closed_forms_match_a_numerical_integration_of_the_model(t, x, t_x, T):
    alive, future = posterior(PUBLISHED, t, x, t_x, T)
    assert p_alive(PUBLISHED, x, t_x, T)[0] == pytest.approx(alive, rel=1e-8)
    assert expected_purchases(PUBLISHED, t, x, t_x, T)[0] == pytest.approx(future, rel=1e-8)


def test_a_fit_on_weighted_unique_rows_equals_the_fit_on_every_customer(cdnow):
    x, t_x, T = cdnow
    rows, counts = np.unique(np.column_stack(cdnow), axis=0, return_counts=True)
    assert len(rows) < len(x) / 2
    raw = fit_bgnbd(x, t_x, T)
    weighted = fit_bgnbd(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts)
    # The same customers split over repeated rows, in another order.
    order = np.random.default_rng(3).permutation(2 * len(rows))
    split_rows = np.concatenate([rows, rows])[order]
    split_counts = np.concatenate([counts * 0.25, counts * 0.75])[order]
    split = fit_bgnbd(split_rows[:, 0], split_rows[:, 1], split_rows[:, 2], weights=split_counts)
    for fitted in (weighted, split):
        got = [fitted.r, fitted.alpha, fitted.a, fitted.b]
        assert got == pytest.approx([raw.r, raw.alpha, raw.a, raw.b], abs=1e-6)
    # Dropping the weights must matter, or the test above proves nothing.
    unweighted = fit_bgnbd(rows[:, 0], rows[:, 1], rows[:, 2])
    assert abs(unweighted.r - raw.r) > 0.01


def test_a_gamma_gamma_fit_on_weighted_unique_rows_equals_the_fit_on_every_customer(spend):
    frequency, zbar = spend
    repeat = frequency > 0
    pairs = np.column_stack([frequency[repeat], zbar[repeat]])
    rows, counts = np.unique(pairs, axis=0, return_counts=True)
    assert len(rows) < repeat.sum()
    raw = fit_gamma_gamma(frequency, zbar)
    weighted = fit_gamma_gamma(rows[:, 0], rows[:, 1], weights=counts)
    assert [weighted.p, weighted.q, weighted.v] == pytest.approx([raw.p, raw.q, raw.v], abs=1e-6)


def simulate(params: BGNBDParams, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Customers drawn from the BG/NBD story: Poisson purchases at a Gamma rate, dropping out
    after the j-th repeat purchase with a Geometric(p) j, p ~ Beta; observed for T weeks."""
    rate = rng.gamma(params.r, 1 / params.alpha, n)
    T = rng.uniform(1, 52, n)
    arrivals = rng.poisson(rate * T)
    x = np.minimum(arrivals, rng.geometric(rng.beta(params.a, params.b, n)))
    t_x = np.zeros(n)
    bought = x > 0
    # The x-th of n uniform arrival times in (0, T] is T times a Beta(x, n - x + 1).
    t_x[bought] = T[bought] * rng.beta(x[bought], arrivals[bought] - x[bought] + 1)
    return x, t_x, T


def test_the_fit_recovers_the_parameters_of_simulated_customers():
    x, t_x, T = simulate(PUBLISHED, 50_000, np.random.default_rng(2005))
    fitted = fit_bgnbd(x, t_x, T)
    # Tolerances are about five standard errors at this sample size (measured over 20 seeds);
    # a and b are only loosely identified on their own, their mean a/(a+b) is not.
    assert fitted.r == pytest.approx(PUBLISHED.r, abs=0.02)
    assert fitted.alpha == pytest.approx(PUBLISHED.alpha, abs=0.5)
    mean_dropout = fitted.a / (fitted.a + fitted.b)
    assert mean_dropout == pytest.approx(PUBLISHED.a / (PUBLISHED.a + PUBLISHED.b), abs=0.025)


def test_the_fit_refuses_impossible_histories():
    with pytest.raises(ValueError):
        fit_bgnbd([1, 2], [5.0, 40.0], [38.0, 38.0])
    with pytest.raises(ValueError):
        fit_bgnbd([0, 2], [3.0, 20.0], [38.0, 38.0])
    with pytest.raises(ValueError):
        fit_gamma_gamma([1, 2], [10.0, 0.0])


SPEND = GammaGammaParams(p=6.25, q=3.74, v=15.44)
CUSTOMERS = {
    "x": np.array([0, 1, 2, 26]),
    "t_x": np.array([0.0, 1.71, 30.43, 30.86]),
    "T": np.array([38.86, 38.86, 38.86, 31.0]),
    "monetary_value": np.array([0.0, 11.77, 22.35, 40.0]),
}
HISTORY = (CUSTOMERS["x"], CUSTOMERS["t_x"], CUSTOMERS["T"])


def test_one_undiscounted_month_of_value_is_purchases_times_spend():
    clv = customer_lifetime_value(PUBLISHED, SPEND, **CUSTOMERS, months=1, discount_rate=0.0)
    purchases = expected_purchases(PUBLISHED, 4.345, *HISTORY)
    value = expected_average_value(SPEND, CUSTOMERS["x"], CUSTOMERS["monetary_value"])
    assert clv == pytest.approx(purchases * value, rel=1e-12)


def test_value_grows_with_the_horizon_and_shrinks_with_the_discount_rate():
    by_months = [
        customer_lifetime_value(PUBLISHED, SPEND, **CUSTOMERS, months=m) for m in (1, 6, 12, 36)
    ]
    assert np.all(np.diff(by_months, axis=0) > 0)
    undiscounted = customer_lifetime_value(PUBLISHED, SPEND, **CUSTOMERS, discount_rate=0.0)
    assert np.all(undiscounted > by_months[2])
    # Without discounting the monthly increments add up to the whole year's purchases.
    year = expected_purchases(PUBLISHED, 12 * 4.345, *HISTORY)
    value = expected_average_value(SPEND, CUSTOMERS["x"], CUSTOMERS["monetary_value"])
    assert undiscounted == pytest.approx(year * value, rel=1e-10)


def test_each_month_is_discounted_by_its_own_distance():
    clv = customer_lifetime_value(PUBLISHED, SPEND, **CUSTOMERS, months=2, discount_rate=0.1)
    first, both = (expected_purchases(PUBLISHED, w, *HISTORY) for w in (4.345, 2 * 4.345))
    value = expected_average_value(SPEND, CUSTOMERS["x"], CUSTOMERS["monetary_value"])
    assert clv == pytest.approx(value * (first / 1.1 + (both - first) / 1.1**2), rel=1e-12)
