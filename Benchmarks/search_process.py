#!/usr/bin/env python3
"""`mkt search` as a whole process: start, open the store, search, print, exit.

    python3 Benchmarks/search_process.py MKT DB QUERIES [ROUNDS]

Each query of QUERIES (gen.py queries) runs as `mkt search QUERY --facets brand,category,price
--per-page 20 --json`, after one warm-up round; prints p50/p95/p99 wall milliseconds.
"""
import subprocess
import sys
import time


def main():
    mkt, db, queries_path = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    queries = [q for q in open(queries_path, encoding="utf-8").read().split("\n") if q]
    times = []
    for round_ in range(rounds + 1):
        for query in queries:
            start = time.perf_counter()
            subprocess.run([mkt, "search", "--db", db, "--facets", "brand,category,price",
                            "--per-page", "20", "--json", "--", query],
                           check=True, stdout=subprocess.DEVNULL)
            if round_ > 0:
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    at = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    print(f"mkt search process, {len(queries)} queries x {rounds}: "
          f"p50 {at(0.5):.1f} ms  p95 {at(0.95):.1f} ms  p99 {at(0.99):.1f} ms")


if __name__ == "__main__":
    main()
