"""The example gallery: complete canvases, in English and Spanish, that a user copies as a
canvas of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.html import escape

from canvas_app.models import Block, Canvas, Change, Note, Role
from segments.fit import fits_of
from segments.gallery.examples import EXAMPLES_DIR, YOU, examples
from segments.models import Criterion, Persona, PrioritySettings, ProfileItem, Score, Segment, ValueItem
from tests.conftest import db_state
from tests.markup import find_all

GALLERY = reverse("gallery:list")
FILES = sorted(EXAMPLES_DIR.glob("*.json"))
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def use_url(slug: str) -> str:
    return reverse("gallery:use", args=[slug])


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def in_language(client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


# The data files ---------------------------------------------------------------------------


def test_there_are_at_least_three_examples():
    assert len(FILES) >= 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_example_is_complete_in_each_language(path, language):
    spec = read(path)[language]
    assert spec["language"] == language
    assert spec["currency"] == "EUR" if language == "es" else spec["currency"] in ("USD", "GBP")
    assert set(spec["blocks"]) == set(Block.values)
    assert all(spec["blocks"].values()), "every block has notes"
    texts = [note["text"] for notes in spec["blocks"].values() for note in notes]
    assert len(texts) == len(set(texts)), "notes are told apart by their text"
    segment_notes = [note["text"] for note in spec["blocks"][Block.CUSTOMER_SEGMENTS]]
    assert list(spec["segments"]) == segment_notes
    assert len(spec["criteria"]) >= 3
    for name, segment in spec["segments"].items():
        assert segment["description"] and segment["personas"], name
        assert {item["kind"] for item in segment["profile"]} == {"job", "pain", "gain"}, name
        assert {item["kind"] for item in segment["value_map"]} == {"product", "reliever", "creator"}, name
        assert all(item["addresses"] for item in segment["value_map"]), name
        assert set(segment["serves"]) <= set(texts), name
        assert len(spec["scores"][YOU][name]) == len(spec["criteria"]), name
    relationships = spec["blocks"][Block.CUSTOMER_RELATIONSHIPS]
    assert all(note.get("relationship_type") for note in relationships)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_two_versions_tell_the_same_story_in_their_own_words(path):
    data = read(path)
    english, spanish = data["en"], data["es"]
    assert english["title"] != spanish["title"]
    for block in Block.values:
        assert len(english["blocks"][block]) == len(spanish["blocks"][block]), block
        english_texts = {note["text"] for note in english["blocks"][block]}
        assert not english_texts & {note["text"] for note in spanish["blocks"][block]}, block
    assert len(english["segments"]) == len(spanish["segments"])
    for english_segment, spanish_segment in zip(english["segments"].values(), spanish["segments"].values()):
        assert len(english_segment["personas"]) == len(spanish_segment["personas"])
        assert len(english_segment["value_map"]) == len(spanish_segment["value_map"])


# The gallery page -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gallery_lists_every_example_in_my_language(client, outsider, language):
    client.force_login(outsider)
    in_language(client, language)
    response = client.get(GALLERY)
    assert response.status_code == 200
    cards = find_all(response.content, "li", **{"class": "example-card"})
    assert len(cards) == len(FILES) >= 3
    for card, path in zip(cards, sorted(FILES, key=lambda p: read(p)["order"])):
        spec = read(path)[language]
        assert card.attrs["lang"] == language
        assert card.find_all("h2")[0].text == spec["title"]
        assert spec["description"] in card.text
        assert [li.text for li in card.find_all("li")] == list(spec["segments"])
        forms = card.find_all("form", method="post")
        assert [form.attrs["action"] for form in forms] == [use_url(path.stem)]


def test_the_gallery_needs_a_login(client, db):
    response = client.get(GALLERY)
    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(GALLERY).url


# Copying an example ------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "currency"), [("en", "GBP"), ("es", "EUR")])
def test_copying_an_example_gives_me_my_own_complete_canvas(client, outsider, language, currency):
    client.force_login(outsider)
    in_language(client, language)
    spec = read(EXAMPLES_DIR / "coffee-subscription.json")[language]

    response = client.post(use_url("coffee-subscription"))

    canvas = Canvas.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("canvas_app:board", args=[canvas.pk])
    assert (canvas.title, canvas.language, canvas.currency) == (spec["title"], language, currency)
    assert [(m.user, m.role) for m in canvas.memberships.all()] == [(outsider, Role.OWNER)]
    assert canvas.created_by == outsider
    for block, notes in spec["blocks"].items():
        assert list(canvas.notes.filter(block=block).order_by("position").values_list("text", flat=True)) == [
            note["text"] for note in notes
        ]

    segments = list(Segment.objects.of_canvas(canvas))
    assert [s.name for s in segments] == list(spec["segments"])
    first = segments[0]
    assert first.description == spec["segments"][first.name]["description"]
    assert first.age_min == spec["segments"][first.name]["age_min"]
    assert first.linked_notes.count() == len(spec["segments"][first.name]["serves"])
    assert Persona.objects.filter(segment__in=segments).count() == sum(
        len(s["personas"]) for s in spec["segments"].values()
    )
    assert ProfileItem.objects.filter(segment__in=segments).count() == sum(
        len(s["profile"]) for s in spec["segments"].values()
    )
    assert ValueItem.objects.filter(segment__in=segments, addresses__isnull=False).exists()
    assert ValueItem.objects.filter(segment__in=segments, notes__block=Block.VALUE_PROPOSITIONS).exists()
    assert all(fit.percent for fit in fits_of(segments).values())

    criteria = list(Criterion.objects.filter(canvas=canvas).order_by("position"))
    assert [c.name for c in criteria] == [c["name"] for c in spec["criteria"]]
    scores = Score.objects.filter(segment__in=segments)
    assert set(scores.values_list("reviewer", flat=True)) == {outsider.pk}
    assert scores.count() == len(segments) * len(criteria)
    assert list(
        scores.filter(segment=first).order_by("criterion__position").values_list("value", flat=True)
    ) == spec["scores"][YOU][first.name]
    assert PrioritySettings.objects.get(canvas=canvas).primary_segment == first

    change = Change.objects.get(canvas=canvas)
    assert (change.by, change.action, change.data) == (outsider, "add", {"example": "coffee-subscription"})


def test_the_copy_shows_on_its_board_and_in_the_ranking(client, outsider):
    client.force_login(outsider)
    client.post(use_url("restaurant-scheduling-software"))
    canvas = Canvas.objects.get()
    board = client.get(reverse("canvas_app:board", args=[canvas.pk])).content.decode()
    for note in Note.objects.filter(canvas=canvas):
        assert escape(note.text) in board
    ranking = client.get(reverse("prioritisation:ranking", args=[canvas.pk]))
    assert ranking.status_code == 200
    for segment in Segment.objects.of_canvas(canvas):
        assert escape(segment.name) in ranking.content.decode()


def test_each_copy_is_a_canvas_of_its_own(client, owner, outsider):
    client.force_login(owner)
    client.post(use_url("farm-to-restaurant-marketplace"))
    client.force_login(outsider)
    client.post(use_url("farm-to-restaurant-marketplace"))
    mine, theirs = Canvas.objects.order_by("pk")
    assert {m.user for m in mine.memberships.all()} == {owner}
    assert {m.user for m in theirs.memberships.all()} == {outsider}
    assert not set(mine.notes.values_list("pk", flat=True)) & set(theirs.notes.values_list("pk", flat=True))
    # Someone else's copy stays out of sight.
    assert client.get(reverse("canvas_app:board", args=[mine.pk])).status_code == 404


def test_anonymous_cannot_copy(client, db):
    before = db_state()
    response = client.post(use_url("coffee-subscription"))
    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(use_url("coffee-subscription")).url
    assert db_state() == before


def test_copying_needs_a_post(client, outsider):
    client.force_login(outsider)
    assert client.get(use_url("coffee-subscription")).status_code == 405
    assert not Canvas.objects.exists()


def test_an_unknown_example_is_not_found(client, outsider):
    client.force_login(outsider)
    assert client.post(use_url("no-such-example")).status_code == 404
    assert not Canvas.objects.exists()


def test_the_listing_follows_the_files(db):
    assert [e.slug for e in examples("en")] == [
        p.stem for p in sorted(FILES, key=lambda p: (read(p)["order"], p.stem))
    ]
    assert all(e.language == "es" for e in examples("es"))
    assert all(e.language == "en" for e in examples("fr")), "a language no example is written in gets English"


# The dashboard points to the gallery -----------------------------------------------------


def test_an_empty_dashboard_offers_three_ways_to_start(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("canvas_app:dashboard"))
    radios = find_all(response.content, "input", type="radio", name="guided")
    assert [r.attrs["value"] for r in radios] == ["False", "True"]
    assert "checked" in radios[0].attrs
    links = [a.attrs["href"] for a in find_all(response.content, "a")]
    for path in FILES:
        assert f"{GALLERY}#example-{path.stem}" in links
    assert GALLERY in links


def test_a_dashboard_with_canvases_still_leads_to_the_gallery(client, owner, canvas):
    client.force_login(owner)
    response = client.get(reverse("canvas_app:dashboard"))
    assert [a.text for a in find_all(response.content, "a", href=GALLERY)] == ["Start from an example"]
    assert not find_all(response.content, "section", **{"class": "start"})
