#!/usr/bin/env bash
# An operator's sales report: sales by merchant, by country and by day for a period, as CSV
# files (for a spreadsheet) and as one HTML page of tables (for a mail), and mailed if asked.
# docs/recipes/ops-report.md explains it.
#
#   examples/recipes/sales-report.sh OUTDIR [FROM TO]
#   MKT_DB=/srv/mkt/mkt.db MAIL_TO=ops@example.com examples/recipes/sales-report.sh /srv/reports
#   0 7 1 * *  MKT_DB=/srv/mkt/mkt.db MAIL_TO=ops@example.com /opt/mkt/examples/recipes/sales-report.sh /srv/reports
#
# FROM and TO are days, YYYY-MM-DD, both included (default: the previous calendar month).
# Writes OUTDIR/sales-FROM-TO-by-{merchant,country,day}.csv and OUTDIR/sales-FROM-TO.html, and
# prints the HTML file's path. Settings (environment):
#   MKT        the mkt binary (default: mkt on the PATH)
#   MKT_DB     the database (mkt's default: ./mkt.db)
#   CURRENCY   convert every amount into this currency at the ECB rate of its day (default EUR;
#              empty: one row per currency)
#   MAIL_TO    if set, mail the HTML page to this address with sendmail (needs a configured
#              mail transfer agent; the CSV files stay in OUTDIR)
# Exit status: 0 written (and mailed), 64 bad arguments, 73 OUTDIR not writable, 69 sendmail
# missing or failing; other statuses are mkt's (65 no rates for a currency, 66 no database,
# 75 database busy).
set -uo pipefail

out=${1:?usage: sales-report.sh OUTDIR [FROM TO]}
MKT=${MKT:-mkt}
currency=${CURRENCY-EUR}
if (($# >= 3)); then
  from=$2 to=$3
elif (($# == 1)); then
  this_month=$(date -u +%Y-%m-01)
  from=$(date -u -d "$this_month -1 month" +%F)
  to=$(date -u -d "$this_month -1 day" +%F)
else
  echo "usage: sales-report.sh OUTDIR [FROM TO]" >&2
  exit 64
fi
mkdir -p "$out" && [[ -w $out ]] || { echo "sales-report: cannot write to $out" >&2; exit 73; }

convert=()
[[ -n $currency ]] && convert=(--currency "$currency")
base="$out/sales-$from-$to"
html="$base.html"
trap 'rm -f "$base"*.partial' EXIT  # a failed run leaves no half-written file
note=""
[[ -n $currency ]] && note=", amounts in $currency at the ECB rate of each order's day"

# HTML-escape a TSV table (header row first) into an HTML table; numbers align right.
tsv_to_html() {
  awk -F '\t' '
    function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
    NR == 1 { printf "<table>\n<thead><tr>"; for (i = 1; i <= NF; i++) printf "<th>%s</th>", esc($i); print "</tr></thead>\n<tbody>"; next }
    {
      printf "<tr>"
      for (i = 1; i <= NF; i++) printf (($i ~ /^-?[0-9]+(\.[0-9]+)?$/) ? "<td class=\"n\">%s</td>" : "<td>%s</td>"), esc($i)
      print "</tr>"
    }
    END { if (NR <= 1) print "<tr><td colspan=\"7\">no sales</td></tr>"; print "</tbody>\n</table>" }
  '
}

{
  cat <<EOF
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sales $from to $to</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.75em; }
th { background: #f3f3f3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<h1>Sales $from to $to</h1>
<p>Orders not cancelled or rejected$note. Written $(date -u +%FT%TZ).</p>
EOF
} >"$html.partial" || exit 73

for by in merchant country day; do
  "$MKT" report sales --by "$by" --from "$from" --to "$to" "${convert[@]}" --csv \
    >"$base-by-$by.csv.partial" || exit $?
  mv "$base-by-$by.csv.partial" "$base-by-$by.csv"
  printf '<h2>By %s</h2>\n' "$by" >>"$html.partial"
  "$MKT" report sales --by "$by" --from "$from" --to "$to" "${convert[@]}" --tsv -q \
    | tsv_to_html >>"$html.partial" || exit $?
done
printf '</body>\n</html>\n' >>"$html.partial"
mv "$html.partial" "$html"
echo "$html"

if [[ -n ${MAIL_TO:-} ]]; then
  # Without a mail server, try it with `mail -s ... < "$html"` (mailutils) or by hand:
  #   { printf 'To: %s\nSubject: ...\nContent-Type: text/html\n\n' ops@example.com; cat report.html; } | sendmail -t
  if ! command -v sendmail >/dev/null; then
    echo "sales-report: MAIL_TO is set but there is no sendmail (install a mail transfer agent); the report is in $html" >&2
    exit 69
  fi
  {
    printf 'To: %s\n' "$MAIL_TO"
    printf 'Subject: Sales %s to %s\n' "$from" "$to"
    printf 'MIME-Version: 1.0\nContent-Type: text/html; charset=UTF-8\n\n'
    cat "$html"
  } | sendmail -t -oi || { echo "sales-report: sendmail failed; the report is in $html" >&2; exit 69; }
fi
