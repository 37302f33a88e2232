"""Account mail goes through the task queue: a request only queues it, and does the same work
whether or not the address has an account, so neither what it answers nor how long it takes
tells anyone which addresses do."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_user
from tests.tasks import queued, run_tasks


@pytest.fixture
def plain_client() -> Client:
    """No worker: what the request itself does, and nothing after."""
    return Client()


def ask_for_reset(client: Client, email: str) -> tuple[int, int]:
    """The answer's status and the queries the request made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("password_reset"), {"email": email})
    return response.status_code, len(queries)


def test_a_password_reset_is_queued_and_the_worker_sends_it(plain_client, owner):
    status, _ = ask_for_reset(plain_client, owner.email)
    assert status == 302
    assert mail.outbox == []  # the request sent nothing
    assert queued() == ["accounts.tasks.send_password_reset"]
    assert run_tasks() == 1
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_an_address_without_an_account_costs_the_request_the_same(plain_client, owner):
    make_user("otra")  # the same number of accounts to look through either way
    known = ask_for_reset(plain_client, owner.email)
    unknown = ask_for_reset(plain_client, "nadie@example.com")
    assert known == unknown
    assert queued() == ["accounts.tasks.send_password_reset"] * 2
    run_tasks()
    assert [message.to for message in mail.outbox] == [[owner.email]]


def test_the_reset_mail_is_in_the_language_it_was_asked_in(plain_client, owner):
    plain_client.post(reverse("password_reset"), {"email": owner.email}, headers={"accept-language": "es"})
    run_tasks()
    assert mail.outbox[0].subject == "Restablece tu contraseña de Lienzo"


def test_a_sign_up_and_an_invitation_are_queued_too(plain_client, owner, canvas):
    password = "a-long-enough-passphrase-42"
    data = {"username": "nuria", "email": "nuria@example.com", "password1": password, "password2": password}
    assert plain_client.post(reverse("signup"), data).status_code == 302
    plain_client.force_login(owner)
    members = reverse("canvas_app:members", args=[canvas.pk])
    assert plain_client.post(members, {"email": "invitada@example.com", "role": "editor"}).status_code == 302
    assert mail.outbox == []
    assert queued() == ["accounts.tasks.send_templated_email"] * 2
    run_tasks()
    assert [message.to for message in mail.outbox] == [["nuria@example.com"], ["invitada@example.com"]]
