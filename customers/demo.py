"""A purchase history for each demo canvas, generated the same way every time, so that
`make run` shows groups, churn and forecasts at once: customers buy at rates that differ from
one to another and stop buying at some point (the story BG/NBD tells), spend around their own
average, and now and then return something."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from canvas_app.models import Canvas

from . import reading, services
from .models import CustomerData

END = date(2026, 11, 30)
DAYS = 730

#: Per demo canvas (by title's start): customer-id prefix, products, cities, channels, mean ticket.
STORES = {
    "Tostadores Aurora": {
        "prefix": "AUR", "ticket": 24.0, "seed": 7,
        "products": ["Blend Aurora 1 kg", "Etiopía Yirgacheffe 250 g", "Colombia Huila 250 g", "Descafeinado 250 g",
                     "Molinillo manual", "Suscripción mensual", "Cápsulas compostables"],
        "cities": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza"],
        "channels": ["web", "app", "tienda"],
        "names": ["Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Leo", "Julia", "Daniel", "Paula", "Álvaro"],
    },
    "Pedal Works": {
        "prefix": "PW", "ticket": 38.0, "seed": 11,
        "products": ["Puncture repair", "Brake service", "Full tune-up", "Chain and cassette", "Kids' bike check",
                     "Workshop membership", "Lights and locks"],
        "cities": ["Leeds", "York", "Bradford", "Harrogate"],
        "channels": ["walk-in", "booking", "membership"],
        "names": ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Freya", "Leo"],
    },
}  # fmt: skip


def purchases(store: dict, *, customers: int = 1200) -> list[list[str]]:
    """Lines of (customer, name, email, date, amount, product, city, channel)."""
    rng = np.random.default_rng(store["seed"])
    start = END - timedelta(days=DAYS)
    lines = []
    for number in range(1, customers + 1):
        customer = f"{store['prefix']}{number:05d}"
        first = int(rng.integers(0, DAYS))
        rate = rng.gamma(0.9, 1 / 20)  # purchases a day
        dropout = rng.beta(1.2, 6.0)  # chance of leaving after each purchase
        ticket = rng.gamma(6.0, store["ticket"] / 6.0)
        name = store["names"][number % len(store["names"])]
        city = store["cities"][int(rng.integers(0, len(store["cities"])))]
        channel = store["channels"][int(rng.integers(0, len(store["channels"])))]
        day = first
        while day < DAYS:
            amount = max(1.0, rng.gamma(8.0, ticket / 8.0))
            product = store["products"][int(rng.integers(0, len(store["products"])))]
            when = (start + timedelta(days=day)).isoformat()
            lines.append([customer, name, f"{customer.lower()}@example.com", when, f"{amount:.2f}", product, city, channel])
            if rng.random() < 0.02:  # a return, some days later
                back = min(day + int(rng.integers(1, 15)), DAYS - 1)
                refund = f"{-amount:.2f}"
                lines.append([customer, name, f"{customer.lower()}@example.com", (start + timedelta(days=back)).isoformat(), refund, product, city, channel])
            if rng.random() < dropout:
                break
            day += 1 + int(rng.exponential(1 / rate))
    lines.sort(key=lambda line: (line[3], line[0]))
    return lines


def load(canvas: Canvas, store: dict) -> CustomerData | None:
    header = ["customer", "name", "email", "date", "amount", "product", "city", "channel"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ventas-demo.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(purchases(store))
        layout = reading.guess_layout(path.read_bytes()[: reading.SAMPLE_BYTES])
        layout.mapping = {role: role for role in ("customer", "name", "email", "date", "amount", "product")}
        job = services.import_file(canvas, str(path), layout, attributes=["city", "channel"])
    return CustomerData.objects.get(canvas=canvas) if job.status == job.Status.DONE else None


def load_demo_customers() -> list[Canvas]:
    """Purchases for each demo canvas that has none yet."""
    loaded = []
    for prefix, store in STORES.items():
        for canvas in Canvas.objects.filter(title__startswith=prefix, customer_data__isnull=True):
            if load(canvas, store) is not None:
                loaded.append(canvas)
    return loaded
