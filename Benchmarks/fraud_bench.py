#!/usr/bin/env python3
"""Fraud: quality of the trained model on gen.py's labelled orders, and the speed of a backtest
over stored orders.

    python3 Benchmarks/fraud_bench.py [--orders 200000] [--stored 1000000] [--work DIR]
    python3 Benchmarks/fraud_bench.py --smoke     # 5,000 and 20,000 orders, the debug build (CI)

Quality (issue 18): gen.py orders (--fraud 0.05) for 50 merchants' catalog, priced against it;
the model is trained on the first 70 % by time (`mkt fraud train --orders`), then the whole
file is replayed (`mkt fraud backtest --orders … --decisions`) so the last 30 % are scored with
the history before them, and precision, recall (at the review threshold, 0.8) and AUC are
computed here, outside mkt, from the decisions file, for the trained model and for the built-in
weights.

Speed: --stored orders written into a fresh database's fraud record as placement records them
(ids in time order, amounts in euro cents from the catalog's prices, labels), then `mkt fraud
backtest --since 2000-01-01 --model builtin` replays them all: wall time and peak RSS.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen.py")
MKT = os.path.join(ROOT, ".build", "release", "mkt")
SMOKE_MKT = os.path.join(ROOT, ".build", "debug", "mkt")


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout


def timed(cmd):
    """Wall seconds and peak RSS (MB) of a command, through GNU time."""
    start = time.time()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.time() - start
    rss = int(result.stderr.strip().splitlines()[-1]) / 1024
    return seconds, rss, result.stdout


def auc(scores, labels):
    pairs = sorted(zip(scores, labels))
    rank_sum, index, positives = 0.0, 0, sum(labels)
    while index < len(pairs):
        end = index
        while end + 1 < len(pairs) and pairs[end + 1][0] == pairs[index][0]:
            end += 1
        rank = (index + end) / 2 + 1
        rank_sum += rank * sum(1 for k in range(index, end + 1) if pairs[k][1])
        index = end + 1
    negatives = len(pairs) - positives
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def figures(decisions, since):
    """Precision, recall (flagged = reviewed or blocked) and AUC over the orders at or after
    `since` (ISO text)."""
    scores, labels, flagged_fraud, flagged, fraud = [], [], 0, 0, 0
    with open(decisions, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["at"] < since or record.get("label") is None:
                continue
            label = record["label"]
            scores.append(record["score"])
            labels.append(label)
            hit = record["decision"] != "allow"
            fraud += label
            flagged += hit
            flagged_fraud += hit and label
    return {
        "orders": len(labels), "fraud": fraud,
        "precision": flagged_fraud / flagged if flagged else 0.0,
        "recall": flagged_fraud / fraud if fraud else 0.0,
        "auc": auc(scores, labels),
    }


def quality(args, work, db):
    raw = os.path.join(work, "orders.ndjson")
    run([sys.executable, GEN, "orders", "--n", str(args.orders), "--products", "20000",
         "--fraud", "0.05", "--start", "2025-03-01", "--days", "60", "--seed", "1", "-o", raw])
    with open(raw, encoding="utf-8") as f:
        orders = sorted(f, key=lambda line: json.loads(line)["placed_at"])
    cut = len(orders) * 7 // 10
    since = json.loads(orders[cut])["placed_at"]
    train = os.path.join(work, "train.ndjson")
    with open(train, "w", encoding="utf-8") as f:
        f.writelines(orders[:cut])
    model = os.path.join(work, "model.json")
    seconds, rss, _ = timed([MKT, "fraud", "train", "--orders", train, "--out", model,
                             "--dry-run", "--db", db, "-q"])
    print(f"train on {cut} orders: {seconds:.1f} s, peak RSS {rss:.0f} MB")
    rows = []
    for name, choice in (("trained model", model), ("built-in weights", "builtin")):
        decisions = os.path.join(work, f"decisions-{choice == 'builtin'}.ndjson")
        seconds, rss, _ = timed([MKT, "fraud", "backtest", "--orders", raw, "--model", choice,
                                 "--decisions", decisions, "--db", db, "-q", "--json"])
        result = figures(decisions, since)
        rows.append((name, result, seconds))
    print(f"\nlast 30 % by time ({rows[0][1]['orders']} orders, {rows[0][1]['fraud']} fraud), "
          "flagged = review or block at 0.8:")
    print("| scorer | precision | recall | AUC | backtest of all orders |")
    print("|---|---:|---:|---:|---:|")
    for name, result, seconds in rows:
        print(f"| {name} | {result['precision']:.3f} | {result['recall']:.3f} | "
              f"{result['auc']:.3f} | {seconds:.1f} s |")


def stored(args, work, db):
    raw = os.path.join(work, "stored.ndjson")
    run([sys.executable, GEN, "orders", "--n", str(args.stored), "--products", "20000",
         "--fraud", "0.05", "--start", "2025-03-01", "--days", "90", "--seed", "2", "-o", raw])
    with open(raw, encoding="utf-8") as f:
        orders = sorted((json.loads(line) for line in f), key=lambda o: o["placed_at"])
    copy = os.path.join(work, "stored.db")
    for suffix in ("", "-wal", "-shm", "-search"):
        if os.path.exists(copy + suffix):
            os.remove(copy + suffix)
    run([MKT, "init", "--db", copy, "-q"])
    con = sqlite3.connect(copy)
    import datetime
    def seconds(text):
        return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())
    rows, labels = [], []
    for index, order in enumerate(orders, 1):
        lines = order["lines"]
        largest = max(lines, key=lambda line: line["quantity"])
        # A price per SKU between 5 and 200 euros, fixed by the SKU.
        amount = sum(line["quantity"] * (500 + zlib.crc32(line["sku"].encode()) % 19_500)
                     for line in lines)
        at = seconds(order["placed_at"])
        rows.append((index, order["merchant"], order["customer"]["id"],
                     order["customer"]["email"], order.get("ip"), largest["sku"], amount, at,
                     order["country"], order.get("billing_country"), order.get("ip_country"),
                     largest["quantity"], at))
        labels.append((index, order["label_fraud"]))
    con.executemany(
        "INSERT INTO fraud_observation (order_id, merchant_id, customer_id, email, ip, sku, "
        "amount_eur, at, country, billing_country, ip_country, quantity, paid_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.executemany(
        "INSERT INTO fraud_label (order_id, fraud, source, at) VALUES (?, ?, 'import', '')",
        labels)
    con.commit()
    con.close()
    seconds_, rss, out = timed([MKT, "fraud", "backtest", "--since", "2000-01-01", "--model",
                                "builtin", "--db", copy, "--json", "-q"])
    result = json.loads(out)
    print(f"\nbacktest of {result['orders']} stored orders: {seconds_:.1f} s "
          f"({result['orders'] / seconds_:,.0f} orders/s), peak RSS {rss:.0f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=200000)
    parser.add_argument("--stored", type=int, default=1000000)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-stored", action="store_true")
    parser.add_argument("--work", default=None)
    parser.add_argument("--smoke", action="store_true",
                        help="5,000 orders and 20,000 stored ones with the debug build: checks the path")
    args = parser.parse_args()
    global MKT
    if args.smoke:
        MKT = SMOKE_MKT
        args.orders, args.stored = 5000, 20000
    if not os.path.exists(MKT):
        sys.exit(f"build first: {MKT} is missing (make build)")
    work = args.work or tempfile.mkdtemp(prefix="mkt-fraud-bench-")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "catalog.db")
    if not os.path.exists(db):
        catalog = os.path.join(work, "catalog.csv")
        merchants = os.path.join(work, "merchants.csv")
        run([sys.executable, GEN, "catalog", "--n", "20000", "--format", "csv", "--seed", "42",
             "-o", catalog])
        run([sys.executable, GEN, "merchants", "--merchants", "50", "--seed", "42", "-o",
             merchants])
        run([MKT, "init", "--db", db, "-q"])
        run([MKT, "merchant", "import", merchants, "--db", db, "-q"])
        run([MKT, "import", catalog, "--db", db, "-q", "--max-errors", "1000000"])
        run([MKT, "currency", "import", os.path.join(ROOT, "examples", "ecb",
                                                     "eurofxref-hist.xml"), "--db", db, "-q"])
    if not args.skip_quality:
        quality(args, work, db)
    if not args.skip_stored:
        stored(args, work, db)


if __name__ == "__main__":
    main()
