#!/usr/bin/env bash
# `make demo`'s last part: a second mkt instance served on a free port in the background, the
# demo database's catalog pushed to it with an operator token, queried with curl, then stopped
# with SIGTERM (it finishes what is in flight and checkpoints).
#
#   examples/serve/demo.sh MKT DEMO_DB
set -euo pipefail
mkt=$1 demo=$2
remote=demo-remote.db
rm -f "$remote" "$remote-wal" "$remote-shm" "$remote-search" demo-serve.log
"$mkt" init --db "$remote" --quiet >/dev/null
"$mkt" merchant import examples/merchants.csv --db "$remote" --quiet
token=$("$mkt" token create --all-merchants --scopes all --name demo --quiet --db "$remote")
"$mkt" serve --db "$remote" --port 0 2> demo-serve.log &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.* on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' demo-serve.log | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "mkt serve did not start:" >&2; cat demo-serve.log >&2; exit 1; }
base=http://127.0.0.1:$port
echo "\$ mkt serve --db $remote --port 0 &      # listening on $base"
echo "\$ mkt push --to $base --token … --what catalog --db $demo"
"$mkt" push --to "$base" --token "$token" --what catalog --db "$demo"
echo "\$ curl -s -H 'Authorization: Bearer …' '$base/v1/search?q=merinno&per-page=3'"
curl -s -H "Authorization: Bearer $token" "$base/v1/search?q=merinno&per-page=3" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["total"], "hits:", ", ".join(h["id"] + " " + h["title"] for h in r["hits"]))'
echo "\$ curl -s -H 'Authorization: Bearer …' '$base/v1/products/KWM-1002?merchant=kuechenwelt-de&country=DE'"
curl -s -H "Authorization: Bearer $token" "$base/v1/products/KWM-1002?merchant=kuechenwelt-de&country=DE" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); p=r.get("price") or {}; print(r["product"]["title"], "|", p.get("total"), "EUR in DE, VAT", str(p.get("vat_rate")) + " %", "| stock:", len(r["stock"]), "warehouses")'
echo "\$ curl -s '$base/v1/orders'      # no token"
curl -s "$base/v1/orders"; echo
kill -TERM "$server"
wait "$server"
trap - EXIT
echo "mkt serve stopped (SIGTERM); its log: demo-serve.log"
