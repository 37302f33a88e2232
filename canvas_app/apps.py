from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvasAppConfig(AppConfig):
    name = "canvas_app"
    verbose_name = _("Canvases")
