#!/usr/bin/env bash
# Check a generated product feed against a reviewed golden file with mkt.
#
#   FEED=out/feed.xml GOLDEN=ci/feed.golden.jsonl examples/ci/check-feed.sh
#   examples/ci/check-feed.sh out/feed.xml ci/feed.golden.jsonl
#
# Exit status (the same as mkt's):
#   0   the feed matches the golden file and has no error-severity findings
#   1   differences from the golden file, or error-severity findings
#   65  the feed is malformed (bad CSV/XML, unsupported encoding, refused XML constructs)
#   66  the feed or the golden file does not exist
#   other codes are passed through unchanged (64 usage, 70 internal error, 74 I/O error, ...)
#
# Arguments win over the FEED/GOLDEN environment variables. MKT (default: mkt on PATH) is the
# mkt binary to run.
set -euo pipefail

FEED="${1:-${FEED:-}}"
GOLDEN="${2:-${GOLDEN:-}}"
MKT="${MKT:-mkt}"

if [[ -z "$FEED" || -z "$GOLDEN" ]]; then
  echo "usage: FEED=<feed file> GOLDEN=<golden .jsonl> $0   (or: $0 FEED GOLDEN)" >&2
  exit 64
fi

update_hint() {
  echo "If the change is intended, re-record the golden file and commit it:" >&2
  echo "  $MKT feed check \"$FEED\" --golden \"$GOLDEN\" --update-golden" >&2
}

if [[ ! -f "$FEED" ]]; then
  echo "check-feed: feed not found: $FEED" >&2
  exit 66
fi
if [[ ! -f "$GOLDEN" ]]; then
  echo "check-feed: golden file not found: $GOLDEN" >&2
  echo "Create it once from a feed you have reviewed:" >&2
  echo "  $MKT feed check \"$FEED\" --golden \"$GOLDEN\" --update-golden" >&2
  exit 66
fi

status=0
"$MKT" feed check "$FEED" --golden "$GOLDEN" || status=$?

case "$status" in
  0)
    echo "check-feed: $FEED matches $GOLDEN" >&2
    ;;
  1)
    echo "check-feed: $FEED differs from $GOLDEN or has error-severity findings (see above)" >&2
    update_hint
    ;;
  65)
    echo "check-feed: $FEED is malformed; fix the feed generator (the position is printed above)" >&2
    ;;
  66)
    echo "check-feed: mkt could not find an input file (see above)" >&2
    ;;
  *)
    echo "check-feed: mkt exited with status $status" >&2
    ;;
esac
exit "$status"
