#!/usr/bin/env python3
"""Recommendations (issue 17): mkt's strategies and ensemble against popularity and implicit ALS,
in the same run, on gen.py events, with the protocol of ../shared/bench/als_reference.py.

  Benchmarks/recs_bench.py [--smoke] [--seeds 7,8] [--bin PATH] [--keep DIR] [--users-sampled 200]

Per seed: gen.py events (`--n 2000000 --products 50000 --users 30000 --days 60`) and the
catalog of those products (categories, brands) imported; then
  - quality: `mkt recs evaluate --json` (hit-rate@10, recall@10, NDCG@10, coverage, diversity per
    strategy, the ensemble and popularity) beside als_reference.py's popularity and ALS figures
    (pip install implicit; without it the ALS column is left out);
  - time: `mkt recs train` (whole process, peak RSS) beside the ALS fit time the reference prints;
  - latency: `mkt recs for-user` for sampled users, whole process, p50 / p95.
Exits 1 when the ensemble's hit rate is below 1.2 x ALS on a seed (not with --smoke).
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# The paths and the process timing of the events benchmark, beside this file.
from events_bench import BENCH, GEN, mkt_binary, run, timed  # noqa: E402

ALS = os.path.join(BENCH, "als_reference.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small data, no ALS check: checks the path")
    parser.add_argument("--seeds", default="7,8")
    parser.add_argument("--bin", help="the mkt binary (default: build release, or debug with --smoke)")
    parser.add_argument("--keep", help="keep the data and stores in this folder (reused when there)")
    parser.add_argument("--users-sampled", type=int, default=200)
    args = parser.parse_args()
    if not os.path.exists(GEN):
        sys.exit(f"recs_bench.py: {GEN} not found: the shared/ folder must sit beside the repository")
    mkt = mkt_binary(args.bin, args.smoke)
    try:
        import implicit  # noqa: F401
        have_als = not args.smoke
    except ImportError:
        have_als = False
        if not args.smoke:
            print("recs_bench: implicit is not installed (pip install implicit): no ALS column")
    n, products, users, days = (60_000, 2_000, 1_000, 30) if args.smoke else (2_000_000, 50_000, 30_000, 60)
    work = args.keep or tempfile.mkdtemp(prefix="mkt-recs-")
    os.makedirs(work, exist_ok=True)
    failed = False
    try:
        catalog = os.path.join(work, f"catalog-{products}.csv")
        merchants = os.path.join(work, "merchants.csv")
        if not os.path.exists(catalog):
            run([sys.executable, GEN, "catalog", "--n", str(products), "--format", "csv", "--seed", "42",
                 "--merchants", "50", "-o", catalog])
            run([sys.executable, GEN, "merchants", "--merchants", "50", "--seed", "42", "-o", merchants])
        for seed in [int(s) for s in args.seeds.split(",")]:
            events = os.path.join(work, f"events-{n}-{seed}.jsonl")
            if not os.path.exists(events):
                run([sys.executable, GEN, "events", "--n", str(n), "--products", str(products), "--users",
                     str(users), "--days", str(days), "--seed", str(seed), "-o", events])
            db = os.path.join(work, f"mkt-{seed}.db")
            if not os.path.exists(db):
                run([mkt, "init", "--db", db, "-q"])
                run([mkt, "merchant", "import", merchants, "--db", db, "-q"])
                run([mkt, "import", catalog, "--db", db, "-q"])
                run([mkt, "events", "ingest", events, "--db", db, "-q"])
            started = time.perf_counter()
            evaluation = json.loads(run([mkt, "recs", "evaluate", "--json", "--db", db], capture=True))
            evaluate_s = time.perf_counter() - started
            reference = {}
            fit_s = None
            if have_als:
                env_out = subprocess.run([sys.executable, ALS, events, "7"], check=True, stdout=subprocess.PIPE,
                                         env=dict(os.environ, OMP_NUM_THREADS="1",
                                                  OPENBLAS_NUM_THREADS="1")).stdout.decode()
                for line in env_out.splitlines():
                    found = re.match(r"(popularity|implicit ALS).*hit-rate@10 ([0-9.]+)\s+recall@10 ([0-9.]+)", line)
                    if found:
                        reference[found.group(1)] = (float(found.group(2)), float(found.group(3)))
                    fit = re.match(r"ALS fit ([0-9.]+) s", line)
                    if fit:
                        fit_s = float(fit.group(1))
            train_ms, _, train_rss = timed([mkt, "recs", "train", "--db", db, "-q"])
            sample = random.Random(seed).sample(range(users), min(args.users_sampled, users))
            latencies = []
            for user in sample:
                latencies.append(timed([mkt, "recs", "for-user", f"u{user}", "--db", db, "-q"])[0])
            latencies.sort()
            p95 = latencies[int(0.95 * (len(latencies) - 1))]
            print(f"\nseed {seed}: {n:,} events, {products:,} products, {users:,} users, {days} days; "
                  f"cut {evaluation['cut']}, {evaluation['test_users']} test users "
                  f"(evaluate {evaluate_s:.1f} s)")
            print(f"{'strategy':24} {'hit@10':>8} {'recall@10':>10} {'ndcg@10':>8} {'coverage':>9} {'diversity':>9}")
            for row in evaluation["rows"]:
                print(f"{'mkt ' + row['name']:24} {row['hit_rate']:8.4f} {row['recall']:10.4f} {row['ndcg']:8.4f} "
                      f"{row['coverage']:9.4f} {row['diversity']:9.4f}")
            for name, (hit, recall) in reference.items():
                print(f"{'reference ' + name:24} {hit:8.4f} {recall:10.4f}")
            ensemble = next(row["hit_rate"] for row in evaluation["rows"] if row["name"] == "ensemble")
            if "implicit ALS" in reference:
                ratio = ensemble / reference["implicit ALS"][0]
                print(f"ensemble / ALS hit rate: {ratio:.2f} (target >= 1.2)")
                failed = failed or ratio < 1.2
            print(f"recs train: {train_ms / 1000:.1f} s, peak RSS {train_rss:.0f} MB"
                  + (f"; ALS fit {fit_s:.1f} s (reference, same run)" if fit_s else ""))
            print(f"recs for-user, whole process: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms "
                  f"({len(latencies)} users)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
