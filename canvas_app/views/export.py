"""The canvas as a PDF, for members and for share-link holders.

Asking for a PDF (a post) queues a render for the task worker, or finds the file made
already for the canvas as it is now; the answer shows how the render goes (polling with
htmx, refreshing itself without JavaScript) and hands over the file once it is ready."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from django.utils.http import content_disposition_header
from django.utils.text import slugify

from .. import pdf, serializer
from ..access import canvas_view, shared_canvas_view
from ..exports import export_file, export_status, export_urls, member_urls, request_export
from ..models import Canvas, Export, ShareLink
from ..tasks import render_canvas


def _size(request: HttpRequest) -> str:
    size = request.POST.get("size", "")
    return size if size in pdf.PAGE_SIZES else pdf.DEFAULT_PAGE_SIZE


# Members ---------------------------------------------------------------------------------


@canvas_view(methods=["GET", "POST"])
def canvas_pdf(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    """GET: the choice of paper (for a page without the board's form); POST: ask for the PDF."""
    if request.method != "POST":
        context = {"canvas": canvas, "pdf_url": request.path, "sizes": pdf.PAGE_SIZE_CHOICES}
        return TemplateResponse(request, "canvas_app/export.html", context)
    return request_export(
        request, canvas, kind=Export.Kind.CANVAS, size=_size(request), enqueue=render_canvas.enqueue,
        urls=member_urls(canvas),
    )  # fmt: skip


def _get_export(canvas: Canvas, export_id) -> Export:
    return get_object_or_404(Export.objects.defer("content"), canvas=canvas, pk=export_id)


@canvas_view()
def export(request: HttpRequest, canvas: Canvas, export_id) -> HttpResponse:
    """Any of the canvas' exports (the canvas PDF, the segment report) to its members."""
    found = _get_export(canvas, export_id)
    status_url, file_url = member_urls(canvas)(found)
    return export_status(request, canvas, found, status_url=status_url, file_url=file_url)


@canvas_view()
def export_download(request: HttpRequest, canvas: Canvas, export_id) -> HttpResponse:
    return export_file(get_object_or_404(Export.objects, canvas=canvas, pk=export_id))


# Share links -----------------------------------------------------------------------------


def _shared_urls(link: ShareLink) -> Callable[[Export], tuple[str, str]]:
    return export_urls("canvas_app:share_export", "canvas_app:share_export_file", link.token)


@shared_canvas_view(methods=["GET", "POST"])
def share_pdf(request: HttpRequest, link: ShareLink, canvas: Canvas) -> HttpResponse:
    if request.method != "POST":
        context = {"canvas": canvas, "pdf_url": request.path, "sizes": pdf.PAGE_SIZE_CHOICES, "share_link": link}
        return TemplateResponse(request, "canvas_app/export.html", context)
    return request_export(
        request, canvas, kind=Export.Kind.CANVAS, size=_size(request), enqueue=render_canvas.enqueue,
        urls=_shared_urls(link), share_link=link,
    )  # fmt: skip


def _shared_export(canvas: Canvas, export_id) -> Export:
    # Only the canvas PDF: the segment report is for members.
    return get_object_or_404(Export.objects, canvas=canvas, kind=Export.Kind.CANVAS, pk=export_id)


@shared_canvas_view()
def share_export(request: HttpRequest, link: ShareLink, canvas: Canvas, export_id) -> HttpResponse:
    found = _shared_export(canvas, export_id)
    status_url, file_url = _shared_urls(link)(found)
    return export_status(request, canvas, found, status_url=status_url, file_url=file_url)


@shared_canvas_view()
def share_export_file(request: HttpRequest, link: ShareLink, canvas: Canvas, export_id) -> HttpResponse:
    return export_file(_shared_export(canvas, export_id))


# The canvas as a file ----------------------------------------------------------------------

#: ?format= values: (content type, file extension).
DOCUMENT_FORMATS = {
    "json": ("application/json; charset=utf-8", "json"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


@canvas_view()
def canvas_document_file(request: HttpRequest, canvas: Canvas, kind: str) -> HttpResponse:
    """The canvas as JSON (everything, to import again), Markdown or CSV (one row per note)."""
    if kind not in DOCUMENT_FORMATS:
        raise Http404
    if kind == "json":
        text = json.dumps(serializer.canvas_document(canvas), ensure_ascii=False, indent=2) + "\n"
    elif kind == "markdown":
        text = serializer.as_markdown(serializer.canvas_document(canvas, for_markdown=True))
    else:
        text = serializer.as_csv(serializer.canvas_document(canvas))
    content_type, extension = DOCUMENT_FORMATS[kind]
    response = HttpResponse(text, content_type=content_type)
    name = f"{slugify(canvas.title) or 'canvas'}.{extension}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
