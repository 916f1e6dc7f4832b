#!/usr/bin/env bash
# Cron job: apply each merchant's latest ERP stock file, quietly, once.
#
#   */5 * * * * /opt/mkt/examples/cron/inventory-sync.sh /srv/erp-drops /srv/mkt/mkt.db
#
# The drop folder holds one file per merchant, named MERCHANT.csv (sku,warehouse,quantity
# [,mode][,updated_at]). mkt prints nothing on success (-q), so cron mails only problems.
# Exit statuses: 0 applied (or already applied: the same file twice changes nothing),
# 65 rejected rows (nothing written for that file; see the .errors.ndjson beside it),
# 75 another sync still running (this run touched nothing; the next one catches up).
set -uo pipefail
drops=${1:?usage: inventory-sync.sh DROP_FOLDER DATABASE}
db=${2:?usage: inventory-sync.sh DROP_FOLDER DATABASE}
status=0
for file in "$drops"/*.csv; do
  [ -e "$file" ] || continue
  merchant=$(basename "$file" .csv)
  mkt inventory sync "$file" --merchant "$merchant" --db "$db" -q \
    --errors "$file.errors.ndjson"
  code=$?
  case $code in
    0) ;;
    75) exit 75 ;;  # a sync is running: leave the rest to the next run
    *) status=$code ;;
  esac
done
exit $status
