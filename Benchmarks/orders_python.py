#!/usr/bin/env python3
"""Reference baseline for order placement (issue #8): a plain Python sqlite3 loop.

Measures orders per second placed into an existing mkt database (`mkt init`, WAL mode), one
`BEGIN IMMEDIATE` ... `COMMIT` per order, doing the same reads and writes as `mkt` order placement:
idempotency check, product and merchant reads, fraud counts, integer VAT pricing, the order row,
a guarded stock reservation per line (first warehouse serving the shipping country with enough
available stock), order lines, the first status event and an outbox row. Only the placement loop
is timed (time.perf_counter); reading the orders file is not. The target for `mkt` is at least
2x this loop, measured in the same run on a copy of the same database. Stdlib only (Python 3.11).

    python3 Benchmarks/orders_python.py --prepare --db DB --orders ORDERS.jsonl   # not timed
    python3 Benchmarks/orders_python.py --db DB --orders ORDERS.jsonl [--synchronous FULL|NORMAL] [--n N]

ORDERS.jsonl comes from `../shared/bench/gen.py orders`. --prepare adds a warehouse W1 serving all 25
countries to every merchant of the orders and sets stock on_hand = 1000000 for every (merchant, sku)
in them. Output: one JSON line {"orders", "replayed", "rejected", "out_of_stock", "seconds",
"orders_per_second", "synchronous"}.
"""
import argparse
import datetime
import json
import sqlite3
import sys
import time

COUNTRIES = "NL BE LU DE AT CH FR IT ES PT IE GB DK SE NO FI PL CZ SK HU RO GR SI HR EE"

SQL_IDEMPOTENCY = "SELECT id FROM orders WHERE idempotency_key = ?"
SQL_PRODUCT = ("SELECT p.price_minor, p.sale_price_minor, p.currency, p.brand, "
               "coalesce(p.google_product_category, p.product_type), p.title, m.price_basis, m.country "
               "FROM product p JOIN merchant m ON m.id = p.merchant_id WHERE p.merchant_id = ? AND p.id = ?")
# The fraud module's reads (issue 18): the customer's own orders, a key's velocities and accounts,
# the merchant's last 100 orders; and its record of the order.
SQL_CUSTOMER = ("SELECT at, amount_eur, card FROM fraud_observation WHERE customer_id = ? AND at <= ? "
                "ORDER BY at DESC LIMIT 200")
SQL_VELOCITY = ("SELECT count(*) FILTER (WHERE at > ?1 - 3600), count(*) FILTER (WHERE at > ?1 - 86400), "
                "count(*) FILTER (WHERE at > ?1 - 604800), count(DISTINCT customer_id), "
                "coalesce(max(customer_id = ?3), 0) FROM fraud_observation "
                "WHERE {} = ?2 AND at > ?1 - 2592000 AND at <= ?1")
SQL_BY_EMAIL = SQL_VELOCITY.format("email")
SQL_BY_IP = SQL_VELOCITY.format("ip")
SQL_MERCHANT = ("SELECT amount_eur, sku FROM fraud_observation WHERE merchant_id = ? AND at <= ? "
                "ORDER BY at DESC LIMIT 100")
SQL_OBSERVE = ("INSERT INTO fraud_observation (order_id, merchant_id, customer_id, email, ip, device_id, "
               "card, sku, amount_eur, at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)")
SQL_INSERT_ORDER = (
    "INSERT INTO orders (idempotency_key, merchant_id, customer_id, email, ip, country, billing_country, "
    "ip_country, currency, subtotal_minor, vat_minor, discount_minor, shipping_minor, total_minor, status, "
    "fraud_score, fraud_reasons, payment_method, payment_reference, codes, placed_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 'paid', ?, ?, 'card', ?, '', ?, ?)")
SQL_WAREHOUSES = ("SELECT id FROM warehouse WHERE merchant_id = ? AND (' ' || serves || ' ') LIKE ? "
                  "ORDER BY (country = ?) DESC, id")
SQL_RESERVE = (
    "INSERT INTO reservation (merchant_id, sku, warehouse_id, quantity, order_id, reason) "
    "SELECT ?1, ?2, ?3, -?4, ?5, 'order_placed' "
    "WHERE (SELECT on_hand FROM stock WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3) "
    "+ (SELECT coalesce(sum(quantity), 0) FROM reservation "
    "WHERE merchant_id = ?1 AND sku = ?2 AND warehouse_id = ?3) >= ?4")
SQL_INSERT_LINE = ("INSERT INTO order_line (order_id, line, sku, title, warehouse_id, quantity, unit_minor, "
                   "total_minor, vat_minor, vat_rate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '19')")
SQL_INSERT_EVENT = ("INSERT INTO order_event (order_id, seq, from_status, to_status, note, at) "
                    "VALUES (?, 1, NULL, 'paid', '', ?)")
SQL_INSERT_OUTBOX = "INSERT INTO outbox (topic, order_id, payload) VALUES ('order.placed', ?, ?)"


def vat_of(gross):
    """VAT included in a gross amount at 19 %: gross * 190000 / 1190000, rounded half to even."""
    q, r = divmod(gross * 190000, 1190000)
    if 2 * r > 1190000 or (2 * r == 1190000 and q % 2 == 1):
        q += 1
    return q


def seconds(placed_at):
    """placed_at as whole seconds since 1970."""
    return int(datetime.datetime.fromisoformat(placed_at.replace("Z", "+00:00")).timestamp())


def fraud(order, subtotal, by_customer, by_email, by_ip, history):
    """A simple 0-1000 score and its reasons from the velocity counts and the customer's history."""
    score, reasons = 0, []
    if by_ip >= 3:
        score, reasons = score + 100 * by_ip, reasons + ["ip_velocity"]
    if by_email >= 3 or by_customer >= 3:
        score, reasons = score + 80 * max(by_email, by_customer), reasons + ["customer_velocity"]
    if order.get("ip_country") and order["ip_country"] != order["country"]:
        score, reasons = score + 250, reasons + ["ip_country_mismatch"]
    count, total = history
    if count and subtotal > 5 * (total // count):
        score, reasons = score + 200, reasons + ["basket_above_usual"]
    return min(score, 1000), ",".join(reasons)


def place(db, o):
    """Places one order in its own transaction; returns 'placed', 'replayed', 'rejected' or 'out_of_stock'."""
    key, merchant, placed_at = o["idempotency_key"], o["merchant"], o["placed_at"]
    customer, email, ip = o["customer"]["id"], o["customer"]["email"], o.get("ip")
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute(SQL_IDEMPOTENCY, (key,)).fetchone() is not None:  # 1
            db.execute("ROLLBACK")
            return "replayed"
        lines = []
        for line in o["lines"]:  # 2
            p = db.execute(SQL_PRODUCT, (merchant, line["sku"])).fetchone()
            if p is None or (p[0] is None and p[1] is None):
                db.execute("ROLLBACK")
                return "rejected"
            lines.append((line["sku"], line["quantity"], p))
        at = seconds(placed_at)  # 3
        own = db.execute(SQL_CUSTOMER, (customer, at)).fetchall()
        by_customer = sum(1 for row in own if row[0] > at - 3600)
        history = (len(own), sum(row[1] or 0 for row in own))
        by_email = db.execute(SQL_BY_EMAIL, (at, email, customer)).fetchone()[0]
        by_ip = db.execute(SQL_BY_IP, (at, ip, customer)).fetchone()[0] if ip else 0
        recent = db.execute(SQL_MERCHANT, (merchant, at)).fetchall()
        same_sku = sum(1 for row in recent if row[1] == lines[0][0])
        priced = []  # 4
        for sku, quantity, p in lines:
            unit = p[1] if p[1] is not None else p[0]
            total = unit * quantity
            priced.append((sku, quantity, p[5], unit, total, vat_of(total)))
        subtotal = sum(x[4] for x in priced)
        vat = sum(x[5] for x in priced)
        score, reasons = fraud(o, subtotal, by_customer, by_email, by_ip, history)
        cur = db.execute(SQL_INSERT_ORDER, (  # 6 (before 5: reservations need the order id)
            key, merchant, customer, email, ip, o["country"], o.get("billing_country"), o.get("ip_country"),
            o["currency"], subtotal, vat, subtotal, score, reasons, "test-" + key, placed_at, placed_at))
        order_id = cur.lastrowid
        main = max(priced, key=lambda x: x[1])[0]
        db.execute(SQL_OBSERVE, (order_id, merchant, customer, email, ip, main, subtotal, at))
        pattern = "% " + o["country"] + " %"
        warehouses = []
        for sku, quantity, *_ in priced:  # 5
            chosen = None
            for (wid,) in db.execute(SQL_WAREHOUSES, (merchant, pattern, o["country"])).fetchall():
                if db.execute(SQL_RESERVE, (merchant, sku, wid, quantity, order_id)).rowcount == 1:
                    chosen = wid
                    break
            if chosen is None:
                db.execute("ROLLBACK")
                return "out_of_stock"
            warehouses.append(chosen)
        for n, ((sku, quantity, title, unit, total, line_vat), wid) in enumerate(zip(priced, warehouses), 1):
            db.execute(SQL_INSERT_LINE, (order_id, n, sku, title, wid, quantity, unit, total, line_vat))  # 7
        db.execute(SQL_INSERT_EVENT, (order_id, placed_at))  # 8
        payload = json.dumps({"id": order_id, "key": key, "total": subtotal, "currency": o["currency"]})
        db.execute(SQL_INSERT_OUTBOX, (order_id, payload))  # 9
        db.execute("COMMIT")  # 10
        return "placed"
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def prepare(db, orders):
    """Warehouse W1 (serving all 25 countries) per merchant and on_hand = 1000000 per (merchant, sku)."""
    merchants = sorted({o["merchant"] for o in orders})
    stock = sorted({(o["merchant"], line["sku"]) for o in orders for line in o["lines"]})
    db.execute("BEGIN IMMEDIATE")
    for m in merchants:
        db.execute("INSERT OR IGNORE INTO warehouse (merchant_id, id, name, country, serves) "
                   "SELECT id, 'W1', 'W1', country, ? FROM merchant WHERE id = ?", (COUNTRIES, m))
    known = {m for (m,) in db.execute("SELECT merchant_id FROM warehouse WHERE id = 'W1'")}
    rows = [(m, sku) for m, sku in stock if m in known]
    db.executemany("INSERT OR REPLACE INTO stock (merchant_id, sku, warehouse_id, on_hand, updated_at) "
                   "VALUES (?, ?, 'W1', 1000000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", rows)
    db.execute("COMMIT")
    missing = [m for m in merchants if m not in known]
    print(json.dumps({"merchants": len(merchants) - len(missing), "stock_rows": len(rows),
                      "merchants_missing": missing}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--orders", required=True)
    ap.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL")
    ap.add_argument("--n", type=int, help="place only the first N orders of the file")
    ap.add_argument("--prepare", action="store_true", help="add warehouse W1 and stock for the orders (untimed)")
    a = ap.parse_args()
    with open(a.orders, encoding="utf-8") as f:
        orders = [json.loads(line) for line in f if line.strip()]
    if a.n is not None:
        orders = orders[:a.n]
    db = sqlite3.connect(f"file:{a.db}?mode=rw", uri=True, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 5000")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA synchronous = {a.synchronous}")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        print("warning: the database is not in WAL mode", file=sys.stderr)
    if a.prepare:
        prepare(db, orders)
        return
    counts = {"placed": 0, "replayed": 0, "rejected": 0, "out_of_stock": 0}
    start = time.perf_counter()
    for o in orders:
        counts[place(db, o)] += 1
    seconds = time.perf_counter() - start
    db.close()
    print(json.dumps({"orders": counts["placed"], "replayed": counts["replayed"],
                      "rejected": counts["rejected"], "out_of_stock": counts["out_of_stock"],
                      "seconds": round(seconds, 3),
                      "orders_per_second": round(counts["placed"] / seconds, 1) if seconds > 0 else 0.0,
                      "synchronous": a.synchronous}))


if __name__ == "__main__":
    main()
