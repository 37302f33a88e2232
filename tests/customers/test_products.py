"""Top products per RFM group and the pairs of products bought by the same customers, on
hand-made purchase files whose expected numbers are worked out by hand below."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from customers import analysis, products, staging
from tests.customers.rfm_files import read, write

AS_OF = date(2024, 3, 31)

#: Baskets by the as-of date (what was bought, amount >= 0):
#:   c1 {apple, bread}   c2 {apple, bread, cheese}   c3 {apple, bread} (and a bread return)
#:   c4 {apple, cheese}  c5 {bread} (a cheese and a durian return only)   c6 {cheese}
#:   c7 a line without product (a customer, but no basket); c6's apple after the as-of date.
#: N = 6; n(apple) = 4, n(bread) = 4, n(cheese) = 3 (c2, c4, c6: c5's return is no purchase).
#: apple+bread  = {c1, c2, c3}: support 3/6 = 0.5, conf 3/4, 3/4, lift 0.5 / (4/6 * 4/6) = 1.125
#: apple+cheese = {c2, c4}: support 2/6, conf apple->cheese 2/4, cheese->apple 2/3,
#:                lift (1/3) / (4/6 * 3/6) = 1.0
#: bread+cheese = {c2} (c5 only returned cheese): support 1/6, conf 1/4, 1/3,
#:                lift (1/6) / (4/6 * 3/6) = 0.5
PURCHASES = """customer,date,amount,product
c1,2024-01-10,10,apple
c1,2024-01-11,5,bread
c2,2024-01-10,10,apple
c2,2024-02-10,5,bread
c2,2024-03-10,20,cheese
c3,2024-01-12,10,apple
c3,2024-01-12,5,bread
c3,2024-01-20,-5,bread
c4,2024-02-01,10,apple
c4,2024-02-01,20,cheese
c5,2024-03-01,5,bread
c5,2024-03-02,-10,cheese
c5,2024-03-02,-3,durian
c6,2024-03-15,20,cheese
c6,2024-05-01,10,apple
c7,2024-01-05,30,
"""

APPLE_BREAD = {"a": "apple", "b": "bread", "customers": 3, "support": 0.5,
               "confidence_ab": 0.75, "confidence_ba": 0.75, "lift": 1.125}  # fmt: skip
APPLE_CHEESE = {"a": "apple", "b": "cheese", "customers": 2, "support": 1 / 3,
                "confidence_ab": 0.5, "confidence_ba": 2 / 3, "lift": 1.0}  # fmt: skip
BREAD_CHEESE = {"a": "bread", "b": "cheese", "customers": 1, "support": 1 / 6,
                "confidence_ab": 0.25, "confidence_ba": 1 / 3, "lift": 0.5}  # fmt: skip

#: Ties: N = 8, every product bought by 2 customers except a and b (3 each); each pair by 2.
#: w+x: lift 2 * 8 / (2 * 2) = 4;  y+z: 4;  a+b: 2 * 8 / (3 * 3) = 16/9.
#: So w+x, then y+z (same customers and lift: by name), then a+b (lower lift, though first by name).
TIES = """customer,date,amount,product
d7,2024-01-01,1,y
d7,2024-01-01,1,z
d8,2024-01-01,1,z
d8,2024-01-01,1,y
d1,2024-01-01,1,w
d1,2024-01-01,1,x
d2,2024-01-01,1,x
d2,2024-01-01,1,w
d3,2024-01-01,1,b
d3,2024-01-01,1,a
d4,2024-01-01,1,a
d4,2024-01-01,1,b
d5,2024-01-01,1,a
d6,2024-01-01,1,b
"""


@contextmanager
def analysed(tmp_path, text: str, as_of: date = AS_OF) -> Iterator[tuple]:
    """The file staged and analysed; the connection (with its `customer` table) and the staged file."""
    path = write(tmp_path, text)
    layout, _staged = read(path)
    assert layout.mapping.get("product") == ("product" if "product" in text.splitlines()[0] else None)
    staged = str(path.with_suffix(".parquet"))
    with staging.connect() as con:
        analysis.analyse(con, staged, str(tmp_path / "customers.parquet"), analysis.Options(as_of=as_of), lambda _: None)
        yield con, staged


def approx(pairs: list[dict]) -> list[dict]:
    return [{key: pytest.approx(value) if isinstance(value, float) else value for key, value in pair.items()} for pair in pairs]


def test_pairs_support_confidence_and_lift_by_hand(tmp_path):
    with analysed(tmp_path, PURCHASES) as (con, staged):
        pairs = products.product_pairs(con, staged, AS_OF, min_customers=1)
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert pairs == approx([APPLE_BREAD, APPLE_CHEESE, BREAD_CHEESE])
    assert tables == {"customer"}  # its working tables are gone


def test_pairs_shared_by_fewer_than_the_minimum_are_left_out(tmp_path):
    with analysed(tmp_path, PURCHASES) as (con, staged):
        # A cheese return does not make c5 a buyer: bread+cheese stays at one customer.
        assert products.product_pairs(con, staged, AS_OF, min_customers=2) == approx([APPLE_BREAD, APPLE_CHEESE])
        assert products.product_pairs(con, staged, AS_OF, min_customers=3) == approx([APPLE_BREAD])
        assert products.product_pairs(con, staged, AS_OF, min_customers=4) == []
        assert products.MIN_PAIR_CUSTOMERS == 5 and products.product_pairs(con, staged, AS_OF) == []
        assert products.product_pairs(con, staged, AS_OF, min_customers=1, top=1) == approx([APPLE_BREAD])


def test_the_as_of_date_limits_the_baskets(tmp_path):
    # By 2024-01-31: c1 {apple, bread}, c2 {apple}, c3 {apple, bread}; N = 3, n(apple) = 3,
    # n(bread) = 2: support 2/3, conf apple->bread 2/3, bread->apple 1, lift (2/3) / (1 * 2/3) = 1.
    as_of = date(2024, 1, 31)
    with analysed(tmp_path, PURCHASES, as_of) as (con, staged):
        pairs = products.product_pairs(con, staged, as_of, min_customers=1)
    expected = {"a": "apple", "b": "bread", "customers": 2, "support": 2 / 3,
                "confidence_ab": 2 / 3, "confidence_ba": 1.0, "lift": 1.0}  # fmt: skip
    assert pairs == approx([expected])


def test_pairs_tie_on_customers_by_lift_then_names(tmp_path):
    with analysed(tmp_path, TIES, date(2024, 1, 1)) as (con, staged):
        pairs = products.product_pairs(con, staged, date(2024, 1, 1), min_customers=2)
    assert [(pair["a"], pair["b"], pair["customers"]) for pair in pairs] == [("w", "x", 2), ("y", "z", 2), ("a", "b", 2)]
    assert [pair["lift"] for pair in pairs] == pytest.approx([4.0, 4.0, 16 / 9])


def test_only_the_most_bought_products_are_paired(tmp_path, monkeypatch):
    # With two products paired, apple and bread (4 customers each; cheese has 3); N and n(X)
    # still count every product, so the numbers do not change.
    monkeypatch.setattr(products, "PAIR_PRODUCTS", 2)
    with analysed(tmp_path, PURCHASES) as (con, staged):
        assert products.product_pairs(con, staged, AS_OF, min_customers=1) == approx([APPLE_BREAD])


def test_top_products_per_group(tmp_path):
    with analysed(tmp_path, PURCHASES) as (con, staged):
        staging.run(con, "UPDATE customer SET rfm_group = CASE WHEN customer_id IN ('c5', 'c6') THEN 'lost' ELSE 'champions' END")
        groups = products.top_products(con, staged, AS_OF)
        top_two = products.top_products(con, staged, AS_OF, top=2)
    # Champions: c1, c2, c3, c4, c7 (5 customers). apple: 4 customers, 40; bread: 3 (c3's
    # return does not undo its purchase), 5 + 5 + 5 - 5 = 10; cheese: 2, 40.
    # Lost: c5, c6. bread: c5, 5; cheese: c6 only (c5 returned it), 20 - 10 = 10: tied on
    # customers, cheese first by revenue (not by name). durian was only returned, and c6's
    # apple is too late.
    assert groups == {
        "champions": [
            {"product": "apple", "customers": 4, "share": pytest.approx(0.8), "revenue": pytest.approx(40.0)},
            {"product": "bread", "customers": 3, "share": pytest.approx(0.6), "revenue": pytest.approx(10.0)},
            {"product": "cheese", "customers": 2, "share": pytest.approx(0.4), "revenue": pytest.approx(40.0)},
        ],
        "lost": [
            {"product": "cheese", "customers": 1, "share": pytest.approx(0.5), "revenue": pytest.approx(10.0)},
            {"product": "bread", "customers": 1, "share": pytest.approx(0.5), "revenue": pytest.approx(5.0)},
        ],
    }
    assert [item["product"] for item in top_two["champions"]] == ["apple", "bread"]
    assert [item["product"] for item in top_two["lost"]] == ["cheese", "bread"]


def test_top_products_tie_on_customers_and_revenue_by_name(tmp_path):
    # One group of 8: a and b 3 customers and 3 each; w, x, y, z 2 customers and 2 each.
    with analysed(tmp_path, TIES, date(2024, 1, 1)) as (con, staged):
        staging.run(con, "UPDATE customer SET rfm_group = 'loyal'")
        groups = products.top_products(con, staged, date(2024, 1, 1), top=4)
    assert [(item["product"], item["customers"], item["revenue"]) for item in groups["loyal"]] == [
        ("a", 3, 3.0), ("b", 3, 3.0), ("w", 2, 2.0), ("x", 2, 2.0),
    ]  # fmt: skip
    assert groups["loyal"][0]["share"] == pytest.approx(3 / 8)


def test_groups_follow_the_customer_table(tmp_path):
    with analysed(tmp_path, PURCHASES) as (con, staged):
        group_of = dict(con.execute("SELECT customer_id, rfm_group FROM customer").fetchall())
        groups = products.top_products(con, staged, AS_OF, top=10)
    # c7 bought no product: a group with only c7 in it has no top products.
    expected = {group_of[customer] for customer in ("c1", "c2", "c3", "c4", "c5", "c6")}
    assert set(groups) == expected
    assert sum(item["customers"] for items in groups.values() for item in items if item["product"] == "apple") == 4


def test_without_products_both_are_empty(tmp_path):
    text = "\n".join(line.rsplit(",", 1)[0] for line in PURCHASES.splitlines()) + "\n"
    with analysed(tmp_path, text) as (con, staged):
        assert con.execute(f"SELECT count(product) FROM read_parquet({staging.quote(staged)})").fetchall()[0][0] == 0
        assert products.top_products(con, staged, AS_OF) == {}
        assert products.product_pairs(con, staged, AS_OF, min_customers=1) == []
