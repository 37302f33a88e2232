"""The "check your email" page sends the link to confirm a new account again: a post, counted
with the sign-up emails, answered the same whether or not an account waits at the address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import EMAIL_RECIPIENT_LIMIT, EmailRequest
from tests.conftest import db_state, make_user
from tests.markup import element, field_error
from tests.tasks import queued, run_tasks

SIGNUP = reverse("signup")
SIGNUP_DONE = reverse("signup_done")
RESEND = reverse("signup_resend")
PASSWORD = "otra-frase-larga-y-segura-42"
NEXT = "/invitations/" + "b" * 43 + "/"


def sign_up(client, email: str = "nuria@example.com", **extra):
    data = {"username": "nuria", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, data | extra)


def links_in(mailoutbox) -> list[str]:
    found = [re.search(r"http://testserver(/accounts/activate/\S+)", email.body) for email in mailoutbox]
    return [match.group(1) for match in found if match]


def resend_form(html: bytes):
    [form] = [f for f in element(html, "main").find_all("form") if f.attrs.get("action") == RESEND]
    return form


class TestTheCheckYourEmailPage:
    def test_it_offers_to_send_the_email_again_to_the_address_given(self, client, db, mailoutbox):
        sign_up(client, next=NEXT)
        page = client.get(SIGNUP_DONE)
        form = resend_form(page.content)
        assert form.attrs["method"] == "post"
        assert [i.attrs.get("value") for i in form.find_all("input", name="email")] == ["nuria@example.com"]
        assert [i.attrs["value"] for i in form.find_all("input", name="next")] == [NEXT]
        assert form.find_all("input", name="csrfmiddlewaretoken")
        assert [b.text for b in form.find_all("button")] == ["Send the email again"]

    def test_without_a_sign_up_the_address_is_asked_for(self, client, db):
        form = resend_form(client.get(SIGNUP_DONE).content)
        assert [i.attrs.get("value", "") for i in form.find_all("input", name="email")] == [""]


class TestSendingAgain:
    def test_a_waiting_account_gets_a_new_link_that_works(self, client, db, mailoutbox):
        sign_up(client, next=NEXT)
        response = client.post(RESEND, {"email": "nuria@example.com", "next": NEXT})
        assert response["Location"] == SIGNUP_DONE
        page = client.get(SIGNUP_DONE)
        assert element(page.content, "messages").text == "We sent the email again to nuria@example.com."
        _first, again = links_in(mailoutbox)
        assert mailoutbox[1].to == ["nuria@example.com"]
        assert f"next={NEXT.replace('/', '%2F')}" in again
        assert client.post(again)["Location"] == NEXT
        assert get_user_model().objects.get(username="nuria").is_active

    def test_it_goes_through_the_queue(self, db):
        plain = Client()  # no worker: what the request itself does
        sign_up(plain)
        run_tasks()
        plain.post(RESEND, {"email": "nuria@example.com"})
        assert queued() == ["accounts.tasks.resend_activation"]

    def test_it_keeps_a_waiting_sign_up_from_being_forgotten(self, client, db, mailoutbox):
        sign_up(client)
        user = get_user_model().objects.get(username="nuria")
        user.date_joined -= timedelta(days=2, hours=20)
        user.save()
        client.post(RESEND, {"email": "NURIA@example.com"})
        user.refresh_from_db()
        assert timezone.now() - user.date_joined < timedelta(minutes=1)

    @pytest.mark.parametrize("who", ["active", "nobody", "used"])
    def test_no_other_account_gets_anything_and_the_answer_is_the_same(self, client, db, mailoutbox, who):
        sign_up(client)
        reference = client.post(RESEND, {"email": "nuria@example.com"})
        client.get(SIGNUP_DONE)  # shows its message
        address = {"active": "olga@example.com", "nobody": "nadie@example.com", "used": "ines@example.com"}[who]
        make_user("olga")
        used = make_user("ines", is_active=False)
        used.last_login = timezone.now()
        used.save()
        mailoutbox.clear()
        response = client.post(RESEND, {"email": address})
        assert (response.status_code, response["Location"]) == (reference.status_code, reference["Location"])
        message = element(client.get(SIGNUP_DONE).content, "messages").text
        assert message == f"We sent the email again to {address}."
        assert mailoutbox == []

    def test_a_logged_in_user_goes_to_the_dashboard_and_nothing_is_sent(self, client, owner, mailoutbox):
        client.force_login(owner)
        before = db_state()
        assert client.post(RESEND, {"email": owner.email})["Location"] == reverse("canvas_app:dashboard")
        assert db_state() == before
        assert mailoutbox == []

    def test_a_bad_address_is_said_next_to_the_field(self, client, db, mailoutbox):
        response = client.post(RESEND, {"email": "not-an-address"})
        assert response.status_code == 400
        assert field_error(response.content, "id_email") == "Enter a valid email address."
        assert mailoutbox == []
        assert EmailRequest.objects.count() == 0

    def test_it_counts_with_the_sign_up_emails(self, client, db, mailoutbox):
        sign_up(client)
        for _ in range(EMAIL_RECIPIENT_LIMIT - 1):
            assert client.post(RESEND, {"email": "nuria@example.com"}).status_code == 302
        assert EmailRequest.objects.filter(kind=EmailRequest.Kind.SIGNUP).count() == EMAIL_RECIPIENT_LIMIT
        sent = len(mailoutbox)
        response = client.post(RESEND, {"email": "nuria@example.com"})
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 3500
        assert field_error(response.content, "id_email").startswith("Too many emails were asked for this address")
        assert len(mailoutbox) == sent

    def test_it_takes_posts_only(self, client, db, mailoutbox):
        assert client.get(RESEND, {"email": "nuria@example.com"}).status_code == 405
        assert EmailRequest.objects.count() == 0

    def test_it_needs_a_csrf_token(self, db, mailoutbox):
        strict = Client(enforce_csrf_checks=True)
        assert strict.post(RESEND, {"email": "nuria@example.com"}).status_code == 403
        assert EmailRequest.objects.count() == 0
