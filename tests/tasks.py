"""The task queue in tests: run what requests queued, as the database worker does, in this
process; and ask for a PDF the way the page does."""

from __future__ import annotations

from django.http import HttpResponse
from django.tasks.signals import task_enqueued
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.tasks import EMAIL_QUEUE

_worker = Worker(
    queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
    max_tasks=None, worker_id="tests", excluded_queue_names=[],
)  # fmt: skip


def queued() -> list[str]:
    """The module paths of the tasks waiting, oldest first."""
    return list(DBTaskResult.objects.ready().order_by("enqueued_at").values_list("task_path", flat=True))


def run_tasks(queue: str | None = None) -> int:
    """Run every waiting task (of `queue`, or of all), and those they queue, with the worker's
    own code; a task that fails fails the test, with its traceback. Returns how many ran."""
    ran = 0
    waiting = DBTaskResult.objects.ready().order_by("enqueued_at")
    if queue is not None:
        waiting = waiting.filter(queue_name=queue)
    while (result := waiting.first()) is not None:
        result.claim("tests")
        _worker.run_task(result)
        result.refresh_from_db()
        assert result.status == "SUCCESSFUL", f"{result.task_path} failed:\n{result.traceback}"
        ran += 1
    return ran


class MailWorkerClient(Client):
    """The test client, with a mail worker that is always running: the emails a request
    queued are sent as soon as it returns (tests of the queue itself use a plain Client)."""

    def request(self, **request):
        mail: list[str] = []

        def note(sender, task_result, **kwargs) -> None:
            if task_result.task.queue_name == EMAIL_QUEUE:
                mail.append(task_result.id)

        task_enqueued.connect(note, weak=False)
        try:
            response = super().request(**request)
        finally:
            task_enqueued.disconnect(note)
        if mail:  # no query at all otherwise: pages' query counts stay their own
            run_tasks(EMAIL_QUEUE)
        return response


def fetch_pdf(client, url: str, size: str | None = None, **extra) -> HttpResponse:
    """Ask for a PDF as the page's form does (a post), let the worker make it, and download it."""
    data = {"size": size} if size is not None else {}
    asked = client.post(url, data, **extra)
    assert asked.status_code == 303, f"asking for the PDF answered {asked.status_code}"
    run_tasks()
    again = client.post(url, data, **extra)  # the same PDF, made by now
    assert again.status_code == 303 and again["Location"].endswith("/file/"), again.get("Location")
    response = client.get(again["Location"], **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def database_url() -> str:
    """The URL of the test database this process uses, for a worker process to use it too."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_command(*options: str) -> tuple[list[str], dict]:
    """`manage.py db_worker` as production runs it, on the test database: (argv, env)."""
    import os
    import sys

    from django.conf import settings

    env = {
        **os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": "insecure-test-only-key", "DEBUG": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files the test's uploads went to
    }  # fmt: skip
    argv = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        *options,
    ]
    return argv, env
