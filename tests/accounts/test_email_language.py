"""Emails go out in their recipient's language: the one their account keeps (set at sign-up
from the page's language, and by the language switcher while logged in), else the page's
language, or for an invitation the canvas' language. The worker applies it, whatever
language it runs in."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile, account_language
from accounts.tasks import send_templated_email
from tests.tasks import run_tasks

SIGNUP = reverse("signup")
SET_LANGUAGE = reverse("set_language")
PASSWORD = "otra-frase-larga-y-segura-42"

CONFIRM = {"en": "Confirm your Lienzo account", "es": "Confirma tu cuenta de Lienzo"}
RESET = {"en": "Reset your Lienzo password", "es": "Restablece tu contraseña de Lienzo"}
TRIED = {
    "en": "Someone tried to sign up to Lienzo with your address",
    "es": "Alguien ha intentado crear una cuenta de Lienzo con tu dirección",
}
INVITED = {
    "en": "olga invites you to “Tostadores Aurora” on Lienzo",
    "es": "olga te invita a «Tostadores Aurora» en Lienzo",
}


def in_language(client: Client, language: str) -> Client:
    client.cookies["lienzo_language"] = language
    return client


def sign_up(client, email: str = "nuria@example.com", username: str = "nuria"):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, data)


def choose(user, language: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})


class TestTheLanguageAnAccountKeeps:
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_signing_up_keeps_the_language_of_the_page(self, client, db, mailoutbox, language):
        sign_up(in_language(client, language))
        assert get_user_model().objects.get(username="nuria").profile.language == language
        assert mailoutbox[0].subject == CONFIRM[language]

    def test_the_switcher_keeps_the_choice_of_someone_logged_in(self, client, owner):
        client.force_login(owner)
        client.post(SET_LANGUAGE, {"language": "es", "next": "/"})
        assert account_language(owner.email) == "es"
        client.post(SET_LANGUAGE, {"language": "en", "next": "/"})
        assert account_language(owner.email) == "en"

    def test_a_language_the_site_does_not_have_is_not_kept(self, client, owner):
        client.force_login(owner)
        client.post(SET_LANGUAGE, {"language": "fr", "next": "/"})
        assert account_language(owner.email) == ""

    def test_logged_out_the_switcher_keeps_nothing(self, client, owner):
        client.post(SET_LANGUAGE, {"language": "es", "next": "/"})
        assert client.cookies["lienzo_language"].value == "es"
        assert Profile.objects.count() == 0

    def test_the_switcher_needs_a_csrf_token(self, owner):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(owner)
        assert strict.post(SET_LANGUAGE, {"language": "es", "next": "/"}).status_code == 403
        assert Profile.objects.count() == 0


class TestAccountEmails:
    def test_a_password_reset_is_in_the_accounts_language(self, client, owner, mailoutbox):
        choose(owner, "es")
        in_language(client, "en").post(reverse("password_reset"), {"email": owner.email})
        assert [m.subject for m in mailoutbox] == [RESET["es"]]

    def test_without_one_it_is_in_the_language_it_was_asked_in(self, client, owner, mailoutbox):
        in_language(client, "es").post(reverse("password_reset"), {"email": owner.email})
        assert [m.subject for m in mailoutbox] == [RESET["es"]]

    def test_someone_signing_up_with_a_taken_address_writes_in_its_owners_language(self, client, owner, mailoutbox):
        choose(owner, "es")
        sign_up(in_language(client, "en"), email=owner.email)
        assert [(m.to, m.subject) for m in mailoutbox] == [([owner.email], TRIED["es"])]

    def test_a_link_sent_again_is_in_the_accounts_language(self, client, db, mailoutbox):
        sign_up(in_language(client, "es"))
        in_language(client, "en").post(reverse("signup_resend"), {"email": "nuria@example.com"})
        assert [m.subject for m in mailoutbox] == [CONFIRM["es"], CONFIRM["es"]]


class TestInvitations:
    def invite(self, client, owner, canvas, email: str, page_language: str) -> str:
        client.force_login(owner)
        members = reverse("canvas_app:members", args=[canvas.pk])
        in_language(client, page_language).post(members, {"email": email, "role": "editor"})
        [message] = mail.outbox
        return message.subject

    @pytest.mark.parametrize(("canvas_language", "page_language"), [("es", "en"), ("en", "es")])
    def test_without_an_account_it_is_in_the_canvas_language(
        self, client, owner, canvas, mailoutbox, canvas_language, page_language
    ):
        canvas.language = canvas_language
        canvas.save(update_fields=["language"])
        subject = self.invite(client, owner, canvas, "nadie@example.com", page_language)
        assert subject == INVITED[canvas_language]

    def test_an_account_with_a_language_gets_it_in_that_one(self, client, owner, outsider, canvas, mailoutbox):
        assert canvas.language == "es"
        choose(outsider, "en")
        subject = self.invite(client, owner, canvas, outsider.email.upper(), "es")
        assert subject == INVITED["en"]
        assert "as Editor." in " ".join(mail.outbox[0].body.split())

    def test_an_account_without_one_gets_the_canvas_language(self, client, owner, outsider, canvas, mailoutbox):
        subject = self.invite(client, owner, canvas, outsider.email, "en")
        assert subject == INVITED["es"]
        assert "como Editor." in " ".join(mail.outbox[0].body.split())


class TestTheWorker:
    @pytest.mark.parametrize("running_in", ["en", "es"])
    def test_it_writes_in_the_language_it_is_given_whatever_its_own(self, db, mailoutbox, running_in):
        context = {"name": "nuria", "link": "http://testserver/x/", "days": 3}
        send_templated_email.enqueue(
            template="registration/activation", to="nadie@example.com", context=context, language="es"
        )
        with translation.override(running_in):
            run_tasks()
            assert translation.get_language() == running_in  # and leaves its own as it was
        assert [m.subject for m in mailoutbox] == [CONFIRM["es"]]
        assert mailoutbox[0].body.startswith("Hola, nuria:")
