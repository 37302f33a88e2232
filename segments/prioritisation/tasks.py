"""The segment report, made by the task worker."""

from __future__ import annotations

from django.tasks import task

from canvas_app.exports import run_export
from canvas_app.models import Export, Role
from canvas_app.tasks import PDF_QUEUE

from ..models import PrioritySettings
from .ranking import team_ranking
from .report import report_filename, segment_report


@task(queue_name=PDF_QUEUE)
def render_segment_report(export_id: str) -> None:
    def make(export: Export) -> tuple[bytes, str]:
        canvas = export.canvas
        canvas.user_role = Role.VIEWER
        ranking = team_ranking(canvas, PrioritySettings.for_canvas(canvas))
        return segment_report(ranking, size=export.size, today=export.day), report_filename(canvas, export.day)

    run_export(export_id, make)
