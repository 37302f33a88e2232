"""What a request body may be: small, in a charset that exists, and without files except
where a view takes them (`@accepts_files`). Checked before anything reads the body (the CSRF
check reads the form), so a hostile body costs a 4xx, never a 500 or a file on disk."""

from __future__ import annotations

import codecs
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousMultipartForm
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.http import parse_header_parameters

#: Bodies larger than this are refused before they are read (413), where no file is taken.
MAX_BODY = 2 * 1024 * 1024


def accepts_files(view: Callable) -> Callable:
    """Mark a view that takes uploaded files (up to settings.FILE_UPLOAD_MAX_BODY)."""
    view.accepts_files = True
    return view


class RefuseFiles(FileUploadHandler):
    """An upload handler for views that take no files: a file part ends the request."""

    def new_file(self, *args, **kwargs):
        raise SuspiciousMultipartForm("This page takes no files.")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class RequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args, kwargs) -> HttpResponse | None:
        takes_files = getattr(view, "accepts_files", False)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest()
        limit = getattr(settings, "FILE_UPLOAD_MAX_BODY", MAX_BODY) if takes_files else MAX_BODY
        if length > limit:
            if takes_files:  # a person chose too big a file: a page that says so
                return render(request, "413.html", {"limit": filesizeformat(limit)}, status=413)
            return HttpResponse("Request body too large.", status=413, content_type="text/plain")
        content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        charset = params.get("charset")
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                return HttpResponseBadRequest("Unknown charset.", content_type="text/plain")
        if content_type == "multipart/form-data" and not takes_files:
            request.upload_handlers = [RefuseFiles(request)]
        return None
