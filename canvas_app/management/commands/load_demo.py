from django.core.management.base import BaseCommand

from canvas_app.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo users and example canvases (once; running it again changes nothing)."

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo data loaded: log in as demo / lienzo-demo."))
        else:
            self.stdout.write("Demo data already present.")
