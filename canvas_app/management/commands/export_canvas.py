"""Write a canvas to standard output:

    python manage.py export_canvas ID [--format json|markdown|csv]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from canvas_app.models import Canvas
from canvas_app.serializer import as_csv, as_markdown, canvas_document


class Command(BaseCommand):
    help = "Export a canvas (notes, segments with their personas, fit and plans, criteria and scores) to stdout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("id", type=int)
        parser.add_argument("--format", choices=["json", "markdown", "csv"], default="json")

    def handle(self, *args, **options) -> None:
        canvas = Canvas.objects.filter(pk=options["id"]).first()
        if canvas is None:
            raise CommandError(f"No canvas {options['id']}.")
        kind = options["format"]
        if kind == "json":
            text = json.dumps(canvas_document(canvas), ensure_ascii=False, indent=2) + "\n"
        elif kind == "markdown":
            text = as_markdown(canvas_document(canvas, for_markdown=True))
        else:
            text = as_csv(canvas_document(canvas))
        self.stdout.write(text, ending="")
