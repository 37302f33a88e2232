from django.core.management.base import BaseCommand
from django.db import transaction

from canvas_app.demo import load_demo
from segments.demo import load_segments


class Command(BaseCommand):
    help = "Create the demo users and example canvases with their segments (once; running it again changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = load_demo()
            if created is None:
                self.stdout.write("Demo data already present.")
                return
            load_segments(created)
        self.stdout.write(self.style.SUCCESS("Demo data loaded: log in as demo / lienzo-demo."))
