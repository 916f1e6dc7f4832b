#!/usr/bin/env bash
# Cron job: hand new orders to accounting as CSV files, never skipping or repeating one, and
# release the stock of unpaid orders that expired.
#
#   */15 * * * * /opt/mkt/examples/cron/orders-export.sh /srv/exports/accounting /srv/mkt/mkt.db
#
# Each run writes the orders placed since the last run to a new file,
# OUTBOX/orders-YYYYMMDDTHHMMSS-PID.csv. The watermark ("accounting") moves only once the file is
# complete, flushed to disk and renamed into place: a run killed at any moment is settled by
# the next one (the file it finished is kept, the one it did not is written again). Files with
# no orders are removed. Quiet on success (-q), so cron mails only problems.
# Exit statuses: 0 done, 73 the outbox folder is not writable, 75 the database was busy.
# MKT is the mkt binary (default: mkt on the PATH).
set -uo pipefail
outbox=${1:?usage: orders-export.sh OUTBOX_FOLDER DATABASE}
db=${2:?usage: orders-export.sh OUTBOX_FOLDER DATABASE}
MKT=${MKT:-mkt}
mkdir -p "$outbox" || exit 73

"$MKT" orders expire --after 30m --db "$db" -q || exit $?

# The process id keeps two runs in the same second apart: mkt replaces an existing -o file,
# and the header-only check below would then remove the first run's orders.
file="$outbox/orders-$(date -u +%Y%m%dT%H%M%S)-$$.csv"
"$MKT" orders export --since-last accounting --format csv -o "$file" --db "$db" -q || exit $?
# A header and nothing else: no new orders this time.
if [ "$(wc -l < "$file")" -le 1 ]; then rm -f "$file"; fi
