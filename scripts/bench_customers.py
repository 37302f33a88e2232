"""`make bench`, customer data: importing purchase files of 1 and 10 million rows beside a
pandas reference doing the same aggregation and scores. Prints figures; asserts nothing.

Files (made once, seeded, kept in /tmp/lienzo-bench-customers/): `customer,date,amount`, about
rows/10 customers with skewed purchase counts, two years of ISO dates, 2-decimal amounts, ~2%
negative (returns). Each measured run is a fresh process; its peak is its VmHWM at exit.
- Lienzo import: `manage.py import_purchases` into a canvas of a throwaway SQLite database
  (layout guess, every line parsed and checked into Parquet, aggregate, cut points, scores,
  groups, churn window, BG/NBD + Gamma-Gamma, customers Parquet, files and summary stored),
  timed around the command; the peak includes Django and the database ("base").
- pandas end to end: read_csv, then per customer recency, frequency (distinct dates of lines
  >= 0) and monetary (all lines), linear quintile cut points, R/F/M scores, the grid's group;
  in memory, nothing written.
- Scoring: Lienzo's analysis.analyse from the staged Parquet (reading it included) without
  the model (the target's figure), with it, and only its steps pandas also does ("same":
  aggregate, cut points, scores and groups); pandas: the same on a frame read beforehand.
Sizes: BENCH_CUSTOMER_ROWS (default 1000000,10000000); BENCH_CUSTOMER_RUNS (default 3 up to
1M rows, else 1). Times are medians, peaks the largest of the runs."""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = Path(tempfile.gettempdir()) / "lienzo-bench-customers"
DAYS, FIRST_DAY = 730, "2023-01-01"
STEPS = ("aggregate", "churn_window", "cut_points", "score", "forecast", "write_customers", "summary")


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def generate(rows: int) -> Path:
    path = CACHE / f"purchases-{rows}-v2.csv"
    if path.exists():
        return path
    import duckdb
    import numpy as np

    CACHE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(rows)
    n = max(1, rows // 10)
    counts = 1 + rng.negative_binomial(0.6, 0.6 / 9.6, n)  # mean 10 purchases, long tail
    customer = np.repeat(np.arange(n), counts)[:rows]
    customer = np.concatenate([customer, rng.integers(0, n, rows - customer.size)])
    start = rng.integers(0, DAYS, n)  # each customer buys from a first day until they drop out
    span = np.minimum(rng.exponential(240, n), DAYS - start)[customer]
    day = start[customer] + (rng.random(rows) * span).astype(np.int64)
    amount = np.round(rng.lognormal(3.5, 0.9, rows), 2)
    amount[rng.random(rows) < 0.02] *= -1
    order = np.argsort(day, kind="stable")  # a file in date order, as exports usually are
    ids = rng.permutation(n).astype(np.int32)[customer[order]]
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("g", {"c": ids, "d": day[order].astype(np.int32), "a": amount[order]})
    partial = path.with_suffix(".partial")
    con.execute(f"COPY (SELECT printf('C%07d', c) AS customer, DATE '{FIRST_DAY}' + d AS date, "
                f"CAST(a AS DECIMAL(14, 2)) AS amount FROM g) TO '{partial}' (HEADER, DELIMITER ',')")  # fmt: skip
    os.replace(partial, path)
    return path


def instrument(log: dict) -> None:
    """Time staging.stage and analyse's steps, with the peak memory after each."""
    from customers import analysis, staging

    def wrap(module, name):
        function = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            result = function(*args, **kwargs)
            log[name], log[f"peak_after_{name}"] = log.get(name, 0.0) + time.perf_counter() - start, peak_mb()
            return result

        setattr(module, name, timed)

    for module, name in [(staging, "stage"), *((analysis, step) for step in STEPS)]:
        wrap(module, name)


def child_import(csv: str, staged_copy: str) -> dict:
    """The management command in a throwaway database, as the worker would run the import."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from canvas_app.models import Canvas

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-password-1")
    canvas = Canvas.create_for(user, title="Customer data benchmark", language="en")
    log: dict = {"base": peak_mb()}
    instrument(log)
    start = time.perf_counter()
    call_command("import_purchases", csv, canvas=canvas.pk, customer="customer", date="date", amount="amount",
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    log["total"] = time.perf_counter() - start
    data = Canvas.objects.get(pk=canvas.pk).customer_data
    shutil.copyfile(data.purchases.path, staged_copy)  # what the scoring runs start from
    return {**log, "customers": data.summary["customers"]}


def child_lienzo_score(staged: str, work: str) -> dict:
    from customers import analysis, staging

    log: dict = {}
    instrument(log)
    with staging.connect() as con:
        start = time.perf_counter()
        summary = analysis.analyse(con, staged, os.path.join(work, "customers.parquet"), analysis.Options(), lambda p: None)
        log["total"] = time.perf_counter() - start
    return {**log, "groups": {group: entry["customers"] for group, entry in summary["groups"].items()}}


def pandas_scores(df):
    """The same customers, scores and groups as analysis.py (quintiles, no order ids)."""
    import numpy as np

    from customers.rfm import QUANTILES, default_grid

    as_of = df["date"].max()
    kept = df[df["amount"] >= 0]
    per = kept.groupby("customer").agg(last=("date", "max"), frequency=("date", "nunique"))
    per["monetary"] = df.groupby("customer")["amount"].sum().reindex(per.index)
    per["recency"] = (as_of - per["last"]).dt.days

    def above(column):  # how many cut points are strictly below each value
        return (per[column].to_numpy()[:, None] > per[column].quantile(QUANTILES).to_numpy()).sum(axis=1)

    per["r"], per["f"], per["m"] = 5 - above("recency"), 1 + above("frequency"), 1 + above("monetary")
    lookup = np.empty((6, 6), dtype=object)
    for (r, f), group in default_grid().items():
        lookup[r, f] = group
    per["rfm_group"] = lookup[per["r"].to_numpy(), per["f"].to_numpy()]
    return per


def child_pandas(csv: str, end_to_end: bool) -> dict:
    import pandas as pd

    read = functools.partial(pd.read_csv, csv, parse_dates=["date"], date_format="%Y-%m-%d")
    df = None if end_to_end else read()
    start = time.perf_counter()
    per = pandas_scores(read() if end_to_end else df)
    total = time.perf_counter() - start
    return {"total": total, "groups": {str(k): int(v) for k, v in per["rfm_group"].value_counts().items()}}


def run_child(*args: str) -> dict:
    """One measured run in a fresh process, with its own database and media directory."""
    with tempfile.TemporaryDirectory(prefix="lienzo-bench-") as work:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(SQLITE_TEST_NAME=os.path.join(work, "db.sqlite3"), MEDIA_ROOT=os.path.join(work, "media"),
                   SECRET_KEY="bench-only-secret-key", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0",
                   CSRF_COOKIE_SECURE="0", STATIC_MANIFEST="0")  # fmt: skip
        done = subprocess.run([sys.executable, __file__, *args, work], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(results: list[dict], key: str) -> float:
    return statistics.median(result.get(key, 0.0) for result in results)


def bench(rows: int, runs: int) -> dict:
    csv = str(generate(rows))
    staged = str(CACHE / f"purchases-{rows}-v2.staged.parquet")
    modes = {"import": ("import", csv, staged), "pandas": ("pandas", csv, "e2e"),
             "lienzo_score": ("lienzo-score", staged), "pandas_score": ("pandas", csv, "score")}  # fmt: skip
    found: dict[str, list[dict]] = {name: [] for name in modes}
    for _ in range(runs):  # alternated, so that drift weighs on both alike
        for name, args in modes.items():
            found[name].append(run_child(*args))
    figures = {name: {"s": median(results, "total"), "peak": max(r["peak"] for r in results)}
               for name, results in found.items()}  # fmt: skip
    imp, score = found["import"], found["lienzo_score"]
    figures["import"].update(base=max(r["base"] for r in imp), stage=median(imp, "stage"),
                             analyse_steps={step: median(imp, step) for step in STEPS},
                             other=statistics.median(r["total"] - r["stage"] - sum(r[step] for step in STEPS) for r in imp),
                             peaks={step: max(r.get(f"peak_after_{step}", 0) for r in imp) for step in ("stage", *STEPS)},
                             customers=imp[0]["customers"])  # fmt: skip
    figures["lienzo_score"].update(model=median(score, "forecast"),
                                   no_model=statistics.median(r["total"] - r["forecast"] for r in score),
                                   same=statistics.median(r["aggregate"] + r["cut_points"] + r["score"] for r in score))  # fmt: skip
    return {**figures, "runs": runs, "same_groups": score[0]["groups"] == found["pandas_score"][0]["groups"]}


def report(rows: int, f: dict) -> None:
    imp, pe2e, ls, ps = f["import"], f["pandas"], f["lienzo_score"], f["pandas_score"]
    steps = {"parse to Parquet": imp["stage"], **imp["analyse_steps"]}
    steps["other"] = imp["other"]  # layout guess, date queries, files stored, database
    peaks = dict(zip(steps, imp["peaks"].values()))
    print(f"\n{rows:,} rows, {imp['customers']:,} customers (median of {f['runs']} run(s); peak = largest VmHWM)")
    print(f"  Lienzo import:     {imp['s']:7.2f} s {rows / imp['s']:10,.0f} rows/s  peak {imp['peak']:5.0f} MB"
          f"  (base before the import {imp['base']:.0f} MB: Python, Django, database)")
    print("    " + ", ".join(f"{name} {s:.2f} s" + (f" ({peaks[name]:.0f} MB)" if name in peaks else "")
                             for name, s in steps.items()))  # fmt: skip
    print(f"  pandas end to end: {pe2e['s']:7.2f} s {rows / pe2e['s']:10,.0f} rows/s  peak {pe2e['peak']:5.0f} MB")
    print(f"  scoring, Lienzo:   {ls['no_model']:7.2f} s without the model, {ls['s']:.2f} s with it"
          f" (model {ls['model']:.2f} s, same steps {ls['same']:.2f} s)  peak {ls['peak']:.0f} MB")
    print(f"  scoring, pandas:   {ps['s']:7.2f} s  peak {ps['peak']:5.0f} MB (frame read before the clock)")
    print(f"  same group sizes:  {'yes' if f['same_groups'] else 'NO'}")


def main() -> None:
    sizes = [int(size) for size in os.environ.get("BENCH_CUSTOMER_ROWS", "1000000,10000000").split(",")]
    started, results, load = time.perf_counter(), {}, os.getloadavg()[0]
    for rows in sizes:
        results[rows] = bench(rows, int(os.environ.get("BENCH_CUSTOMER_RUNS") or (3 if rows <= 1_000_000 else 1)))
        report(rows, results[rows])
    print("\nLienzo / pandas (s, MB). scoring: analyse without the model; +model: with it; same: the same steps")
    print(f"  {'rows':>10} {'Lienzo s':>8} {'rows/s':>9} {'peak':>5} {'pandas s':>8} {'peak':>5} {'e2e':>5}"
          f" {'scoring':>7} {'+model':>6} {'same':>5}  targets")
    for rows, f in results.items():
        imp, pe2e, ls, ps = f["import"], f["pandas"], f["lienzo_score"], f["pandas_score"]
        ratio = ls["no_model"] / ps["s"]
        targets = f"scoring <= 0.5: {'yes' if ratio <= 0.5 else 'NO'}"
        if rows >= 10_000_000:
            targets += f"; peak < 500 MB: {'yes' if imp['peak'] < 500 else 'NO'}"
        print(f"  {rows:>10,} {imp['s']:>8.2f} {rows / imp['s']:>9,.0f} {imp['peak']:>5.0f} {pe2e['s']:>8.2f}"
              f" {pe2e['peak']:>5.0f} {imp['s'] / pe2e['s']:>5.2f} {ratio:>7.2f} {ls['s'] / ps['s']:>6.2f}"
              f" {ls['same'] / ps['s']:>5.2f}  {targets}")
    print(f"\nTotal {time.perf_counter() - started:.0f} s (files generated, or reused, in {CACHE});"
          f" load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        mode, *args, work = sys.argv[1:]
        children = {"import": lambda: child_import(*args), "lienzo-score": lambda: child_lienzo_score(args[0], work),
                    "pandas": lambda: child_pandas(args[0], args[1] == "e2e")}  # fmt: skip
        print(json.dumps({**children[mode](), "peak": peak_mb()}))
    else:
        main()
