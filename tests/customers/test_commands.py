"""The two commands other tools depend on, with exactly their interface:

    import_purchases --canvas ID FILE --customer COL --date COL --amount COL [--order COL]
        [--product COL] [--date-format FORMAT] [--decimal-comma] [--as-of YYYY-MM-DD]
    export_customers --canvas ID [--group GROUP] OUT.csv
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from customers.models import CustomerData
from tests.conftest import make_canvas, make_user

pytestmark = pytest.mark.django_db

SPANISH = """Cliente;Pedido;Fecha;Importe;Producto
0042;P1;31/01/2024;1.234,50;Café
0042;P1;31/01/2024;10,00;Filtros
0042;P2;15/02/2024;20,00;Café
7;P3;01/03/2024;-5,00;Café
7;P4;02/02/2024;8,25;Taza
0099;P5;01/04/2024;3,00;Café
"""


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def canvas_id():
    return make_canvas(make_user("importer")).pk


def test_import_by_header_names_with_decimal_comma_order_ids_and_as_of(tmp_path, canvas_id):
    path = tmp_path / "ventas.csv"
    path.write_text(SPANISH, encoding="latin-1")
    out, _err = _run(
        "import_purchases", "--canvas", str(canvas_id), str(path), "--customer", "Cliente", "--date", "Fecha",
        "--amount", "Importe", "--order", "Pedido", "--product", "Producto", "--date-format", "%d/%m/%Y",
        "--decimal-comma", "--as-of", "2024-03-31",
    )  # fmt: skip
    assert "6 lines" in out and "2 customers" in out
    data = CustomerData.objects.get(canvas_id=canvas_id)
    assert data.summary["as_of"] == "2024-03-31"
    assert data.has_orders and data.has_products
    export = tmp_path / "out.csv"
    _run("export_customers", "--canvas", str(canvas_id), str(export))
    rows = {row["customer_id"]: row for row in csv.DictReader(export.open(encoding="utf-8"))}
    # 0099 bought after the as-of date; 0042 has two orders (P1's two lines are one), 7 one (the return is not).
    assert set(rows) == {"0042", "7"}
    assert (rows["0042"]["frequency"], rows["0042"]["monetary"], rows["0042"]["recency_days"]) == ("2", "1264.5", "45")
    assert (rows["7"]["frequency"], rows["7"]["monetary"]) == ("1", "3.25")


def test_import_by_position_without_a_header(tmp_path, canvas_id):
    path = tmp_path / "cdnow.txt"
    path.write_text(" 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n 00001 19970301  2   5.00\n")
    _run("import_purchases", "--canvas", str(canvas_id), str(path), "--customer", "1", "--date", "2", "--amount", "4")
    summary = CustomerData.objects.get(canvas_id=canvas_id).summary
    assert summary["customers"] == 2 and summary["as_of"] == "1997-03-01"


def test_bad_lines_are_imported_without_them_and_listed_on_stderr(tmp_path, canvas_id):
    path = tmp_path / "p.csv"
    path.write_text("customer,date,amount\na,2024-01-01,10\n,2024-01-02,3\nb,ayer,4\n")
    out, err = _run("import_purchases", "--canvas", str(canvas_id), str(path), "--customer", "customer",
                    "--date", "date", "--amount", "amount")  # fmt: skip
    assert "2 lines left out" in err and "line 3: missing_id" in err and "line 4: bad_date" in err
    assert "Imported 1 lines" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--customer", "nope", "--date", "date", "--amount", "amount"], "No column 'nope'"),
        (["--customer", "customer", "--date", "date", "--amount", "9"], "No column '9'"),
    ],
)
def test_an_unknown_column_is_an_error_that_names_the_columns(tmp_path, canvas_id, args, message):
    path = tmp_path / "p.csv"
    path.write_text("customer,date,amount\na,2024-01-01,10\n")
    with pytest.raises(CommandError, match=message):
        _run("import_purchases", "--canvas", str(canvas_id), str(path), *args)
    assert not CustomerData.objects.exists()


def test_ambiguous_dates_need_a_format(tmp_path, canvas_id):
    path = tmp_path / "p.csv"
    path.write_text("customer,date,amount\na,01/02/2024,10\nb,03/04/2024,5\n")
    with pytest.raises(CommandError, match="--date-format"):
        _run("import_purchases", "--canvas", str(canvas_id), str(path), "--customer", "customer", "--date", "date",
             "--amount", "amount")  # fmt: skip
    _run("import_purchases", "--canvas", str(canvas_id), str(path), "--customer", "customer", "--date", "date",
         "--amount", "amount", "--date-format", "%m/%d/%Y")  # fmt: skip
    assert CustomerData.objects.get(canvas_id=canvas_id).summary["as_of"] == "2024-03-04"


def test_export_one_group_with_the_documented_header(tmp_path, canvas_id):
    lines = ["customer,date,amount"] + [f"c{n:02d},2024-01-{1 + n % 28:02d},{10 + n}" for n in range(40)]
    lines += [f"c{n:02d},2024-02-{1 + n % 28:02d},{5 + n}" for n in range(0, 40, 3)]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n")
    _run("import_purchases", "--canvas", str(canvas_id), str(path), "--customer", "customer", "--date", "date",
         "--amount", "amount")  # fmt: skip
    group = next(iter(CustomerData.objects.get(canvas_id=canvas_id).summary["groups"]))
    out = tmp_path / "group.csv"
    _run("export_customers", "--canvas", str(canvas_id), "--group", group, str(out))
    reader = csv.DictReader(out.open(encoding="utf-8"))
    header = reader.fieldnames
    assert header[:9] == ["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "group", "churned"]
    rows = list(reader)
    assert rows and {row["group"] for row in rows} == {group}
    assert {row["churned"] for row in rows} <= {"true", "false"}


def test_export_without_data_is_an_error(tmp_path, canvas_id):
    with pytest.raises(CommandError, match="no customer data"):
        _run("export_customers", "--canvas", str(canvas_id), str(tmp_path / "x.csv"))
