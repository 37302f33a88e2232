"""PDF exports, as every kind of them (the canvas, the segment report) has them: asking for
one and following its progress (the pages), and making it in the task worker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import trigger_client_event

from .models import Canvas, Export, ExportLimitError, ShareLink
from .render import RenderError, RenderTimeout, RenderTooBig

logger = logging.getLogger(__name__)

#: Why an export failed, as Export.error keeps it (the page says it in the reader's language).
TIMEOUT, TOO_BIG, BROKEN = "timeout", "too_big", "error"


def request_export(
    request: HttpRequest,
    canvas: Canvas,
    *,
    kind: str,
    size: str,
    enqueue: Callable[[str], object],
    urls: Callable[[Export], tuple[str, str]],
    share_link: ShareLink | None = None,
    basis: str = "",
) -> HttpResponse:
    """Answer a post that asks for a PDF: the export's progress (htmx) or its page."""
    try:
        export = Export.request(
            canvas, kind=kind, size=size, by=request.user, share_link=share_link, basis=basis, enqueue=enqueue
        )
    except ExportLimitError as error:
        minutes = -(-error.wait // 60)
        message = ngettext(
            "You asked for many PDFs in a short time: try again in %(minutes)d minute.",
            "You asked for many PDFs in a short time: try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        template = "canvas_app/export.html#refused" if request.htmx else "canvas_app/export.html"
        response = TemplateResponse(request, template, {"canvas": canvas, "refusal": message}, status=429)
        response["Retry-After"] = str(error.wait)
        return response
    status_url, file_url = urls(export)
    if request.htmx:
        return export_status(request, canvas, export, status_url=status_url, file_url=file_url)
    return HttpResponseRedirect(file_url if export.is_ready else status_url, status=303)


def export_status(
    request: HttpRequest, canvas: Canvas, export: Export, *, status_url: str, file_url: str
) -> HttpResponse:
    """The export's progress: a page of its own, or (htmx) the region that polls for it."""
    context = {
        "canvas": canvas,
        "export": export,
        "status_url": status_url,
        "file_url": file_url,
        "ahead": export.ahead(),
        "waited": int((timezone.now() - export.requested_at).total_seconds()),
        "error": _error_message(export),
    }
    if not request.htmx:
        return TemplateResponse(request, "canvas_app/export.html", context)
    response = TemplateResponse(request, "canvas_app/export.html#status", context)
    if export.is_ready:
        # The page fetches the file at once (the link stays for a second download).
        response = trigger_client_event(
            response, "lienzo:download", {"url": file_url, "target": "body"}, after="settle"
        )
    return response


def _error_message(export: Export) -> str:
    return {
        TIMEOUT: _("Making this PDF took too long, so it was stopped."),
        TOO_BIG: _("This PDF needed more memory than a PDF may take, so it was stopped."),
        BROKEN: _("This PDF could not be made."),
    }.get(export.error, "")


def export_file(export: Export) -> HttpResponse:
    if not export.is_ready:
        raise Http404
    response = HttpResponse(bytes(export.content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.filename)
    return response


def export_urls(status: str, download: str, *args) -> Callable[[Export], tuple[str, str]]:
    """An export's progress page and file, under the URL names given (after `args`)."""

    def urls(export: Export) -> tuple[str, str]:
        return reverse(status, args=[*args, export.pk]), reverse(download, args=[*args, export.pk])

    return urls


def member_urls(canvas: Canvas) -> Callable[[Export], tuple[str, str]]:
    return export_urls("canvas_app:export", "canvas_app:export_file", canvas.pk)


def filename(canvas: Canvas, export: Export, what: str = "") -> str:
    """An ASCII name: a title in a script slugify drops still gets a usable file name."""
    parts = [slugify(canvas.title) or "canvas", what, export.day.isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"


def run_export(export_id: str, make: Callable[[Export], tuple[bytes, str]]) -> None:
    """Render the export if it is still waiting: `make(export)` gives the PDF and its file
    name. A render that fails leaves the export failed with the reason, for the page to say."""
    export = Export.objects.select_related("canvas").filter(pk=export_id).first()
    if export is None or not export.start():
        return  # deleted, or another worker has it
    try:
        content, name = make(export)
    except RenderTimeout:
        export.fail(TIMEOUT)
    except RenderTooBig:
        export.fail(TOO_BIG)
    except RenderError:
        logger.exception("PDF export %s failed", export_id)
        export.fail(BROKEN)
    else:
        export.finish(content, name)
