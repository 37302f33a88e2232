"""`make pressure`: does printing slow down everyone else? Five people ask at once for the PDF
of a canvas at the size limit (2,000 notes each) while visitors keep loading the log-in
page; prints the log-in page's latency (p50, p99, max) and how long each PDF took.

Runs gunicorn (3 workers) on a scratch PostgreSQL database, plus one task worker when the
app renders PDFs in the background. `--app DIR` points at another checkout of Lienzo (an
older one renders in the request: `--sync`), so two versions are measured the same way.
Needs the local PostgreSQL (trust auth, user postgres)."""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "lienzo_pressure"
PASSWORD = "presion-de-prueba-42"

SETUP = """
from django.contrib.auth import get_user_model
from canvas_app.models import Canvas, Note
blocks = ["key_partners", "key_activities", "key_resources", "value_propositions",
          "customer_relationships", "channels", "cost_structure", "revenue_streams"]
for index in range({people}):
    user = get_user_model().objects.create_user(f"persona{{index}}", f"p{{index}}@example.com", "{password}")
    canvas = Canvas.create_for(user, title=f"Lienzo {{index}}", language="es")
    Note.objects.bulk_create(
        Note(canvas=canvas, block=blocks[n % 8], text=f"Nota {{n}} de una idea con algo de texto, como las de verdad",
             colour="yellow", position=n // 8 + 1)
        for n in range({notes})
    )
    print("CANVAS", canvas.pk)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A visitor with cookies, following no redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def log_in(self, username: str) -> None:
        self.request("/accounts/login/")
        status, _, _ = self.request(
            "/accounts/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()}
        )
        assert status == 302, f"log-in answered {status}"


def fetch_pdf(browser: Browser, canvas: int, sync: bool) -> tuple[float, int]:
    """Seconds until the PDF is in hand, and its size in bytes."""
    start = time.perf_counter()
    if sync:
        status, _, body = browser.request(f"/canvases/{canvas}/pdf/?size=a3")
        assert status == 200, f"the PDF answered {status}"
        return time.perf_counter() - start, len(body)
    data = {"size": "a3", "csrfmiddlewaretoken": browser.csrf()}
    status, headers, _ = browser.request(f"/canvases/{canvas}/pdf/", data)
    assert status == 303, f"asking for the PDF answered {status}"
    status_url = urllib.parse.urlsplit(headers["Location"]).path
    while True:  # as the page does without JavaScript, a little more often
        status, _, page = browser.request(status_url)
        if b"download>" in page or b"/file/" in page:
            break
        assert b"export-status--failed" not in page, "the render failed"
        time.sleep(1)  # as often as the page asks
    file_url = re.search(rb'href="([^"]+/file/)"', page).group(1).decode()
    status, _, body = browser.request(file_url)
    assert status == 200 and body.startswith(b"%PDF"), f"the file answered {status}"
    return time.perf_counter() - start, len(body)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", type=Path, default=ROOT, help="the Lienzo checkout to run (default: this one)")
    parser.add_argument("--sync", action="store_true", help="the app renders PDFs in the request (older versions)")
    parser.add_argument("--people", type=int, default=5)
    parser.add_argument("--notes", type=int, default=2000)
    args = parser.parse_args()

    python = sys.executable
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "SECRET_KEY": "pressure-test-only",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LANGUAGE_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "CONN_MAX_AGE": "60",
    }
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=args.app, env=env, check=True)
    setup = SETUP.format(people=args.people, notes=args.notes, password=PASSWORD)
    out = subprocess.run(
        [*manage, "shell", "-c", setup], cwd=args.app, env=env, check=True, capture_output=True, text=True
    ).stdout
    canvases = [int(line.split()[1]) for line in out.splitlines() if line.startswith("CANVAS")]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    servers = [
        subprocess.Popen(
            [python, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--timeout", "30"],
            cwd=args.app, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
    ]  # fmt: skip
    if not args.sync:
        worker = [*manage, "db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
        servers.append(subprocess.Popen(worker, cwd=args.app, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True))  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        people = []
        for index in range(args.people):
            browser = Browser(base)
            browser.log_in(f"persona{index}")
            people.append(browser)
        visitor = Browser(base)
        for _ in range(20):  # warm: connections, templates
            visitor.request("/accounts/login/")

        results: list[tuple[float, int] | BaseException] = [None] * args.people  # type: ignore[list-item]
        done = threading.Event()

        def print_one(index: int) -> None:
            try:
                results[index] = fetch_pdf(people[index], canvases[index], args.sync)
            except BaseException as error:  # noqa: BLE001 - reported below
                results[index] = error

        threads = [threading.Thread(target=print_one, args=(index,)) for index in range(args.people)]
        latencies: list[float] = []

        def visit() -> None:
            # Timed by curl itself, so that this script's own threads do not weigh on the figure.
            out = subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", base + "/accounts/login/"],
                capture_output=True, text=True, check=False,
            ).stdout.split()  # fmt: skip
            if out and out[0] == "200":
                latencies.append(float(out[1]))

        def keep_visiting() -> None:
            # Open loop: a visitor arrives every 100 ms whether or not the last one was served,
            # as real visitors do, so time spent waiting for a free web worker shows.
            visits = []
            while not done.is_set():
                visits.append(threading.Thread(target=visit))
                visits[-1].start()
                time.sleep(0.1)
            for thread in visits:
                thread.join()

        # First with nothing else going on, for comparison.
        prober = threading.Thread(target=keep_visiting)
        prober.start()
        time.sleep(10)
        done.set()
        prober.join()
        idle = latencies[:]
        latencies.clear()
        done.clear()
        prober = threading.Thread(target=keep_visiting)
        prober.start()
        time.sleep(1)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        done.set()
        prober.join()
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(20)
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], check=False)

    mode = "rendered in the request" if args.sync else "rendered by the task worker (1 worker)"
    print(f"{args.people} PDFs of {args.notes}-note canvases asked for at once, {mode}; gunicorn 3 workers")
    for label, values in (("idle", idle), ("while printing", latencies)):
        print(f"log-in page {label}, {len(values)} loads (one every 100 ms): p50 {percentile(values, .5) * 1000:.0f} ms, "
              f"p99 {percentile(values, .99) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms")  # fmt: skip
    print(f"p99 while printing / p99 idle: {percentile(latencies, 0.99) / percentile(idle, 0.99):.1f}x")
    for index, result in enumerate(results):
        if isinstance(result, BaseException):
            print(f"  PDF {index + 1}: failed: {result}")
        else:
            print(f"  PDF {index + 1}: {result[0]:.1f} s, {result[1] / 1024:.0f} KiB")
    print(
        f"all {args.people} PDFs done after {elapsed:.1f} s; median PDF {statistics.median(r[0] for r in results if not isinstance(r, BaseException)):.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
