#!/usr/bin/env bash
# The README's tour, run as written: every command of the code blocks from "A short tour" to
# "Exit codes", in the README's order, against a fresh database in a temporary folder.
#
#   examples/tour.sh                          # with mkt on the PATH
#   MKT=.build/debug/mkt examples/tour.sh     # with a built binary (what `make tour` does)
#
# Each step prints the command as a person types it ("$ mkt …") and what mkt answers (standard
# output and standard error, in order), and checks its exit status: most are 0, a few must not
# be (a feed that differs from its golden file exits 1, a batch of orders with a refusal exits
# 65); any other status stops the tour with exit 1. scripts/check-tour.sh checks that the
# commands here are exactly the README's, in the same order: change both together.
#
# How it runs them as written: $MKT is linked as `mkt` into a folder put first on the PATH,
# HOME is a temporary folder (the tour's first line makes ~/mkt-tour), and MKT_DB is unset.
set -euo pipefail

list=false
case "${1-}" in
  --list) list=true ;;  # print the commands, one a line, and run nothing (scripts/check-tour.sh)
  "") ;;
  *) echo "usage: [MKT=path/to/mkt] $0 [--list]" >&2; exit 64 ;;
esac

steps=0
# tour STATUS 'COMMAND' [TEXT]: print and run COMMAND (as the README writes it), require exit
# STATUS and, when given, TEXT somewhere in what it printed.
tour() {
  local expected=$1 command=$2 text=${3-} status=0
  if $list; then printf '%s\n' "$command"; return 0; fi
  steps=$((steps + 1))
  printf '\n$ %s\n' "$command"
  set +e
  eval "$command" >"$work/output" 2>&1
  status=$?
  set -e
  cat "$work/output"
  if [[ $status != "$expected" ]]; then
    printf '\ntour: step %d exited %d, not %d as the README says:\n  %s\n' \
      "$steps" "$status" "$expected" "$command" >&2
    exit 1
  fi
  if [[ -n $text ]] && ! grep -qF -- "$text" "$work/output"; then
    printf '\ntour: step %d did not print "%s":\n  %s\n' "$steps" "$text" "$command" >&2
    exit 1
  fi
  if [[ $expected != 0 ]]; then printf '(exit %d, as expected)\n' "$status"; fi
}
# check 'CONDITION': a silent check of what the steps so far left behind.
check() {
  if $list; then return 0; fi
  if ! eval "$1"; then
    printf '\ntour: after step %d, this does not hold: %s\n' "$steps" "$1" >&2
    exit 1
  fi
}

if ! $list; then
  source "$(dirname "${BASH_SOURCE[0]}")/lib/workspace.sh"
  mkt_workspace tour
  mkdir -p "$work/home"
  export HOME="$work/home"
  unset MKT_DB
  cd "$root"
  start=$SECONDS
  echo "mkt tour: $mkt_bin, in $HOME/mkt-tour"
fi

# A short tour
tour 0 'mkdir ~/mkt-tour && cp -r examples ~/mkt-tour/ && cd ~/mkt-tour'
tour 0 'mkt init'
tour 0 'mkt merchant import examples/merchants.csv --dry-run' 'dry run, nothing written'
tour 0 'mkt merchant import examples/merchants.csv' '11 inserted'
tour 0 'mkt merchant add alpenglueck-at --name "Alpenglück KG" --country AT --currency EUR --prices gross'
tour 0 'mkt merchant list --csv' 'alpenglueck-at,Alpenglück KG,AT,EUR,gross'
tour 0 'mkt merchant show alpenglueck-at --json' '"country" : "AT"'
tour 0 'mkt merchant remove alpenglueck-at'
tour 0 'mkt db info' 'schema version'
tour 0 'mkt db check' 'ok'
tour 0 'mkdir -p backups'
tour 0 'mkt db backup backups/mkt-$(date +%F).db'
check 'test -s "backups/mkt-$(date +%F).db"'
tour 0 'mkt --version'

# Product feeds
tour 0 'mkt feed check examples/feeds/acme-de.csv' '[missing-brand]'
tour 0 'mkt feed check examples/feeds/*.xml examples/feeds/acme-de.csv --jsonl > findings.ndjson'
check 'test "$(wc -l <findings.ndjson)" -ge 2'
tour 0 'mkt feed normalize examples/feeds/kuechenwelt-de.xml -o kuechenwelt-de.golden.jsonl'
tour 0 "sed 's/59.00 EUR/54.00 EUR/' examples/feeds/kuechenwelt-de.xml > kuechenwelt-de-new.xml"
tour 1 'mkt feed check kuechenwelt-de-new.xml --golden kuechenwelt-de.golden.jsonl' '54.00 EUR'
tour 0 'mkt feed convert examples/feeds/wollwerk-de-shopify.csv --currency EUR --shop-url https://wollwerk.example --to xml -o wollwerk-de.xml'
check "grep -q '<g:id>WWA-MP-S-NAV</g:id>' wollwerk-de.xml"

# The catalog
tour 0 'mkt import examples/feeds/kuechenwelt-de.xml --merchant kuechenwelt-de --language de' '5 inserted'
tour 0 'mkt import examples/catalog/marketplace.csv' '13 inserted'
tour 0 'mkt import examples/feeds/acme-de.csv --merchant acme-de --mode replace --dry-run --json' '"dry_run" : true'
tour 0 'mkt import --manifest examples/feeds/manifest.csv --jobs 2' '4 imported, 0 failed'
tour 0 'mkt import examples/feeds/wollwerk-de-shopify.csv --merchant wollwerk-de --language de --currency EUR --shop-url https://wollwerk.example'
tour 0 'mkt import history'
tour 0 'mkt catalog list --merchant acme-de --limit 5 --csv' 'ACME-1001'
tour 0 'mkt catalog show ACME-1001 --merchant acme-de' '"gtin" : "4006381001014"'
tour 0 'mkt catalog stats'

# Search
tour 0 'mkt search winter jakcet --facets brand,category,price' 'showing results for jacket'
tour 0 'mkt search "rain coat" --brand Nordwand --price-max 1500 --currency NOK --in-stock --json' 'FJ-STORM-RED-S'
tour 0 'mkt search --category "Apparel & Accessories > Clothing" --sort price-asc --per-page 5 --page 2'
tour 0 'mkt search jacket --highlight --json' '<em>'
tour 0 'mkt suggest "rain ja"' 'rain jacket'
tour 0 'mkt search synonyms load examples/search/synonyms-de.txt --language de'
tour 0 'mkt search pulli' 'WWA-MP-S-NAV'
tour 0 'mkt search reindex'

# Inventory
tour 0 'mkt inventory warehouse add BER1 --merchant acme-de --country DE --serves DE,AT,PL'
tour 0 'mkt inventory warehouse add HAM1 --merchant acme-de --name "Hamburg Hafen" --country DE --serves DE,NL,DK'
tour 0 'mkt inventory sync examples/inventory/stock.csv --merchant acme-de -q'
check 'test ! -s "$work/output"'  # quiet: nothing printed on success
tour 0 'mkt inventory sync examples/inventory/stock.jsonl --mode delta --dry-run --json' '"dry_run" : true'
tour 0 'mkt inventory show ACME-1001' 'HAM1'
tour 0 'mkt inventory low --below 5 --csv' 'ACME-1006'
tour 0 'mkt inventory export -o stock-export.csv'
check "grep -q '^acme-de,ACME-1004,HAM1,60,' stock-export.csv"

# Orders
tour 0 'mkt orders place examples/orders/order.json' 'order 1 paid'
tour 65 'mkt orders place examples/orders/orders.ndjson --json --concurrency 1' 'not enough stock of ACME-1006'
tour 0 'mkt orders show 1'
tour 0 'mkt orders list --status review' 'C-60141'
tour 0 'mkt fraud review list' 'account created 2 min before an order above 200 EUR'
tour 0 'mkt fraud explain 5' 'accounts on its device 1'
tour 0 'mkt orders fulfil 1 --line 2:1' 'partially_fulfilled'
tour 0 'mkt orders fulfil 1' 'fulfilled'
tour 0 'mkt orders complete 1' 'completed'
tour 0 'mkt orders refund 1 --restock' 'refunded'
tour 0 'mkt fraud review approve 4' 'order 4 is paid'
tour 0 'mkt fraud review reject 5 --note "card testing"' 'order 5 is rejected'
tour 0 'mkt orders cancel 6'
tour 0 'mkt orders expire --after 30m -q'
tour 0 'mkdir -p exports'
tour 0 'mkt orders export --since-last accounting -o exports/orders-$(date +%s).csv -q'
check 'test "$(cat exports/orders-*.csv | wc -l)" -ge 10'  # a header, a row per line: 6 orders, 9 lines
tour 0 'mkt orders export --format ndjson --layout shopify --since 2026-11-01T00:00:00Z'
tour 0 'mkt orders policy acme-de --split-lines true'
tour 0 'mkt report sales --by country --from 2026-11-01 --to 2026-11-30 --currency EUR --csv' 'AT,EUR,1'

# Fraud and payments
tour 0 'mkt payment methods --country NL' 'iDEAL'
tour 0 'mkt payment enable acme-de invoice sepa_debit' 'offered'
tour 0 'mkt fraud backtest --rules examples/fraud/rules.yaml --since 2026-11-01' 'TRIED'
tour 0 'mkt fraud rules load examples/fraud/rules.yaml' '4 rules in force'
tour 0 'mkt fraud policy acme-de --review 0.8 --block 0.95' '0.950'
tour 65 'mkt orders place examples/orders/more.ndjson --concurrency 1' 'rule stolen-identity'
tour 0 'mkt fraud refusals' 'acme-web-100241'
tour 0 'mkt fraud explain 8' 'brand-new-account (review)'
tour 0 'mkt payment confirm 7 --reference ideal-tr-8812' 'order 7 is paid'
tour 0 'mkt fraud label import examples/fraud/chargebacks.csv' '1 order labelled fraud, 1 order not fraud'
tour 0 'mkt fraud train --orders examples/fraud/labelled-orders.ndjson --out fraud-model.json' 'the model is in force'
tour 0 'mkt fraud backtest --orders examples/fraud/labelled-orders.ndjson --model builtin --decisions decisions.ndjson' 'recall'
check 'test "$(wc -l < decisions.ndjson)" -eq 1200'

# Countries, currencies and prices
tour 0 'mkt locale countries' 'CHF'
tour 0 'mkt locale show CH'
tour 0 'mkt locale format 1234.5 EUR --locale fr_FR' $'1\342\200\257234,50\302\240\342\202\254'  # CLDR's spaces
tour 0 'mkt locale import examples/locale/vat-2027.csv --dry-run'
tour 0 'mkt currency import examples/ecb/eurofxref-hist.xml' '10 days'
tour 0 'mkt currency import examples/ecb/eurofxref-hist.zip' 'unchanged 90'  # the same rates, as CSV in a ZIP
tour 0 'mkt currency convert 100 EUR PLN --date 2025-02-22' 'used 2025-02-21'
tour 0 'mkt pricing simulate examples/pricing/rules.yaml --sample 1000 --country DE --at 2026-11-28T12:00:00+01:00'
tour 0 'mkt pricing load examples/pricing/rules.yaml' 'loaded 7 rules'
tour 0 'mkt pricing quote --product ACME-1001 --country FR --qty 3 --code WELCOME10 --customer C-58213 --at 2026-11-27T12:00:00+01:00'
tour 0 'mkt pricing quote --product KWM-1002 --country CH --at 2026-11-28T12:00:00+01:00 --json' 'CHF'
tour 0 'mkt pricing explain --cart examples/pricing/cart.json' 'mugs-4-for-3'
tour 0 'mkt catalog translate import examples/catalog/titles-fr.csv --merchant acme-de'
tour 0 'mkt search wasserkocher --display-country BE' 'Bouilloire'
tour 0 'mkt catalog export --merchant acme-de --country BE --format xml -o acme-de-be.xml'
check 'grep -q Bouilloire acme-de-be.xml'

# Shopper events and analytics
tour 0 'mkt ab create checkout-button --variants control,b --split 50,50 --min-effect 30% --baseline 0.05' 'needs 3780 users per variant'
tour 0 'mkt events ingest examples/events/shop-week.jsonl' '2031 events: 2031 ingested'
tour 0 'mkt events ingest examples/events/shop-week.jsonl' '0 ingested, 2031 already stored'
tour 0 'mkt events stats' 'raw events     2031'
tour 0 'mkt report overview --from 2025-02-12 --to 2025-02-18 --currency EUR' '2025-02-18'
tour 0 'mkt report funnel --country DE' 'purchase'
tour 0 'mkt report products --top 5 --by revenue --currency EUR' 'SKU-'
tour 0 'mkt report search --top 5' 'click_through'
tour 0 'mkt report anomalies --metric conversion --since 7d' '3 earlier weeks'
tour 0 'mkt report overview --html report.html'
check 'grep -q "<svg" report.html'
tour 0 'mkt ab assign checkout-button u41'
check '[ "$(mkt ab assign checkout-button u41)" = b ]'
tour 0 'mkt ab report checkout-button' 'collecting'

# Recommendations
tour 0 'mkt recs train' 'trained on'
tour 0 'mkt recs for-user u41 --explain' 'because'
tour 0 'mkt recs similar SKU-0000112' 'SKU-'
tour 0 'mkt recs evaluate --holdout-days 2' 'ensemble'
tour 0 'mkt ratings import examples/ratings/product-reviews.xml' 'stored 8'
tour 0 'mkt catalog show ACME-1001 --merchant acme-de' 'top-rated'

# Serving, webhooks and push
tour 0 'mkt token create --all-merchants --scopes all --name tour > token.txt'
check 'grep -q "^mkt_tok_" token.txt'
tour 0 'mkt serve --port 18080 2> serve.log &'
tour 0 'curl -s --retry 10 --retry-connrefused http://127.0.0.1:18080/readyz' '"ready"'
tour 0 'curl -s -H "Authorization: Bearer $(cat token.txt)" "http://127.0.0.1:18080/v1/search?q=merinno&per-page=2"' '"corrections"'
tour 0 'curl -s http://127.0.0.1:18080/v1/orders' '"status":401'
tour 0 'mkt webhooks add acme-de https://erp.acme.example/hooks/mkt --events order.placed,order.paid' 'whsec_'
tour 0 'mkt init --db laptop.db'
tour 0 'mkt merchant import examples/merchants.csv --db laptop.db'
tour 0 'mkt import examples/feeds/kuechenwelt-de.xml --merchant kuechenwelt-de --language de --db laptop.db'
tour 0 'mkt push --to http://127.0.0.1:18080 --token "$(cat token.txt)" --what catalog --db laptop.db' '5 already equal'
tour 0 'mkt import examples/serve/price-change.csv --merchant kuechenwelt-de --db laptop.db' '1 updated'
tour 0 'mkt push --to http://127.0.0.1:18080 --token "$(cat token.txt)" --what catalog --db laptop.db' 'sent 1 product,'
tour 0 'mkt push status --db laptop.db' 'http://127.0.0.1:18080'
tour 0 'kill %1 && wait %1'
check 'grep -q "44.90 EUR" <(mkt catalog show KWM-1001 --merchant kuechenwelt-de)'

# What the tour leaves is consistent.
check 'mkt db check >/dev/null'
if ! $list; then
  echo
  echo "tour: $steps steps ran as the README says, in $((SECONDS - start)) s"
fi
