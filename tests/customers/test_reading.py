"""Files as people have them: separators, headers or none, encodings, decimal commas, date
formats, leading zeros, and bad lines counted with their line numbers."""

from __future__ import annotations

from datetime import date

import pytest

from customers import reading
from tests.customers.rfm_files import customers, read, write


def test_a_spanish_spreadsheet_export_semicolons_decimal_comma_latin1(tmp_path):
    text = "Cliente;Fecha;Importe;Ciudad\n0007;31/01/2024;1.234,50;Málaga\n7;15/02/2024;12,5;Cádiz\n0007;01/03/2024;-34,50;Málaga\n"
    path = write(tmp_path, text, encoding="latin-1")
    layout, staged = read(path)
    assert (layout.encoding, layout.separator, layout.header, layout.decimal_comma) == ("latin-1", ";", True, True)
    assert layout.mapping == {"customer": "Cliente", "date": "Fecha", "amount": "Importe"}
    assert (layout.date_format, layout.date_ambiguous) == ("%d/%m/%Y", False)
    assert staged.valid == 3 and staged.bad == 0
    rows, _ = customers(path)
    # Leading zeros are kept: 0007 and 7 are two customers.
    assert set(rows) == {"0007", "7"}
    assert rows["0007"]["monetary"] == pytest.approx(1200.0)
    assert rows["7"]["monetary"] == pytest.approx(12.5)


def test_utf8_with_bom_and_tabs(tmp_path):
    text = "\ufeffid\tdate\ttotal\nA-1\t2024-05-01\t1,200.00\nA-2\t2024-05-02\t3.5\n"
    layout, staged = read(write(tmp_path, text, name="p.tsv"))
    assert (layout.encoding, layout.separator, layout.columns[0]) == ("utf-8", "\t", "id")
    assert staged.valid == 2
    rows, _ = customers(write(tmp_path, text, name="p.tsv"))
    assert rows["A-1"]["monetary"] == 1200.0


def test_whitespace_separated_without_header_by_position(tmp_path):
    text = " 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n 00001 19970301  2   5.00\n"
    layout, staged = read(write(tmp_path, text, name="cdnow.txt"))
    assert (layout.separator, layout.header, layout.columns) == (reading.WHITESPACE, False, ["1", "2", "3", "4"])
    assert layout.mapping["customer"] == "1" and layout.mapping["date"] == "2" and layout.mapping["amount"] == "4"
    assert layout.date_format == "%Y%m%d"
    assert staged.valid == 3


def test_day_first_and_month_first_dates_are_asked_when_both_fit(tmp_path):
    assert reading.guess_date_format(["01/02/2024", "03/04/2024"]) == ("%d/%m/%Y", True)
    assert reading.guess_date_format(["01/02/2024", "13/04/2024"]) == ("%d/%m/%Y", False)
    assert reading.guess_date_format(["01/02/2024", "04/13/2024"]) == ("%m/%d/%Y", False)
    text = "customer,date,amount\na,01/02/2024,1\nb,03/04/2024,1\n"
    _, staged = read(write(tmp_path, text), date_format="%m/%d/%Y")
    assert (staged.first_date, staged.last_date) == (date(2024, 1, 2), date(2024, 3, 4))


def test_bad_lines_are_counted_and_the_first_listed_with_line_numbers(tmp_path):
    lines = ["customer,date,amount", "a,2024-01-01,10", ",2024-01-02,10", "b,yesterday,10", "c,2024-01-03,ten"]
    lines += [f"d,2024-02-{day:02d},1" for day in range(1, 6)]
    lines += [f",2024-03-01,{n}" for n in range(30)]
    _, staged = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert staged.valid == 6
    assert staged.bad == 33
    assert staged.by_reason == {"missing_id": 31, "bad_date": 1, "bad_amount": 1}
    assert len(staged.first_bad) == 20
    assert staged.first_bad[:3] == [
        (3, "missing_id", "2024-01-02 | 10"),
        (4, "bad_date", "b | yesterday | 10"),
        (5, "bad_amount", "c | 2024-01-03 | ten"),
    ]
    assert staged.first_bad[3][0] == 11


def test_an_amount_in_the_other_decimal_style_is_bad_not_misread(tmp_path):
    text = "customer,date,amount\na,2024-01-01,\"12,50\"\nb,2024-01-01,12.50\n"
    _, staged = read(write(tmp_path, text), decimal_comma=False)
    assert staged.valid == 1 and staged.by_reason == {"bad_amount": 1}


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"", "empty"), (b"\x00\x01\x02PK\x03\x04" * 100, "not a text file")],
)
def test_files_that_are_not_purchases_get_a_clear_error(raw, message):
    with pytest.raises(reading.UnreadableFile, match=message):
        reading.guess_layout(raw)


def test_without_a_header_columns_are_recognised_by_most_of_their_values(tmp_path):
    lines = [f"{n:03d};Ana;2024-01-{n:02d};{n},50" for n in range(1, 10)] + ["010;Malo;ayer;9,99"]
    layout, staged = read(write(tmp_path, "\n".join(lines) + "\n"))
    assert layout.header is False
    assert layout.mapping == {"date": "3", "amount": "4", "customer": "1"}
    assert (staged.valid, staged.by_reason) == (9, {"bad_date": 1})
