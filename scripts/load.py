"""`make load`: several users hammer one canvas through gunicorn on 127.0.0.1 for a bounded
time (board views, note edits, moves and additions), then the data is checked: no 5xx, no
lost or duplicated note, positions 1..n in every block.

Uses DATABASE_URL when set (PostgreSQL recommended), else a throwaway SQLite file. Only
talks to 127.0.0.1. LOAD_SECONDS (default 60) and LOAD_USERS (default 8) tune it."""

from __future__ import annotations

import http.cookiejar
import os
import warnings
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("LOAD_PORT", "8765"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "8"))
HOST = f"http://127.0.0.1:{PORT}"

ENV = dict(os.environ)
ENV.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/lienzo-load.sqlite3")
ENV.update(
    SECRET_KEY="load-test-only-" + "x" * 40,
    DEBUG="0",
    SECURE_SSL_REDIRECT="0",
    SESSION_COOKIE_SECURE="0",
    CSRF_COOKIE_SECURE="0",
    STATIC_MANIFEST="0",
    WHITENOISE_USE_FINDERS="1",
    ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SETTINGS_MODULE="config.settings",
    PYTHONWARNINGS="ignore::UserWarning",  # WhiteNoise: no collectstatic for this run
)
os.environ.update(ENV)
sys.path.insert(0, str(BASE))
warnings.filterwarnings("ignore", message="No directory at")


def setup_data() -> tuple[int, list[tuple[str, str]]]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from canvas_app.models import Canvas, Membership, Note, Role
    from tests.conftest import make_notes

    if ENV["DATABASE_URL"].startswith("sqlite"):
        Path(ENV["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    User = get_user_model()
    User.objects.filter(username__startswith="load-").delete()
    Canvas.objects.filter(title="Load test").delete()
    users = []
    for index in range(USERS):
        name = f"load-{index}"
        User.objects.create_user(name, f"{name}@example.com", "load-password-1")
        users.append((name, "load-password-1"))
    owner = User.objects.get(username="load-0")
    canvas = Canvas.create_for(owner, title="Load test", language="en")
    for name, _ in users[1:]:
        Membership.objects.create(canvas=canvas, user=User.objects.get(username=name), role=Role.EDITOR)
    make_notes(canvas, 60)
    assert Note.objects.filter(canvas=canvas).count() == 60
    return canvas.pk, users


class Session:
    def __init__(self, username: str, password: str) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""
        page = self.request("GET", "/accounts/login/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token})
        assert status in (200, 302), status

    def request(self, method: str, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(HOST + path, data=body, method=method)
        request.add_header("Referer", HOST + "/")
        if htmx:
            request.add_header("HX-Request", "true")
        if self.csrf:
            request.add_header("X-CSRFToken", self.csrf)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def run() -> None:
    canvas_id, users = setup_data()
    from canvas_app.models import Block, Note

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "3", "--log-level", "warning"],
        cwd=BASE,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(HOST + "/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        added: list[int] = []  # ids of the notes the server said it created
        lock = threading.Lock()
        deadline = time.monotonic() + SECONDS
        board = f"/canvases/{canvas_id}/"

        def user_loop(index: int, username: str, password: str) -> None:
            rng = random.Random(index)
            session = Session(username, password)
            page = session.request("GET", board)[1]
            session.csrf = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
            counter = 0
            while time.monotonic() < deadline:
                roll = rng.random()
                note_ids = [int(n) for n in re.findall(r'data-note-id="(\d+)"', page)] or [0]
                start = time.perf_counter()
                if roll < 0.55:
                    status, page = session.request("GET", board)
                elif roll < 0.75:
                    note = rng.choice(note_ids)
                    status, _ = session.request(
                        "POST", f"/canvases/{canvas_id}/notes/{note}/edit/",
                        {"text": f"Edited by {username} {counter}", "colour": "blue"}, htmx=True,
                    )
                elif roll < 0.93:
                    note = rng.choice(note_ids)
                    status, _ = session.request(
                        "POST", f"/canvases/{canvas_id}/notes/{note}/move/",
                        {"block": rng.choice(Block.values), "position": rng.randint(1, 12)}, htmx=True,
                    )
                else:
                    text = f"Added by {username} #{counter}"
                    status, body = session.request("POST", f"/canvases/{canvas_id}/blocks/channels/notes/", {"text": text}, htmx=True)
                    if status == 200:
                        with lock:
                            added.append(int(re.search(r'id="note-(\d+)"', body).group(1)))
                elapsed = (time.perf_counter() - start) * 1000
                counter += 1
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

        threads = [threading.Thread(target=user_loop, args=(i, *u)) for i, u in enumerate(users)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - began
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    notes = list(Note.objects.filter(canvas_id=canvas_id))
    ids = {n.pk for n in notes}
    lost = [pk for pk in added if pk not in ids]
    texts = [n.text for n in notes if n.text.startswith("Added by")]
    duplicated = sorted({t for t in texts if texts.count(t) > 1})
    gaps = []
    for block in Block.values:
        positions = sorted(n.position for n in notes if n.block == block)
        if positions != list(range(1, len(positions) + 1)):
            gaps.append(block)
    errors = sum(count for status, count in statuses.items() if status >= 500)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"Lienzo load test: {USERS} users, {took:.0f} s, gunicorn 3 workers, {ENV['DATABASE_URL'].split(':')[0]}")
    print(f"  requests:      {len(latencies)}  ({len(latencies) / took:.1f}/s)")
    print(f"  latency:       p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms")
    print(f"  statuses:      {dict(sorted(statuses.items()))}")
    print(f"  5xx:           {errors}")
    print(f"  notes added:   {len(added)}; lost: {len(lost)}; duplicated: {len(duplicated)}; total now {len(notes)} (60 + {len(added)})")
    print(f"  positions 1..n in every block: {'yes' if not gaps else 'NO: ' + ', '.join(gaps)}")
    ok = errors == 0 and not lost and not duplicated and not gaps and len(notes) == 60 + len(added)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    run()
