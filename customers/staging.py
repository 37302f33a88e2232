"""Reading a purchases file in full with DuckDB: every line parsed by the layout the person
confirmed, valid or not, into one Parquet file (the purchases we keep), with the reason a bad
line is bad. Nothing is dropped: bad lines are counted and the first of them shown with their
line numbers, and only lines without a reason take part in what follows."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from .reading import SUMMARIES, WHITESPACE, Layout

#: Why a line is left out (the page says it in the reader's language).
MISSING_ID, BAD_DATE, BAD_AMOUNT, BAD_ORDERS = "missing_id", "bad_date", "bad_amount", "bad_orders"
#: Bad lines listed with their numbers.
SHOW_BAD = 20
#: DuckDB's memory while it works: the rest spills to disk, so big files fit in a small worker.
MEMORY_LIMIT = os.environ.get("CUSTOMER_DATA_MEMORY", "192MB")

Progress = Callable[[float], None]


@dataclass
class Staged:
    valid: int
    bad: int
    by_reason: dict[str, int]
    #: The first bad lines: (line number, reason, what the line held in the mapped columns).
    first_bad: list[tuple[int, str, str]]
    first_date: object = None
    last_date: object = None


@contextmanager
def connect() -> Iterator[duckdb.DuckDBPyConnection]:
    with tempfile.TemporaryDirectory(prefix="lienzo-duckdb-") as spill:
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": spill, "threads": _threads()})
        try:
            yield con
        finally:
            con.close()


def _threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """A statement whose result is not wanted (DuckDB keeps a result open until it is read)."""
    con.execute(sql).fetchall()


def valid_purchases(staged: str, as_of) -> str:
    """A SELECT of the staged lines that take part: valid, and on or before the as-of date."""
    return f"SELECT * FROM read_parquet({quote(staged)}) WHERE reason IS NULL AND date <= DATE {quote(as_of.isoformat())}"


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def source_sql(path: str, layout: Layout) -> str:
    """A SELECT of the file's raw text, one VARCHAR column c1..cN per column."""
    width = len(layout.columns)
    if layout.separator == WHITESPACE:
        lines = (
            f"read_csv({quote(path)}, columns={{'line': 'VARCHAR'}}, delim='\\x01', quote='', escape='', "
            f"header={str(layout.header).lower()}, auto_detect=false, encoding={quote(layout.encoding)})"
        )
        fields = ", ".join(f"f[{index + 1}] AS c{index + 1}" for index in range(width))
        return f"SELECT {fields} FROM (SELECT string_split_regex(trim(line), '\\s+') AS f FROM {lines} WHERE trim(line) <> '')"
    columns = ", ".join(f"'c{index + 1}': 'VARCHAR'" for index in range(width))
    return (
        f"SELECT * FROM read_csv({quote(path)}, columns={{{columns}}}, delim={quote(layout.separator)}, "
        f"quote='\"', header={str(layout.header).lower()}, auto_detect=false, null_padding=true, "
        f"strict_mode=false, encoding={quote(layout.encoding)})"
    )


#: Amounts as people write them: 1234.5, 1,234.50 or, with a decimal comma, 1.234,50 and 12,5.
#: Anything else is a bad amount, never a number read wrongly (12,50 is not 1250).
_AMOUNT = {
    False: r"[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|[-+]?\.\d+",
    True: r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?|[-+]?,\d+",
}


def amount_sql(column: str, decimal_comma: bool) -> str:
    bare = f"regexp_replace({column}, '[\\s€$£]', '', 'g')"  # currency signs and spaces go
    number = f"replace(replace({bare}, '.', ''), ',', '.')" if decimal_comma else f"replace({bare}, ',', '')"
    return f"CASE WHEN regexp_full_match({bare}, {quote(_AMOUNT[decimal_comma])}) THEN TRY_CAST({number} AS DOUBLE) END"


def date_sql(column: str, date_format: str) -> str:
    value = f"trim({column})"
    if date_format == "%Y-%m-%d":
        value = f"left({value}, 10)"  # a time after the date is ignored
    return f"CAST(try_strptime({value}, {quote(date_format)}) AS DATE)"


def _text(column: str | None) -> str:
    return f"nullif(trim({column}), '')" if column else "CAST(NULL AS VARCHAR)"


def parsed_sql(path: str, layout: Layout, attributes: list[str]) -> str:
    """Every line of the file as a purchase (or, for summaries, a customer): typed fields and,
    for a bad line, its reason. A summary's `date` is its last purchase, `amount` its spend."""
    index = {name: f"c{position + 1}" for position, name in enumerate(layout.columns)}
    mapped = {role: index[column] for role, column in layout.mapping.items() if column in index}
    customer, date, amount = mapped["customer"], mapped["date"], mapped["amount"]
    attribute_fields = "".join(f", {_text(index[name])} AS a{number}" for number, name in enumerate(attributes, 1))
    summaries = layout.source == SUMMARIES
    if summaries:
        orders = f"TRY_CAST(TRY_CAST({_text(mapped['orders'])} AS DOUBLE) AS BIGINT)"
        first = date_sql(mapped["first_date"], layout.date_format) if "first_date" in mapped else "CAST(NULL AS DATE)"
        extra = f"{orders} AS orders, {first} AS first_date"
        raw = f"concat_ws(' | ', {customer}, {date}, {mapped['orders']}, {amount})"
        orders_check = f"WHEN orders IS NULL OR orders < 1 THEN '{BAD_ORDERS}' "
    else:
        extra = f"{_text(mapped.get('order'))} AS order_id, TRY_CAST({_text(mapped.get('quantity'))} AS DOUBLE) AS quantity, {_text(mapped.get('product'))} AS product"
        raw = f"concat_ws(' | ', {customer}, {date}, {amount})"
        orders_check = ""
    typed = (
        f"SELECT {_text(customer)} AS customer_id, {date_sql(date, layout.date_format)} AS date, "
        f"{amount_sql(amount, layout.decimal_comma)} AS amount, {extra}, "
        f"{_text(mapped.get('name'))} AS name, {_text(mapped.get('email'))} AS email{attribute_fields}, "
        f"{raw} AS raw FROM ({source_sql(path, layout)})"
    )
    return (
        f"SELECT * EXCLUDE (raw), CASE WHEN customer_id IS NULL THEN '{MISSING_ID}' "
        f"WHEN date IS NULL THEN '{BAD_DATE}' WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN '{BAD_AMOUNT}' "
        f"{orders_check}END AS reason, CASE WHEN reason IS NOT NULL THEN raw END AS raw FROM ({typed})"
    )


def stage(
    con: duckdb.DuckDBPyConnection, path: str, layout: Layout, out: str, *, attributes: list[str], progress: Progress
) -> Staged:
    """Parse `path` into the Parquet file `out` and count what is good and bad."""
    sql = f"COPY ({parsed_sql(path, layout, attributes)}) TO {quote(out)} (FORMAT parquet, COMPRESSION zstd)"
    with watching(con, progress):
        run(con, sql)
    return summarise(con, out, header=layout.header)


def summarise(con: duckdb.DuckDBPyConnection, staged: str, *, header: bool) -> Staged:
    source = f"read_parquet({quote(staged)})"
    counts = dict(con.execute(f"SELECT coalesce(reason, ''), count(*) FROM {source} GROUP BY ALL").fetchall())
    valid = counts.pop("", 0)
    first_bad = con.execute(
        f"SELECT file_row_number, reason, raw FROM read_parquet({quote(staged)}, file_row_number=true) "
        f"WHERE reason IS NOT NULL ORDER BY file_row_number LIMIT {SHOW_BAD}"
    ).fetchall()
    first, last = con.execute(f"SELECT min(date), max(date) FROM {source} WHERE reason IS NULL").fetchall()[0]
    offset = 2 if header else 1  # line numbers start at 1, after the header if there is one
    return Staged(
        valid=valid,
        bad=sum(counts.values()),
        by_reason=counts,
        first_bad=[(number + offset, reason, raw or "") for number, reason, raw in first_bad],
        first_date=first,
        last_date=last,
    )


@contextmanager
def watching(con: duckdb.DuckDBPyConnection, progress: Progress, every: float = 0.5) -> Iterator[None]:
    """Report DuckDB's own progress on the running query, from a thread, until it ends."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(every):
            try:
                percent = con.query_progress()
            except duckdb.Error:
                continue
            if percent >= 0:
                progress(percent)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
