"""Error pages that must not need the database."""

from __future__ import annotations

import sys

from django import db
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import get_language


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that went away is a 503 the user can retry, not a 500. Both
    pages are rendered without the request context, which would need the database."""
    error = sys.exc_info()[1]
    if isinstance(error, (db.OperationalError, db.InterfaceError)):
        page = loader.get_template("503.html").render({"LANGUAGE_CODE": get_language()})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render({"LANGUAGE_CODE": get_language()}), status=500)
