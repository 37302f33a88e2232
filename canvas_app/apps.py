from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvasAppConfig(AppConfig):
    name = "canvas_app"
    verbose_name = _("Canvases")

    def ready(self) -> None:
        from . import snapshots
        from .signals import canvas_day_started

        canvas_day_started.connect(snapshots.take_daily, dispatch_uid="canvas_app.snapshots.daily")
