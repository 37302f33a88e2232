"""Customer data in the task worker: reading an upload and computing customers can take
minutes for millions of lines, so they never run inside a web request."""

from __future__ import annotations

import logging

import duckdb
from django.tasks import task

from canvas_app.exports import run_export
from canvas_app.models import Export
from canvas_app.tasks import PDF_QUEUE

from . import report, services
from .models import CustomerData, Job

logger = logging.getLogger(__name__)

#: Its own queue, so a long import holds up neither PDFs nor mail.
DATA_QUEUE = "data"


def _run(job_id: str, work) -> None:
    job = Job.objects.filter(pk=job_id).select_related("canvas").first()
    if job is None or job.status in (Job.Status.CANCELLED, Job.Status.DONE, Job.Status.FAILED):
        return
    try:
        work(job)
    except (duckdb.InvalidInputException, duckdb.ConversionException):
        logger.warning("Customer data job %s could not read its file", job_id, exc_info=True)
        services.fail(job, "unreadable")
    except Exception:
        # The previous data stays as it was; the page says the import failed.
        logger.exception("Customer data job %s failed", job_id)
        services.fail(job, "error")


@task(queue_name=DATA_QUEUE)
def read_upload(job_id: str) -> None:
    _run(job_id, services.read_upload)


@task(queue_name=DATA_QUEUE)
def compute(job_id: str) -> None:
    _run(job_id, services.compute)


@task(queue_name=PDF_QUEUE)
def render_customer_report(export_id: str) -> None:
    def make(export: Export) -> tuple[bytes, str]:
        canvas = export.canvas
        data = CustomerData.objects.get(canvas=canvas)
        pdf = report.customer_report(canvas, data, size=export.size, today=export.day)
        return pdf, report.report_filename(canvas, export.day)

    run_export(export_id, make)
