#!/usr/bin/env bash
# Crash trial for `mkt import` (issue #5): SIGKILL an import at random moments, then check that
# the database passes `PRAGMA integrity_check` and the search index's integrity-check, keeps its
# three search triggers, and holds exactly the catalog from before the import or from after it,
# never a mix; then that a search answers exactly as it does on that catalog untouched (the saved
# columns and the file beside the database, `<db>-search`, are never stale). Half the trials
# kill an import into an empty catalog (the bulk path, which suspends the row trigger inside its
# transaction), half an import over a full one.
#   scripts/crash-trial.sh [TRIALS=20] [ROWS=200000]      (MKT=path/to/mkt to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-20}
rows=${2:-200000}
mkt=${MKT:-.build/release/mkt}
gen=../shared/bench/gen.py
[ -x "$mkt" ] || make -s .build/release/mkt >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$gen" merchants --merchants 50 --seed 42 -o "$work/merchants.csv"
python3 "$gen" catalog --n "$rows" --merchants 50 --seed 42 -o "$work/before.csv"
python3 "$gen" catalog --n "$rows" --merchants 50 --seed 43 -o "$work/after.csv"

state() {  # products, a checksum of their content hashes, indexed docs, search triggers
  sqlite3 "$1" "SELECT count(*) || ' ' || coalesce(sum(content_hash % 1000003), 0)
    || ' ' || (SELECT count(*) FROM product_search_docsize)
    || ' ' || (SELECT count(*) FROM sqlite_master WHERE type = 'trigger') FROM product"
}
index_ok() {  # FTS5's own check of the index against the catalog
  sqlite3 "$1" "INSERT INTO product_search (product_search, rank) VALUES ('integrity-check', 1)"
}
answers() {  # what a search with facets finds, without its timing
  "$mkt" search --db "$1" --facets brand,category,price --per-page 20 --json -- "$query" \
    | python3 -c "import json, sys; r = json.load(sys.stdin); r.pop('took_ms', None); print(r)"
}
fresh() {  # a database holding the 'before' catalog
  rm -f "$1" "$1-wal" "$1-shm" "$1-search" "$1-words"
  cp "$work/before.db" "$1"
}
python3 "$gen" queries --n 1 --seed 42 -o "$work/queries.txt"
query=$(head -1 "$work/queries.txt")

"$mkt" init --db "$work/empty.db" -q
"$mkt" merchant import "$work/merchants.csv" --db "$work/empty.db" -q
sqlite3 "$work/empty.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$work/empty.db" "$work/before.db"
"$mkt" import "$work/before.csv" --db "$work/before.db" -q
fresh "$work/after.db"
start=$(date +%s.%N)
"$mkt" import "$work/after.csv" --db "$work/after.db" -q --empty-means clear
full=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
before=$(state "$work/before.db")
after=$(state "$work/after.db")
declare -A found
found["$before"]="$(answers "$work/before.db")"
found["$after"]="$(answers "$work/after.db")"
echo "before: $before (products, checksum); after: $after; the import takes ${full}s"

empty=$(state "$work/empty.db")
outcomes=""
for trial in $(seq 1 "$trials"); do
  db="$work/trial.db"
  if [ $((trial % 2)) = 1 ]; then
    # The bulk path: the 'before' feed into an empty catalog.
    rm -f "$db" "$db-wal" "$db-shm" "$db-search" "$db-words"
    cp "$work/empty.db" "$db"
    feed="$work/before.csv"; was="$empty"; will="$before"
  else
    fresh "$db"
    feed="$work/after.csv"; was="$before"; will="$after"
  fi
  delay=$(python3 -c "import random; print(round(random.uniform(0.05, $full * 1.3), 2))")
  "$mkt" import "$feed" --db "$db" -q --empty-means clear 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
  now=$(state "$db")
  if [ "$integrity" != "ok" ]; then
    echo "trial $trial: killed after ${delay}s: integrity_check says: $integrity" >&2
    exit 1
  fi
  if ! index_ok "$db"; then
    echo "trial $trial: killed after ${delay}s: the search index fails its integrity-check" >&2
    exit 1
  fi
  if [ "$now" != "$empty" ] && [ "$(answers "$db")" != "${found[$now]:-}" ]; then
    echo "trial $trial: killed after ${delay}s: search answers differently from the catalog's" >&2
    exit 1
  fi
  if [ "$now" = "$was" ]; then
    outcomes+="B"
  elif [ "$now" = "$will" ]; then
    outcomes+="A"
  else
    echo "trial $trial: killed after ${delay}s: the catalog is neither before nor after: $now" >&2
    exit 1
  fi
done
echo "$trials trials, every one before (B) or after (A), integrity ok, search as on an"
echo "untouched catalog: $outcomes"
