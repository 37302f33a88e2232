from django.core.management.base import BaseCommand

from customers.demo import load_demo_customers


class Command(BaseCommand):
    help = "Give each demo canvas a generated purchase history (once; running it again changes nothing)."

    def handle(self, *args, **options):
        loaded = load_demo_customers()
        self.stdout.write(f"Customer data loaded for {len(loaded)} demo canvases.")
