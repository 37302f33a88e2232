"""PDFs are made by the task worker, off the request path: asking queues one render (or
finds the file made already), the page follows it, and the file is kept per state of the
canvas. Renders are bounded in time and memory, and asking is rate-limited."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from canvas_app.models import Block, Export
from tests.conftest import make_canvas, make_notes, make_share_link
from tests.markup import HTMX, element, find_all
from tests.canvas_app.test_canvas_pdf import pdftotext
from tests.tasks import fetch_pdf, queued, run_tasks, worker_command


def pdf_url(canvas) -> str:
    return reverse("canvas_app:canvas_pdf", args=[canvas.pk])


@pytest.fixture
def asking(client, viewer):
    client.force_login(viewer)  # printing needs no more than reading
    return client


class TestAsking:
    def test_a_post_queues_one_render_and_answers_at_once(self, asking, canvas, note):
        response = asking.post(pdf_url(canvas), {"size": "a4"})
        export = Export.objects.get()
        assert response.status_code == 303
        assert response["Location"] == reverse("canvas_app:export", args=[canvas.pk, export.pk])
        assert (export.status, export.size, export.revision) == ("queued", "a4", canvas.revision)
        assert queued() == ["canvas_app.tasks.render_canvas"]
        assert export.content is None  # nothing was rendered in the request

    def test_the_page_waits_then_hands_over_the_file(self, asking, canvas, note):
        status_url = asking.post(pdf_url(canvas), {"size": "a3"})["Location"]
        waiting = asking.get(status_url)
        assert b'<meta http-equiv="refresh" content="2">' in waiting.content  # without JavaScript
        assert "about to be made" in element(waiting.content, f"export-{Export.objects.get().pk}").text

        run_tasks()
        ready = asking.get(status_url)
        assert b"http-equiv" not in ready.content
        export = Export.objects.get()
        link = element(ready.content, f"export-{export.pk}").find_all("a")[0]
        assert link.attrs["href"] == reverse("canvas_app:export_file", args=[canvas.pk, export.pk])
        download = asking.get(link.attrs["href"])
        assert download["Content-Type"] == "application/pdf"
        assert download.content.startswith(b"%PDF")
        assert download["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"

    def test_with_htmx_the_progress_polls_in_place_and_the_file_is_fetched_when_ready(self, asking, canvas):
        response = asking.post(pdf_url(canvas), {"size": "a3"}, **HTMX)
        export = Export.objects.get()
        region = element(response.content, f"export-{export.pk}")
        status_url = reverse("canvas_app:export", args=[canvas.pk, export.pk])
        assert (region.attrs["hx-get"], region.attrs["hx-trigger"]) == (status_url, "every 1s")
        assert find_all(response.content, "progress")

        run_tasks()
        response = asking.get(status_url, **HTMX)
        region = element(response.content, f"export-{export.pk}")
        assert "hx-get" not in region.attrs  # no more polling
        file_url = reverse("canvas_app:export_file", args=[canvas.pk, export.pk])
        assert json.loads(response["HX-Trigger-After-Settle"]) == {
            "lienzo:download": {"url": file_url, "target": "body"}
        }

    def test_the_queue_position_is_shown(self, asking, owner, canvas):
        other = make_canvas(owner, "Otro")
        asking.force_login(owner)
        asking.post(pdf_url(other))
        response = asking.post(pdf_url(canvas), **HTMX)
        assert "1 PDF is being made before it" in response.content.decode()


class TestTheCache:
    def test_asking_again_for_an_unchanged_canvas_reuses_the_file(self, asking, canvas, note):
        first = asking.post(pdf_url(canvas), {"size": "a4"})
        second = asking.post(pdf_url(canvas), {"size": "a4"})  # before it is made: the same render
        assert first["Location"] == second["Location"]
        run_tasks()
        third = asking.post(pdf_url(canvas), {"size": "a4"})
        assert third["Location"].endswith("/file/")
        assert Export.objects.count() == 1 and queued() == []

    def test_a_change_or_another_size_makes_a_new_one(self, asking, editor, canvas, note):
        asking.post(pdf_url(canvas), {"size": "a4"})
        asking.post(pdf_url(canvas), {"size": "letter"})
        note.edit(text="Café de especialidad", by=editor)
        asking.post(pdf_url(canvas), {"size": "a4"})
        assert sorted(Export.objects.values_list("size", "revision")) == sorted(
            [("a4", canvas.revision - 1), ("letter", canvas.revision - 1), ("a4", canvas.revision)]
        )
        assert len(queued()) == 3

    def test_a_failed_or_abandoned_render_is_not_reused(self, asking, canvas):
        asking.post(pdf_url(canvas))
        Export.objects.update(status="failed", error="timeout")
        asking.post(pdf_url(canvas))
        stuck = timezone.now() - timedelta(seconds=3 * settings.PDF_RENDER_SECONDS)
        Export.objects.filter(status="queued").update(status="rendering", started_at=stuck)
        asking.post(pdf_url(canvas))
        assert sorted(Export.objects.values_list("status", flat=True)) == ["failed", "queued", "rendering"]


class TestLimits:
    def test_a_person_may_ask_for_so_many_new_renders_in_ten_minutes(self, asking, editor, canvas, note):
        for index in range(Export.MAX_PER_USER):
            note.edit(text=f"Versión {index}", by=editor)  # a new state of the canvas each time
            assert asking.post(pdf_url(canvas)).status_code == 303
        note.edit(text="Una más", by=editor)
        before = Export.objects.count()
        response = asking.post(pdf_url(canvas), **HTMX)
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 600
        assert "You asked for many PDFs in a short time" in response.content.decode()
        assert Export.objects.count() == before

    def test_a_file_made_already_does_not_count(self, asking, canvas):
        for _ in range(Export.MAX_PER_USER + 3):
            assert asking.post(pdf_url(canvas)).status_code == 303
        assert Export.objects.count() == 1

    def test_a_share_link_has_a_limit_of_its_own(self, client, owner, editor, canvas, note):
        link = make_share_link(canvas, owner)
        url = reverse("canvas_app:share_pdf", args=[link.token])
        for index in range(Export.MAX_PER_SHARE_LINK):
            note.edit(text=f"Versión {index}", by=editor)
            assert client.post(url).status_code == 303
        note.edit(text="Una más", by=editor)
        assert client.post(url).status_code == 429
        client.force_login(owner)  # the owner's own limit is untouched
        assert client.post(pdf_url(canvas)).status_code == 303


class TestBounds:
    def test_a_render_past_its_time_is_stopped_and_the_page_says_so(self, asking, canvas, settings):
        make_notes(canvas, 40)
        settings.PDF_RENDER_SECONDS = 0.05
        status_url = asking.post(pdf_url(canvas))["Location"]
        run_tasks()
        export = Export.objects.get()
        assert (export.status, export.error, export.content) == ("failed", "timeout", None)
        assert "took too long" in element(asking.get(status_url).content, f"export-{export.pk}").text

    def test_a_render_past_its_memory_is_stopped_and_the_page_says_so(self, asking, canvas, settings, tmp_path):
        make_notes(canvas, 40)
        settings.PDF_RENDER_MEMORY_MB = 64  # less than the renderer itself takes
        status_url = asking.post(pdf_url(canvas))["Location"]
        run_tasks()
        export = Export.objects.get()
        assert (export.status, export.error) == ("failed", "too_big")
        assert "more memory" in element(asking.get(status_url).content, f"export-{export.pk}").text
        # A starved render leaves nothing behind: the next one still has its fonts.
        settings.PDF_RENDER_MEMORY_MB = 1536
        note = canvas.add_note(block=Block.CHANNELS, text="Mercado del barrio")
        content = fetch_pdf(asking, pdf_url(canvas)).content
        assert note.text in pdftotext(content, tmp_path)


class TestAccess:
    def test_an_export_of_another_canvas_is_not_found(self, client, owner, canvas):
        other = make_canvas(owner, "Otro")
        client.force_login(owner)
        client.post(pdf_url(other))
        export = Export.objects.get()
        assert client.get(reverse("canvas_app:export", args=[canvas.pk, export.pk])).status_code == 404
        assert client.get(reverse("canvas_app:export_file", args=[canvas.pk, export.pk])).status_code == 404

    def test_a_file_not_ready_is_not_found(self, asking, canvas):
        asking.post(pdf_url(canvas))
        export = Export.objects.get()
        assert asking.get(reverse("canvas_app:export_file", args=[canvas.pk, export.pk])).status_code == 404

    def test_a_share_link_reaches_only_its_canvas_pdf(self, client, owner, canvas):
        from tests.segments.factories import make_segment

        link = make_share_link(canvas, owner)
        make_segment(canvas)
        client.force_login(owner)
        client.post(reverse("prioritisation:report", args=[canvas.pk]))  # a report: for members only
        report = Export.objects.get()
        client.logout()
        assert client.get(reverse("canvas_app:share_export", args=[link.token, report.pk])).status_code == 404
        other_link = make_share_link(make_canvas(owner, "Otro"), owner)
        client.post(reverse("canvas_app:share_pdf", args=[other_link.token]))
        theirs = Export.objects.get(canvas=other_link.canvas)
        assert client.get(reverse("canvas_app:share_export", args=[link.token, theirs.pk])).status_code == 404


class TestCaps:
    def test_a_full_canvas_refuses_another_note_and_says_why(self, client, editor, canvas, monkeypatch):
        from canvas_app.models import Canvas

        monkeypatch.setattr(Canvas, "MAX_NOTES", 3)
        make_notes(canvas, 3)
        client.force_login(editor)
        url = reverse("canvas_app:note_add", args=[canvas.pk, Block.CHANNELS])
        response = client.post(url, {"text": "Una más"}, **HTMX)
        assert response.status_code == 422
        assert "at most 3 notes" in element(response.content, "add-channels-error").text
        assert canvas.notes.count() == 3

    def test_a_person_adding_notes_faster_than_anyone_types_is_slowed_down(self, client, editor, canvas, monkeypatch):
        from canvas_app.models import Canvas

        monkeypatch.setattr(Canvas, "MAX_NOTES_PER_MINUTE", 3)
        client.force_login(editor)
        url = reverse("canvas_app:note_add", args=[canvas.pk, Block.CHANNELS])
        for index in range(3):
            assert client.post(url, {"text": f"Nota {index}"}).status_code == 302
        response = client.post(url, {"text": "Otra"}, **HTMX)
        assert response.status_code == 429
        assert "wait a moment" in element(response.content, "add-channels-error").text
        assert canvas.notes.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_the_pdf_in_a_process_of_its_own(client, owner):
    """The real path: `manage.py db_worker`, started as production starts it, takes the
    render from the queue in the database."""
    canvas = make_canvas(owner, "Tostadores Aurora")
    canvas.add_note(block=Block.VALUE_PROPOSITIONS, text="Café fresco")
    client.force_login(owner)
    client.post(pdf_url(canvas))
    argv, env = worker_command("--batch")
    worker = subprocess.run(argv, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr
    export = Export.objects.get()
    assert export.status == "ready", worker.stdout + worker.stderr
    assert bytes(export.content).startswith(b"%PDF")
