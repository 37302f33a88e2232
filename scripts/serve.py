"""`make run`: the development web server and a task worker, started together and stopped
together (Ctrl+C stops both). Both reload when the code changes.

In production run them apart, as many of each as needed (README, "Workers")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    manage = [sys.executable, "manage.py"]
    # Each in a process group of its own, so that stopping one stops its reloader's child too.
    worker = subprocess.Popen([*manage, "db_worker", "--queue-name", "*"], start_new_session=True)
    web = subprocess.Popen([*manage, "runserver", address], start_new_session=True)
    processes = [web, worker]
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    return max((process.returncode or 0) for process in processes)


if __name__ == "__main__":
    sys.exit(main())
