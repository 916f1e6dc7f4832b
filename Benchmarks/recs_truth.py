#!/usr/bin/env python3
"""Each strategy on its natural case (issue 17), judged with gen.py's hidden structure (`events
--truth`), against popularity and implicit ALS in the same run.

  Benchmarks/recs_truth.py [--smoke] [--seed 7] [--bin PATH] [--keep DIR]

gen.py events (`--n 1000000 --products 20000 --users 20000 --days 60`) and their truth; the last
7 days are held out: mkt ingests and trains on the events before them alone, ALS and popularity
fit the same events. The natural cases are purchases in the held-out days of
  - launches: a product gen.py launched within the 21 days before the cut or after it (truth
    `trending`), judged on mkt's trending strategy alone and the ensemble;
  - complements: a product gen.py lists as a complement (truth `complements`) of one the shopper
    carted or bought before the cut, judged on cross-sell alone and the ensemble.
hit-rate@10: the share of the shoppers with such a purchase (and training history) whose 10
products (`mkt recs for-user U --strategy S --per-category 0 --json`) hold one of them. The truth
judges only: mkt never reads it. Exits 1 when a strategy is below ALS (below popularity without
implicit installed, or with --smoke) on its case.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import sys
import tempfile
from collections import Counter, defaultdict

from events_bench import GEN, mkt_binary, run  # noqa: E402

WEIGHTS = {"product_view": 1.0, "add_to_cart": 3.0, "purchase": 5.0}


def parse_time(text):
    return datetime.datetime.fromisoformat(text[:19])


def als_lists(train, users, k=10):
    """Top-k of implicit ALS (als_reference.py's settings) for `users`, or None without it."""
    try:
        import numpy as np
        import scipy.sparse as sp
        from implicit.als import AlternatingLeastSquares
    except ImportError:
        return None
    user_ids = {u: n for n, u in enumerate(train)}
    items = sorted({i for counts in train.values() for i in counts})
    item_ids = {i: n for n, i in enumerate(items)}
    rows, cols, vals = [], [], []
    for u, counts in train.items():
        for i, weight in counts.items():
            rows.append(user_ids[u])
            cols.append(item_ids[i])
            vals.append(weight)
    matrix = sp.csr_matrix((np.array(vals, np.float32), (rows, cols)), shape=(len(user_ids), len(items)))
    als = AlternatingLeastSquares(factors=64, iterations=15, regularization=0.05, alpha=10, random_state=0)
    als.fit(matrix, show_progress=False)
    lists = {}
    for u in users:
        ids, _ = als.recommend(user_ids[u], matrix[user_ids[u]], N=k, filter_already_liked_items=False)
        lists[u] = [items[n] for n in ids]
    return lists


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small data, popularity as the bar: checks the path")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bin", help="the mkt binary (default: build release, or debug with --smoke)")
    parser.add_argument("--keep", help="keep the data and the store in this folder (reused when there)")
    parser.add_argument("--users-sampled", type=int, default=400, help="shoppers asked per case")
    args = parser.parse_args()
    mkt = mkt_binary(args.bin, args.smoke)
    n, products, users, days = (100_000, 2_000, 2_000, 60) if args.smoke else (1_000_000, 20_000, 20_000, 60)
    work = args.keep or tempfile.mkdtemp(prefix="mkt-truth-")
    os.makedirs(work, exist_ok=True)
    try:
        events_path = os.path.join(work, f"events-{n}-{args.seed}.jsonl")
        truth_path = os.path.join(work, f"truth-{n}-{args.seed}.json")
        if not os.path.exists(truth_path):
            run([sys.executable, GEN, "events", "--n", str(n), "--products", str(products), "--users", str(users),
                 "--days", str(days), "--seed", str(args.seed), "-o", events_path, "--truth", truth_path])
        catalog = os.path.join(work, f"catalog-{products}.csv")
        merchants = os.path.join(work, "merchants.csv")
        if not os.path.exists(catalog):
            run([sys.executable, GEN, "catalog", "--n", str(products), "--format", "csv", "--seed", "42",
                 "--merchants", "50", "-o", catalog])
            run([sys.executable, GEN, "merchants", "--merchants", "50", "--seed", "42", "-o", merchants])
        with open(truth_path) as f:
            truth = json.load(f)
        with open(events_path) as f:
            lines = f.readlines()
        end = max(parse_time(json.loads(line)["ts"]) for line in lines[-1000:])
        cut = end - datetime.timedelta(days=7)
        cut_text = cut.isoformat()
        training = os.path.join(work, "training.jsonl")
        train = defaultdict(Counter)
        baskets = defaultdict(set)
        bought_after = defaultdict(set)
        popularity = Counter()
        with open(training, "w") as out:
            for line in lines:
                event = json.loads(line)
                kind = event["type"]
                if event["ts"] < cut_text:
                    out.write(line)
                    if kind in WEIGHTS:
                        train[event["user_id"]][event["product_id"]] += WEIGHTS[kind]
                        popularity[event["product_id"]] += WEIGHTS[kind]
                    if kind in ("add_to_cart", "purchase"):
                        baskets[event["user_id"]].add(event["product_id"])
                elif kind == "purchase":
                    bought_after[event["user_id"]].add(event["product_id"])
        del lines
        db = os.path.join(work, f"mkt-{args.seed}.db")
        if not os.path.exists(db):
            run([mkt, "init", "--db", db, "-q"])
            run([mkt, "merchant", "import", merchants, "--db", db, "-q"])
            run([mkt, "import", catalog, "--db", db, "-q"])
            run([mkt, "events", "ingest", training, "--db", db, "-q"])
            run([mkt, "recs", "train", "--db", db, "-q"])

        launched_since = (cut - datetime.timedelta(days=21)).date().isoformat()
        launches = {sku for sku, fact in truth["trending"].items() if fact["launch"] >= launched_since}
        complements = truth["complements"]
        cases = {
            "launches": ({u: bought & launches for u, bought in bought_after.items() if u in train},
                         ["trending", None]),
            "complements": ({u: bought & {c for p in baskets[u] for c in complements.get(p, [])}
                             for u, bought in bought_after.items() if u in train},
                            ["cross-sell", None]),
        }
        popular = [i for i, _ in popularity.most_common(10)]
        sampled = {}
        for name, (wanted, _) in cases.items():
            shoppers = sorted(u for u, items in wanted.items() if items)
            sampled[name] = random.Random(args.seed).sample(shoppers, min(args.users_sampled, len(shoppers)))
        everyone = sorted({u for shoppers in sampled.values() for u in shoppers})
        als = None if args.smoke else als_lists(train, everyone)
        failed = False
        print(f"seed {args.seed}: {n:,} events, {products:,} products, {users:,} users, {days} days; cut {cut_text[:10]}; "
              f"{len(launches)} launches since {launched_since}")
        for name, (wanted, strategies) in cases.items():
            shoppers = sampled[name]
            if not shoppers:
                print(f"{name}: no shopper bought one in the held-out days")
                continue

            def hit_rate(lists):
                return sum(1 for u in shoppers if set(lists[u]) & wanted[u]) / len(shoppers)

            figures = {}
            for strategy in strategies:
                lists = {}
                for u in shoppers:
                    command = [mkt, "recs", "for-user", u, "--per-category", "0", "--json", "--db", db, "-q"]
                    if strategy:
                        command += ["--strategy", strategy]
                    found = json.loads(run(command, capture=True))
                    lists[u] = [item["product"] for item in found["items"]]
                figures[f"mkt {strategy or 'ensemble'}"] = hit_rate(lists)
            figures["popularity"] = hit_rate({u: popular for u in shoppers})
            if als is not None:
                figures["implicit ALS"] = hit_rate(als)
            print(f"\n{name}: {len(shoppers)} shoppers (of {sum(1 for v in wanted.values() if v)}) "
                  f"bought one in the held-out days; hit-rate@10 on those purchases")
            for label, value in figures.items():
                print(f"  {label:22} {value:.3f}")
            strategy = f"mkt {strategies[0]}"
            bar = "implicit ALS" if als is not None else "popularity"
            if figures[strategy] < figures[bar]:
                print(f"  {strategy} is below {bar} on its own case")
                failed = True
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
