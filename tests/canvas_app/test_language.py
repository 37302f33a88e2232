"""Choosing the language: the switcher's cookie first, then the browser's Accept-Language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from canvas_app.models import Canvas
from tests.markup import find_all

SET_LANGUAGE = reverse("set_language")
LOGIN = reverse("login")
COOKIE = "lienzo_language"


def html_lang(response) -> str:
    return find_all(response.content, "html")[0].attrs["lang"]


def test_the_cookie_has_our_name():
    assert settings.LANGUAGE_COOKIE_NAME == COOKIE


def test_choosing_spanish_sets_the_cookie_and_goes_back(client, db):
    response = client.post(SET_LANGUAGE, {"language": "es", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    cookie = response.cookies[COOKIE]
    assert cookie.value == "es"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert (cookie["samesite"], cookie["httponly"]) == ("Lax", True)


def test_after_choosing_spanish_pages_are_in_spanish(client, db):
    client.post(SET_LANGUAGE, {"language": "es", "next": LOGIN})
    page = client.get(LOGIN)
    assert html_lang(page) == "es"
    assert "Contraseña" in page.content.decode()  # the login form's label, from Django's catalogue


def test_a_logged_in_user_gets_spanish_everywhere(client, owner, canvas):
    client.force_login(owner)
    client.post(SET_LANGUAGE, {"language": "es", "next": "/"})
    for url in (reverse("canvas_app:dashboard"), reverse("canvas_app:board", args=[canvas.pk])):
        assert html_lang(client.get(url)) == "es"


def test_the_switcher_shows_the_chosen_language_and_comes_back_to_the_page(client, db):
    client.cookies[COOKIE] = "es"
    page = client.get(LOGIN)
    switcher = find_all(page.content, "form", action=SET_LANGUAGE)[0]
    assert [i.attrs["value"] for i in switcher.find_all("input", name="next")] == [LOGIN]
    assert [o.attrs["value"] for o in switcher.find_all("option") if "selected" in o.attrs] == [
        "es"
    ]


def test_accept_language_gives_spanish_without_the_cookie(client, db):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert COOKIE not in client.cookies
    assert html_lang(page) == "es"
    assert "Contraseña" in page.content.decode()


def test_without_a_choice_pages_are_in_english(client, db):
    page = client.get(LOGIN)
    assert html_lang(page) == "en"
    assert "Password" in page.content.decode()


def test_the_cookie_beats_accept_language(client, db):
    client.post(SET_LANGUAGE, {"language": "en", "next": LOGIN})
    assert html_lang(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="es")) == "en"


@pytest.mark.parametrize("language", ["", "xx", "../../etc"])
def test_a_language_nobody_has_sets_no_cookie(client, db, language):
    response = client.post(SET_LANGUAGE, {"language": language, "next": LOGIN})
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert html_lang(client.get(LOGIN)) == "en"


def test_a_language_we_do_not_offer_leaves_the_pages_in_english(client, db):
    # Django knows French, so the cookie is set; the app offers only English and Spanish.
    client.post(SET_LANGUAGE, {"language": "fr", "next": LOGIN})
    assert html_lang(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="fr")) == "en"


def test_a_get_changes_nothing(client, db):
    response = client.get(SET_LANGUAGE, {"language": "es", "next": LOGIN})
    assert response.status_code == 302
    assert COOKIE not in response.cookies


def test_it_never_sends_the_user_to_another_site(client, db):
    response = client.post(SET_LANGUAGE, {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_new_canvas_defaults_to_the_language_in_use(client, outsider):
    client.force_login(outsider)
    client.post(SET_LANGUAGE, {"language": "es"})
    client.post(reverse("canvas_app:canvas_create"), {"title": "Panadería", "language": "es"})
    form = client.get(reverse("canvas_app:dashboard"))
    selected = [o.attrs["value"] for o in find_all(form.content, "option") if "selected" in o.attrs]
    assert selected == ["es", "es", "EUR"]  # the switcher, then the new-canvas form (language, currency)
    assert (Canvas.objects.get().language, Canvas.objects.get().currency) == ("es", "EUR")


def test_a_new_canvas_counts_in_its_languages_currency_unless_told(client, outsider):
    client.force_login(outsider)
    client.post(reverse("canvas_app:canvas_create"), {"title": "Bakery", "language": "en"})
    client.post(reverse("canvas_app:canvas_create"), {"title": "Panadería", "language": "es"})
    client.post(reverse("canvas_app:canvas_create"), {"title": "Bakery UK", "language": "en", "currency": "GBP"})
    assert dict(Canvas.objects.values_list("title", "currency")) == {"Bakery": "USD", "Panadería": "EUR", "Bakery UK": "GBP"}
