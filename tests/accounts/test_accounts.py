"""Signing up and confirming the address, logging in and out, changing and resetting a password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import forms
from tests.conftest import PASSWORD, db_state, make_user
from tests.markup import element, field_error

SIGNUP = reverse("signup")
SIGNUP_DONE = reverse("signup_done")
LOGIN = reverse("login")
DASHBOARD = reverse("canvas_app:dashboard")
NEW_PASSWORD = "otra-frase-larga-y-segura-42"
INVALID_LOGIN = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)


def logged_in_as(client):
    user_id = client.session.get(SESSION_KEY)
    return get_user_model().objects.get(pk=user_id) if user_id else None


# Sign up ------------------------------------------------------------------------------------


def signup_data(**overrides) -> dict:
    return {
        "username": "nuria",
        "email": "nuria@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | overrides


def link_in(email) -> str:
    return re.search(r"http://testserver(/accounts/\S+/)", email.body).group(1)


def accounts_of(email: str):
    return get_user_model().objects.filter(email__iexact=email).order_by("pk")


def without_tokens(html: bytes) -> str:
    """A page without its CSRF tokens and CSP nonces, which differ on every response."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', r"\1", html.decode())


class TestSignUp:
    def test_it_accepts_only_get_and_post(self, client, db, mailoutbox):
        assert client.put(SIGNUP).status_code == 405
        assert client.post(SIGNUP_DONE).status_code == 405
        client.post(SIGNUP, signup_data())
        assert client.put(link_in(mailoutbox[0])).status_code == 405
        assert not get_user_model().objects.get(username="nuria").is_active

    def test_get_shows_the_form(self, client, db):
        response = client.get(SIGNUP)
        assert response.status_code == 200
        for field in ("id_username", "id_email", "id_password1", "id_password2"):
            assert element(response.content, field)

    def test_it_creates_an_inactive_account_and_emails_a_link_to_confirm_it(
        self, client, db, mailoutbox
    ):
        response = client.post(SIGNUP, signup_data())
        assert response.status_code == 302
        assert response["Location"] == SIGNUP_DONE
        user = get_user_model().objects.get(username="nuria")
        assert user.email == "nuria@example.com"
        assert user.check_password(NEW_PASSWORD)
        assert not user.is_active
        assert logged_in_as(client) is None
        assert len(mailoutbox) == 1
        email = mailoutbox[0]
        assert email.to == ["nuria@example.com"]
        assert email.subject == "Confirm your Lienzo account"
        assert "Hello nuria," in email.body
        assert link_in(email).startswith("/accounts/activate/")
        page = client.get(SIGNUP_DONE)
        assert page.status_code == 200
        assert "Check your email" in page.content.decode()

    def test_the_link_asks_before_confirming(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data())
        page = client.get(link_in(mailoutbox[0]))
        assert page.status_code == 200
        assert "Start using Lienzo as nuria." in page.content.decode()
        assert not get_user_model().objects.get(username="nuria").is_active  # mail scanners fetch links
        assert logged_in_as(client) is None

    def test_confirming_logs_in_and_goes_to_the_dashboard(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data())
        response = client.post(link_in(mailoutbox[0]))
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
        user = get_user_model().objects.get(username="nuria")
        assert user.is_active
        assert logged_in_as(client) == user
        page = client.get(DASHBOARD)
        assert element(page.content, "messages").text == "Welcome to Lienzo! Create your first canvas."
        client.post(reverse("logout"))
        assert client.post(LOGIN, {"username": "nuria", "password": NEW_PASSWORD})["Location"] == DASHBOARD

    def test_the_link_works_once(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data())
        link = link_in(mailoutbox[0])
        client.post(link)
        client.post(reverse("logout"))
        assert client.get(link).context["validlink"] is False
        assert client.post(link).status_code == 400
        assert logged_in_as(client) is None

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda link: link[:-2] + ("a/" if link[-2] != "a" else "b/"),  # another token
            lambda link: link.replace("/activate/", "/activate/x"),  # another user id
            lambda link: "/accounts/activate/OTk5OTk/abc-def/",  # nobody
        ],
        ids=["token", "user", "unknown"],
    )
    def test_a_wrong_link_confirms_nothing(self, client, db, mailoutbox, tamper):
        client.post(SIGNUP, signup_data())
        link = tamper(link_in(mailoutbox[0]))
        before = db_state()
        assert client.get(link).context["validlink"] is False
        response = client.post(link)
        assert response.status_code == 400
        assert db_state() == before
        assert logged_in_as(client) is None

    def test_an_expired_link_confirms_nothing(self, client, db, mailoutbox, settings):
        client.post(SIGNUP, signup_data())
        settings.PASSWORD_RESET_TIMEOUT = -1
        assert client.post(link_in(mailoutbox[0])).status_code == 400
        assert not get_user_model().objects.get(username="nuria").is_active

    def test_a_password_reset_link_does_not_confirm_an_account(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data())
        user = get_user_model().objects.get(username="nuria")
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = reverse("activate", args=[uid, default_token_generator.make_token(user)])
        assert client.post(link).status_code == 400
        user.refresh_from_db()
        assert not user.is_active

    def test_an_unconfirmed_account_cannot_log_in(self, client, db):
        client.post(SIGNUP, signup_data())
        response = client.post(LOGIN, {"username": "nuria", "password": NEW_PASSWORD})
        assert response.status_code == 200
        assert INVALID_LOGIN in response.content.decode()
        assert logged_in_as(client) is None

    def test_a_logged_in_user_goes_to_the_dashboard(self, client, owner):
        client.force_login(owner)
        assert client.get(SIGNUP)["Location"] == DASHBOARD
        before = db_state()
        assert client.post(SIGNUP, signup_data())["Location"] == DASHBOARD
        assert db_state() == before
        assert logged_in_as(client) == owner

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"username": "olga"}, "id_username", "A user with that username already exists."),
            ({"username": "Olga"}, "id_username", "A user with that username already exists."),
            ({"email": ""}, "id_email", "This field is required."),
            ({"email": "not-an-address"}, "id_email", "Enter a valid email address."),
            (
                {"password2": "something-else-entirely"},
                "id_password2",
                "The two password fields didn’t match.",
            ),
            (
                {"password1": "84736291", "password2": "84736291"},
                "id_password1",
                "This password is entirely numeric.",
            ),
            (
                {"password1": "x" * 4097, "password2": "x" * 4097},
                "id_password1",
                "Ensure this value has at most 4096 characters (it has 4097).",
            ),
        ],
        ids=[
            "username-taken",
            "username-taken-other-case",
            "no-email",
            "bad-email",
            "passwords-differ",
            "weak-password",
            "password-too-long",
        ],
    )
    def test_bad_input_is_shown_next_to_the_field(self, client, owner, mailoutbox, data, field, message):
        before = db_state()
        response = client.post(SIGNUP, signup_data(**data))
        assert response.status_code == 400
        assert field_error(response.content, field) == message
        assert db_state() == before
        assert logged_in_as(client) is None
        assert mailoutbox == []


class TestSignUpDoesNotTellWhichEmailsHaveAnAccount:
    """Usernames are public handles, so "username taken" is said; email addresses are not."""

    def test_a_taken_email_gets_the_same_answer_and_its_owner_an_email(
        self, client, owner, mailoutbox
    ):
        fresh = client.post(SIGNUP, signup_data(username="nuria", email="nuria@example.com"))
        taken = client.post(SIGNUP, signup_data(username="nuria2", email="OLGA@example.com"))
        assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"]) == (302, SIGNUP_DONE)
        assert list(accounts_of("olga@example.com")) == [owner]  # no second account for the address
        assert logged_in_as(client) is None
        email = mailoutbox[-1]
        assert email.to == ["olga@example.com"]
        assert email.subject == "Someone tried to sign up to Lienzo with your address"
        assert "it already belongs to the account olga" in " ".join(email.body.split())
        assert "http://testserver/accounts/login/" in email.body
        assert "http://testserver/accounts/password_reset/" in email.body

    def test_the_pages_that_follow_are_the_same(self, client, owner, mailoutbox):
        pages = []
        for data in (signup_data(), signup_data(username="nuria2", email="olga@example.com")):
            response = client.post(SIGNUP, data, follow=True)
            # The page offers to send the email again to the address typed, whichever it is.
            page = without_tokens(response.content).replace(data["email"], "EMAIL")
            pages.append((response.status_code, response.redirect_chain, page))
        assert pages[0] == pages[1]

    def test_a_taken_email_with_a_wrong_form_gets_no_other_error(self, client, owner, mailoutbox):
        response = client.post(SIGNUP, signup_data(email="olga@example.com", password2="other-phrase-entirely"))
        assert response.status_code == 400
        assert not element(response.content, "id_email").attrs.get("aria-invalid")
        assert mailoutbox == []

    @pytest.mark.parametrize("email", ["nuria@example.com", "olga@example.com"], ids=["new", "taken"])
    def test_the_username_is_taken_either_way(self, client, owner, mailoutbox, email):
        """Were it free again, signing up with it twice would tell whether the address
        had an account."""
        client.post(SIGNUP, signup_data(username="sonda", email=email))
        response = client.post(SIGNUP, signup_data(username="sonda", email="otra@example.com"))
        assert response.status_code == 400
        assert field_error(response.content, "id_username") == "A user with that username already exists."

    def test_the_username_kept_for_a_taken_address_is_a_placeholder_nobody_can_use(
        self, client, owner, mailoutbox
    ):
        client.post(SIGNUP, signup_data(username="sonda", email="olga@example.com"))
        placeholder = get_user_model().objects.get(username="sonda")
        assert (placeholder.email, placeholder.is_active) == ("", False)
        assert [m.to for m in mailoutbox] == [["olga@example.com"]]  # no link to confirm it
        response = client.post(LOGIN, {"username": "sonda", "password": NEW_PASSWORD})
        assert INVALID_LOGIN in response.content.decode()

    def test_signing_up_again_before_confirming_makes_no_second_account(self, client, db, mailoutbox):
        client.post(SIGNUP, signup_data())
        response = client.post(SIGNUP, signup_data(username="nuria2"))
        assert response["Location"] == SIGNUP_DONE
        assert [u.username for u in accounts_of("nuria@example.com")] == ["nuria"]
        email = mailoutbox[-1]
        assert email.to == ["nuria@example.com"]
        assert "waits to be confirmed with the link we emailed then" in " ".join(email.body.split())
        assert "/accounts/activate/" not in email.body  # nobody gets someone else's link

    def test_an_expired_unconfirmed_sign_up_frees_its_email_and_username(
        self, client, db, mailoutbox
    ):
        client.post(SIGNUP, signup_data())
        abandoned = get_user_model().objects.get(username="nuria")
        abandoned.date_joined -= timedelta(days=4)
        abandoned.save()
        response = client.post(SIGNUP, signup_data(username="Nuria", email="NURIA@example.com"))
        assert response["Location"] == SIGNUP_DONE
        assert not get_user_model().objects.filter(pk=abandoned.pk).exists()
        assert get_user_model().objects.get(username="Nuria").email == "NURIA@example.com"
        assert link_in(mailoutbox[-1]).startswith("/accounts/activate/")

    def test_an_account_that_has_been_used_is_never_freed(self, client, db, mailoutbox):
        user = make_user("nuria", is_active=False)
        user.date_joined -= timedelta(days=400)
        user.last_login = user.date_joined
        user.save()
        response = client.post(SIGNUP, signup_data(username="otra"))
        assert response["Location"] == SIGNUP_DONE
        assert list(accounts_of("nuria@example.com")) == [user]


# Log in and out -------------------------------------------------------------------------------


class TestLogin:
    def test_get_shows_the_form(self, client, db):
        response = client.get(LOGIN)
        assert response.status_code == 200
        assert element(response.content, "id_username")

    def test_it_logs_in_and_goes_to_the_dashboard(self, client, owner):
        response = client.post(LOGIN, {"username": "olga", "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
        assert logged_in_as(client) == owner

    def test_it_goes_back_to_the_page_asked_for(self, client, owner, canvas):
        board = reverse("canvas_app:board", args=[canvas.pk])
        response = client.post(LOGIN, {"username": "olga", "password": PASSWORD, "next": board})
        assert response["Location"] == board

    def test_it_never_sends_the_user_to_another_site(self, client, owner):
        response = client.post(
            LOGIN, {"username": "olga", "password": PASSWORD, "next": "https://evil.example/"}
        )
        assert response["Location"] == DASHBOARD

    @pytest.mark.parametrize("password", ["wrong-password", ""])
    def test_a_wrong_password_is_refused(self, client, owner, password):
        response = client.post(LOGIN, {"username": "olga", "password": password})
        assert response.status_code == 200
        assert logged_in_as(client) is None
        if password:
            assert "Please enter a correct username and password." in response.content.decode()

    def test_an_inactive_user_cannot_log_in(self, client, db):
        make_user("ines", is_active=False)
        client.post(LOGIN, {"username": "ines", "password": PASSWORD})
        assert logged_in_as(client) is None

    def test_the_error_does_not_tell_whether_the_account_exists(self, client, owner):
        make_user("ines", is_active=False)
        answers = set()
        for username, password in [
            ("olga", "wrong-password"),  # an account, the wrong password
            ("nadie", "wrong-password"),  # no such account
            ("ines", PASSWORD),  # an inactive account, its right password
        ]:
            response = client.post(LOGIN, {"username": username, "password": password})
            page = without_tokens(response.content).replace(f'value="{username}"', 'value=""')
            answers.add((response.status_code, page))
        assert len(answers) == 1
        status, page = answers.pop()
        assert status == 200
        assert INVALID_LOGIN in page

    def test_a_password_too_long_to_hash_is_refused_before_hashing(self, client, owner):
        response = client.post(LOGIN, {"username": "olga", "password": "x" * 4097})
        assert response.status_code == 200
        assert field_error(response.content, "id_password") == (
            "Ensure this value has at most 4096 characters (it has 4097)."
        )
        assert logged_in_as(client) is None


class TestLogout:
    def test_it_requires_post(self, client, owner):
        client.force_login(owner)
        assert client.get(reverse("logout")).status_code == 405
        assert logged_in_as(client) == owner

    def test_it_logs_out_and_goes_to_the_login_page(self, client, owner):
        client.force_login(owner)
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        assert logged_in_as(client) is None
        assert client.get(reverse("password_change"))["Location"].startswith(LOGIN)


# Change password ---------------------------------------------------------------------------------


class TestPasswordChange:
    URL = reverse("password_change")

    def test_it_requires_login(self, client, owner):
        before = db_state()
        response = client.post(
            self.URL,
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response["Location"].startswith(LOGIN)
        assert db_state() == before

    def test_it_changes_the_password_and_keeps_the_user_logged_in(self, client, owner):
        client.force_login(owner)
        assert client.get(self.URL).status_code == 200
        response = client.post(
            self.URL,
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change_done")
        owner.refresh_from_db()
        assert owner.check_password(NEW_PASSWORD)
        assert client.get(DASHBOARD).status_code == 200
        assert client.get(response["Location"]).status_code == 200

    def test_a_new_password_too_long_to_hash_is_refused(self, client, owner):
        client.force_login(owner)
        long = "x" * 4097
        response = client.post(
            self.URL, {"old_password": PASSWORD, "new_password1": long, "new_password2": long}
        )
        assert response.status_code == 200
        assert field_error(response.content, "id_new_password1") == (
            "Ensure this value has at most 4096 characters (it has 4097)."
        )
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)

    def test_a_wrong_old_password_is_shown_next_to_the_field(self, client, owner):
        client.force_login(owner)
        before = db_state()
        response = client.post(
            self.URL,
            {
                "old_password": "not-it",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 200
        assert field_error(response.content, "id_old_password") == (
            "Your old password was entered incorrectly. Please enter it again."
        )
        assert db_state() == before


# Reset password ----------------------------------------------------------------------------------


class TestPasswordReset:
    URL = reverse("password_reset")

    def test_it_sends_a_link_that_sets_a_new_password(self, client, owner, mailoutbox):
        assert client.get(self.URL).status_code == 200
        response = client.post(self.URL, {"email": "OLGA@example.com"})
        assert response["Location"] == reverse("password_reset_done")
        assert len(mailoutbox) == 1
        email = mailoutbox[0]
        assert email.to == ["olga@example.com"]
        assert email.subject == "Reset your Lienzo password"
        assert "Hello olga," in email.body
        link = re.search(r"http://testserver(/accounts/reset/\S+/\S+/)", email.body).group(1)

        form = client.get(link)
        assert form.status_code == 302  # the token moves into the session, out of the address bar
        set_password = form["Location"]
        assert client.get(set_password).status_code == 200
        done = client.post(
            set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert done["Location"] == reverse("password_reset_complete")
        owner.refresh_from_db()
        assert owner.check_password(NEW_PASSWORD)
        assert client.get(link).context["validlink"] is False  # a link works once

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self, client, owner, mailoutbox):
        response = client.post(self.URL, {"email": "nadie@example.com"})
        assert response["Location"] == reverse("password_reset_done")
        assert mailoutbox == []

    def test_the_answer_does_not_tell_whether_the_address_has_an_account(
        self, client, owner, mailoutbox
    ):
        make_user("ines", is_active=False)
        answers = set()
        for email in ["olga@example.com", "nadie@example.com", "ines@example.com"]:
            response = client.post(self.URL, {"email": email}, follow=True)
            answers.add((response.status_code, tuple(response.redirect_chain), without_tokens(response.content)))
        assert len(answers) == 1
        assert [m.to for m in mailoutbox] == [["olga@example.com"]]

    def test_a_new_password_too_long_to_hash_is_refused(self, client, owner, mailoutbox):
        client.post(self.URL, {"email": "olga@example.com"})
        set_password = client.get(re.search(r"http://testserver(/\S+/)", mailoutbox[0].body).group(1))["Location"]
        response = client.post(set_password, {"new_password1": "x" * 4097, "new_password2": "x" * 4097})
        assert response.status_code == 200
        assert field_error(response.content, "id_new_password1") == (
            "Ensure this value has at most 4096 characters (it has 4097)."
        )
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)

    @pytest.fixture
    def languages(self, monkeypatch) -> list[str]:
        """The language active each time a reset email's subject is written."""
        active = []
        render = forms.render_to_string

        def spy(template, *args, **kwargs):
            if template.endswith("_subject.txt"):
                active.append(translation.get_language())
            return render(template, *args, **kwargs)

        monkeypatch.setattr(forms, "render_to_string", spy)
        return active

    def test_the_email_is_in_the_language_chosen_with_the_cookie(
        self, client, owner, mailoutbox, languages
    ):
        client.cookies["lienzo_language"] = "es"
        client.post(self.URL, {"email": "olga@example.com"})
        assert languages == ["es"]
        with translation.override("es"):
            assert mailoutbox[0].subject == translation.gettext("Reset your Lienzo password")

    def test_the_email_follows_accept_language_too(self, client, owner, mailoutbox, languages):
        client.post(self.URL, {"email": "olga@example.com"}, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
        assert languages == ["es"]
        assert len(mailoutbox) == 1

    def test_without_a_choice_the_email_is_in_english(self, client, owner, mailoutbox, languages):
        client.post(self.URL, {"email": "olga@example.com"})
        assert languages == ["en"]
        assert mailoutbox[0].subject == "Reset your Lienzo password"
