"""Excel workbooks (.xlsx) become plain CSV before DuckDB reads them: the first sheet, streamed
row by row (openpyxl's read-only mode), dates as ISO and numbers with a decimal point, so
the rest of the path is the one CSV files take."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from .reading import SAMPLE_BYTES, UnreadableFile


def is_workbook(name: str) -> bool:
    return name.lower().endswith(".xlsx")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _rows(handle):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(_("This Excel file could not be opened: save it again as .xlsx or as CSV.")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            cells = [_cell(value) for value in row]
            if any(cells):
                yield cells
    finally:
        workbook.close()


def sample(upload) -> bytes:
    """The workbook's first rows as CSV bytes, for the preview."""
    upload.seek(0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in _rows(upload):
        writer.writerow(row)
        if out.tell() > SAMPLE_BYTES:
            break
    return out.getvalue().encode()


def to_csv(path: str, out: str) -> str:
    with open(path, "rb") as handle, open(out, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target, lineterminator="\n")
        for row in _rows(handle):
            writer.writerow(row)
    return out
