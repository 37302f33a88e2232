"""Work for the task worker (Django's tasks framework; see README, "Workers")."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from . import pdf
from .exports import filename, run_export
from .models import Export

#: Queues: PDFs may take seconds each, and must not hold up mail.
PDF_QUEUE = "pdf"


@task(queue_name=PDF_QUEUE)
def render_canvas(export_id: str) -> None:
    def make(export: Export) -> tuple[bytes, str]:
        page = pdf.PAGE_SIZES[export.size]
        html = pdf.canvas_html(export.canvas, page=page, exported_at=timezone.localtime())
        return pdf.render_pdf(html, stylesheets=pdf.STYLESHEETS), filename(export.canvas, export)

    run_export(export_id, make)
