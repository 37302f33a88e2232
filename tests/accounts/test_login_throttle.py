"""Login throttling: at most 5 failures per username from one client address, 50 per username
from all addresses and 20 per client address in any 15 minutes; past that no password is
checked, and the refusal reads the same whether or not the account exists. The clock stands
still in these tests: every wait they read is exact."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import ADDRESS_LIMIT, PAIR_LIMIT, USERNAME_LIMIT, FailedLogin, client_address
from tests.conftest import PASSWORD, make_user
from tests.markup import find_all

LOGIN = reverse("login")
DASHBOARD = reverse("canvas_app:dashboard")
THROTTLED = "Too many failed attempts to log in. Try again in 15 minutes, or reset your password."


def attempt(client, username: str, password: str = "wrong-password", address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        assert attempt(client, username, address=address).status_code == 200


def error(response) -> str:
    """The form's error above its fields."""
    [alert] = find_all(response.content, "div", **{"class": "form-errors", "role": "alert"})
    return alert.text


def age_failures(minutes: int) -> None:
    FailedLogin.objects.update(at=F("at") - timedelta(minutes=minutes))


def is_logged_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture(autouse=True)
def still_clock():
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        yield


@pytest.fixture
def olga(db):
    return make_user("olga")


class TestPerUsernameAndAddress:
    def test_the_sixth_attempt_is_refused_even_with_the_right_password(self, client, olga):
        fail(client, "olga", PAIR_LIMIT)
        before = FailedLogin.objects.count()
        response = attempt(client, "olga", PASSWORD)
        assert response.status_code == 429
        assert response["Retry-After"] == str(15 * 60)
        assert error(response) == THROTTLED
        assert not is_logged_in(client)
        assert FailedLogin.objects.count() == before  # a refused attempt is not a failure

    def test_four_failures_still_let_the_owner_in(self, client, olga):
        fail(client, "olga", PAIR_LIMIT - 1)
        assert attempt(client, "olga", PASSWORD)["Location"] == DASHBOARD

    def test_an_unknown_username_is_refused_in_the_same_words(self, client, olga):
        fail(client, "olga", PAIR_LIMIT)
        fail(client, "nadie", PAIR_LIMIT)
        known, unknown = attempt(client, "olga", PASSWORD), attempt(client, "nadie", PASSWORD)
        assert (known.status_code, error(known), known["Retry-After"]) == (
            unknown.status_code,
            error(unknown),
            unknown["Retry-After"],
        )

    def test_someone_guessing_elsewhere_does_not_lock_the_owner_out(self, client, olga):
        fail(client, "olga", PAIR_LIMIT, address="198.51.100.1")
        assert attempt(client, "olga", PASSWORD, address="198.51.100.1").status_code == 429
        assert attempt(client, "olga", PASSWORD, address="192.0.2.1")["Location"] == DASHBOARD

    def test_guessing_spread_over_many_addresses_meets_the_usernames_ceiling(self, client, olga):
        for index in range(USERNAME_LIMIT):  # one failure from each: under every other limit
            fail(client, "olga", 1, address=f"198.51.100.{index}")
        response = attempt(client, "olga", PASSWORD, address="192.0.2.1")
        assert response.status_code == 429
        assert response["Retry-After"] == str(15 * 60)

    def test_case_and_spaces_make_no_other_username(self, client, olga):
        assert PAIR_LIMIT == 5
        for username in ["olga", "OLGA", " Olga", "oLgA ", "olga"]:
            fail(client, username, 1)
        assert attempt(client, "olga", PASSWORD).status_code == 429

    def test_other_usernames_are_not_affected(self, client, olga):
        make_user("ines")
        fail(client, "olga", PAIR_LIMIT)
        assert attempt(client, "ines", PASSWORD)["Location"] == DASHBOARD

    def test_the_lock_lifts_after_15_minutes(self, client, olga):
        fail(client, "olga", PAIR_LIMIT)
        age_failures(14)
        response = attempt(client, "olga", PASSWORD)
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        assert "Try again in 1 minute," in error(response)
        age_failures(1)
        assert attempt(client, "olga", PASSWORD)["Location"] == DASHBOARD

    def test_trying_while_locked_does_not_prolong_the_lock(self, client, olga):
        fail(client, "olga", PAIR_LIMIT)
        age_failures(10)
        for _ in range(10):
            assert attempt(client, "olga").status_code == 429
        age_failures(5)
        assert attempt(client, "olga", PASSWORD)["Location"] == DASHBOARD

    def test_a_successful_log_in_forgets_earlier_typos(self, client, olga):
        fail(client, "olga", PAIR_LIMIT - 1)
        attempt(client, "olga", PASSWORD)
        client.post(reverse("logout"))
        fail(client, "olga", PAIR_LIMIT - 1)
        assert attempt(client, "olga", PASSWORD)["Location"] == DASHBOARD

    def test_an_empty_or_overlong_password_is_no_failure(self, client, olga):
        for password in ["", "x" * 5000]:
            for _ in range(PAIR_LIMIT):
                attempt(client, "olga", password)
        assert FailedLogin.objects.count() == 0
        assert attempt(client, "olga", PASSWORD)["Location"] == DASHBOARD


class TestPerAddress:
    def test_20_failures_from_one_address_lock_it_out_for_every_username(self, client, olga):
        for index in range(ADDRESS_LIMIT):
            fail(client, f"someone{index}", 1)
        response = attempt(client, "olga", PASSWORD)
        assert response.status_code == 429
        assert error(response) == THROTTLED
        assert attempt(client, "olga", PASSWORD, address="192.0.2.1")["Location"] == DASHBOARD

    def test_logging_in_to_ones_own_account_does_not_reset_the_address(self, client, olga):
        for index in range(ADDRESS_LIMIT - 2):
            fail(client, f"someone{index}", 1)
        fail(client, "olga", 1)
        assert attempt(client, "olga", PASSWORD)["Location"] == DASHBOARD
        client.post(reverse("logout"))
        fail(client, "someone-else", 1)  # the 20th failure from this address
        assert attempt(client, "olga", PASSWORD).status_code == 429

    def test_old_failures_are_deleted_as_new_ones_come(self, client, olga):
        fail(client, "olga", 3)
        age_failures(16)
        fail(client, "olga", 1)
        assert FailedLogin.objects.count() == 1


class TestClientAddress:
    @pytest.fixture
    def request_from(self):
        def make(remote: str, forwarded: str | None = None):
            extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
            return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)

        return make

    def test_without_proxies_it_is_the_peer(self, request_from, settings):
        settings.NUM_PROXIES = 0
        assert client_address(request_from("203.0.113.7", "192.0.2.1")) == "203.0.113.7"

    def test_behind_one_proxy_it_is_what_the_proxy_appended(self, request_from, settings):
        settings.NUM_PROXIES = 1
        assert client_address(request_from("127.0.0.1", "192.0.2.1")) == "192.0.2.1"
        # Whatever the client sent itself comes first and is ignored.
        assert client_address(request_from("127.0.0.1", "10.9.9.9, 192.0.2.1")) == "192.0.2.1"
        assert client_address(request_from("127.0.0.1")) == "127.0.0.1"

    def test_behind_two_proxies_it_is_the_second_entry_from_the_right(self, request_from, settings):
        settings.NUM_PROXIES = 2
        assert client_address(request_from("127.0.0.1", "10.9.9.9, 192.0.2.1, 10.0.0.2")) == "192.0.2.1"

    def test_an_ipv6_client_counts_as_its_64(self, request_from, settings):
        settings.NUM_PROXIES = 0
        assert client_address(request_from("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
        assert client_address(request_from("::ffff:192.0.2.1")) == "192.0.2.1"

    def test_nonsense_is_no_address(self, request_from, settings):
        settings.NUM_PROXIES = 1
        assert client_address(request_from("127.0.0.1", "<script>")) is None

    def test_failures_are_counted_per_forwarded_address(self, client, olga, settings):
        settings.NUM_PROXIES = 1
        for index in range(ADDRESS_LIMIT):
            client.post(
                LOGIN,
                {"username": f"someone{index}", "password": "wrong"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{index}, 192.0.2.1",  # the client's own say varies
            )
        response = client.post(
            LOGIN, {"username": "olga", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1"
        )
        assert response.status_code == 429
        other = client.post(
            LOGIN, {"username": "olga", "password": PASSWORD}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2"
        )
        assert other["Location"] == DASHBOARD


class TestAdminLogin:
    URL = reverse("admin:login")

    def test_the_admin_log_in_is_throttled_too(self, client, db):
        make_user("sara", is_staff=True, is_superuser=True)
        for _ in range(PAIR_LIMIT):
            client.post(self.URL, {"username": "sara", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
        response = client.post(self.URL, {"username": "sara", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
        assert THROTTLED in response.content.decode()
        assert not is_logged_in(client)

    def test_failures_there_count_for_the_site_too(self, client, olga):
        for _ in range(PAIR_LIMIT):
            client.post(self.URL, {"username": "olga", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
        assert attempt(client, "olga", PASSWORD).status_code == 429


class TestConcurrentAttempts:
    def test_attempts_still_being_checked_count_already(self, client, olga):
        """A burst of parallel guesses: each attempt is counted before its password is
        checked, so the sixth sees the five before it even if none has finished."""
        in_flight = [FailedLogin.start(username="olga", address="198.51.100.1") for _ in range(PAIR_LIMIT)]
        assert [wait for _, wait in in_flight] == [0] * PAIR_LIMIT
        _, wait = FailedLogin.start(username="olga", address="198.51.100.1")
        assert wait == 15 * 60
        assert attempt(client, "olga", PASSWORD, address="198.51.100.1").status_code == 429

    def test_a_successful_attempt_stops_counting(self, client, olga):
        first, _ = FailedLogin.start(username="olga", address="198.51.100.1")
        first.succeeded()
        assert FailedLogin.objects.count() == 0
