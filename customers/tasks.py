"""Customer data in the task worker: reading an upload and computing customers can take
minutes for millions of lines, so they never run inside a web request."""

from __future__ import annotations

import logging

import duckdb
from django.tasks import task

from . import services
from .models import Job

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
