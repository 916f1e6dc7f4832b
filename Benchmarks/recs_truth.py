#!/usr/bin/env python3
"""Each strategy on its natural case (issue 17), judged with gen.py's hidden structure (`events
--truth`), against popularity and implicit ALS in the same run.

  Benchmarks/recs_truth.py [--smoke] [--seed 7] [--bin PATH] [--keep DIR]

gen.py events (`--n 1000000 --products 20000 --users 20000 --days 60`) and their truth; the last
7 days are held out: mkt ingests and trains on the events before them alone, ALS (als_reference.py's
settings) and popularity fit the same events. Two cases:
  - launches: shoppers who bought, in the held-out days, a product gen.py launched within the 21
    days before the cut or after it (truth `trending`); hit-rate@10 on those purchases of
    `mkt recs for-user U --strategy trending --per-category 0` (and the ensemble) against ALS's
    and popularity's lists for the same shoppers;
  - complements: products met in training that gen.py gives complements (truth `complements`);
    the share whose 10 complements (`mkt recs similar P --complements`) hold one of them, and the
    share of their complements found, against ALS's 10 most similar items (`similar_items`) and
    popularity's 10.
The truth judges only: mkt never reads it. Exits 1 when a strategy is below ALS (below
popularity without implicit installed, or with --smoke) on its case.
"""
import argparse
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


def fit_als(train):
    """implicit ALS with als_reference.py's settings, with its user and item ids; None without it."""
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
    return als, matrix, user_ids, item_ids, items


def mkt_list(mkt, db, *arguments):
    """The product ids of a `mkt recs` list (JSON)."""
    found = json.loads(run([mkt, "recs", *arguments, "--json", "--db", db, "-q"], capture=True))
    return [item["product"] for item in found["items"]]


def report(name, figures, strategy, bar):
    """Prints the figures of a case; True when mkt's strategy is below the bar."""
    print(f"\n{name}")
    for label, value in figures.items():
        print(f"  {label:34} {value:.3f}")
    if figures[strategy] < figures[bar]:
        print(f"  {strategy} is below {bar} on its own case")
        return True
    return False


def launches_case(mkt, db, args, truth, cut, train, bought_after, popular, als):
    since = (cut - datetime.timedelta(days=21)).date().isoformat()
    launches = {sku for sku, fact in truth["trending"].items() if fact["launch"] >= since}
    wanted = {u: bought & launches for u, bought in bought_after.items() if u in train}
    shoppers = sorted(u for u, items in wanted.items() if items)
    shoppers = random.Random(args.seed).sample(shoppers, min(args.sampled, len(shoppers)))
    if not shoppers:
        print("\nlaunches: no shopper bought one in the held-out days")
        return False

    def hit_rate(lists):
        return sum(1 for u in shoppers if set(lists[u]) & wanted[u]) / len(shoppers)

    figures = {}
    for strategy in ["trending", None]:
        extra = ["--strategy", strategy] if strategy else []
        lists = {u: mkt_list(mkt, db, "for-user", u, "--per-category", "0", *extra) for u in shoppers}
        figures[f"mkt {strategy or 'ensemble'}"] = hit_rate(lists)
    figures["popularity"] = hit_rate({u: popular for u in shoppers})
    if als:
        model, matrix, user_ids, _, items = als
        figures["implicit ALS"] = hit_rate({u: [items[n] for n in model.recommend(
            user_ids[u], matrix[user_ids[u]], N=10, filter_already_liked_items=False)[0]] for u in shoppers})
    return report(f"launches since {since} ({len(launches)}): {len(shoppers)} shoppers who bought one in the "
                  "held-out days; hit-rate@10 on those purchases", figures, "mkt trending",
                  "implicit ALS" if als else "popularity")


def complements_case(mkt, db, args, truth, train_items, popular, als):
    complements = truth["complements"]
    products = sorted(p for p in complements if p in train_items)
    products = random.Random(args.seed).sample(products, min(args.sampled, len(products)))
    if not products:
        print("\ncomplements: no product with complements was met in training")
        return False

    def figures_of(lists):
        found = [len(set(lists[p]) & set(complements[p])) for p in products]
        return (sum(1 for f in found if f) / len(products),
                sum(f / len(complements[p]) for f, p in zip(found, products)) / len(products))

    rows = {"mkt cross-sell (similar --complements)": {}, "mkt co-visits (similar)": {}}
    for p in products:
        rows["mkt cross-sell (similar --complements)"][p] = mkt_list(mkt, db, "similar", p, "--complements")
        rows["mkt co-visits (similar)"][p] = mkt_list(mkt, db, "similar", p)
    rows["popularity"] = {p: popular for p in products}
    if als:
        model, _, _, item_ids, items = als
        rows["implicit ALS (similar_items)"] = {
            p: [items[n] for n in model.similar_items(item_ids[p], N=11)[0] if items[n] != p][:10]
            for p in products}
    figures = {}
    for label, lists in rows.items():
        hit, recall = figures_of(lists)
        figures[f"{label} hit"] = hit
        figures[f"{label} recall"] = recall
    return report(f"complements: {len(products)} products met in training; the share whose 10 hold one "
                  "of its complements (hit), and of their complements found (recall)", figures,
                  "mkt cross-sell (similar --complements) hit",
                  "implicit ALS (similar_items) hit" if als else "popularity hit")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small data, popularity as the bar: checks the path")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bin", help="the mkt binary (default: build release, or debug with --smoke)")
    parser.add_argument("--keep", help="keep the data and the store in this folder (reused when there)")
    parser.add_argument("--sampled", type=int, default=400, help="shoppers or products asked per case")
    args = parser.parse_args()
    mkt = mkt_binary(args.bin, args.smoke)
    n, products, users, days = (100_000, 2_000, 2_000, 60) if args.smoke else (1_000_000, 20_000, 20_000, 60)
    work = args.keep or tempfile.mkdtemp(prefix="mkt-truth-")
    os.makedirs(work, exist_ok=True)
    failed = False
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

        popular = [i for i, _ in popularity.most_common(10)]
        als = None if args.smoke else fit_als(train)
        print(f"seed {args.seed}: {n:,} events, {products:,} products, {users:,} users, {days} days; "
              f"cut {cut_text[:10]}")
        failed = launches_case(mkt, db, args, truth, cut, train, bought_after, popular, als)
        failed = complements_case(mkt, db, args, truth, set(popularity), popular, als) or failed
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
