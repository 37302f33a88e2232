"""Signing up keeps `next`, the page someone was on their way to (say, an invitation): the
log-in page's sign-up link carries it, the sign-up form and the emailed link keep it, and
confirming the account goes there. Only a page of this site is ever kept, checked when
signing up and again when confirming, since the link came back from outside."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.test_accounts import (
    DASHBOARD,
    LOGIN,
    SIGNUP,
    SIGNUP_DONE,
    logged_in_as,
    signup_data,
    without_tokens,
)
from tests.markup import element

NEXT = "/invitations/abc-DEF_123/"
#: A page of this site whose own query string must survive the round trip.
NEXT_WITH_QUERY = "/canvases/7/?tab=members&sort=role"
UNSAFE = [
    "https://evil.example/",
    "//evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
]
UNSAFE_IDS = ["other-site", "scheme-relative", "javascript", "lookalike-host"]


def with_next(url: str, next_url: str) -> str:
    return f"{url}?next={quote(next_url, safe='')}"


def activation_link(email) -> str:
    """The whole link of the activation email, query string and all."""
    return re.search(r"http://testserver(/accounts/activate/\S+)", email.body).group(1)


def link_to(html: bytes, text: str) -> str:
    [link] = [a for a in element(html, "main").find_all("a") if a.text == text]
    return link.attrs["href"]


def hidden_next(html: bytes) -> list[str]:
    """The values of the hidden `next` inputs of the page's forms (none when nothing is
    kept), not the language switcher's."""
    fields = element(html, "main").find_all("input", type="hidden", name="next")
    return [field.attrs["value"] for field in fields]


class TestTheLinksBetweenLogInAndSignUp:
    def test_the_log_in_page_links_to_sign_up_with_next(self, client, db):
        page = client.get(with_next(LOGIN, NEXT))
        assert link_to(page.content, "Create an account") == f"{SIGNUP}?next={NEXT}"

    def test_a_next_with_its_own_query_string_is_encoded(self, client, db):
        page = client.get(with_next(LOGIN, NEXT_WITH_QUERY))
        href = link_to(page.content, "Create an account")
        assert href == f"{SIGNUP}?next=/canvases/7/%3Ftab%3Dmembers%26sort%3Drole"
        assert hidden_next(client.get(href).content) == [NEXT_WITH_QUERY]

    def test_without_next_the_link_is_plain(self, client, db):
        assert link_to(client.get(LOGIN).content, "Create an account") == SIGNUP

    @pytest.mark.parametrize("unsafe", UNSAFE, ids=UNSAFE_IDS)
    def test_the_log_in_page_does_not_pass_on_another_site(self, client, db, unsafe):
        assert link_to(client.get(with_next(LOGIN, unsafe)).content, "Create an account") == SIGNUP

    def test_the_sign_up_page_keeps_next_and_links_back_to_log_in_with_it(self, client, db):
        page = client.get(with_next(SIGNUP, NEXT))
        assert page.status_code == 200
        assert hidden_next(page.content) == [NEXT]
        assert link_to(page.content, "Log in") == f"{LOGIN}?next={NEXT}"

    def test_without_next_the_sign_up_page_has_none(self, client, db):
        page = client.get(SIGNUP)
        assert hidden_next(page.content) == []
        assert link_to(page.content, "Log in") == LOGIN

    def test_a_form_with_errors_keeps_next(self, client, db, mailoutbox):
        response = client.post(SIGNUP, signup_data(password2="something-else-entirely", next=NEXT))
        assert response.status_code == 400
        assert hidden_next(response.content) == [NEXT]
        assert mailoutbox == []


class TestConfirmingGoesToNext:
    def test_sign_up_email_link_confirm_then_next(self, client, db, mailoutbox):
        response = client.post(with_next(SIGNUP, NEXT), signup_data(next=NEXT))
        assert response["Location"] == SIGNUP_DONE
        [email] = mailoutbox
        link = activation_link(email)
        assert link.startswith("/accounts/activate/")
        assert link.endswith(f"/?next={quote(NEXT, safe='')}")

        page = client.get(link)
        assert page.context["validlink"] is True
        assert hidden_next(page.content) == [NEXT]
        assert logged_in_as(client) is None  # nothing confirmed by looking

        response = client.post(link, {"next": NEXT})
        assert response.status_code == 302
        assert response["Location"] == NEXT
        user = get_user_model().objects.get(username="nuria")
        assert user.is_active
        assert logged_in_as(client) == user

    def test_the_welcome_does_not_send_them_to_make_a_canvas(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data(next=DASHBOARD + "?page=2"))
        response = client.post(activation_link(mailoutbox[0]), follow=True)
        assert response.redirect_chain == [(DASHBOARD + "?page=2", 302)]
        assert element(response.content, "messages").text == "Welcome to Lienzo!"

    def test_next_in_the_form_alone_is_kept(self, client, db, mailoutbox):
        """The hidden inputs carry it even when the form is posted to its bare address."""
        client.post(SIGNUP, signup_data(next=NEXT))
        link = activation_link(mailoutbox[0])
        bare = link.split("?")[0]
        assert client.post(bare, {"next": NEXT})["Location"] == NEXT

    def test_next_in_the_query_string_alone_is_kept(self, client, db, mailoutbox):
        client.post(with_next(SIGNUP, NEXT), signup_data())
        link = activation_link(mailoutbox[0])
        assert client.post(link)["Location"] == NEXT

    def test_a_next_with_its_own_query_string_comes_back_whole(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data(next=NEXT_WITH_QUERY))
        link = activation_link(mailoutbox[0])
        assert hidden_next(client.get(link).content) == [NEXT_WITH_QUERY]
        assert client.post(link)["Location"] == NEXT_WITH_QUERY

    def test_without_next_confirming_goes_to_the_dashboard(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data())
        link = activation_link(mailoutbox[0])
        assert "next" not in link
        assert hidden_next(client.get(link).content) == []
        assert client.post(link)["Location"] == DASHBOARD

    def test_a_used_link_offers_log_in_with_next(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data(next=NEXT))
        link = activation_link(mailoutbox[0])
        client.post(link)
        client.post(reverse("logout"))
        page = client.get(link)
        assert page.context["validlink"] is False
        assert hidden_next(page.content) == []
        assert link_to(page.content, "Log in") == f"{LOGIN}?next={NEXT}"  # the account is confirmed
        assert client.post(link, {"next": NEXT}).status_code == 400
        assert logged_in_as(client) is None

    def test_a_logged_in_user_goes_straight_to_next(self, client, owner):
        client.force_login(owner)
        assert client.get(with_next(SIGNUP, NEXT))["Location"] == NEXT
        assert client.post(SIGNUP, signup_data(next=NEXT))["Location"] == NEXT
        assert not get_user_model().objects.filter(username="nuria").exists()


class TestOnlyPagesOfThisSite:
    @pytest.mark.parametrize("unsafe", UNSAFE, ids=UNSAFE_IDS)
    def test_sign_up_drops_it(self, client, db, mailoutbox, unsafe):
        page = client.get(with_next(SIGNUP, unsafe))
        assert hidden_next(page.content) == []
        assert link_to(page.content, "Log in") == LOGIN
        response = client.post(with_next(SIGNUP, unsafe), signup_data(next=unsafe))
        assert response["Location"] == SIGNUP_DONE
        link = activation_link(mailoutbox[0])
        assert "next" not in link
        assert "evil" not in mailoutbox[0].body
        assert client.post(link)["Location"] == DASHBOARD

    @pytest.mark.parametrize("unsafe", UNSAFE, ids=UNSAFE_IDS)
    def test_confirming_drops_it_from_a_tampered_link(self, client, db, mailoutbox, unsafe):
        client.post(SIGNUP, signup_data(next=NEXT))
        tampered = with_next(activation_link(mailoutbox[0]).split("?")[0], unsafe)
        page = client.get(tampered)
        assert page.context["validlink"] is True
        assert hidden_next(page.content) == []
        response = client.post(tampered, {"next": unsafe})
        assert response["Location"] == DASHBOARD
        assert logged_in_as(client) == get_user_model().objects.get(username="nuria")

    @pytest.mark.parametrize("unsafe", UNSAFE, ids=UNSAFE_IDS)
    def test_a_logged_in_user_goes_to_the_dashboard_instead(self, client, owner, unsafe):
        client.force_login(owner)
        assert client.get(with_next(SIGNUP, unsafe))["Location"] == DASHBOARD

    def test_an_absolute_url_of_this_site_is_kept(self, client, db):
        page = client.get(with_next(SIGNUP, f"http://testserver{NEXT}"))
        assert hidden_next(page.content) == [f"http://testserver{NEXT}"]

    def test_over_https_a_plain_http_url_is_dropped(self, client, db):
        for scheme, kept in (("http", []), ("https", [f"https://testserver{NEXT}"])):
            page = client.get(with_next(SIGNUP, f"{scheme}://testserver{NEXT}"), secure=True)
            assert hidden_next(page.content) == kept


class TestNextTellsNothingAboutAddresses:
    def test_the_pages_that_follow_are_the_same(self, client, owner, mailoutbox):
        pages = []
        taken = signup_data(username="nuria2", email="olga@example.com", next=NEXT)
        for data in (signup_data(next=NEXT), taken):
            response = client.post(with_next(SIGNUP, NEXT), data, follow=True)
            page = without_tokens(response.content).replace(data["email"], "EMAIL")
            pages.append((response.status_code, response.redirect_chain, page))
        assert pages[0] == pages[1]
        assert pages[0][1] == [(SIGNUP_DONE, 302)]
        assert [m.to for m in mailoutbox] == [["nuria@example.com"], ["olga@example.com"]]
        assert "/accounts/activate/" not in mailoutbox[1].body  # the account's owner gets no link

    def test_a_form_with_errors_reads_the_same(self, client, owner, mailoutbox):
        pages = []
        for email in ("nuria@example.com", "olga@example.com"):
            data = signup_data(email=email, password2="x", next=NEXT)
            response = client.post(with_next(SIGNUP, NEXT), data)
            page = without_tokens(response.content).replace(email, "EMAIL")
            pages.append((response.status_code, page))
        assert pages[0] == pages[1]
        assert pages[0][0] == 400
