"""When the database goes away, a clean 503 page to retry; other crashes, a clean 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse

from canvas_app.models import CanvasQuerySet


@pytest.fixture
def client_without_raise(client):
    client.raise_request_exception = False
    return client


def test_a_lost_database_gives_a_503_page_with_retry_after(client_without_raise, viewer, canvas, monkeypatch):
    client_without_raise.force_login(viewer)

    def unreachable(self, user):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CanvasQuerySet, "for_user", unreachable)
    response = client_without_raise.get(reverse("canvas_app:board", args=[canvas.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Lienzo is briefly unavailable" in response.content or "no está disponible".encode() in response.content
    assert b"Traceback" not in response.content and b"OperationalError" not in response.content


def test_any_other_crash_gives_the_500_page(client_without_raise, viewer, canvas, monkeypatch):
    client_without_raise.force_login(viewer)

    def broken(self, user):
        raise RuntimeError("boom")

    monkeypatch.setattr(CanvasQuerySet, "for_user", broken)
    response = client_without_raise.get(reverse("canvas_app:board", args=[canvas.pk]))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content or b"Algo" in response.content
    assert b"boom" not in response.content
