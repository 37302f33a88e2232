"""Small purchase files, read and scored the way an import does it, for tests."""

from __future__ import annotations

from pathlib import Path

from customers import analysis, reading, staging


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "purchases.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path, **layout_changes) -> tuple[reading.Layout, staging.Staged]:
    layout = reading.guess_layout(path.read_bytes())
    for name, value in layout_changes.items():
        setattr(layout, name, value)
    with staging.connect() as con:
        staged = staging.stage(con, str(path), layout, str(path.with_suffix(".parquet")), attributes=[], progress=_quiet)
    return layout, staged


def customers(path: Path, options: analysis.Options | None = None, **layout_changes) -> tuple[dict, dict]:
    """Every customer by id (a dict of their columns) and the summary."""
    layout, _staged = read(path, **layout_changes)
    options = options or analysis.Options(has_orders="order" in layout.mapping)
    out = str(path.with_name("customers.parquet"))
    with staging.connect() as con:
        summary = analysis.analyse(con, str(path.with_suffix(".parquet")), out, options, _quiet)
        cursor = con.execute(f"SELECT * FROM read_parquet({staging.quote(out)})")
        names = [column[0] for column in cursor.description]
        rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return rows, summary


def _quiet(percent: float) -> None:
    pass
