"""The use cases of customer data, each spanning several models and files: take an upload,
read it, compute customers from it, compute again with other choices, delete it all.
The task worker and the management commands both come through here."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from canvas_app.models import Canvas

from . import analysis, promotion, reading, spreadsheets, staging
from .models import CustomerData, Job, remove_files

logger = logging.getLogger(__name__)

#: Stages a job reports, in order (the page names them in the reader's language).
READ, AGGREGATE, STORE = "read", "aggregate", "store"


@contextmanager
def local_file(name: str) -> Iterator[str]:
    """A path DuckDB can read for a stored file: the file itself on a local disk, else a copy."""
    try:
        yield default_storage.path(name)
        return
    except NotImplementedError:
        pass
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, default_storage.open(name, "rb") as source:
        shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def store(path: str, name: str) -> str:
    with open(path, "rb") as handle:
        return default_storage.save(f"customer-data/{name}", File(handle))


def start_import(canvas: Canvas, upload, *, by, source: str = reading.PURCHASES) -> Job:
    """Keep the uploaded file and guess its layout; raises UnreadableFile when it cannot be read."""
    name = os.path.basename(upload.name or "purchases.csv")
    layout = reading.guess_layout(head_of(upload, name), source=source)
    previous, attributes = remembered(canvas, layout.columns, source)
    if previous:
        layout.mapping = {role: column for role, column in previous.mapping.items() if column in layout.columns}
        layout.date_format, layout.decimal_comma = previous.date_format, previous.decimal_comma
    upload.seek(0)
    job = Job(canvas=canvas, requested_by=by, source_name=name[:255], size=upload.size or 0, layout=layout.as_json())
    job.attributes = attributes
    job.upload.save(name, upload, save=False)
    job.save()
    return job


def head_of(upload, name: str) -> bytes:
    """The first bytes of an upload as text to guess from (a workbook's first rows as CSV)."""
    if spreadsheets.is_workbook(name):
        return spreadsheets.sample(upload)
    upload.seek(0)
    return upload.read(reading.SAMPLE_BYTES)


def remembered(canvas: Canvas, columns: list[str], source: str) -> tuple[reading.Layout | None, list[str]]:
    """The layout and attribute columns of the canvas' last import, when the new file has the
    same columns (and is of the same kind); else nothing."""
    previous = Job.objects.filter(canvas=canvas, kind=Job.Kind.IMPORT, status=Job.Status.DONE).first()
    if previous is None:
        return None, []
    layout = previous.get_layout()
    if layout.columns != columns or layout.source != source:
        return None, []
    return layout, list(previous.attributes)


def _progress(job: Job, stage: str, rows_total: int = 0):
    def report(percent: float) -> None:
        job.report(stage=stage, percent=min(percent, 100.0), rows_read=int(rows_total * percent / 100))

    return report


def estimated_rows(job: Job) -> int:
    layout = job.get_layout()
    sample_rows = len(layout.rows) or 1
    sample_bytes = sum(len(" ".join(row)) + len(row) for row in layout.rows) or 1
    return int(job.size / (sample_bytes / sample_rows))


def read_upload(job: Job) -> None:
    """Parse the whole upload into Parquet; stop for a decision when lines are bad, else go on."""
    with local_file(job.upload.name) as path, tempfile.TemporaryDirectory() as work:
        if spreadsheets.is_workbook(job.upload.name):
            path = spreadsheets.to_csv(path, os.path.join(work, "sheet.csv"))
        stage(job, path)
    if job.valid_rows == 0:
        fail(job, "no_rows")
    elif job.bad_rows:
        job.report(status=Job.Status.CHECKED)
    else:
        compute(job)


def stage(job: Job, path: str) -> None:
    job.report(status=Job.Status.READING, stage=READ, percent=0)
    with staging.connect() as con, tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "purchases.parquet")
        progress = _progress(job, READ, estimated_rows(job))
        staged = staging.stage(con, path, job.get_layout(), out, attributes=job.attributes, progress=progress)
        staged_name = store(out, f"{job.canvas_id}/purchases.parquet")
    job.report(
        staged=staged_name,
        valid_rows=staged.valid,
        bad_rows=staged.bad,
        by_reason=staged.by_reason,
        first_bad=staged.first_bad,
        rows_read=staged.valid + staged.bad,
        percent=100,
    )


def import_file(
    canvas: Canvas, path: str, layout: reading.Layout, *, by=None, as_of=None, attributes: list[str] | None = None
) -> Job:
    """Read and compute a file on this machine at once (the management command): the valid
    lines are imported; the bad ones are counted and listed on the job."""
    job = Job.objects.create(
        canvas=canvas, requested_by=by, source_name=os.path.basename(path)[:255], size=os.path.getsize(path),
        layout=layout.as_json(), status=Job.Status.READING, attributes=attributes or [],
    )  # fmt: skip
    stage(job, path)
    if job.valid_rows == 0:
        fail(job, "no_rows")
        return job
    if as_of is not None:
        CustomerData.objects.filter(canvas=canvas).update(as_of=as_of)
    compute(job, as_of=as_of)
    return job


def compute(job: Job, *, as_of=None) -> None:
    """Compute customers from the job's purchases and make them the canvas' data."""
    job.report(status=Job.Status.COMPUTING, stage=AGGREGATE, percent=0)
    existing = CustomerData.objects.filter(canvas=job.canvas_id).first()
    if job.kind == Job.Kind.IMPORT:
        layout = job.get_layout()
        data = CustomerData(
            canvas_id=job.canvas_id,
            source_name=job.source_name,
            imported_by=job.requested_by,
            purchases=job.staged.name,
            rows=job.valid_rows,
            bad_rows=job.bad_rows,
            has_orders="order" in layout.mapping,
            has_products="product" in layout.mapping,
            has_contacts=bool({"name", "email"} & set(layout.mapping)),
            source=layout.source,
            attributes=list(job.attributes),
        )
        if existing is not None:  # the team's choices carry over to the new data
            data.grid, data.binning, data.horizon_days = existing.grid, existing.binning, existing.horizon_days
            data.playbooks = existing.playbooks
        data.as_of = as_of
    else:
        data = existing
    with staging.connect() as con, local_file(data.purchases.name) as purchases, tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "customers.parquet")
        try:
            summary = analysis.analyse(con, purchases, out, data.options(), _progress(job, AGGREGATE))
        except analysis.NoCustomers:
            fail(job, "no_customers")
            return
        first, last = con.execute(
            f"SELECT min(date), max(date) FROM read_parquet({staging.quote(purchases)}) WHERE reason IS NULL"
        ).fetchall()[0]
        job.report(stage=STORE, percent=100)
        customers_name = store(out, f"{job.canvas_id}/customers.parquet")
    replace(job, data, existing, summary=summary, customers=customers_name, first=first, last=last)


def replace(job: Job, data: CustomerData, existing: CustomerData | None, *, summary, customers, first, last) -> None:
    old_files = []
    with transaction.atomic():
        if existing is not None and existing.pk != data.pk:
            old_files = [existing.purchases.name, existing.customers.name]
            existing_id = existing.pk
            CustomerData.objects.filter(pk=existing_id).delete()
        elif existing is not None:
            old_files = [existing.customers.name]
        data.customers = customers
        data.summary = summary
        data.first_date, data.last_date = first, last
        data.computed_at = timezone.now()
        data.save()
        promotion.update_figures(job.canvas_id, summary)
        if job.kind == Job.Kind.IMPORT:
            job.report(staged="")
        job.report(status=Job.Status.DONE, finished_at=timezone.now(), percent=100)
        transaction.on_commit(lambda: remove_files([*old_files, job.upload.name]))


def fail(job: Job, error: str) -> None:
    job.report(status=Job.Status.FAILED, error=error, finished_at=timezone.now())
    job.discard_files()


def cancel(job: Job) -> None:
    job.report(status=Job.Status.CANCELLED, finished_at=timezone.now())
    job.discard_files()


def recompute(data: CustomerData, *, by) -> Job:
    return Job.objects.create(
        canvas_id=data.canvas_id, kind=Job.Kind.RECOMPUTE, requested_by=by, status=Job.Status.COMPUTING,
        source_name=data.source_name,
    )  # fmt: skip


def delete_data(canvas: Canvas) -> None:
    """The purchases, the customers and every upload still around: rows and files."""
    with transaction.atomic():
        for job in Job.objects.filter(canvas=canvas):
            job.discard_files()
        Job.objects.filter(canvas=canvas).delete()
        data = CustomerData.objects.filter(canvas=canvas).first()
        if data is not None:
            data.delete()
        promotion.update_figures(canvas.pk, None)


#: The columns of a customers CSV, in order: (header, column in the customers file, value).
#: The model's columns only once it has run; contact columns only when they were mapped.
EXPORT_COLUMNS = (
    ("customer_id", "customer_id", "customer_id"), ("name", "name", "name"), ("email", "email", "email"),
    ("recency_days", "recency_days", "recency_days"), ("frequency", "frequency", "frequency"),
    ("monetary", "monetary", "round(monetary, 2)"), ("r", "r", "r"), ("f", "f", "f"), ("m", "m", "m"),
    ("group", "rfm_group", "rfm_group"), ("churned", "churned", "churned"),
    ("p_alive", "p_alive", "round(p_alive, 4)"),
    ("expected_purchases", "expected_purchases", "round(expected_purchases, 4)"), ("clv", "clv", "round(clv, 2)"),
)  # fmt: skip


def export_customers(data: CustomerData, out: str, *, groups: list[str] | None = None) -> int:
    """Write the customers (of `groups`, or all) as CSV to the path `out`; returns how many."""
    with staging.connect() as con, local_file(data.customers.name) as customers:
        source = f"read_parquet({staging.quote(customers)})"
        present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        if not data.has_contacts:
            present -= {"name", "email"}
        wanted = ", ".join(f'{value} AS "{header}"' for header, column, value in EXPORT_COLUMNS if column in present)
        where = ""
        if groups is not None:
            where = "WHERE rfm_group IN (" + ", ".join(staging.quote(group) for group in groups or [""]) + ")"
        select = f"SELECT {wanted} FROM {source} {where} ORDER BY customer_id"
        count = con.execute(f"SELECT count(*) FROM ({select})").fetchall()[0][0]
        staging.run(con, f"COPY ({select}) TO {staging.quote(out)} (FORMAT csv, HEADER true)")
    return count
