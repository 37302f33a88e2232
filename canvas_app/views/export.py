"""The canvas as a PDF, for members and for share-link holders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from .. import pdf
from ..access import canvas_view, shared_canvas_view
from ..models import Canvas, ShareLink


def _pdf_response(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    page = pdf.PAGE_SIZES.get(request.GET.get("size", ""), pdf.PAGE_SIZES[pdf.DEFAULT_PAGE_SIZE])
    exported_at = timezone.localtime()
    content = pdf.canvas_pdf(canvas, page=page, request=request, exported_at=exported_at)
    name = f"{slugify(canvas.title) or 'canvas'}-{exported_at:%Y-%m-%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@canvas_view()
def canvas_pdf(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    return _pdf_response(request, canvas)


@shared_canvas_view()
def share_pdf(request: HttpRequest, link: ShareLink, canvas: Canvas) -> HttpResponse:
    return _pdf_response(request, canvas)
