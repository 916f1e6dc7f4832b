#!/usr/bin/env bash
# A merchant's catalog upload: check the feed against the Merchant Center rules, look at what
# the import would change, then import it, all or nothing. docs/recipes/catalog-upload.md.
#
#   examples/recipes/upload-catalog.sh FEED MERCHANT [DATABASE]
#   LANGUAGE=de MODE=replace examples/recipes/upload-catalog.sh out/feed.csv acme-de /srv/mkt/mkt.db
#
# FEED is a file (it is read three times: check, dry run, import). A feed on a web server:
# fetch it first (curl -fsS -o feed.xml https://shop.example/feed.xml), since `mkt feed check`
# reads files only; `mkt import URL` alone would fetch it, check it and import it in one go.
# DATABASE defaults to $MKT_DB, else ./mkt.db.
# Settings (environment):
#   MKT          the mkt binary (default: mkt on the PATH)
#   LANGUAGE     the feed's language, e.g. de (default: none)
#   MODE         upsert (default: add and change the listed products) or replace (also remove
#                the merchant's products the feed no longer lists)
#   MAX_REMOVE   with MODE=replace, the most products one upload may remove (default 20): a
#                truncated feed must not empty the shop
#   MAX_ERRORS   rejected items to skip rather than refuse the whole feed (default 0)
#   FEED_OPTIONS more options for reading the feed, e.g. "--currency EUR --shop-url https://…"
#                for a Shopify export, or "--map Artikelnummer=id" (word-split)
#
# Exit status:
#   0   imported (warnings are printed, they do not stop the upload)
#   1   the feed has errors, or a replace would remove more than MAX_REMOVE products:
#       nothing was imported; errors are also in FEED.findings.ndjson (one JSON object a line)
#   65  the feed cannot be read, or more rows were rejected than MAX_ERRORS (nothing imported)
#   66  the feed or the database does not exist
#   75  the database is busy (another import): try again later
#   other statuses are mkt's, passed through (64 usage, 70 internal error, 74 I/O error)
set -uo pipefail

feed=${1:?usage: upload-catalog.sh FEED MERCHANT [DATABASE]}
merchant=${2:?usage: upload-catalog.sh FEED MERCHANT [DATABASE]}
db=${3:-${MKT_DB:-mkt.db}}
MKT=${MKT:-mkt}
mode=${MODE:-upsert}
max_remove=${MAX_REMOVE:-20}
max_errors=${MAX_ERRORS:-0}
read -r -a feed_options <<<"${FEED_OPTIONS:-}"
language=()
if [[ -n ${LANGUAGE:-} ]]; then language=(--language "$LANGUAGE"); fi
say() { echo "upload-catalog: $*" >&2; }

case $mode in upsert | replace) ;; *) say "MODE must be upsert or replace, not '$mode'"; exit 64 ;; esac
case $feed in
  - | http://* | https://*)
    say "FEED must be a file (fetch a URL first: curl -fsS -o feed.xml '$feed')"
    exit 64
    ;;
esac
if [[ ! -f $feed ]]; then
  say "no feed at $feed"
  exit 66
fi
if [[ ! -f $db ]]; then
  say "no database at $db (create it once with: $MKT init --db $db)"
  exit 66
fi

# 1. Check: errors reject items, warnings only inform. The findings go to standard error for
#    people and, when there are errors, to FEED.findings.ndjson (JSON lines) for tools.
findings="${feed}.findings.ndjson"
check=("$MKT" feed check "$feed" --merchant "$merchant" "${language[@]}" "${feed_options[@]}")
status=0
"${check[@]}" >&2 || status=$?
case $status in
  0) rm -f "$findings" ;;
  1)
    "${check[@]}" --jsonl >"$findings" 2>/dev/null
    if ((max_errors == 0)); then
      say "$feed has errors (above; as JSON lines in $findings): nothing imported"
      exit 1
    fi
    say "$feed has errors; importing the rest, skipping up to $max_errors rejected items"
    ;;
  *)
    say "$feed could not be checked (mkt exited $status): nothing imported"
    exit "$status"
    ;;
esac

# 2. What would change, before changing it: a replace that would remove many products is
#    most often a feed generator that stopped half-way.
common=(--merchant "$merchant" --db "$db" --mode "$mode" --max-errors "$max_errors"
  "${language[@]}" "${feed_options[@]}")
if [[ $mode == replace ]]; then
  status=0
  plan=$("$MKT" import "$feed" "${common[@]}" --dry-run --json) || status=$?
  if ((status != 0)); then
    say "the dry run failed (mkt exited $status): nothing imported"
    exit "$status"
  fi
  removed=$(grep -o '"removed" : [0-9]*' <<<"$plan" | grep -o '[0-9]*$' | head -n 1)
  if ((${removed:-0} > max_remove)); then
    say "this upload would remove ${removed} products of $merchant (more than MAX_REMOVE=$max_remove): nothing imported"
    say "if the shop really dropped them: MODE=replace MAX_REMOVE=${removed} $0 $*"
    exit 1
  fi
fi

# 3. Import: one transaction; rejected rows (if MAX_ERRORS allows any) go to FEED.errors.ndjson.
errors="${findings%.findings.ndjson}.errors.ndjson"
status=0
"$MKT" import "$feed" "${common[@]}" --errors "$errors" || status=$?
case $status in
  0) [[ -s $errors ]] || rm -f "$errors" ;;
  65) say "rows were rejected (above; as JSON lines in $errors): nothing imported" ;;
  75) say "the database is busy (another import is running): nothing imported; try again later" ;;
  *) say "mkt exited $status: nothing imported" ;;
esac
exit "$status"
