from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = _("Customer segments")

    def ready(self) -> None:
        from canvas_app.signals import canvas_created, canvas_duplicated, decorate_notes, notes_placed

        from . import board, services

        decorate_notes.connect(board.decorate_notes, dispatch_uid="segments.board")
        canvas_created.connect(services.on_canvas_created, dispatch_uid="segments.created")
        canvas_duplicated.connect(services.on_canvas_duplicated, dispatch_uid="segments.duplicate")
        notes_placed.connect(services.on_notes_placed, dispatch_uid="segments.notes_placed")
