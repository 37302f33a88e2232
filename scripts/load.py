"""`make load`: several users hammer one canvas through gunicorn on 127.0.0.1 for a bounded
time (board views, note edits, moves and additions), then the data is checked: no 5xx, no
lost or duplicated note, no lost edit (every edit carries its version; a stale one must be
refused as a conflict), positions 1..n in every block.

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
HOT_NOTES = 5

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

        edits: list[tuple[int, int, str]] = []  # (note, version it produced, text) of each saved edit
        conflicts = [0]

        def user_loop(index: int, username: str, password: str) -> None:
            rng = random.Random(index)
            session = Session(username, password)
            page = session.request("GET", board)[1]
            session.csrf = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
            # A few notes everyone works on, so that edits do meet.
            hot = sorted(int(n) for n in re.findall(r'data-note-id="(\d+)"', page))[:HOT_NOTES]
            counter = 0

            def call(method: str, path: str, data: dict | None = None) -> tuple[int, str]:
                start = time.perf_counter()
                status, body = session.request(method, path, data, htmx=method == "POST" or "/edit/" in path)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1
                return status, body

            while time.monotonic() < deadline:
                roll = rng.random()
                note_ids = [int(n) for n in re.findall(r'data-note-id="(\d+)"', page)] or [0]
                if roll < 0.55:
                    status, page = call("GET", board)
                elif roll < 0.75:
                    # As in the browser: open the editor (which says the note's version), then save.
                    note = rng.choice(hot if rng.random() < 0.6 else note_ids)
                    edit_url = f"/canvases/{canvas_id}/notes/{note}/edit/"
                    status, form = call("GET", edit_url)
                    version = re.search(r'name="version" value="(\d+)"', form)
                    if status == 200 and version:
                        text = f"Edited by {username} {counter}"
                        data = {"text": text, "colour": "blue", "version": version.group(1)}
                        status, body = call("POST", edit_url, data)
                        with lock:
                            if status == 409 and 'class="conflict"' in body:
                                conflicts[0] += 1
                            elif status == 200:
                                edits.append((note, int(version.group(1)) + 1, text))
                elif roll < 0.93:
                    note = rng.choice(note_ids)
                    call("POST", f"/canvases/{canvas_id}/notes/{note}/move/",
                         {"block": rng.choice(Block.values), "position": rng.randint(1, 12)})
                else:
                    text = f"Added by {username} #{counter}"
                    status, body = call("POST", f"/canvases/{canvas_id}/blocks/channels/notes/", {"text": text})
                    if status == 200:
                        with lock:
                            added.append(int(re.search(r'id="note-(\d+)"', body).group(1)))
                counter += 1

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
    # Every edit said which version it was based on, so each saved one raised its note's
    # version by one and the last saved text is the one stored: anything else lost an edit.
    saved: dict[int, list[tuple[int, str]]] = {}
    for note_id, version, text in edits:
        saved.setdefault(note_id, []).append((version, text))
    lost_edits = []
    for note in notes:
        mine = sorted(saved.get(note.pk, []))
        versions = [version for version, _ in mine]
        if note.version != 1 + len(mine) or len(set(versions)) != len(versions):
            lost_edits.append(note.pk)
        elif mine and note.text != mine[-1][1]:
            lost_edits.append(note.pk)
    errors = sum(count for status, count in statuses.items() if status >= 500)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"Lienzo load test: {USERS} users, {took:.0f} s, gunicorn 3 workers, {ENV['DATABASE_URL'].split(':')[0]}")
    print(f"  requests:      {len(latencies)}  ({len(latencies) / took:.1f}/s)")
    print(f"  latency:       p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms")
    print(f"  statuses:      {dict(sorted(statuses.items()))}")
    print(f"  5xx:           {errors}")
    print(f"  notes added:   {len(added)}; lost: {len(lost)}; duplicated: {len(duplicated)}; total now {len(notes)} (60 + {len(added)})")
    print(f"  note edits:    {len(edits)} saved, {conflicts[0]} refused as conflicts (both texts shown); notes with a lost edit: {len(lost_edits)}")
    print(f"  positions 1..n in every block: {'yes' if not gaps else 'NO: ' + ', '.join(gaps)}")
    ok = errors == 0 and not lost_edits and not lost and not duplicated and not gaps and len(notes) == 60 + len(added)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    run()
