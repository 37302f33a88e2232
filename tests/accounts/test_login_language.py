"""Logging in brings back the language the account chose, on any device."""

from __future__ import annotations

from django.conf import settings

from accounts.models import Profile
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def log_in(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def test_logging_in_switches_to_the_accounts_language(client, owner):
    Profile.set_language(owner, "es")
    response = log_in(client, owner)
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get("/")
    assert page.headers["Content-Language"] == "es"
    assert "Mis lienzos" in page.content.decode()


def test_an_account_without_a_language_keeps_the_browsers(client, owner):
    response = log_in(client, owner)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.headers["Content-Language"] == "en"


def test_a_failed_log_in_sets_no_language(client, owner):
    Profile.set_language(owner, "es")
    response = client.post(LOGIN, {"username": owner.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
