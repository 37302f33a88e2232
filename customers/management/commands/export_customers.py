"""Write a canvas' customers, with their RFM scores, group and forecasts, as CSV:

    python manage.py export_customers --canvas ID [--group GROUP] OUT.csv"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from customers import services
from customers.models import CustomerData
from customers.rfm import GROUP_IDS


class Command(BaseCommand):
    help = "Export a canvas' customers (id, R, F, M, scores, group, churned, forecasts) as CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("out")
        parser.add_argument("--canvas", type=int, required=True)
        parser.add_argument("--group", choices=GROUP_IDS)

    def handle(self, *args, **options) -> None:
        data = CustomerData.objects.filter(canvas=options["canvas"]).first()
        if data is None or not data.customers:
            raise CommandError(f"Canvas {options['canvas']} has no customer data.")
        groups = [options["group"]] if options["group"] else None
        count = services.export_customers(data, options["out"], groups=groups)
        self.stdout.write(f"Wrote {count} customers to {options['out']}.")
