#!/usr/bin/env bash
# Cron job: apply each merchant's latest ERP stock file, quietly, once.
# docs/recipes/cron-stock-sync.md explains it.
#
#   */5 * * * * /opt/mkt/examples/cron/inventory-sync.sh /srv/erp-drops /srv/mkt/mkt.db
#
# The drop folder holds one file per merchant, named MERCHANT.csv (sku,warehouse,quantity
# [,mode][,updated_at]). mkt prints nothing on success (-q), so cron mails only problems.
# Exit statuses: 0 applied (or already applied: the same file twice changes nothing),
# 65 rejected rows (nothing written for that file; see the .errors.ndjson beside it),
# 75 another sync still running (this run touched nothing and says nothing: the next run
# catches up). MKT is the mkt binary (default: mkt on the PATH).
set -uo pipefail
drops=${1:?usage: inventory-sync.sh DROP_FOLDER DATABASE}
db=${2:?usage: inventory-sync.sh DROP_FOLDER DATABASE}
MKT=${MKT:-mkt}
messages=$(mktemp)
trap 'rm -f "$messages"' EXIT
status=0
for file in "$drops"/*.csv; do
  [ -e "$file" ] || continue
  merchant=$(basename "$file" .csv)
  "$MKT" inventory sync "$file" --merchant "$merchant" --db "$db" -q \
    --errors "$file.errors.ndjson" 2>"$messages"
  code=$?
  # No rejected rows: no errors file.
  [ -s "$file.errors.ndjson" ] || rm -f "$file.errors.ndjson"
  case $code in
    0) cat "$messages" >&2 ;;  # warnings, if any
    75) exit 75 ;;  # a sync is running: leave the rest to the next run, without a cron mail
    *) cat "$messages" >&2; status=$code ;;
  esac
done
exit $status
