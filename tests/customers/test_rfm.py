"""The RFM rules of the customer-data issue on hand-made purchase files: what counts as an
order, returns, the as-of date, quintile cut points and their ties, equal-size bins, groups,
and the churn window."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from customers import analysis, rfm
from tests.customers.rfm_files import customers, write

#: Five customers; c1 buys three times (two lines on 2024-01-10 are one order), c2 twice with
#: a return, c3 once, c4 once (and once after the as-of date), c5 four times.
PURCHASES = """customer,date,amount
c1,2024-01-10,10.00
c1,2024-01-10,5.00
c1,2024-02-01,20.00
c1,2024-03-01,15.00
c2,2024-01-05,100.00
c2,2024-02-20,40.00
c2,2024-02-25,-30.00
c3,2024-03-10,7.50
c4,2023-12-01,60.00
c4,2024-04-15,999.00
c5,2024-01-01,1
c5,2024-01-15,1
c5,2024-02-01,1
c5,2024-03-31,1
"""


def test_frequency_counts_purchase_days_and_monetary_subtracts_returns(tmp_path):
    rows, summary = customers(write(tmp_path, PURCHASES), analysis.Options(as_of=date(2024, 3, 31)))
    assert summary["as_of"] == "2024-03-31"
    c1, c2, c3, c4, c5 = (rows[key] for key in ("c1", "c2", "c3", "c4", "c5"))
    assert (c1["frequency"], c1["monetary"], c1["recency_days"]) == (3, 50.0, 30)
    # The return lowers the spend, is not an order and does not move the last purchase.
    assert (c2["frequency"], c2["monetary"], c2["recency_days"]) == (2, 110.0, 40)
    assert (c3["frequency"], c3["recency_days"]) == (1, 21)
    # The purchase after the as-of date is ignored.
    assert (c4["frequency"], c4["monetary"], c4["recency_days"]) == (1, 60.0, 121)
    assert (c5["frequency"], c5["recency_days"], c5["first_date"]) == (4, 0, date(2024, 1, 1))


def test_the_as_of_date_defaults_to_the_latest_purchase(tmp_path):
    rows, summary = customers(write(tmp_path, PURCHASES))
    assert summary["as_of"] == "2024-04-15"
    assert rows["c4"]["recency_days"] == 0 and rows["c4"]["monetary"] == 1059.0


def test_with_order_ids_several_lines_of_one_order_are_one_order(tmp_path):
    text = """customer,order,date,amount
a,o1,2024-01-01,5
a,o1,2024-01-01,5
a,o2,2024-01-01,5
a,o3,2024-01-02,5
a,o3,2024-01-02,-5
b,o4,2024-01-02,1
"""
    rows, _ = customers(write(tmp_path, text))
    # Two orders on one day are two orders when order ids say so; the return is not one.
    assert rows["a"]["frequency"] == 3
    assert rows["a"]["monetary"] == 15.0


def test_an_order_whose_lines_span_two_days_is_one_order_and_both_days_are_purchase_days(tmp_path):
    text = """customer,order,date,amount
a,o1,2024-01-01,5
a,o1,2024-01-02,5
a,o2,2024-01-09,5
b,o3,2024-01-09,1
"""
    rows, _ = customers(write(tmp_path, text))
    assert rows["a"]["frequency"] == 2  # o1 and o2
    assert (rows["a"]["first_date"], rows["a"]["last_date"]) == (date(2024, 1, 1), date(2024, 1, 9))
    assert rows["b"]["frequency"] == 1


def _expected_scores(values, reverse=False):
    cuts = np.percentile(values, [20, 40, 60, 80])  # numpy's default: linear interpolation
    above = [int((cuts < value).sum()) for value in values]
    return [5 - count if reverse else 1 + count for count in above]


def test_scores_come_from_quintile_cut_points_and_ties_share_a_score(tmp_path):
    # Ten customers; frequencies with ties across what equal-size bins would split.
    frequencies = [1, 1, 1, 1, 2, 2, 3, 5, 8, 8]
    lines = ["customer,date,amount"]
    for number, frequency in enumerate(frequencies):
        for day in range(frequency):
            lines.append(f"k{number:02d},2024-01-{day + 1:02d},{(number + 1) * 10}")
    lines.append("k99,2024-02-01,1")  # a late buyer fixes the as-of date
    rows, summary = customers(write(tmp_path, "\n".join(lines) + "\n"))
    ids = sorted(rows)
    freq = [rows[key]["frequency"] for key in ids]
    recency = [rows[key]["recency_days"] for key in ids]
    monetary = [rows[key]["monetary"] for key in ids]
    assert [rows[key]["f"] for key in ids] == _expected_scores(freq)
    assert [rows[key]["m"] for key in ids] == _expected_scores(monetary)
    assert [rows[key]["r"] for key in ids] == _expected_scores(recency, reverse=True)
    assert summary["cut_points"]["frequency"] == pytest.approx(list(np.percentile(freq, [20, 40, 60, 80])))
    # Equal values, equal scores: the four one-purchase customers all score the same.
    assert len({rows[f"k{n:02d}"]["f"] for n in range(4)}) == 1


def test_equal_size_bins_break_ties_by_customer_id(tmp_path):
    lines = ["customer,date,amount"] + [f"{key},2024-01-01,10" for key in ("e", "a", "d", "c", "b")]
    options = analysis.Options(binning=analysis.EQUAL_BINS)
    rows, _ = customers(write(tmp_path, "\n".join(lines) + "\n"), options)
    # Everyone is tied on every measure: ntile over the ids in order.
    assert [rows[key]["f"] for key in "abcde"] == [1, 2, 3, 4, 5]
    assert [rows[key]["m"] for key in "abcde"] == [1, 2, 3, 4, 5]
    assert [rows[key]["r"] for key in "abcde"] == [1, 2, 3, 4, 5]


def test_groups_follow_the_grid_of_r_and_f_scores():
    grid = rfm.default_grid()
    assert len(grid) == 25
    assert grid[(5, 5)] == grid[(5, 4)] == "champions"
    assert grid[(5, 1)] == "new" and grid[(4, 1)] == "promising"
    assert grid[(3, 3)] == "need_attention" and grid[(1, 5)] == "cant_lose"
    assert grid[(2, 1)] == "hibernating" and grid[(1, 2)] == "lost"
    assert {grid[(r, f)] for r in (1, 2) for f in (3, 4)} == {"at_risk"}


def test_an_edited_grid_must_give_every_cell_exactly_one_group():
    cells = {cell: [group] for cell, group in rfm.default_grid().items()}
    assert rfm.grid_errors(cells) == {}
    cells[(3, 3)] = []
    cells[(1, 1)] = ["lost", "hibernating"]
    cells[(2, 2)] = ["nonsense"]
    assert set(rfm.grid_errors(cells)) == {(3, 3), (1, 1), (2, 2)}


def test_each_customer_gets_the_group_of_their_cell(tmp_path):
    rows, summary = customers(write(tmp_path, PURCHASES), analysis.Options(as_of=date(2024, 3, 31)))
    grid = rfm.default_grid()
    for row in rows.values():
        assert row["rfm_group"] == grid[(row["r"], row["f"])]
    assert sum(group["customers"] for group in summary["groups"].values()) == 5


def test_the_churn_window_is_the_80th_percentile_of_gaps_between_purchase_days(tmp_path):
    rows, summary = customers(write(tmp_path, PURCHASES), analysis.Options(as_of=date(2024, 3, 31)))
    # Gaps between distinct purchase days of customers with two or more (returns are not purchases).
    gaps = [22, 29] + [46] + [14, 17, 59]
    assert summary["churn_window"] == pytest.approx(np.percentile(gaps, 80))
    window = summary["churn_window"]
    assert all(row["churned"] == (row["recency_days"] > window) for row in rows.values())


def test_an_edited_churn_window_is_used(tmp_path):
    rows, summary = customers(write(tmp_path, PURCHASES), analysis.Options(as_of=date(2024, 3, 31), churn_window=25))
    assert summary["churn_window"] == 25
    assert {key for key, row in rows.items() if row["churned"]} == {"c1", "c2", "c4"}


def test_the_top_fifth_revenue_share(tmp_path):
    _, summary = customers(write(tmp_path, PURCHASES), analysis.Options(as_of=date(2024, 3, 31)))
    # Five customers: the top fifth is c2 (110 of 110 + 60 + 50 + 7.5 + 4).
    assert summary["top_fifth_revenue_share"] == pytest.approx(110 / 231.5)


@pytest.mark.parametrize("seed", range(5))
def test_the_percentile_of_counted_gaps_is_numpys_linear_percentile(seed):
    rng = np.random.default_rng(seed)
    gaps = rng.integers(1, 60, size=int(rng.integers(1, 300)))
    values, counts = np.unique(gaps, return_counts=True)
    counted = list(zip(values.tolist(), counts.tolist(), strict=True))
    assert analysis.quantile_of_counts(counted, 0.8) == pytest.approx(np.percentile(gaps, 80))
    assert analysis.quantile_of_counts([], 0.8) is None


def test_progress_rises_through_the_steps_to_the_end(tmp_path):
    from customers import staging
    from tests.customers.rfm_files import read

    path = write(tmp_path, PURCHASES)
    read(path)
    seen = []
    with staging.connect() as con:
        analysis.analyse(con, str(path.with_suffix(".parquet")), str(tmp_path / "c.parquet"), analysis.Options(), seen.append)
    assert seen == sorted(seen) and seen[-1] == 90 and 35 in seen
