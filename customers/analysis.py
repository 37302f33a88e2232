"""From purchases to customers, exactly as the customer-data issue fixes it: per customer
recency, frequency and monetary value at an as-of date; scores 1 to 5 from quintile cut points
(or equal-size bins); the group of each (R, F) cell; churn past a window; and, beyond RFM, the
BG/NBD and Gamma-Gamma forecasts (`clv.py`). DuckDB does the counting, out of core; numpy and
scipy fit the models on the customers' summaries.

The result is one Parquet file with a row per customer and a JSON-ready summary the pages
show: per group, per (R, F) cell, the cut points, the churn window, the models' parameters."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import numpy as np

from . import clv, products
from .reading import PURCHASES, SUMMARIES
from .rfm import GROUP_IDS, QUANTILES, Grid, default_grid
from .staging import Progress, quote, run, valid_purchases, watching

QUINTILES, EQUAL_BINS = "quintiles", "equal_bins"
#: The churn window's default: this percentile of the gaps between a customer's purchases.
CHURN_PERCENTILE = 0.8
DAYS_PER_WEEK = 7.0
#: Lifetime value: 12 months of 4.345 weeks, discounted 1% a month (as the lifetimes package).
CLV_MONTHS, WEEKS_PER_MONTH, MONTHLY_DISCOUNT = 12, 4.345, 0.01
#: The models are fitted only with at least this many customers who bought again.
MIN_REPEAT_CUSTOMERS = 20


@dataclass
class Options:
    as_of: date | None = None
    binning: str = QUINTILES
    grid: Grid = field(default_factory=default_grid)
    #: Days; None for the default (the 80th percentile of the gaps).
    churn_window: float | None = None
    horizon_days: int = 90
    #: Whether frequency counts order ids (else distinct purchase dates).
    has_orders: bool = False
    attributes: list[str] = field(default_factory=list)
    has_products: bool = False
    #: reading.PURCHASES or reading.SUMMARIES (a line per customer).
    source: str = PURCHASES


class NoCustomers(ValueError):
    """No purchase on or before the as-of date."""


def latest_date(con: duckdb.DuckDBPyConnection, staged: str) -> date | None:
    """The default as-of date: the latest line's (a return on the last day counts, so that no
    line of the file is left out by default)."""
    return con.execute(f"SELECT max(date) FROM read_parquet({quote(staged)}) WHERE reason IS NULL").fetchall()[0][0]


def aggregate(con: duckdb.DuckDBPyConnection, staged: str, options: Options, progress: Progress) -> date:
    """Table `customer`: one row per customer with an order by the as-of date. Returns do not
    count as orders and lower the spend; several lines of one order (or, without order ids,
    of one day) are one order. From purchases, table `purchase_day` (a row per customer and
    day with a purchase) is left for `churn_window`: one pass over the lines serves both."""
    as_of = options.as_of or latest_date(con, staged)
    if as_of is None:
        raise NoCustomers
    year_ago = f"DATE '{(as_of - timedelta(days=365)).isoformat()}'"
    if options.source == SUMMARIES:
        with watching(con, progress):
            run(con, _summaries_sql(staged, as_of, _latest(options, "date")))
    else:
        # Per customer and day first (a tenth of the lines' work after it), then per customer.
        contacts = _contacts(con, staged)
        with watching(con, progress):
            run(con, f"""
                CREATE OR REPLACE TEMP TABLE day AS
                SELECT customer_id, date, sum(amount) AS amount, bool_or(amount >= 0) AS bought
                    {", " + ", ".join(f"any_value({c}) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in contacts) if contacts else ""}
                    {"".join(f", any_value(a{n}) FILTER (WHERE a{n} IS NOT NULL) AS a{n}" for n in _attribute_numbers(options))}
                FROM ({valid_purchases(staged, as_of)})
                GROUP BY customer_id, date
            """)
        names = ", ".join(f"arg_max({c}, date) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in contacts) or (
            "CAST(NULL AS VARCHAR) AS name, CAST(NULL AS VARCHAR) AS email"
        )
        run(con, f"""
            CREATE OR REPLACE TEMP TABLE customer AS
            SELECT customer_id, {names},
                min(date) FILTER (WHERE bought) AS first_date, max(date) FILTER (WHERE bought) AS last_date,
                count(*) FILTER (WHERE bought) AS frequency, count(*) FILTER (WHERE bought) AS purchase_days,
                round(sum(amount), 6) AS monetary,
                round(coalesce(sum(amount) FILTER (WHERE date > {year_ago}), 0), 6) AS revenue_12m
                {_latest(options, "date")}
            FROM day GROUP BY customer_id HAVING bool_or(bought)
        """)
        run(con, "DELETE FROM day WHERE NOT bought")
        if options.has_orders:  # an order's lines may span days: its id is what counts
            run(con, f"""
                UPDATE customer SET frequency = orders.n FROM (
                    SELECT customer_id, count(DISTINCT coalesce(order_id, CAST(date AS VARCHAR))) AS n
                    FROM ({valid_purchases(staged, as_of)}) WHERE amount >= 0 GROUP BY customer_id
                ) orders WHERE orders.customer_id = customer.customer_id
            """)
    if not con.execute("SELECT count(*) FROM customer").fetchall()[0][0]:
        raise NoCustomers
    run(con, "ALTER TABLE customer ADD COLUMN recency_days INTEGER")
    run(con, f"UPDATE customer SET recency_days = DATE '{as_of.isoformat()}' - last_date")
    return as_of


def _attribute_numbers(options: Options) -> range:
    return range(1, len(options.attributes) + 1)


def _latest(options: Options, by: str) -> str:
    """Each attribute's latest value."""
    return "".join(f", arg_max(a{n}, {by}) FILTER (WHERE a{n} IS NOT NULL) AS a{n}" for n in _attribute_numbers(options))


def _contacts(con: duckdb.DuckDBPyConnection, staged: str) -> tuple[str, ...]:
    """The name and email columns, when the file has any: keeping each customer's latest costs
    a quarter of the aggregation even over columns that are all empty."""
    if con.execute(f"SELECT count(name) + count(email) FROM read_parquet({quote(staged)})").fetchall()[0][0]:
        return ("name", "email")
    return ()


def _summaries_sql(staged: str, as_of: date, attributes: str) -> str:
    """Per-customer summaries join the same path here: a customer's `date` is their last
    purchase, `amount` their total spend; orders count as purchase days (one order a day);
    revenue of the last 12 months is not known. Customers whose last purchase is after the
    as-of date are left out (a summary cannot be wound back)."""
    return f"""
        CREATE OR REPLACE TEMP TABLE customer AS
        SELECT customer_id,
            arg_max(name, date) FILTER (WHERE name IS NOT NULL) AS name,
            arg_max(email, date) FILTER (WHERE email IS NOT NULL) AS email,
            CASE WHEN min(first_date) IS NOT NULL THEN least(min(first_date), max(date)) END AS first_date,
            max(date) AS last_date,
            sum(orders) AS frequency, sum(orders) AS purchase_days, round(sum(amount), 6) AS monetary,
            CAST(NULL AS DOUBLE) AS revenue_12m
            {attributes}
        FROM ({valid_purchases(staged, as_of)})
        GROUP BY customer_id
    """


def churn_window(con: duckdb.DuckDBPyConnection, source: str = PURCHASES) -> float | None:
    """The 80th percentile (linear interpolation) of the days between consecutive distinct
    purchase dates of a customer, over every customer with two or more, from `aggregate`'s
    table of purchase days (dropped afterwards). From summaries, each customer's average gap
    (first to last purchase over orders - 1) stands in for their gaps."""
    if source == SUMMARIES:
        return con.execute(f"""
            SELECT quantile_cont((last_date - first_date) / (frequency - 1), {CHURN_PERCENTILE})
            FROM customer WHERE frequency > 1 AND first_date IS NOT NULL AND last_date > first_date
        """).fetchall()[0][0]
    # Gaps counted per length, not collected: quantile_cont holds every value in memory (8
    # bytes each), past the memory limit from about 15 million purchase days. Customers are
    # told apart by a 64-bit hash of their id: integers sort far faster than text.
    counts = con.execute("""
        SELECT gap, count(*) FROM (
            SELECT date - lag(date) OVER (PARTITION BY hash(customer_id) ORDER BY date) AS gap FROM day
        ) WHERE gap IS NOT NULL GROUP BY gap ORDER BY gap
    """).fetchall()
    run(con, "DROP TABLE day")
    return quantile_of_counts(counts, CHURN_PERCENTILE)


def quantile_of_counts(counts: list[tuple[float, int]], q: float) -> float | None:
    """quantile_cont (linear interpolation, numpy's default) of values given as sorted
    (value, how many times) pairs; None when there are none."""
    total = sum(count for _, count in counts)
    if not total:
        return None
    position = (total - 1) * q
    below = math.floor(position)

    def value_at(index: int) -> float:
        seen = 0
        for value, count in counts:
            seen += count
            if index < seen:
                return value
        return counts[-1][0]

    low, high = value_at(below), value_at(min(below + 1, total - 1))
    return float(low + (position - below) * (high - low))


def cut_points(con: duckdb.DuckDBPyConnection) -> dict[str, list[float]]:
    quantiles = "[" + ", ".join(str(q) for q in QUANTILES) + "]"
    row = con.execute(
        f"SELECT quantile_cont(recency_days, {quantiles}), quantile_cont(frequency, {quantiles}), "
        f"quantile_cont(monetary, {quantiles}) FROM customer"
    ).fetchall()[0]
    return {"recency": list(row[0]), "frequency": list(row[1]), "monetary": list(row[2])}


def _above(column: str, cuts: list[float]) -> str:
    """How many cut points are strictly below the value."""
    return " + ".join(f"CAST({column} > {float(cut)!r} AS INTEGER)" for cut in cuts)


def score(con: duckdb.DuckDBPyConnection, options: Options, cuts: dict[str, list[float]], window: float) -> None:
    if options.binning == EQUAL_BINS:
        r = "ntile(5) OVER (ORDER BY recency_days DESC, customer_id)"
        f = "ntile(5) OVER (ORDER BY frequency, customer_id)"
        m = "ntile(5) OVER (ORDER BY monetary, customer_id)"
    else:
        r = f"5 - ({_above('recency_days', cuts['recency'])})"
        f = f"1 + {_above('frequency', cuts['frequency'])}"
        m = f"1 + {_above('monetary', cuts['monetary'])}"
    # The grid as a list of its 25 cells' groups, row by row: a look-up rather than a join.
    cells = ", ".join(quote(options.grid[(rs, fs)]) for rs in range(1, 6) for fs in range(1, 6))
    run(con, f"""
        CREATE OR REPLACE TEMP TABLE customer AS
        SELECT *, [{cells}][(r - 1) * 5 + f] AS rfm_group, recency_days > {float(window)!r} AS churned
        FROM (SELECT *, CAST({r} AS INTEGER) AS r, CAST({f} AS INTEGER) AS f, CAST({m} AS INTEGER) AS m FROM customer)
    """)


def forecast(con: duckdb.DuckDBPyConnection, as_of: date, horizon_days: int) -> dict | None:
    """Fit BG/NBD on repeat purchases (x = purchase days - 1), time of the last one (t_x) and
    age (T), in weeks; Gamma-Gamma on the average order value of repeat customers; and give
    every customer P(alive), expected purchases over the horizon and 12-month CLV (1% a month)."""
    as_of_sql = f"DATE '{as_of.isoformat()}'"
    if con.execute("SELECT count(*) FROM customer WHERE first_date IS NULL").fetchall()[0][0]:
        return None  # summaries without first purchase dates: no age, no model
    rows = con.execute(f"""
        SELECT purchase_days - 1 AS x, (last_date - first_date) / {DAYS_PER_WEEK} AS t_x,
               ({as_of_sql} - first_date) / {DAYS_PER_WEEK} AS big_t, count(*) AS n
        FROM customer GROUP BY ALL
    """).fetchnumpy()
    x, t_x, big_t, n = (np.asarray(rows[key], dtype=float) for key in ("x", "t_x", "big_t", "n"))
    repeat = con.execute(
        "SELECT purchase_days - 1 AS x, monetary / frequency AS z FROM customer WHERE purchase_days > 1 AND monetary > 0"
    ).fetchnumpy()
    if n[x > 0].sum() < MIN_REPEAT_CUSTOMERS or len(repeat["z"]) < MIN_REPEAT_CUSTOMERS:
        return None  # too few to say anything about how customers repeat
    try:
        bgnbd = clv.fit_bgnbd(x, t_x, big_t, weights=n)
        spend = clv.fit_gamma_gamma(np.asarray(repeat["x"], dtype=float), np.asarray(repeat["z"], dtype=float))
    except (ValueError, RuntimeError, ArithmeticError):
        return None
    horizon = horizon_days / DAYS_PER_WEEK
    alive = clv.p_alive(bgnbd, x, t_x, big_t)
    expected = clv.expected_purchases(bgnbd, horizon, x, t_x, big_t)
    # CLV = E[spend per order] x the discounted expected orders of the next 12 months.
    discounted = np.zeros_like(x)
    previous = np.zeros_like(x)
    for month in range(1, CLV_MONTHS + 1):
        current = clv.expected_purchases(bgnbd, month * WEEKS_PER_MONTH, x, t_x, big_t)
        discounted += (current - previous) / (1 + MONTHLY_DISCOUNT) ** month
        previous = current
    con.register("model", {"x": x, "t_x": t_x, "big_t": big_t, "p_alive": alive, "expected": expected, "discounted": discounted})
    p, q, v = spend.p, spend.q, spend.v
    # Gamma-Gamma's expected spend per order given x repeat orders averaging z (the population
    # mean when x = 0); a customer whose returns outweigh their purchases is worth nothing.
    x_c, z_c = "(c.purchase_days - 1)", "(c.monetary / c.frequency)"
    value = f"{p!r} * ({v!r} + {x_c} * {z_c}) / ({p!r} * {x_c} + {q!r} - 1)"
    run(con, f"""
        CREATE OR REPLACE TEMP TABLE customer AS
        SELECT c.*, m.p_alive, m.expected AS expected_purchases,
               CASE WHEN c.monetary > 0 THEN m.discounted * {value} ELSE 0 END AS clv
        FROM customer c JOIN model m
          ON m.x = c.purchase_days - 1 AND m.t_x = (c.last_date - c.first_date) / {DAYS_PER_WEEK}
         AND m.big_t = ({as_of_sql} - c.first_date) / {DAYS_PER_WEEK}
    """)
    con.unregister("model")
    return {
        "bgnbd": {"r": bgnbd.r, "alpha": bgnbd.alpha, "a": bgnbd.a, "b": bgnbd.b},
        "gamma_gamma": {"p": p, "q": q, "v": v},
        "horizon_days": horizon_days,
    }


def summary(con: duckdb.DuckDBPyConnection, options: Options) -> dict:
    """What the pages show, ready for JSON: totals, per group, per (R, F) cell."""
    has_model = "clv" in [row[0] for row in con.execute("DESCRIBE customer").fetchall()]
    model = (
        "avg(p_alive), sum(expected_purchases), avg(clv), sum(clv)" if has_model else "NULL, NULL, NULL, NULL"
    )
    total_customers, total_revenue, total_orders, churned = con.execute(
        "SELECT count(*), sum(monetary), sum(frequency), count(*) FILTER (WHERE churned) FROM customer"
    ).fetchall()[0]
    groups = {group: None for group in GROUP_IDS}
    for row in con.execute(f"""
        SELECT rfm_group, count(*), sum(monetary), avg(recency_days), avg(frequency), avg(monetary),
               sum(monetary) / sum(frequency), avg(CAST(churned AS DOUBLE)), sum(revenue_12m), {model}
        FROM customer GROUP BY rfm_group
    """).fetchall():
        group, customers, revenue = row[0], row[1], row[2]
        groups[group] = {
            "customers": customers,
            "customer_share": customers / total_customers,
            "revenue": revenue,
            "revenue_share": revenue / total_revenue if total_revenue else 0.0,
            "recency": row[3],
            "frequency": row[4],
            "monetary": row[5],
            "order_value": row[6],
            "churn_rate": row[7],
            "revenue_12m": row[8],
            "p_alive": row[9],
            "expected_purchases": row[10],
            "clv": row[11],
            "clv_total": row[12],
            "attributes": {},
        }
    for number, label in enumerate(options.attributes, 1):
        for group, value, count in con.execute(f"""
            SELECT rfm_group, a{number}, count(*) AS n FROM customer WHERE a{number} IS NOT NULL GROUP BY rfm_group, a{number}
            QUALIFY row_number() OVER (PARTITION BY rfm_group ORDER BY n DESC, a{number}) <= 3
            ORDER BY rfm_group, n DESC, a{number}
        """).fetchall():
            entry = groups[group]
            entry["attributes"].setdefault(label, []).append([value, count / entry["customers"]])
    cells = [
        {"r": r, "f": f, "customers": customers, "revenue": revenue}
        for r, f, customers, revenue in con.execute(
            "SELECT r, f, count(*), sum(monetary) FROM customer GROUP BY ALL ORDER BY r, f"
        ).fetchall()
    ]
    # The top fifth's spend: ties at its edge have the same spend, so which of them is in is moot.
    top = con.execute(f"""
        SELECT sum(monetary) / {float(total_revenue)!r} FROM (
            SELECT monetary FROM customer ORDER BY monetary DESC LIMIT {math.ceil(0.2 * total_customers)})
    """).fetchall()[0][0] if total_revenue else None
    return {
        "customers": total_customers,
        "revenue": total_revenue,
        "orders": total_orders,
        "churned": churned,
        "churn_rate": churned / total_customers,
        "top_fifth_revenue_share": top,
        "groups": {group: data for group, data in groups.items() if data},
        "cells": cells,
    }


CUSTOMER_COLUMNS = (
    "customer_id", "name", "email", "first_date", "last_date", "recency_days", "frequency", "monetary",
    "revenue_12m", "r", "f", "m", "rfm_group", "churned",
)  # fmt: skip
MODEL_COLUMNS = ("p_alive", "expected_purchases", "clv")


def write_customers(con: duckdb.DuckDBPyConnection, out: str, options: Options, *, with_model: bool) -> None:
    columns = list(CUSTOMER_COLUMNS) + (list(MODEL_COLUMNS) if with_model else [])
    columns += [f"a{number}" for number in range(1, len(options.attributes) + 1)]
    run(
        con,
        f"COPY (SELECT {', '.join(columns)}, monetary / frequency AS order_value FROM customer) "
        f"TO {quote(out)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)"
    )


def analyse(
    con: duckdb.DuckDBPyConnection, staged: str, out: str, options: Options, progress: Progress
) -> dict:
    """The whole path from the staged purchases to the customers file; returns the summary.
    Progress goes from 0 to 100 over the steps, in proportion to what they take at scale."""

    def part(start: float, end: float) -> Progress:
        return lambda percent: progress(start + (end - start) * percent / 100)

    as_of = aggregate(con, staged, options, part(0, 35))
    progress(35)
    default_window = churn_window(con, options.source)
    progress(45)
    window = options.churn_window if options.churn_window is not None else default_window
    if window is None or (isinstance(window, float) and math.isnan(window)):
        window = float(con.execute("SELECT max(recency_days) FROM customer").fetchall()[0][0])
    cuts = cut_points(con)
    score(con, options, cuts, window)
    progress(50)
    model = forecast(con, as_of, options.horizon_days)
    progress(85)
    write_customers(con, out, options, with_model=model is not None)
    result = summary(con, options)
    progress(90)
    if options.has_products:
        result["top_products"] = products.top_products(con, staged, as_of)
        result["product_pairs"] = products.product_pairs(con, staged, as_of)
    result.update(
        as_of=as_of.isoformat(),
        binning=options.binning,
        cut_points=cuts,
        churn_window=window,
        default_churn_window=default_window,
        model=model,
    )
    return result
