"""What a purchases file looks like, guessed from its first lines: encoding, separator,
header, decimal comma, date format and which column is what. The guess is only a proposal:
the person uploading confirms or corrects it on the preview before anything is read in full."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

#: How much of the file the guess reads.
SAMPLE_BYTES = 256 * 1024
PREVIEW_ROWS = 10
WHITESPACE = "whitespace"
SEPARATORS = {",": _("comma"), ";": _("semicolon"), "\t": _("tab"), WHITESPACE: _("spaces")}

#: Date formats a person can pick (strftime codes, as DuckDB's strptime reads them).
DATE_FORMATS = {
    "%Y-%m-%d": _("ISO (2024-03-31)"),
    "%Y%m%d": _("YYYYMMDD (20240331)"),
    "%d/%m/%Y": _("DD/MM/YYYY (31/03/2024)"),
    "%m/%d/%Y": _("MM/DD/YYYY (03/31/2024)"),
}

#: What a file holds: a line per purchase, or a line per customer (for data too large to
#: upload: "date" is then the last purchase and "amount" the total spend).
PURCHASES, SUMMARIES = "purchases", "summaries"
#: The roles a column can play, required then optional, per kind of file.
ROLES_OF = {
    PURCHASES: (("customer", "date", "amount"), ("order", "quantity", "product", "name", "email")),
    SUMMARIES: (("customer", "date", "orders", "amount"), ("first_date", "name", "email")),
}
REQUIRED, OPTIONAL = ROLES_OF[PURCHASES]
ROLES = ("customer", "date", "amount", "order", "quantity", "product", "orders", "first_date", "name", "email")
SUMMARY_LABELS = {
    "date": _("Last purchase date"),
    "amount": _("Total spend"),
    "orders": _("Number of orders"),
    "first_date": _("First purchase date"),
}
ROLE_LABELS = {
    "customer": _("Customer id"),
    "date": _("Date"),
    "amount": _("Amount"),
    "order": _("Order id"),
    "quantity": _("Quantity"),
    "product": _("Product or category"),
    "name": _("Customer name"),
    "email": _("Customer email"),
}
#: Header words (lower case, without accents) that suggest a role, in English and Spanish.
_HINTS = {
    "customer": ("customer", "customer_id", "customerid", "client", "cliente", "id_cliente", "idcliente",
                 "user", "user_id", "usuario", "socio", "customer id", "codigo cliente", "cod_cliente"),
    "date": ("date", "fecha", "order_date", "invoicedate", "invoice_date", "fecha_compra", "dia", "day",
             "purchase_date", "fecha pedido", "fecha_pedido", "last_purchase", "last_date", "ultima_compra",
             "fecha_ultima_compra", "last_order"),
    "amount": ("amount", "importe", "total", "monto", "revenue", "sales", "ventas", "dollar_value",
               "dollars", "value", "valor", "spend", "gasto", "precio", "price", "importe_total", "total_spend",
               "monetary", "gasto_total"),
    "order": ("order", "order_id", "orderid", "pedido", "id_pedido", "invoice", "invoiceno", "factura",
              "ticket", "transaction", "transaction_id", "num_pedido"),
    "quantity": ("quantity", "qty", "cantidad", "unidades", "units", "number_of_cds"),
    "product": ("product", "producto", "category", "categoria", "sku", "item", "articulo", "stockcode",
                "description", "descripcion", "familia"),
    "orders": ("orders", "num_orders", "number_of_orders", "pedidos", "num_pedidos", "compras", "frequency",
               "frecuencia", "n_orders"),
    "first_date": ("first_purchase", "first_date", "primera_compra", "fecha_primera_compra", "first_order"),
    "name": ("name", "nombre", "customer_name", "nombre_cliente", "razon social"),
    "email": ("email", "e-mail", "correo", "mail", "correo electronico"),
}  # fmt: skip


class UnreadableFile(ValueError):
    """A file that is not text in an encoding we read, or has no rows."""


@dataclass
class Layout:
    """How to read a file: what the preview proposes and the person confirms."""

    encoding: str = "utf-8"
    separator: str = ","
    header: bool = True
    decimal_comma: bool = False
    date_format: str = "%Y-%m-%d"
    #: True when the dates fit both day-first and month-first: the person must choose.
    date_ambiguous: bool = False
    columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    rows: list[list[str]] = field(default_factory=list)
    source: str = PURCHASES

    @property
    def roles(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ROLES_OF[self.source]

    def label(self, role: str) -> str:
        labels = SUMMARY_LABELS if self.source == SUMMARIES else {}
        return str(labels.get(role) or ROLE_LABELS[role])

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Layout:
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        return cls(**known)


def decode_sample(raw: bytes) -> tuple[str, str]:
    """The sample as text and the encoding it is in: UTF-8 (with or without BOM), else Latin-1."""
    if not raw.strip():
        raise UnreadableFile(_("The file is empty."))
    if b"\x00" in raw[:4096]:
        raise UnreadableFile(_("This is not a text file (CSV, TSV or TXT) or an Excel workbook (.xlsx)."))
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            # A sample cut in the middle of a character is still UTF-8.
            if encoding == "utf-8-sig" and error.start >= len(raw) - 3:
                return raw[: error.start].decode(encoding), "utf-8"
            continue
        if encoding == "latin-1" and _looks_binary(text):
            break
        return text, "utf-8" if encoding == "utf-8-sig" else "latin-1"
    raise UnreadableFile(_("The file's characters could not be read: save it as UTF-8 or Latin-1 text."))


def _looks_binary(text: str) -> bool:
    controls = sum(1 for char in text[:4096] if ord(char) < 32 and char not in "\r\n\t")
    return controls > 8


def split_lines(text: str, separator: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if separator == WHITESPACE:
        return [line.split() for line in lines]
    return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=separator) if row]


def guess_separator(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line
    best, best_score = WHITESPACE, 0
    for separator in (",", ";", "\t"):
        counts = [len(row) for row in split_lines("\n".join(lines), separator)]
        if not counts or min(counts) < 2:
            continue
        # Consistent widths win; among them, the separator giving more columns.
        score = counts.count(max(set(counts), key=counts.count)) * 10 + max(counts)
        if score > best_score:
            best, best_score = separator, score
    return best


_NUMBER = re.compile(r"^[-+]?[\s€$£]*\d[\d.,\s]*[\s€$£]*$")
_DATE_PATTERNS = {
    "%Y-%m-%d": re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T].*)?$"),
    "%Y%m%d": re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$"),
    "slash": re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"),
}


def _date_kind(value: str) -> str | None:
    value = value.strip()
    for kind, pattern in _DATE_PATTERNS.items():
        if pattern.match(value):
            return kind
    return None


def _is_number(value: str) -> bool:
    return bool(_NUMBER.match(value.strip())) and _date_kind(value) in (None, "%Y%m%d")


def guess_layout(
    raw: bytes, *, separator: str | None = None, header: bool | None = None, source: str = PURCHASES
) -> Layout:
    """The layout of a file from its first bytes; `separator` and `header` when the person
    has said what they are."""
    text, encoding = decode_sample(raw[:SAMPLE_BYTES])
    separator = separator or guess_separator(text)
    rows = split_lines(text, separator)
    if len(rows) > 1 and len(raw) > SAMPLE_BYTES:
        rows = rows[:-1]
    if not rows:
        raise UnreadableFile(_("The file is empty."))
    width = max(len(row) for row in rows[:200])
    header = _has_header(rows) if header is None else header
    body = rows[1:] if header else rows
    if header:
        columns = [name.strip() or f"{index + 1}" for index, name in enumerate(rows[0])]
        columns += [str(index + 1) for index in range(len(columns), width)]
    else:
        columns = [str(index + 1) for index in range(width)]
    columns = _unique(columns)
    layout = Layout(encoding=encoding, separator=separator, header=header, columns=columns, source=source)
    layout.rows = [row + [""] * (width - len(row)) for row in body[:PREVIEW_ROWS]]
    layout.mapping = guess_mapping(columns, body[:200], header=header, roles=sum(ROLES_OF[source], ()))
    date_column = layout.mapping.get("date")
    if date_column is not None:
        values = _column(body[:500], columns.index(date_column))
        layout.date_format, layout.date_ambiguous = guess_date_format(values)
    amount_column = layout.mapping.get("amount")
    if amount_column is not None:
        layout.decimal_comma = guess_decimal_comma(_column(body[:500], columns.index(amount_column)))
    return layout


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        unique.append(name)
    return unique


def _column(rows: list[list[str]], index: int) -> list[str]:
    return [row[index].strip() for row in rows if index < len(row) and row[index].strip()]


def _has_header(rows: list[list[str]]) -> bool:
    """A first row whose cells are not numbers or dates where the following rows' are."""
    if len(rows) < 2:
        return not any(_is_number(cell) or _date_kind(cell) for cell in rows[0])
    first, rest = rows[0], rows[1:50]
    for index, cell in enumerate(first):
        values = _column(rest, index)
        typed = [value for value in values if _is_number(value) or _date_kind(value)]
        if values and len(typed) >= 0.8 * len(values) and not (_is_number(cell) or _date_kind(cell)):
            return True
    return False


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def guess_mapping(
    columns: list[str], rows: list[list[str]], *, header: bool, roles: tuple[str, ...] = ROLES
) -> dict[str, str]:
    mapping: dict[str, str] = {}
    if header:
        for role in roles:
            for column in columns:
                if column not in mapping.values() and _plain(column) in _HINTS[role]:
                    mapping[role] = column
                    break
    # By content, for what the header did not name: most values (a bad line may be among them).
    for index, column in enumerate(columns):
        if column in mapping.values():
            continue
        values = _column(rows, index)
        if not values:
            continue
        if "date" not in mapping and _mostly(values, _date_kind):
            mapping["date"] = column
        elif "amount" not in mapping and _mostly(values, _is_number) and any("." in value or "," in value for value in values):
            mapping["amount"] = column
    if "customer" not in mapping:
        free = [column for column in columns if column not in mapping.values()]
        if free:
            mapping["customer"] = free[0]
    return mapping


def _mostly(values: list[str], test) -> bool:
    return sum(1 for value in values if test(value)) >= 0.8 * len(values)


def guess_date_format(values: list[str]) -> tuple[str, bool]:
    """The format the values are in, and whether day-first and month-first both fit."""
    kinds = {_date_kind(value) for value in values}
    if kinds == {"%Y%m%d"}:
        return "%Y%m%d", False
    if kinds == {"%Y-%m-%d"}:
        return "%Y-%m-%d", False
    if "slash" in kinds:
        firsts, seconds = [], []
        for value in values:
            match = _DATE_PATTERNS["slash"].match(value.strip())
            if match:
                firsts.append(int(match.group(1)))
                seconds.append(int(match.group(2)))
        if firsts and max(firsts) > 12:
            return "%d/%m/%Y", False
        if seconds and max(seconds) > 12:
            return "%m/%d/%Y", False
        return "%d/%m/%Y", True
    return "%Y-%m-%d", False


def guess_decimal_comma(values: list[str]) -> bool:
    """Amounts written as Spanish spreadsheets export them: 1.234,50 or 12,5."""
    comma = point = 0
    for value in values:
        value = value.strip()
        if re.search(r",\d{1,2}$", value) and not re.search(r"\.\d{1,2}$", value):
            comma += 1
        elif re.search(r"\.\d{1,2}$", value) or re.search(r"\d,\d{3}(\.|$)", value):
            point += 1
    return comma > point
