from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = _("Customer segments")

    def ready(self) -> None:
        from canvas_app.signals import (
            canvas_created,
            canvas_duplicated,
            canvas_imported,
            decorate_notes,
            describe_canvas,
            describe_members,
            notes_placed,
            role_changed,
        )

        from . import board, export, services
        from .prioritisation import members

        decorate_notes.connect(board.decorate_notes, dispatch_uid="segments.board")
        canvas_created.connect(services.on_canvas_created, dispatch_uid="segments.created")
        canvas_duplicated.connect(services.on_canvas_duplicated, dispatch_uid="segments.duplicate")
        notes_placed.connect(services.on_notes_placed, dispatch_uid="segments.notes_placed")
        describe_members.connect(members.describe_members, dispatch_uid="segments.describe_members")
        role_changed.connect(members.role_changed, dispatch_uid="segments.role_changed")
        describe_canvas.connect(export.describe_canvas, dispatch_uid="segments.describe_canvas")
        canvas_imported.connect(export.canvas_imported, dispatch_uid="segments.canvas_imported")
