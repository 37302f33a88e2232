"""`make outage`: the database goes away under a running app and comes back.

Starts gunicorn against the local PostgreSQL (DATABASE_URL, default the `lienzo_load`
database), opens a board, stops PostgreSQL, checks the app answers with its clean 503 page,
starts PostgreSQL again and checks the board is back, without restarting the app. Needs
root (pg_ctlcluster); never run inside the unit suite: it stops the shared server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lienzo_load")
os.environ.setdefault("LOAD_USERS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (shares its environment, data set-up and HTTP session)

CLUSTER = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"


def postgres(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action, *(["-m", "fast"] if action == "stop" else [])], check=True)
    if action == "start":
        for _ in range(60):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
                return
            time.sleep(0.5)
        raise SystemExit("PostgreSQL did not come back")


def main() -> None:
    canvas_id, users = load.setup_data()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{load.PORT}", "--workers", "2", "--log-level", "warning"],
        cwd=load.BASE,
        env=load.ENV,
    )
    results = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(load.HOST + "/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        session = load.Session(*users[0])
        board = f"/canvases/{canvas_id}/"
        status, _ = session.request("GET", board)
        results.append(("board before the outage", status, status == 200))
        postgres("stop")
        try:
            status, body = session.request("GET", board)
            clean = status == 503 and "briefly unavailable" in body and "Traceback" not in body
            results.append(("board while PostgreSQL is down", status, clean))
        finally:
            postgres("start")
        status, _ = session.request("GET", board)
        if status != 200:  # a worker may hold a connection that died: the next request heals it
            status, _ = session.request("GET", board)
        results.append(("board after PostgreSQL is back", status, status == 200))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for label, status, ok in results:
        print(f"  {label:34s} HTTP {status}  {'ok' if ok else 'FAILED'}")
    sys.exit(0 if all(ok for *_, ok in results) else 1)


if __name__ == "__main__":
    main()
