"""Products for cross-selling, from the staged purchases (valid lines on or before the as-of
date) when the file has a product or category column. Lines without a product are ignored, and
a product is *bought* by a customer when they have a line of it with amount >= 0 (a return,
amount < 0, is not a purchase). With no product at all both results are empty.

Top products of each RFM group (`top_products`), joining the lines to the `customer` table:
- customers: the group's customers who bought the product;
- share: customers / all the group's customers (with a product or not);
- revenue: the sum of the amounts of the product's lines in the group, returns included.
The `top` products by customers, then revenue (higher first), then name; a group none of whose
customers bought a product is left out.

Pairs bought by the same customers (`product_pairs`), a market-basket analysis whose basket is
everything a customer bought by the as-of date (the set of distinct products; no order or date
matters). With N the customers who bought at least one product, n(X) those who bought X and
n(A, B) those who bought both, for each pair A < B (by name) with n(A, B) >= min_customers:
- support = n(A, B) / N;
- confidence A->B = n(A, B) / n(A), confidence B->A = n(A, B) / n(B);
- lift = support / (support(A) * support(B)) = n(A, B) * N / (n(A) * n(B)).
The `top` pairs by n(A, B), then lift (higher first), then A, then B. Only the 200 products
bought by most customers (ties by name) are paired, so that with thousands of products a basket
counts at most 200 and there are at most 19,900 pairs (the work grows with the square of the
basket); N and n(X) still count every product. With 200 products or fewer the result is exact."""

from __future__ import annotations

from datetime import date

import duckdb

from .staging import run, valid_purchases

MIN_PAIR_CUSTOMERS = 5
TOP = 5
#: Products considered for pairs: the most bought.
PAIR_PRODUCTS = 200


def _bought(staged: str, as_of: date) -> str:
    """(customer_id, product) once per customer and product bought."""
    return (
        f"SELECT DISTINCT customer_id, product FROM ({valid_purchases(staged, as_of)}) "
        "WHERE product IS NOT NULL AND amount >= 0"
    )


def top_products(
    con: duckdb.DuckDBPyConnection, staged: str, as_of: date, *, top: int = TOP
) -> dict[str, list[dict]]:
    """Per RFM group of the `customer` table, its `top` products (see the module)."""
    rows = con.execute(f"""
        WITH line AS (
            SELECT c.rfm_group, p.customer_id, p.product, p.amount
            FROM ({valid_purchases(staged, as_of)}) p JOIN customer c ON c.customer_id = p.customer_id
            WHERE p.product IS NOT NULL
        ), sold AS (
            SELECT rfm_group, product, count(DISTINCT customer_id) FILTER (WHERE amount >= 0) AS customers,
                   sum(amount) AS revenue
            FROM line GROUP BY rfm_group, product
        ), size AS (SELECT rfm_group, count(*) AS n FROM customer GROUP BY rfm_group)
        SELECT s.rfm_group, s.product, s.customers, s.customers / z.n AS share, s.revenue
        FROM sold s JOIN size z ON z.rfm_group = s.rfm_group
        WHERE s.customers > 0
        QUALIFY row_number() OVER (PARTITION BY s.rfm_group ORDER BY s.customers DESC, s.revenue DESC, s.product) <= {int(top)}
        ORDER BY s.rfm_group, s.customers DESC, s.revenue DESC, s.product
    """).fetchall()
    groups: dict[str, list[dict]] = {}
    for group, product, customers, share, revenue in rows:
        groups.setdefault(group, []).append(
            {"product": product, "customers": customers, "share": share, "revenue": revenue}
        )
    return groups


def product_pairs(
    con: duckdb.DuckDBPyConnection,
    staged: str,
    as_of: date,
    *,
    min_customers: int = MIN_PAIR_CUSTOMERS,
    top: int = 20,
) -> list[dict]:
    """The `top` pairs of products bought by the same customers (see the module)."""
    try:
        # The capped products numbered in name order (so that a < b is the pair's order): the
        # self-join then groups by two small integers.
        run(con, f"CREATE OR REPLACE TEMP TABLE product_bought AS {_bought(staged, as_of)}")
        run(con, f"""
            CREATE OR REPLACE TEMP TABLE product_count AS
            SELECT product, n, row_number() OVER (ORDER BY product) AS id FROM (
                SELECT product, count(*) AS n FROM product_bought GROUP BY product
                ORDER BY n DESC, product LIMIT {PAIR_PRODUCTS})
        """)
        run(con, """
            CREATE OR REPLACE TEMP TABLE product_item AS SELECT b.customer_id, CAST(p.id AS USMALLINT) AS id
            FROM product_bought b JOIN product_count p ON p.product = b.product
        """)
        rows = con.execute(f"""
            WITH total AS (SELECT count(DISTINCT customer_id) AS n FROM product_bought),
            pair AS (
                SELECT x.id AS a, y.id AS b, count(*) AS shared
                FROM product_item x JOIN product_item y ON x.customer_id = y.customer_id AND x.id < y.id
                GROUP BY x.id, y.id HAVING count(*) >= {max(1, int(min_customers))}
            )
            SELECT pa.product, pb.product, pair.shared, pair.shared / total.n AS support,
                   pair.shared / pa.n AS confidence_ab, pair.shared / pb.n AS confidence_ba,
                   pair.shared * total.n / (CAST(pa.n AS DOUBLE) * pb.n) AS lift
            FROM pair JOIN product_count pa ON pa.id = pair.a JOIN product_count pb ON pb.id = pair.b, total
            ORDER BY pair.shared DESC, lift DESC, pa.product, pb.product
            LIMIT {int(top)}
        """).fetchall()
    finally:
        for table in ("product_item", "product_count", "product_bought"):
            run(con, f"DROP TABLE IF EXISTS {table}")
    keys = ("a", "b", "customers", "support", "confidence_ab", "confidence_ba", "lift")
    return [dict(zip(keys, row, strict=True)) for row in rows]
