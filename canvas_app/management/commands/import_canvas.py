"""Make a new canvas from a file that export_canvas wrote (JSON) or from Markdown:

    python manage.py import_canvas FILE --owner USERNAME

The new canvas' id is the last word of the output."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from canvas_app.importer import ImportProblem, import_document, read_file


class Command(BaseCommand):
    help = "Import a canvas from JSON (as exported) or Markdown; prints the new canvas' id last."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--owner", required=True)

    def handle(self, *args, **options) -> None:
        owner = get_user_model().objects.filter(username=options["owner"]).first()
        if owner is None:
            raise CommandError(f"No user {options['owner']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            document, skipped = read_file(path.read_bytes(), path.name)
            canvas = import_document(document, owner=owner)
        except ImportProblem as problem:
            raise CommandError(str(problem)) from problem
        for heading in skipped:
            self.stderr.write(f"Skipped the unknown heading {heading!r}.")
        self.stdout.write(f"Imported {canvas.notes.count()} notes into canvas {canvas.pk}")
