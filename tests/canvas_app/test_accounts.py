"""Signing up, logging in and out, changing and resetting a password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD, db_state, make_user
from tests.markup import element, field_error

SIGNUP = reverse("signup")
LOGIN = reverse("login")
DASHBOARD = reverse("canvas_app:dashboard")
NEW_PASSWORD = "otra-frase-larga-y-segura-42"


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


class TestSignUp:
    def test_it_accepts_only_get_and_post(self, client, db):
        assert client.put(SIGNUP).status_code == 405

    def test_get_shows_the_form(self, client, db):
        response = client.get(SIGNUP)
        assert response.status_code == 200
        for field in ("id_username", "id_email", "id_password1", "id_password2"):
            assert element(response.content, field)

    def test_it_creates_the_user_logs_in_and_goes_to_the_dashboard(self, client, db):
        response = client.post(SIGNUP, signup_data())
        assert response.status_code == 302
        assert response["Location"] == DASHBOARD
        user = get_user_model().objects.get(username="nuria")
        assert user.email == "nuria@example.com"
        assert user.check_password(NEW_PASSWORD)
        assert logged_in_as(client) == user
        page = client.get(DASHBOARD)
        assert page.status_code == 200
        assert (
            element(page.content, "messages").text == "Welcome to Lienzo! Create your first canvas."
        )

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
            (
                {"email": "OLGA@example.com"},
                "id_email",
                "An account with this email already exists.",
            ),
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
                "id_password2",
                "This password is entirely numeric.",
            ),
        ],
        ids=[
            "email-taken",
            "username-taken",
            "username-taken-other-case",
            "no-email",
            "bad-email",
            "passwords-differ",
            "weak-password",
        ],
    )
    def test_bad_input_is_shown_next_to_the_field(self, client, owner, data, field, message):
        before = db_state()
        response = client.post(SIGNUP, signup_data(**data))
        assert response.status_code == 400
        assert field_error(response.content, field) == message
        assert db_state() == before
        assert logged_in_as(client) is None


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
        assert client.get(DASHBOARD)["Location"].startswith(LOGIN)


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

    @pytest.fixture
    def languages(self, monkeypatch) -> list[str]:
        """The language active each time a reset email is rendered and sent."""
        active = []
        send_mail = PasswordResetForm.send_mail

        def spy(form, *args, **kwargs):
            active.append(translation.get_language())
            return send_mail(form, *args, **kwargs)

        monkeypatch.setattr(PasswordResetForm, "send_mail", spy)
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
