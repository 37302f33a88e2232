"""An invitation opened while logged out says what it is for (the canvas, who invites, the
role) above the ways to log in or sign up, both of which come back to it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Invitation, Role
from tests.conftest import db_state, make_invitation
from tests.markup import element


@pytest.fixture
def invitation(canvas, owner) -> tuple[Invitation, str]:
    return make_invitation(canvas, owner, email="nadie@example.com", role=Role.VIEWER)


def url_of(invitation) -> str:
    return reverse("canvas_app:invitation_accept", args=[invitation[1]])


def test_it_says_what_the_invitation_is_for_above_the_choices(client, invitation):
    url = url_of(invitation)
    before = db_state()
    response = client.get(url)
    assert response.status_code == 200
    assert db_state() == before
    main = element(response.content, "main")
    what = "olga invites you to the canvas “Tostadores Aurora” as Viewer."
    assert what in main.text
    choices = [(a.text, a.attrs["href"]) for a in main.find_all("a")]
    assert choices == [
        ("Log in to accept", f"{reverse('login')}?next={url}"),
        ("Create an account", f"{reverse('signup')}?next={url}"),
    ]
    assert main.raw.index("invites you to the canvas") < main.raw.index("Log in to accept")


def test_it_neither_offers_to_accept_nor_tells_the_invited_address(client, invitation):
    response = client.get(url_of(invitation))
    main = element(response.content, "main")
    assert main.find_all("form") == []
    assert "nadie@example.com" not in response.content.decode()


def test_the_token_stays_out_of_referers_indexes_and_caches(client, invitation):
    response = client.get(url_of(invitation))
    assert response["Referrer-Policy"] == "strict-origin"
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_the_sign_up_choice_comes_back_to_the_invitation(client, invitation):
    url = url_of(invitation)
    signup = client.get(f"{reverse('signup')}?next={url}")
    [hidden] = element(signup.content, "main").find_all("input", type="hidden", name="next")
    assert hidden.attrs["value"] == url


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_an_invitation_no_longer_pending_is_not_found(client, invitation, how):
    pending, _token = invitation
    if how == "revoked":
        pending.revoke()
    else:
        Invitation.objects.filter(pk=pending.pk).update(expires_at=timezone.now())
    assert client.get(url_of(invitation)).status_code == 404


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("canvas_app:invitation_accept", args=["x" * 43])).status_code == 404
