from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = _("Customer segments")

    def ready(self) -> None:
        from canvas_app.signals import canvas_duplicated, decorate_notes

        from . import board, services

        decorate_notes.connect(board.decorate_notes, dispatch_uid="segments.board")
        canvas_duplicated.connect(services.on_canvas_duplicated, dispatch_uid="segments.duplicate")
