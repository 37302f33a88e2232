"""Customer data for tests: a small purchases file imported the way the command does it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from canvas_app.models import Canvas
from customers import reading, services
from customers.models import CustomerData, Job

#: Twelve customers over three months, with names and emails, a return and two bad lines.
PURCHASES = """customer,name,email,date,amount,city
001,Ana,ana@example.com,2024-01-03,120.00,Madrid
001,Ana,ana@example.com,2024-02-10,80.00,Madrid
001,Ana,ana@example.com,2024-03-28,95.50,Madrid
002,Bruno,bruno@example.com,2024-01-15,40.00,Sevilla
002,Bruno,bruno@example.com,2024-01-20,-10.00,Sevilla
003,Carla,carla@example.com,2024-03-30,15.00,Madrid
004,Dani,dani@example.com,2024-01-05,300.00,Bilbao
004,Dani,dani@example.com,2024-01-25,250.00,Bilbao
004,Dani,dani@example.com,2024-02-14,210.00,Bilbao
004,Dani,dani@example.com,2024-03-01,190.00,Bilbao
005,Eva,eva@example.com,2024-02-01,60.00,Sevilla
006,Fede,fede@example.com,2024-01-10,30.00,Madrid
006,Fede,fede@example.com,2024-03-15,35.00,Madrid
007,Gala,gala@example.com,2024-03-31,22.00,Valencia
008,Hugo,hugo@example.com,2024-01-02,18.00,Valencia
009,Inés,ines@example.com,2024-02-20,75.00,Madrid
009,Inés,ines@example.com,2024-03-20,70.00,Madrid
010,Juan,juan@example.com,2024-01-30,12.00,Bilbao
011,Kira,kira@example.com,2024-02-28,48.00,Madrid
011,Kira,kira@example.com,2024-03-29,52.00,Madrid
012,Luis,luis@example.com,2024-03-05,9.99,Sevilla
,Nadie,nadie@example.com,2024-03-05,9.99,Sevilla
013,Malo,malo@example.com,ayer,9.99,Sevilla
"""


def upload(text: str = PURCHASES, name: str = "ventas.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def make_customer_data(canvas: Canvas, text: str = PURCHASES) -> CustomerData:
    """The canvas' customer data, imported from `text` with every column mapped."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ventas.csv"
        path.write_text(text, encoding="utf-8")
        layout = reading.guess_layout(path.read_bytes())
        job = services.import_file(canvas, str(path), layout)
    assert job.status == Job.Status.DONE, job.error
    return CustomerData.objects.get(canvas=canvas)


def make_job(canvas: Canvas, user=None, text: str = PURCHASES) -> Job:
    """An upload waiting for its columns."""
    return services.start_import(canvas, upload(text), by=user)
