#!/usr/bin/env python3
"""Order export: `mkt orders export` of N order lines to CSV (lines/s, peak RSS), against the
sqlite3 shell writing the same join as CSV, same run, same database.

    python3 Benchmarks/orders_export_bench.py [--lines 1000000] [--work DIR]

The orders (3 lines each) are written straight into a fresh mkt database with Python's
sqlite3 (not timed): export speed does not depend on how they were placed.
"""
import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd, stdout=subprocess.DEVNULL):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=stdout)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="mkt-export-bench-")
    os.makedirs(work, exist_ok=True)
    mkt = os.path.join(ROOT, ".build", "release", "mkt")
    if not os.path.exists(mkt):
        sys.exit(f"build first: {mkt} is missing (make build)")
    db = os.path.join(work, "orders.db")
    for suffix in ("", "-wal", "-shm", "-search"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    subprocess.run([mkt, "init", "--db", db, "-q"], check=True)
    subprocess.run([mkt, "merchant", "add", "M1", "--name", "Bench", "--country", "DE",
                    "--db", db, "-q"], check=True)
    orders = (args.lines + 2) // 3
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    with con:
        con.executemany(
            "INSERT INTO orders (id, idempotency_key, merchant_id, customer_id, email, ip, country, "
            "billing_country, ip_country, currency, subtotal_minor, vat_minor, discount_minor, "
            "shipping_minor, total_minor, status, fraud_score, payment_method, payment_reference, "
            "placed_at, updated_at) VALUES (?, ?, 'M1', ?, ?, '10.0.0.1', 'DE', 'DE', 'DE', 'EUR', "
            "?, ?, 0, 0, ?, 'paid', 0, 'card', ?, ?, ?)",
            ((i, f"k{i}", f"C{i % 50000}", f"c{i % 50000}@example.de", 3 * 1999 * (1 + i % 3),
              3 * 319, 3 * 1999 * (1 + i % 3), f"test-order-{i}",
              f"2026-11-{1 + i % 25:02d}T10:00:00Z", f"2026-11-{1 + i % 25:02d}T10:00:00Z")
             for i in range(1, orders + 1)))
        con.executemany(
            "INSERT INTO order_line (order_id, line, sku, title, warehouse_id, quantity, "
            "unit_minor, total_minor, vat_minor, vat_rate) VALUES (?, ?, ?, ?, 'W1', ?, 1999, ?, 319, '19')",
            ((i, n, f"SKU-{(i * 7 + n) % 100000:07d}", f"Product {(i * 7 + n) % 100000}, grey",
              1 + i % 3, 1999 * (1 + i % 3))
             for i in range(1, orders + 1) for n in (1, 2, 3)))
    con.close()
    lines = orders * 3
    out = os.path.join(work, "orders.csv")
    mkt_s, mkt_rss = timed([mkt, "orders", "export", "--db", db, "-o", out, "-q"])
    ref = os.path.join(work, "ref.csv")
    query = ("SELECT o.id, o.placed_at, o.status, o.merchant_id, o.customer_id, o.email, o.country, "
             "o.currency, o.subtotal_minor, o.vat_minor, o.discount_minor, o.shipping_minor, "
             "o.total_minor, o.refunded_minor, o.payment_method, o.codes, l.line, l.sku, l.title, "
             "l.warehouse_id, l.quantity, l.unit_minor, l.total_minor, l.vat_minor, l.vat_rate, "
             "l.fulfilled FROM orders o JOIN order_line l ON l.order_id = o.id ORDER BY o.id, l.line")
    with open(ref, "w") as f:
        ref_s, ref_rss = timed(["sqlite3", "-csv", "-header", db, query], stdout=f)
    print(f"mkt orders export  {lines} lines  {mkt_s:.2f} s  {lines / mkt_s:,.0f} lines/s  "
          f"peak RSS {mkt_rss:.0f} MB")
    print(f"sqlite3 -csv       {lines} lines  {ref_s:.2f} s  {lines / ref_s:,.0f} lines/s")


if __name__ == "__main__":
    main()
