#!/usr/bin/env bash
# Benchmarks: same-run ratios against sqlite3 (compare.py), and with --swift the in-process
# microbenchmarks of this package (ordo-one/benchmark: wall time, throughput, mallocs).
#   Benchmarks/run.sh [--smoke]     ratios; --smoke = small data, one run (CI), events included
#   Benchmarks/run.sh --events      events ingest and reports against DuckDB (events_bench.py)
#   Benchmarks/run.sh --recs        recommendations against popularity and ALS (recs_bench.py)
#   Benchmarks/run.sh --recs-truth  each strategy on its natural case, judged by gen.py's truth
#   python3 Benchmarks/fraud_bench.py  fraud quality on gen.py orders, backtest speed (issue 18)
#   python3 Benchmarks/serve_bench.py  mkt serve under wrk, its memory, mkt push (issue 19)
#   Benchmarks/run.sh --swift       swift package benchmark, on data made by gen.py
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = "--swift" ]; then
  shift
  mkdir -p "$here/data"
  gen="$here/../../shared/bench/gen.py"
  [ -f "$here/data/catalog-100k.csv" ] ||
    python3 "$gen" catalog --n 100000 --format csv --seed 42 -o "$here/data/catalog-100k.csv"
  [ -f "$here/data/catalog-100k.xml" ] ||
    python3 "$gen" catalog --n 100000 --format xml --seed 42 -o "$here/data/catalog-100k.xml"
  [ -f "$here/data/merchants-10k.csv" ] ||
    python3 "$gen" merchants --merchants 10000 --seed 42 -o "$here/data/merchants-10k.csv"
  cd "$here" && MKT_BENCH_DATA="$here/data" swift package benchmark "$@"
elif [ "${1:-}" = "--events" ]; then
  shift
  python3 "$here/events_bench.py" "$@"
elif [ "${1:-}" = "--recs" ]; then
  shift
  python3 "$here/recs_bench.py" "$@"
elif [ "${1:-}" = "--recs-truth" ]; then
  shift
  python3 "$here/recs_truth.py" "$@"
else
  python3 "$here/compare.py" "$@"
  if [ "${1:-}" = "--smoke" ]; then
    python3 "$here/events_bench.py" --smoke
    python3 "$here/recs_bench.py" --smoke
    python3 "$here/recs_truth.py" --smoke
    python3 "$here/fraud_bench.py" --smoke
    python3 "$here/serve_bench.py" --smoke
  fi
fi
