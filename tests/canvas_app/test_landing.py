"""`/`: for someone logged out, a page about Lienzo (what it does, a picture of a board, sign
up, log in); for someone logged in, their dashboard. The brand in the header leads there."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests.markup import element, find_all

HOME = reverse("canvas_app:dashboard")


def templates_of(response) -> list[str]:
    return [t.name for t in response.templates]


def test_the_address_is_the_site_root():
    assert HOME == "/"


def test_logged_out_it_says_what_lienzo_is(client, db):
    response = client.get(HOME)
    assert response.status_code == 200
    assert templates_of(response)[0] == "canvas_app/landing.html"
    main = element(response.content, "main")
    assert [h.text for h in main.find_all("h1")] == ["Your business model on one canvas"]
    assert "Lienzo is a Business Model Canvas that you fill in with your team" in main.text
    assert "Cookie" in response["Vary"]  # the same address answers logged-in people differently


def test_it_offers_to_sign_up_and_to_log_in(client, db):
    main = element(client.get(HOME).content, "main")
    links = {(a.text, a.attrs["href"]) for a in main.find_all("a")}
    assert ("Create an account", reverse("signup")) in links
    assert ("Log in", reverse("login")) in links


def test_it_shows_a_picture_of_a_board_that_exists_at_its_stated_size(client, db):
    [image] = element(client.get(HOME).content, "main").find_all("img")
    assert image.attrs["alt"].startswith("A canvas filled in with Lienzo: the nine blocks")
    path = finders.find(image.attrs["src"].removeprefix("/static/"))
    assert path is not None, f"{image.attrs['src']} is not a static file"
    with Image.open(path) as picture:
        assert picture.format == "PNG"
        assert picture.size == (int(image.attrs["width"]), int(image.attrs["height"]))


def test_in_spanish_the_picture_is_of_a_spanish_canvas(client, db):
    client.cookies["lienzo_language"] = "es"
    [image] = element(client.get(HOME).content, "main").find_all("img")
    assert image.attrs["src"].endswith("/board-demo-es.png")
    assert finders.find("img/board-demo-es.png") is not None


def test_logged_in_it_is_the_dashboard(client, owner):
    client.force_login(owner)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "canvas_app/landing.html" not in templates_of(response)
    assert templates_of(response)[0] == "canvas_app/dashboard.html"


def test_the_brand_leads_to_it_logged_in_or_out(client, owner):
    for url in (HOME, reverse("login"), reverse("signup")):
        [brand] = find_all(client.get(url).content, "a", **{"class": "brand"})
        assert brand.attrs["href"] == HOME
    client.force_login(owner)
    [brand] = find_all(client.get(reverse("password_change")).content, "a", **{"class": "brand"})
    assert brand.attrs["href"] == HOME


def test_it_only_answers_reading(client, db):
    assert client.post(HOME).status_code == 405
