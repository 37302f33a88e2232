"""The email that confirms a new account: its link survives being read from the raw message
(`make run` prints mail to the console), and a link that no longer works says why."""

from __future__ import annotations

import email.policy
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.mail import PlainTextEmail
from tests.conftest import db_state
from tests.markup import element

SIGNUP = reverse("signup")
PASSWORD = "otra-frase-larga-y-segura-42"
#: Long enough that a 76-character line would cut it.
NEXT = "/invitations/" + "a" * 43 + "/"


def sign_up(client, **extra) -> None:
    data = {"username": "nuria", "email": "nuria@example.com", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(SIGNUP, data | extra).status_code == 302


def link_in(body: str) -> str:
    return re.search(r"http://testserver/accounts/activate/\S+", body).group(0)


def link_state(page) -> str:
    return element(page.content, "link-state").attrs["data-state"]


class TestTheLinkIsOnOneLine:
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_the_raw_message_holds_the_whole_link_on_one_line(self, client, db, mailoutbox, language):
        client.cookies["lienzo_language"] = language
        sign_up(client, next=NEXT)
        [email] = mailoutbox
        link = link_in(email.body)
        assert len(link) > 76 and "=" in link  # what quoted-printable would cut and rewrite
        raw = email.message().as_bytes().decode()  # what the console prints and SMTP sends
        assert "Content-Transfer-Encoding: 8bit" in raw
        assert link in raw.splitlines()

    def test_the_console_prints_it_on_one_line(self, client, db, mailoutbox, settings, capsys):
        sign_up(client, next=NEXT)
        link = link_in(mailoutbox[0].body)
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
        mailoutbox[0].send()
        printed = capsys.readouterr().out
        assert link in printed.splitlines()
        assert "Hello nuria," in printed  # the text as written, not encoded

    def test_what_smtp_sends_holds_it_on_one_line_too(self, client, db, mailoutbox):
        sign_up(client, next=NEXT)
        link = link_in(mailoutbox[0].body)
        sent = mailoutbox[0].message(policy=email.policy.SMTP).as_bytes()
        assert link.encode() in sent.split(b"\r\n")

    def test_a_line_too_long_for_smtp_keeps_the_standard_encoding(self):
        message = PlainTextEmail(subject="s", body="x" * 1200, to=["a@example.com"]).message()
        assert message["Content-Transfer-Encoding"] != "8bit"
        assert all(len(line) <= 998 for line in message.as_string().splitlines())


class TestALinkThatNoLongerWorksSaysWhy:
    def test_a_used_link_says_so_and_offers_to_log_in(self, client, db, mailoutbox):
        sign_up(client)
        link = link_in(mailoutbox[0].body)
        client.post(link)
        client.post(reverse("logout"))
        page = client.get(link)
        assert link_state(page) == "used"
        assert "This link has been used already: the account is confirmed." in element(page.content, "main").text
        before = db_state()
        assert client.post(link).status_code == 400
        assert db_state() == before

    def test_an_expired_link_says_so_and_offers_to_sign_up_again(self, client, db, mailoutbox, time_machine):
        sign_up(client)
        link = link_in(mailoutbox[0].body)
        time_machine.move_to(timezone.now() + timedelta(days=4))
        page = client.get(link)
        assert link_state(page) == "expired"
        main = element(page.content, "main").text
        assert "This link has expired: a link to confirm an account works for 3 days." in main
        assert client.post(link).status_code == 400
        assert not get_user_model().objects.get(username="nuria").is_active

    def test_a_link_that_still_works_the_day_before_it_expires(self, client, db, mailoutbox, time_machine):
        sign_up(client)
        link = link_in(mailoutbox[0].body)
        time_machine.move_to(timezone.now() + timedelta(days=2, hours=23))
        assert client.get(link).context["validlink"] is True

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda link: link[:-2] + ("a/" if link[-2] != "a" else "b/"),  # another token
            lambda link: link.replace("/activate/", "/activate/x"),  # another user id
            lambda link: link.rsplit("/", 2)[0] + "/nonsense/",  # no token at all
        ],
        ids=["token", "user", "malformed"],
    )
    def test_a_wrong_link_is_neither_used_nor_expired(self, client, db, mailoutbox, tamper):
        sign_up(client)
        page = client.get(tamper(link_in(mailoutbox[0].body)))
        assert link_state(page) == "wrong"
        assert "This link does not work" in element(page.content, "main").text

    def test_the_three_messages_differ(self, client, db, mailoutbox, time_machine):
        sign_up(client)
        link = link_in(mailoutbox[0].body)
        texts = {"wrong": element(client.get(link[:-3] + "zz/").content, "link-state").text}
        time_machine.move_to(timezone.now() + timedelta(days=4))
        texts["expired"] = element(client.get(link).content, "link-state").text
        time_machine.move_to(timezone.now() - timedelta(days=4))
        client.post(link)
        texts["used"] = element(client.get(link).content, "link-state").text
        assert len(set(texts.values())) == 3
