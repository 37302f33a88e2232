"""Import a purchases file into a canvas' customer data from the command line, for automation:

    python manage.py import_purchases --canvas ID FILE --customer COL --date COL --amount COL
        [--order COL] [--product COL] [--date-format FORMAT] [--decimal-comma] [--as-of YYYY-MM-DD]

Columns are named as in the file's header, or by 1-based position when it has none. The valid
lines are imported; bad ones are counted and the first of them listed on stderr."""

from __future__ import annotations

import os
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from canvas_app.models import Canvas
from customers import reading, services, spreadsheets


class Command(BaseCommand):
    help = "Import a purchases file (CSV, TSV, TXT or .xlsx) as a canvas' customer data and compute RFM groups."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--canvas", type=int, required=True)
        parser.add_argument("--customer", required=True, help="The customer id column.")
        parser.add_argument("--date", required=True, help="The purchase date column.")
        parser.add_argument("--amount", required=True, help="The amount column (negative amounts are returns).")
        parser.add_argument("--order", help="The order id column (else each customer's purchase days are orders).")
        parser.add_argument("--product", help="The product or category column.")
        parser.add_argument("--date-format", help="strftime codes, e.g. %%d/%%m/%%Y (else guessed).")
        parser.add_argument("--decimal-comma", action="store_true", help="Amounts are written 1.234,50.")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: the latest purchase).")

    def handle(self, *args, **options) -> None:
        canvas = Canvas.objects.filter(pk=options["canvas"]).first()
        if canvas is None:
            raise CommandError(f"No canvas {options['canvas']}.")
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"No file {path}.")
        with open(path, "rb") as handle:
            try:
                head = spreadsheets.sample(handle) if spreadsheets.is_workbook(path) else handle.read(reading.SAMPLE_BYTES)
                layout = reading.guess_layout(head)
            except reading.UnreadableFile as error:
                raise CommandError(str(error)) from error
        layout.mapping = {
            role: self.column(layout, options[role])
            for role in ("customer", "date", "amount", "order", "product")
            if options.get(role)
        }
        if options["date_format"]:
            layout.date_format = options["date_format"]
        elif layout.date_ambiguous:
            raise CommandError("The dates fit both %d/%m/%Y and %m/%d/%Y: say which with --date-format.")
        layout.decimal_comma = options["decimal_comma"]
        if spreadsheets.is_workbook(path):
            converted = path + ".csv"
            path = spreadsheets.to_csv(path, converted)
        job = services.import_file(canvas, path, layout, as_of=options["as_of"])
        if spreadsheets.is_workbook(options["file"]):
            os.unlink(path)
        if job.bad_rows:
            self.stderr.write(f"{job.bad_rows} lines left out:")
            for line, reason, raw in job.first_bad:
                self.stderr.write(f"  line {line}: {reason}: {raw}")
        if job.status != job.Status.DONE:
            raise CommandError(f"Nothing imported: {job.error}.")
        summary = canvas.customer_data.summary
        self.stdout.write(
            f"Imported {job.valid_rows} lines: {summary['customers']} customers, as of {summary['as_of']}."
        )

    def column(self, layout: reading.Layout, name: str) -> str:
        if layout.header and name in layout.columns:
            return name
        if name.isdigit() and 1 <= int(name) <= len(layout.columns):
            return layout.columns[int(name) - 1]
        raise CommandError(f"No column {name!r}; the file's columns are: {', '.join(layout.columns)}.")
