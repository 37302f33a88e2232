"""`make bench`: server-side figures for the board, measured in-process through the full
middleware stack with Django's test client, on a throwaway database (SQLite, or the
PostgreSQL of DATABASE_URL). Prints figures; asserts nothing."""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "STATIC_MANIFEST"):
    os.environ.setdefault(name, "0")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
NOTES = 300


def measure(request, runs: int = RUNS) -> tuple[float, int]:
    """Median milliseconds over `runs` (after two warm-ups) and the queries of one run."""
    for _ in range(2):
        request()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302, 303), response.status_code
    with CaptureQueriesContext(connection) as queries:
        request()
    return statistics.median(timings), len(queries)


def measure_after_change(canvas, user, request, runs: int = RUNS) -> tuple[float, int]:
    """As measure(), each run right after a recorded change of the canvas (outside the
    timing): the board cache holds nothing for the new revision, the board is rendered."""
    from canvas_app.models import Action, recording

    def change() -> None:
        with recording(canvas, by=user, action=Action.EDIT, target=canvas):
            pass

    timings = []
    for run in range(runs + 2):
        change()
        start = time.perf_counter()
        response = request()
        if run >= 2:
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    change()
    with CaptureQueriesContext(connection) as queries:
        request()
    return statistics.median(timings), len(queries)


def measure_catch_up(canvas, note, client, runs: int = RUNS) -> tuple[float, int, int]:
    """The live board's poll right after a teammate edited one note (outside the timing):
    median ms, queries, and the bytes sent."""
    from canvas_app.models import Note

    url = f"/canvases/{canvas.pk}/changes/"
    timings, size = [], 0
    for run in range(runs + 3):
        canvas.refresh_from_db(fields=["revision"])
        version = canvas.revision
        Note.objects.get(pk=note.pk).edit(text=f"Edited by a teammate {run}")
        if run == runs + 2:
            break
        start = time.perf_counter()
        response = client.get(url, {"version": version}, headers={"HX-Request": "true"})
        if run >= 2:
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response["HX-Reswap"] == "none", response.status_code
        size = len(response.content)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"version": version}, headers={"HX-Request": "true"})
    return statistics.median(timings), len(queries), size


def pdf_export_figures(client, canvas, runs: int) -> dict[str, float]:
    """What printing costs now that the worker renders: asking for a PDF and following its
    progress (the request path), and the render in its bounded child process against
    WeasyPrint alone in this process on the same HTML, measured alternately so that drift
    (memory, caches) weighs on both alike."""
    from django.contrib.staticfiles import finders
    from django.utils import timezone

    from canvas_app import pdf, render
    from canvas_app.models import Export

    url = f"/canvases/{canvas.pk}/pdf/"
    ask_ms, ask_queries = measure(lambda: client.post(url, {"size": "a3"}))  # the same export each time
    status_url = client.post(url, {"size": "a3"})["Location"]
    status_ms, status_queries = measure(lambda: client.get(status_url, headers={"HX-Request": "true"}))
    Export.objects.all().delete()

    html = pdf.canvas_html(canvas, page=pdf.PAGE_SIZES[pdf.DEFAULT_PAGE_SIZE], exported_at=timezone.now())
    sheets = [pdf.static_path(path) for path in pdf.STYLESHEETS]
    base = str(finders.find("css"))
    pdf.render_pdf(html, stylesheets=pdf.STYLESHEETS)  # starts the fork server, warms the fonts
    render.html_to_pdf(html, stylesheets=sheets, base_url=base)
    bounded, alone = [], []
    for _ in range(runs):
        gc.collect()  # each side starts from a collected heap: WeasyPrint leaves much garbage
        start = time.perf_counter()
        pdf.render_pdf(html, stylesheets=pdf.STYLESHEETS)
        bounded.append((time.perf_counter() - start) * 1000)
        gc.collect()
        start = time.perf_counter()
        render.html_to_pdf(html, stylesheets=sheets, base_url=base)
        alone.append((time.perf_counter() - start) * 1000)
    return {
        "ask_ms": ask_ms, "ask_queries": ask_queries, "status_ms": status_ms, "status_queries": status_queries,
        "bounded_ms": statistics.median(bounded), "alone_ms": statistics.median(alone),
    }  # fmt: skip


def seed_prioritisation(owner) -> tuple[str, str]:
    """A canvas with 20 segments, the 6 default criteria and 8 reviewers who scored everything."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from canvas_app.models import Canvas, Membership, Role
    from segments.models import PrioritySettings, Score, Segment
    from tests.conftest import make_notes

    canvas = Canvas.create_for(owner, title="Prioritisation benchmark", language="en")
    notes = make_notes(canvas, 20, block="customer_segments")
    Segment.ensure_for_notes(notes)
    PrioritySettings.for_canvas(canvas)
    segments = list(Segment.objects.of_canvas(canvas))
    criteria = list(canvas.criteria.all())
    reviewers = [owner]
    for index in range(7):
        reviewer = get_user_model().objects.create_user(f"reviewer{index}", f"r{index}@example.com", "x-password-1")
        Membership.objects.create(canvas=canvas, user=reviewer, role=Role.EDITOR)
        reviewers.append(reviewer)
    Score.objects.bulk_create(
        Score(segment=s, criterion=c, reviewer=r, value=1 + (s.pk + c.pk + r.pk) % 5)
        for s in segments
        for c in criteria
        for r in reviewers
    )
    setup = f"{len(segments)} segments, {len(criteria)} criteria, {len(reviewers)} reviewers"
    return reverse("prioritisation:ranking", args=[canvas.pk]), setup


def main() -> None:
    from django.contrib.auth import get_user_model

    from canvas_app.models import Canvas
    from tests.conftest import make_notes

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-password-1")
        canvas = Canvas.create_for(user, title="Benchmark canvas", language="en")
        notes = make_notes(canvas, NOTES)
        client = Client()
        client.force_login(user)

        board_url = f"/canvases/{canvas.pk}/"
        board_ms, board_queries = measure(lambda: client.get(board_url))
        cold_ms, cold_queries = measure_after_change(canvas, user, lambda: client.get(board_url))
        trivial_ms, trivial_queries = measure(lambda: client.get("/accounts/login/"))
        catch_up_ms, catch_up_queries, catch_up_bytes = measure_catch_up(canvas, notes[1], client)
        note = notes[0]
        edit_url = f"/canvases/{canvas.pk}/notes/{note.pk}/edit/"
        counter = iter(range(10**6))
        edit_ms, edit_queries = measure(
            lambda: client.post(edit_url, {"text": f"Edited {next(counter)}", "colour": "blue"}, headers={"HX-Request": "true"})
        )
        size_kb = len(client.get(board_url).content) / 1024
        pdf_runs = int(os.environ.get("BENCH_PDF_RUNS", "5"))
        printing = pdf_export_figures(client, canvas, pdf_runs)
        ranking_url, ranking_setup = seed_prioritisation(user)
        ranking_ms, ranking_queries = measure(lambda: client.get(ranking_url))

        vendor = connection.vendor
        print(f"Lienzo benchmark ({vendor}, {NOTES} notes, median of {RUNS} runs)")
        print(f"  board page:        {board_ms:8.1f} ms  {board_queries:3d} queries  {size_kb:6.0f} KiB")
        print(f"  board, changed:    {cold_ms:8.1f} ms  {cold_queries:3d} queries  (first view after a change: the notes rendered)")
        print(f"  trivial page:      {trivial_ms:8.1f} ms  {trivial_queries:3d} queries  (login form)")
        print(f"  board / trivial:   {board_ms / trivial_ms:8.1f} x")
        print(f"  changed / trivial: {cold_ms / trivial_ms:8.1f} x")
        print(f"  live catch-up:     {catch_up_ms:8.1f} ms  {catch_up_queries:3d} queries  {catch_up_bytes / 1024:6.1f} KiB  (one note edited by a teammate)")
        print(f"  catch-up / trivial:{catch_up_ms / trivial_ms:8.1f} x  (target: at most 2 x)")
        print(f"  note edit (htmx):  {edit_ms:8.1f} ms  {edit_queries:3d} queries")
        print(f"  ask for a PDF:     {printing['ask_ms']:8.1f} ms  {printing['ask_queries']:3d} queries  (the request; the worker renders)")
        print(f"  PDF progress poll: {printing['status_ms']:8.1f} ms  {printing['status_queries']:3d} queries")
        print(f"  render, bounded:   {printing['bounded_ms']:8.1f} ms  (child process; median of {pdf_runs})")
        print(f"  WeasyPrint alone:  {printing['alone_ms']:8.1f} ms  same HTML, in process")
        print(f"  bounded / alone:   {printing['bounded_ms'] / printing['alone_ms']:8.2f} x")
        print(f"  prioritisation:    {ranking_ms:8.1f} ms  {ranking_queries:3d} queries  ({ranking_setup})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
