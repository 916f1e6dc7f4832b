#!/usr/bin/env python3
"""Order placement: mkt's library API (Benchmarks/OrderPlacement) against the plain Python
sqlite3 loop (Benchmarks/orders_python.py) doing the same reads and writes, same run, same data.

    python3 Benchmarks/orders_bench.py [--orders 20000] [--products 20000] [--callers 64]

Builds a database with gen.py's merchants (50) and catalog, a warehouse serving all countries
per merchant and ample stock; gen.py orders are given 3 lines each and the shipping country's
currency. Each measurement runs on a fresh copy of that database. Prints a table of orders/s.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen.py")


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kwargs).stdout


CURRENCY = {"CH": "CHF", "GB": "GBP", "DK": "DKK", "SE": "SEK", "NO": "NOK", "PL": "PLN",
            "CZ": "CZK", "HU": "HUF", "RO": "RON"}


# The codes gen.py's orders carry, and rules of the kinds a marketplace runs at once.
RULES = """
rules:
  - {id: welcome10, kind: amount_off, amount: "10.00", currency: EUR, code: WELCOME10,
     limits: {per_customer: 1}, priority: 10, stackable: false}
  - {id: summer20, kind: percentage_off, percent: 20, code: SUMMER20, priority: 20}
  - {id: vip15, kind: percentage_off, percent: 15, code: VIP15, priority: 30}
  - {id: freeship, kind: free_shipping, amount: "0.00", currency: EUR, code: FREESHIP}
  - {id: furniture-sale, kind: percentage_off, percent: 15, priority: 90,
     scope: {categories: ["Furniture"]}}
  - {id: apparel-10, kind: percentage_off, percent: 10, priority: 80,
     scope: {categories: ["Apparel & Accessories"]}}
  - {id: volume, kind: tiered, priority: 50,
     tiers: [{min_quantity: 3, percent: 5}, {min_quantity: 10, percent: 10}]}
  - {id: nordic-extra, kind: percentage_off, percent: 3, priority: 40,
     scope: {countries: [DK, SE, NO, FI]}}
  - {id: charm-eur, kind: charm_rounding, ending: "0.99", currency: EUR}
  - {id: happy-hour, kind: percentage_off, percent: 5, priority: 60,
     schedule: {timezone: Europe/Paris, daily_from: "10:00", daily_to: "14:00"}}
"""


def three_lines(src, dst):
    """gen.py orders with exactly 3 lines (the issue's benchmark), paid in the shipping
    country's currency (gen.py writes the merchant's, which placement refuses when the country
    does not use it)."""
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            order = json.loads(line)
            lines = order["lines"]
            while len(lines) < 3:
                lines.append(dict(lines[len(lines) % len(lines)]))
            order["lines"] = lines[:3]
            order["currency"] = CURRENCY.get(order["country"], "EUR")
            # gen.py places orders in January 2025; the shipped ECB fixture starts on 2025-02-12.
            placed = datetime.datetime.fromisoformat(order["placed_at"].replace("Z", "+00:00"))
            order["placed_at"] = (placed + datetime.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.write(json.dumps(order, sort_keys=True) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--callers", type=int, default=64)
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="mkt-orders-bench-")
    os.makedirs(work, exist_ok=True)
    mkt = os.path.join(ROOT, ".build", "release", "mkt")
    bench = os.path.join(HERE, ".build", "release", "OrderPlacement")
    for path in (mkt, bench):
        if not os.path.exists(path):
            sys.exit(f"build first: {path} is missing (make build; "
                     "swift build -c release --package-path Benchmarks --product OrderPlacement)")
    catalog = os.path.join(work, "catalog.csv")
    merchants = os.path.join(work, "merchants.csv")
    raw = os.path.join(work, "orders-raw.jsonl")
    orders = os.path.join(work, "orders.jsonl")
    run([sys.executable, GEN, "catalog", "--n", str(args.products), "--format", "csv", "--seed", "42",
         "-o", catalog])
    run([sys.executable, GEN, "merchants", "--merchants", "50", "--seed", "42", "-o", merchants])
    run([sys.executable, GEN, "orders", "--n", str(args.orders), "--products", str(args.products),
         "-o", raw])
    three_lines(raw, orders)
    base = os.path.join(work, "base.db")
    run([mkt, "init", "--db", base, "-q"])
    run([mkt, "merchant", "import", merchants, "--db", base, "-q"])
    run([mkt, "import", catalog, "--db", base, "-q", "--max-errors", "1000000"])
    run([sys.executable, os.path.join(HERE, "orders_python.py"), "--prepare", "--db", base,
         "--orders", orders])
    run([mkt, "currency", "import", os.path.join(ROOT, "examples", "ecb", "eurofxref-hist.xml"),
         "--db", base, "-q"])
    rules = os.path.join(work, "rules.yaml")
    with open(rules, "w", encoding="utf-8") as f:
        f.write(RULES)
    run([mkt, "pricing", "load", rules, "--db", base, "-q"])
    results = []
    for sync in ("FULL", "NORMAL"):
        for who in ("python", "mkt"):
            db = os.path.join(work, f"{who}-{sync}.db")
            for suffix in ("", "-wal", "-shm", "-search"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            shutil.copy(base, db)
            if who == "python":
                out = run([sys.executable, os.path.join(HERE, "orders_python.py"), "--db", db,
                           "--orders", orders, "--synchronous", sync])
            else:
                out = run([bench, db, orders, str(args.callers), sync.lower()])
            result = json.loads(out.strip().splitlines()[-1])
            results.append((who, sync, result))
            print(f"{who:7} {sync:7} {result['orders']:>7} orders  {result['orders_per_second']:>9} orders/s",
                  flush=True)
    for sync in ("FULL", "NORMAL"):
        py = next(r for w, s, r in results if w == "python" and s == sync)
        sw = next(r for w, s, r in results if w == "mkt" and s == sync)
        ratio = float(sw["orders_per_second"]) / float(py["orders_per_second"])
        print(f"{sync}: mkt {float(sw['orders_per_second']):.0f}/s vs python "
              f"{float(py['orders_per_second']):.0f}/s = {ratio:.2f}x")


if __name__ == "__main__":
    main()
