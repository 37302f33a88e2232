"""Account emails are throttled: at most 3 per recipient (sign-ups and password resets
together) and 10 per client address in any hour. Every valid request counts, whether or not
an email goes out, so being refused reads the same whether or not the address has an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse

from accounts.models import EMAIL_ADDRESS_LIMIT, EMAIL_RECIPIENT_LIMIT, EmailRequest
from tests.accounts.test_accounts import without_tokens
from tests.conftest import make_user
from tests.markup import field_error

SIGNUP = reverse("signup")
SIGNUP_DONE = reverse("signup_done")
RESET = reverse("password_reset")
RESET_DONE = reverse("password_reset_done")
NEW_PASSWORD = "otra-frase-larga-y-segura-42"
CLIENT = "203.0.113.7"

@pytest.fixture(autouse=True)
def still_clock():
    """The clock stands still: every wait these tests read is exact."""
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        yield

THROTTLED = "Too many emails were asked for this address or from your network. Try again in 60 minutes."


def sign_up(client, email: str, username: str, address: str = CLIENT, **extra):
    data = {"username": username, "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(SIGNUP, data, REMOTE_ADDR=address, **extra)


def reset(client, email: str, address: str = CLIENT, **extra):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address, **extra)


def age_requests(minutes: int) -> None:
    EmailRequest.objects.update(at=F("at") - timedelta(minutes=minutes))


def assert_throttled(response, wait: int = 3600) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(wait)
    assert "Location" not in response


def user_exists(username: str) -> bool:
    return get_user_model().objects.filter(username=username).exists()


@pytest.fixture
def olga(db):
    return make_user("olga")


class TestPerRecipient:
    def test_the_fourth_sign_up_to_an_address_is_refused(self, client, db, mailoutbox):
        for index in range(EMAIL_RECIPIENT_LIMIT):
            assert sign_up(client, "nuria@example.com", f"nuria{index}")["Location"] == SIGNUP_DONE
        assert [m.to for m in mailoutbox] == [["nuria@example.com"]] * EMAIL_RECIPIENT_LIMIT
        response = sign_up(client, "nuria@example.com", "nuria-again")
        assert_throttled(response)
        assert field_error(response.content, "id_email") == THROTTLED
        assert len(mailoutbox) == EMAIL_RECIPIENT_LIMIT
        assert not user_exists("nuria-again")
        assert EmailRequest.objects.count() == EMAIL_RECIPIENT_LIMIT  # a refused request is not counted

    def test_the_fourth_reset_to_an_address_is_refused(self, client, olga, mailoutbox):
        for _ in range(EMAIL_RECIPIENT_LIMIT):
            assert reset(client, "olga@example.com")["Location"] == RESET_DONE
        assert len(mailoutbox) == EMAIL_RECIPIENT_LIMIT
        response = reset(client, "olga@example.com")
        assert_throttled(response)
        assert field_error(response.content, "id_email") == THROTTLED
        assert len(mailoutbox) == EMAIL_RECIPIENT_LIMIT

    def test_sign_ups_and_resets_share_the_count(self, client, olga, mailoutbox):
        assert reset(client, "olga@example.com")["Location"] == RESET_DONE
        assert sign_up(client, "olga@example.com", "sonda1")["Location"] == SIGNUP_DONE
        assert reset(client, "olga@example.com")["Location"] == RESET_DONE
        assert_throttled(sign_up(client, "olga@example.com", "sonda2"))
        assert_throttled(reset(client, "olga@example.com"))
        assert [m.to for m in mailoutbox] == [["olga@example.com"]] * 3
        assert not user_exists("sonda2")

    def test_case_and_spaces_make_no_other_recipient(self, client, olga, mailoutbox):
        for email in ["olga@example.com", "OLGA@example.com", " Olga@Example.COM "]:
            assert reset(client, email)["Location"] == RESET_DONE
        assert_throttled(reset(client, "olga@EXAMPLE.com"))
        assert_throttled(sign_up(client, "  oLgA@example.com", "sonda"))
        assert set(EmailRequest.objects.values_list("recipient", flat=True)) == {"olga@example.com"}

    def test_the_limit_follows_the_recipient_from_any_client(self, client, olga, mailoutbox):
        for index in range(EMAIL_RECIPIENT_LIMIT):
            response = reset(client, "olga@example.com", address=f"198.51.100.{index}")
            assert response["Location"] == RESET_DONE
        assert_throttled(reset(client, "olga@example.com", address="192.0.2.1"))
        assert len(mailoutbox) == EMAIL_RECIPIENT_LIMIT

    def test_other_recipients_are_not_affected(self, client, olga, mailoutbox):
        make_user("ines")
        for _ in range(EMAIL_RECIPIENT_LIMIT):
            reset(client, "olga@example.com")
        assert reset(client, "ines@example.com")["Location"] == RESET_DONE
        assert sign_up(client, "nuria@example.com", "nuria")["Location"] == SIGNUP_DONE
        assert [m.to for m in mailoutbox[-2:]] == [["ines@example.com"], ["nuria@example.com"]]

    def test_a_form_with_errors_is_not_counted(self, client, olga, mailoutbox):
        for _ in range(EMAIL_RECIPIENT_LIMIT + 2):
            mismatched = {"password1": NEW_PASSWORD, "password2": "other"}
            data = {"username": "nuria", "email": "olga@example.com"} | mismatched
            assert client.post(SIGNUP, data, REMOTE_ADDR=CLIENT).status_code == 400
            assert reset(client, "not-an-address").status_code == 200
        assert EmailRequest.objects.count() == 0
        assert reset(client, "olga@example.com")["Location"] == RESET_DONE


class TestPerClientAddress:
    def test_the_eleventh_request_from_one_client_is_refused(self, client, olga, mailoutbox):
        for index in range(EMAIL_ADDRESS_LIMIT):
            email = f"someone{index}@example.com"
            if index % 2:
                assert reset(client, email)["Location"] == RESET_DONE
            else:
                assert sign_up(client, email, f"someone{index}")["Location"] == SIGNUP_DONE
        before = len(mailoutbox)
        response = reset(client, "olga@example.com")
        assert_throttled(response)
        assert field_error(response.content, "id_email") == THROTTLED
        assert_throttled(sign_up(client, "nuria@example.com", "nuria"))
        assert not user_exists("nuria")
        assert len(mailoutbox) == before
        # Another client is not held back by this one.
        assert reset(client, "olga@example.com", address="192.0.2.1")["Location"] == RESET_DONE
        assert mailoutbox[-1].to == ["olga@example.com"]


class TestWindow:
    def test_the_limit_lifts_after_an_hour(self, client, olga, mailoutbox):
        for _ in range(EMAIL_RECIPIENT_LIMIT):
            reset(client, "olga@example.com")
        age_requests(59)
        response = reset(client, "olga@example.com")
        assert_throttled(response, wait=60)
        assert field_error(response.content, "id_email") == THROTTLED.replace("60 minutes", "1 minute")
        age_requests(1)
        assert reset(client, "olga@example.com")["Location"] == RESET_DONE
        assert len(mailoutbox) == EMAIL_RECIPIENT_LIMIT + 1

    def test_the_oldest_request_sets_the_wait(self, client, olga, mailoutbox):
        reset(client, "olga@example.com")
        age_requests(40)
        reset(client, "olga@example.com")
        reset(client, "olga@example.com")
        age_requests(5)
        assert_throttled(reset(client, "olga@example.com"), wait=15 * 60)
        age_requests(15)
        assert reset(client, "olga@example.com")["Location"] == RESET_DONE

    def test_asking_while_refused_does_not_prolong_the_wait(self, client, olga, mailoutbox):
        for _ in range(EMAIL_RECIPIENT_LIMIT):
            reset(client, "olga@example.com")
        age_requests(50)
        for _ in range(10):
            assert reset(client, "olga@example.com").status_code == 429
            assert sign_up(client, "olga@example.com", "sonda").status_code == 429
        assert EmailRequest.objects.count() == EMAIL_RECIPIENT_LIMIT
        age_requests(10)
        assert reset(client, "olga@example.com")["Location"] == RESET_DONE

    def test_old_requests_are_deleted_as_new_ones_come(self, client, olga, mailoutbox):
        for _ in range(EMAIL_RECIPIENT_LIMIT):
            reset(client, "olga@example.com")
        age_requests(61)
        reset(client, "nadie@example.com")
        assert list(EmailRequest.objects.values_list("recipient", flat=True)) == ["nadie@example.com"]


class TestDoesNotTellWhichEmailsHaveAnAccount:
    """The limit is reached at the same request, and answered in the same words, whether or
    not the address has an account: a reset to nobody counts like one that sends."""

    @staticmethod
    def answer(response, *typed: str) -> tuple:
        """What the client sees, but for what it typed itself (shown back in a refused form)."""
        page = without_tokens(response.content)
        for value in typed:
            page = page.replace(f'value="{value}"', 'value=""')
        return (response.status_code, response.get("Retry-After"), response.redirect_chain, page)

    def test_resets_are_refused_at_the_same_request(self, client, olga, mailoutbox):
        statuses = []
        for _ in range(EMAIL_RECIPIENT_LIMIT + 2):
            known = reset(client, "olga@example.com", address="198.51.100.1", follow=True)
            unknown = reset(client, "nadie@example.com", address="198.51.100.2", follow=True)
            assert self.answer(known, "olga@example.com") == self.answer(unknown, "nadie@example.com")
            statuses.append(known.status_code)
        assert statuses == [200] * EMAIL_RECIPIENT_LIMIT + [429, 429]
        assert field_error(unknown.content, "id_email") == THROTTLED
        assert [m.to for m in mailoutbox] == [["olga@example.com"]] * EMAIL_RECIPIENT_LIMIT

    def test_sign_ups_are_refused_at_the_same_request(self, client, olga, mailoutbox):
        statuses = []
        for step in range(EMAIL_RECIPIENT_LIMIT + 2):
            known = sign_up(client, "olga@example.com", f"taken{step}", address="198.51.100.1", follow=True)
            fresh = sign_up(client, "nuria@example.com", f"fresh{step}", address="198.51.100.2", follow=True)
            assert self.answer(known, f"taken{step}", "olga@example.com") == self.answer(
                fresh, f"fresh{step}", "nuria@example.com"
            )
            statuses.append(known.status_code)
        assert statuses == [200] * EMAIL_RECIPIENT_LIMIT + [429, 429]
        assert field_error(fresh.content, "id_email") == THROTTLED
        assert len(mailoutbox) == 2 * EMAIL_RECIPIENT_LIMIT

    def test_the_client_limit_is_reached_at_the_same_request(self, client, olga, mailoutbox):
        """Two clients, each near its limit: one asks for an address with an account, the
        other for one without."""
        for index in range(EMAIL_ADDRESS_LIMIT - 1):
            reset(client, f"a{index}@example.com", address="198.51.100.1")
            reset(client, f"b{index}@example.com", address="198.51.100.2")
        for expected in (200, 429):
            known = reset(client, "olga@example.com", address="198.51.100.1", follow=True)
            unknown = reset(client, "nadie@example.com", address="198.51.100.2", follow=True)
            assert self.answer(known, "olga@example.com") == self.answer(unknown, "nadie@example.com")
            assert known.status_code == expected
        assert field_error(unknown.content, "id_email") == THROTTLED


class TestClientAddress:
    def test_requests_are_counted_per_forwarded_address(self, client, olga, mailoutbox, settings):
        settings.NUM_PROXIES = 1
        for index in range(EMAIL_ADDRESS_LIMIT):
            response = reset(
                client,
                f"someone{index}@example.com",
                address="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{index}, 192.0.2.1",  # the client's own say varies
            )
            assert response["Location"] == RESET_DONE
        assert set(EmailRequest.objects.values_list("address", flat=True)) == {"192.0.2.1"}
        same = reset(client, "olga@example.com", address="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1")
        assert_throttled(same)
        other = reset(client, "olga@example.com", address="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2")
        assert other["Location"] == RESET_DONE

    def test_without_proxies_the_header_is_ignored(self, client, olga, mailoutbox, settings):
        settings.NUM_PROXIES = 0
        for index in range(EMAIL_ADDRESS_LIMIT):
            reset(client, f"someone{index}@example.com", HTTP_X_FORWARDED_FOR=f"192.0.2.{index}")
        assert set(EmailRequest.objects.values_list("address", flat=True)) == {CLIENT}
        assert_throttled(reset(client, "olga@example.com", HTTP_X_FORWARDED_FOR="192.0.2.99"))

    def test_without_an_address_only_the_recipient_counts(self, client, olga, mailoutbox, settings):
        settings.NUM_PROXIES = 1
        for index in range(EMAIL_ADDRESS_LIMIT + 1):
            response = reset(client, f"someone{index}@example.com", HTTP_X_FORWARDED_FOR="<script>")
            assert response["Location"] == RESET_DONE
        for _ in range(EMAIL_RECIPIENT_LIMIT):
            reset(client, "olga@example.com", HTTP_X_FORWARDED_FOR="<script>")
        assert_throttled(reset(client, "olga@example.com", HTTP_X_FORWARDED_FOR="<script>"))


class TestConcurrentRequests:
    def test_requests_still_being_served_count_already(self, client, olga, mailoutbox):
        """A burst of parallel requests: each is counted before anything is sent, so the
        fourth sees the three before it even if none has finished."""
        signup, reset_ = EmailRequest.Kind.SIGNUP, EmailRequest.Kind.PASSWORD_RESET
        in_flight = [
            EmailRequest.start(kind=signup, recipient="olga@example.com", address=f"198.51.100.{i}")
            for i in range(EMAIL_RECIPIENT_LIMIT)
        ]
        assert in_flight == [0] * EMAIL_RECIPIENT_LIMIT
        wait = EmailRequest.start(kind=reset_, recipient="OLGA@example.com", address=None)
        assert wait == 3600
        assert_throttled(reset(client, "olga@example.com"))
        assert mailoutbox == []


class TestAdmin:
    def test_staff_see_the_requests_and_cannot_add_or_change_them(self, client, olga, mailoutbox):
        admin = make_user("sara", is_staff=True, is_superuser=True)
        reset(client, "olga@example.com")
        request = EmailRequest.objects.get()
        client.force_login(admin)
        changelist = client.get(reverse("admin:accounts_emailrequest_changelist"))
        assert changelist.status_code == 200
        assert "olga@example.com" in changelist.content.decode()
        assert client.get(reverse("admin:accounts_emailrequest_add")).status_code == 403
        change = reverse("admin:accounts_emailrequest_change", args=[request.pk])
        assert client.post(change, {"recipient": "other@example.com"}).status_code == 403
        request.refresh_from_db()
        assert request.recipient == "olga@example.com"
        delete = reverse("admin:accounts_emailrequest_delete", args=[request.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 302  # deleting lifts a limit
        assert not EmailRequest.objects.exists()
