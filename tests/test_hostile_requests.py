"""Requests made to break things get a 4xx and change nothing: bytes no form expects, bodies
too big or in no charset, files where none is taken, and two requests racing each other."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from canvas_app.models import Block, Note
from segments.models import Criterion
from tests.conftest import PASSWORD, db_state, make_canvas, make_user

NEW_PASSWORD = "a-long-enough-passphrase-42"


def signup_data(username: str = "nuria", email: str = "nuria@example.com") -> dict:
    return {"username": username, "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


class TestBytesNoFormExpects:
    @pytest.mark.parametrize("field", ["username", "email"])
    def test_a_nul_byte_in_a_sign_up_is_a_form_error(self, client, db, field):
        data = signup_data() | {field: "nu\x00ria" if field == "username" else "nu\x00ria@example.com"}
        before = db_state()
        response = client.post(reverse("signup"), data)
        assert response.status_code == 400
        assert db_state() == before

    def test_a_nul_byte_in_the_session_cookie_is_no_session(self, client, owner):
        client.cookies[settings.SESSION_COOKIE_NAME] = "abc\x00def" + "a" * 30
        response = client.get(reverse("canvas_app:canvas_create"))
        assert response.status_code == 302  # to the log-in: no session, not a 500
        assert client.get(reverse("canvas_app:dashboard")).status_code == 200  # the landing page
        client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 31 + "'"
        assert client.get(reverse("login")).status_code == 200


class TestBodies:
    def test_a_body_in_a_charset_that_does_not_exist_is_a_400(self, client, owner):
        client.force_login(owner)
        before = db_state()
        response = client.generic(
            "POST", reverse("canvas_app:canvas_create"), b"title=Hola",
            content_type="application/x-www-form-urlencoded; charset=no-such-charset",
        )  # fmt: skip
        assert response.status_code == 400
        response = client.generic(
            "POST", reverse("login"), b"--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nolga\r\n--x--\r\n",
            content_type="multipart/form-data; boundary=x; charset=no-such-charset",
        )  # fmt: skip
        assert response.status_code == 400
        assert db_state() == before

    def test_a_file_posted_to_a_form_that_takes_none_is_refused_and_never_stored(
        self, client, owner, tmp_path, settings
    ):
        settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
        client.force_login(owner)
        before = db_state()
        upload = tmp_path / "big.bin"
        upload.write_bytes(b"x" * (3 * 1024 * 1024))  # past the memory threshold: it would go to disk
        with upload.open("rb") as handle:
            response = client.post(
                reverse("canvas_app:canvas_create"), {"title": "Hola", "language": "es", "file": handle}
            )
        assert response.status_code in (400, 413)
        assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]
        assert db_state() == before

    def test_a_small_file_part_is_refused_too(self, client, owner, tmp_path):
        client.force_login(owner)
        before = db_state()
        upload = tmp_path / "small.txt"
        upload.write_bytes(b"hola")
        with upload.open("rb") as handle:
            response = client.post(
                reverse("canvas_app:canvas_create"), {"title": "Hola", "language": "es", "file": handle}
            )
        assert response.status_code == 400
        assert db_state() == before

    def test_a_body_past_the_limit_is_refused_before_it_is_read(self, client, owner):
        client.force_login(owner)
        response = client.generic(
            "POST", reverse("canvas_app:canvas_create"), b"title=" + b"x" * (3 * 1024 * 1024),
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
        assert response.status_code == 413


def at_once(count: int, work) -> list:
    """Run `work(index)` in `count` threads released together; their results (or errors)."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
class TestRaces:
    def test_simultaneous_sign_ups_with_one_username_make_one_account_and_form_errors(self):
        statuses = at_once(
            4, lambda i: Client().post(reverse("signup"), signup_data(email=f"n{i}@example.com")).status_code
        )
        assert sorted(statuses) == [302, 400, 400, 400]
        assert get_user_model().objects.filter(username="nuria").count() == 1

    def test_six_simultaneous_criteria_of_one_name_make_one(self):
        owner = make_user("olga")
        canvas = make_canvas(owner)
        Criterion.objects.filter(canvas=canvas).delete()

        def add(index: int) -> int:
            client = Client()
            client.force_login(owner)
            url = reverse("prioritisation:criteria", args=[canvas.pk])
            return client.post(url, {"name": "Fidelidad", "weight": "2", "axis": "ability"}).status_code

        statuses = at_once(6, add)
        assert sorted(statuses) == [302, 400, 400, 400, 400, 400]
        assert Criterion.objects.filter(canvas=canvas, name="Fidelidad").count() == 1

    def test_moving_a_note_while_it_is_deleted_is_never_a_500(self):
        owner = make_user("olga")
        canvas = make_canvas(owner)
        notes = [canvas.add_note(block=Block.KEY_PARTNERS, text=f"Nota {i}") for i in range(30)]
        clients = []
        for _ in range(2):
            client = Client()
            client.force_login(owner)
            clients.append(client)

        def act(index: int) -> int:
            note = notes[index // 2]
            client = clients[index % 2]
            if index % 2:
                url = reverse("canvas_app:note_delete", args=[canvas.pk, note.pk])
                return client.post(url, headers={"HX-Request": "true"}).status_code
            url = reverse("canvas_app:note_move", args=[canvas.pk, note.pk])
            return client.post(
                url, {"block": Block.CHANNELS, "position": "1"}, headers={"HX-Request": "true"}
            ).status_code

        statuses = at_once(60, act)
        assert not [s for s in statuses if not isinstance(s, int)], statuses
        assert set(statuses) <= {200, 410}, statuses
        live = Note.objects.filter(canvas=canvas)
        for block in (Block.KEY_PARTNERS, Block.CHANNELS):
            assert sorted(live.filter(block=block).values_list("position", flat=True)) == list(
                range(1, live.filter(block=block).count() + 1)
            )


def test_the_right_password_still_logs_in(client, owner):
    assert client.post(reverse("login"), {"username": owner.username, "password": PASSWORD}).status_code == 302
