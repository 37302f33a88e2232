from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customer data")

    def ready(self) -> None:
        from segments.signals import segment_panels

        from .promotion import segment_panel

        segment_panels.connect(segment_panel, dispatch_uid="customers.segment_panel")
