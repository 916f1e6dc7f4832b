#!/usr/bin/env bash
# Runs every recipe of docs/recipes/ against a fresh database in a temporary folder, on its good
# path and on the failures it is written to handle, and checks exit statuses and results.
#
#   examples/run-recipes.sh                          # with mkt on the PATH
#   MKT=.build/debug/mkt examples/run-recipes.sh     # with a built binary (what `make tour` does)
#
# Recipes: examples/recipes/upload-catalog.sh (catalog-upload.md), examples/cron/
# inventory-sync.sh (cron-stock-sync.md), examples/cron/orders-export.sh (cron-stock-sync.md),
# examples/recipes/sales-report.sh (ops-report.md), examples/ci/check-feed.sh
# (ci-golden-check.md), the --map commands of pim-exports.md. Any unexpected status or result stops with exit 1.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/workspace.sh"
mkt_workspace recipes
# The scripts call mkt through $MKT; cron lines call it from the PATH. Both are this binary.
export MKT="$mkt_bin" MKT_DB="$work/mkt.db"
examples="$root/examples"
cd "$work"
start=$SECONDS
runs=0

# expect STATUS DESCRIPTION COMMAND...: run COMMAND, show what it printed (indented), require
# exit STATUS. What it printed stays in $work/output for further checks.
expect() {
  local expected=$1 description=$2 status=0
  shift 2
  runs=$((runs + 1))
  printf '\n-- %s\n$ %s\n' "$description" "$*"
  set +e
  "$@" >"$work/output" 2>&1
  status=$?
  set -e
  sed 's/^/   /' "$work/output"
  if [[ $status != "$expected" ]]; then
    printf '\nrecipes: "%s" exited %d, not %d\n' "$description" "$status" "$expected" >&2
    exit 1
  fi
  printf '   (exit %d%s)\n' "$status" "$([[ $expected == 0 ]] || echo ', as expected')"
}
# holds 'CONDITION': fail unless it holds.
holds() {
  if ! eval "$1"; then
    printf '\nrecipes: this does not hold: %s\n' "$1" >&2
    exit 1
  fi
}
printed() { grep -qF -- "$1" "$work/output"; }
silent() { [[ ! -s $work/output ]]; }

echo "mkt recipes: $mkt_bin, in $work"
mkt init -q >/dev/null  # (-q still prints "created …" on standard output)
mkt merchant import "$examples/merchants.csv" -q

echo
echo "=== a merchant's catalog upload (docs/recipes/catalog-upload.md)"
upload="$examples/recipes/upload-catalog.sh"
cp "$examples/feeds/acme-de.csv" acme-de.csv
expect 0 "a good feed: checked, then imported" env LANGUAGE=de "$upload" acme-de.csv acme-de
holds 'printed "6 inserted"'
holds 'printed "[missing-brand]"'  # warnings are shown, and do not stop the upload
expect 0 "the same feed again: nothing to write" "$upload" acme-de.csv acme-de
holds 'printed "6 unchanged"'
sed 's/4006381001038/4006381001039/' acme-de.csv >acme-de-broken.csv  # a wrong check digit
expect 1 "a feed with an error: nothing imported" "$upload" acme-de-broken.csv acme-de
holds 'printed "[invalid-gtin]"'
holds 'grep -q "\"rule\":\"invalid-gtin\"" acme-de-broken.csv.findings.ndjson'
expect 0 "the same feed, skipping up to one rejected item" env MAX_ERRORS=1 "$upload" acme-de-broken.csv acme-de
holds 'printed "1 rejected"'
holds 'test -s acme-de-broken.csv.errors.ndjson'
head -n 3 acme-de.csv >acme-de-truncated.csv  # a generator that stopped after two items
expect 1 "a replace that would remove 4 products, more than MAX_REMOVE" \
  env MODE=replace MAX_REMOVE=2 "$upload" acme-de-truncated.csv acme-de
holds 'printed "would remove 4 products"'
holds '[[ $(mkt catalog list --merchant acme-de --csv | wc -l) == 7 ]]'  # all 6 still there
expect 66 "a feed that is not there" "$upload" no-such-feed.csv acme-de
expect 0 "a Shopify export, with the options it needs" \
  env FEED_OPTIONS="--currency EUR --shop-url https://wollwerk.example" LANGUAGE=de \
  "$upload" "$examples/feeds/wollwerk-de-shopify.csv" wollwerk-de
holds 'printed "4 inserted"'

echo
echo "=== PIM and shop exports through --map (docs/recipes/pim-exports.md)"
AKENEO=(--map "sku=id" --map "name-de_DE=title" --map "description-de_DE-ecommerce=description"
        --map "price-EUR=price" --map "ean=gtin" --map "image=image_link" --map "url-de_DE=link"
        --map "categories=product_type" --currency EUR --language de --availability in_stock)
expect 0 "an Akeneo export, mapped" mkt feed check "$examples/pim/akeneo-products.csv" "${AKENEO[@]}"
expect 0 "and imported" mkt import "$examples/pim/akeneo-products.csv" --merchant kuechenwelt-de "${AKENEO[@]}"
holds 'printed "3 inserted"'
sed 's/;59.90;/;59,90;/' "$examples/pim/akeneo-products.csv" >akeneo-comma.csv
expect 1 "a decimal comma: named, with the option that reads it" mkt feed check akeneo-comma.csv "${AKENEO[@]}"
holds 'printed "akeneo-comma.csv:4:8" && printed "--decimal-comma"'
expect 0 "read with --decimal-comma" mkt feed check akeneo-comma.csv "${AKENEO[@]}" --decimal-comma
PRESTASHOP=(--map "reference=id" --map "ean13=gtin" --map "manufacturer=brand" --map "name=title"
            --map "description_short=description" --map "price_tax_incl=price"
            --map "image=image_link" --currency EUR --language fr --availability in_stock)
expect 0 "a PrestaShop SQL Manager export, mapped and imported" \
  mkt import "$examples/pim/prestashop-products.csv" --merchant maison-lumiere-fr "${PRESTASHOP[@]}"
holds 'printed "2 inserted"'

echo
echo "=== a cron stock sync (docs/recipes/cron-stock-sync.md)"
sync="$examples/cron/inventory-sync.sh"
mkt inventory warehouse add BER1 --merchant acme-de --country DE --serves DE,AT,PL -q
mkt inventory warehouse add HAM1 --merchant acme-de --country DE --serves DE,NL,DK -q
mkdir drops
cp "$examples/inventory/stock.csv" drops/acme-de.csv
expect 0 "the ERP dropped a file: applied, and nothing printed" "$sync" drops "$MKT_DB"
holds silent
holds '[[ ! -e drops/acme-de.csv.errors.ndjson ]]'
holds 'mkt inventory show ACME-1004 --csv | grep -q ",HAM1,60,"'
expect 0 "the next run, same file: nothing changes, nothing printed" "$sync" drops "$MKT_DB"
holds silent
exec 9>"$MKT_DB.sync.lock"  # this shell holds the lock, as a running sync would
flock -n 9
printf 'sku,warehouse,quantity\nACME-1001,BER1,39\n' >drops/acme-de.csv
expect 75 "another sync holds the lock: this run touches nothing and says nothing" "$sync" drops "$MKT_DB"
holds silent
exec 9>&-  # the running sync ends
holds 'mkt inventory show ACME-1001 --csv | grep -q ",BER1,40,"'
expect 0 "the lock is free again: the next run applies the file" "$sync" drops "$MKT_DB"
holds 'mkt inventory show ACME-1001 --csv | grep -q ",BER1,39,"'
printf 'sku,warehouse,quantity\nACME-1001,BER1,-4\nACME-1002,NOWHERE,5\n' >drops/acme-de.csv
expect 65 "a file with bad rows: nothing written, the reasons printed (cron mails them)" "$sync" drops "$MKT_DB"
holds 'printed "negative-quantity"'
holds 'test "$(wc -l <drops/acme-de.csv.errors.ndjson)" -eq 2'
holds 'mkt inventory show ACME-1001 --csv | grep -q ",BER1,39,"'

echo
echo "=== a cron export of new orders (examples/cron/orders-export.sh)"
export_job="$examples/cron/orders-export.sh"
mkt orders place "$examples/orders/order.json" -q >/dev/null
mkt orders place "$examples/orders/orders.ndjson" -q >/dev/null 2>&1 || true  # one is refused (65)
expect 0 "new orders: one file with every line" "$export_job" outbox "$MKT_DB"
holds silent
holds '[[ $(ls outbox | wc -l) == 1 ]]'
holds '[[ $(cat outbox/*.csv | wc -l) -ge 9 ]]'  # a header and a row per line of 6 orders
expect 0 "no new orders: no file" "$export_job" outbox "$MKT_DB"
holds '[[ $(ls outbox | wc -l) == 1 ]]'
printf '{"idempotency_key": "acme-web-100300", "merchant": "acme-de", "customer": {"id": "C-70001", "email": "r.weber@example.de"}, "country": "DE", "lines": [{"sku": "ACME-1003", "quantity": 1}], "payment": {"method": "card"}}\n' >one-more.json
mkt orders place one-more.json -q >/dev/null
expect 0 "one new order: a second file with just it" "$export_job" outbox "$MKT_DB"
holds '[[ $(ls outbox | wc -l) == 2 ]]'
holds '[[ $(cat outbox/*.csv | grep -c C-70001) == 1 ]]'  # exported once, never twice

echo
echo "=== an ops report, as CSV and HTML, mailed (docs/recipes/ops-report.md)"
report="$examples/recipes/sales-report.sh"
mkt currency import "$examples/ecb/eurofxref-hist.xml" -q
expect 0 "sales of November 2026, in EUR" "$report" reports 2026-11-01 2026-11-30
holds 'printed "reports/sales-2026-11-01-2026-11-30.html"'
holds 'grep -q "^AT,EUR,1,2," reports/sales-2026-11-01-2026-11-30-by-country.csv'
holds 'grep -q "^acme-de,EUR," reports/sales-2026-11-01-2026-11-30-by-merchant.csv'
holds 'grep -q "<td>AT</td>" reports/sales-2026-11-01-2026-11-30.html'
holds '[[ $(grep -c "<table>" reports/sales-2026-11-01-2026-11-30.html) == 3 ]]'
# No mail server here: a stand-in sendmail keeps the message it is given.
mkdir fakemail
printf '#!/bin/sh\ncat >"%s/mail.txt"\n' "$work" >fakemail/sendmail
chmod +x fakemail/sendmail
with_fake_sendmail() { PATH="$work/fakemail:$PATH" "$@"; }
expect 0 "the same, mailed to ops (sendmail is a stand-in that keeps the mail)" \
  with_fake_sendmail env MAIL_TO=ops@example.com "$report" reports 2026-11-01 2026-11-30
holds 'grep -q "^To: ops@example.com" mail.txt'
holds 'grep -q "^Content-Type: text/html" mail.txt'
holds 'grep -q "<td>acme-de</td>" mail.txt'
expect 0 "a month without sales: tables that say so" "$report" reports 2026-10-01 2026-10-31
holds 'grep -q "no sales" reports/sales-2026-10-01-2026-10-31.html'
expect 0 "last month, the default period" "$report" reports
expect 64 "a wrong number of arguments" "$report" reports 2026-11-01

echo
echo "=== a CI golden-file check (docs/recipes/ci-golden-check.md)"
check="$examples/ci/check-feed.sh"
mkdir -p ci out
cp "$examples/feeds/kuechenwelt-de.xml" out/feed.xml  # what the feed generator wrote
expect 66 "no golden file yet: the command to create one" "$check" out/feed.xml ci/feed.golden.jsonl
holds 'printed "--update-golden"'
expect 0 "creating it from a reviewed feed" mkt feed check out/feed.xml --golden ci/feed.golden.jsonl --update-golden
expect 0 "the generator's feed matches" env FEED=out/feed.xml GOLDEN=ci/feed.golden.jsonl "$check"
sed 's/59.00 EUR/54.00 EUR/' "$examples/feeds/kuechenwelt-de.xml" >out/feed.xml
expect 1 "a changed price: the difference, and how to accept it" "$check" out/feed.xml ci/feed.golden.jsonl
holds 'printed "KWM-1002: price"'
head -c 2000 "$examples/feeds/kuechenwelt-de.xml" >out/feed.xml
expect 65 "a feed cut off half-way: where it breaks" "$check" out/feed.xml ci/feed.golden.jsonl
expect 66 "a generator that wrote nothing" "$check" out/nothing.xml ci/feed.golden.jsonl
expect 64 "no feed named" env -u FEED -u GOLDEN "$check"

holds 'mkt db check -q'
echo
echo "recipes: $runs runs, every status and result as the recipes say, in $((SECONDS - start)) s"
