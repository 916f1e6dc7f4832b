#!/usr/bin/env bash
# Checks that the README's tour and examples/tour.sh run the same commands, in the same order.
#
#   scripts/check-tour.sh            # exit 0 when they agree, 1 (with a diff) when they do not
#   scripts/check-tour.sh --readme   # print the README's tour commands, one a line
#
# The README's tour is every line of the ```sh code blocks from the heading "## A short tour"
# to the next "## " heading, with comments (a # after a blank, outside quotes) and trailing
# blanks removed, and lines continued with a backslash joined. examples/tour.sh --list prints
# its commands the same way. Needs nothing but bash and awk; no mkt binary.
set -euo pipefail
cd "$(dirname "$0")/.."

readme_commands() {
  awk '
    /^## / { in_tour = ($0 ~ /^## A short tour/); in_block = 0; fence = 0; next }
    !in_tour { next }
    /^```/ {
      if (fence) { fence = 0; in_block = 0 } else { fence = 1; in_block = ($0 == "```sh") }
      next
    }
    !in_block { next }
    {
      line = $0
      if (pending != "") { sub(/^[ \t]+/, "", line); line = pending " " line; pending = "" }
      if (line ~ /\\$/) { pending = substr(line, 1, length(line) - 1); sub(/[ \t]+$/, "", pending); next }
      # Cut a comment: a # at the start or after a blank, outside single and double quotes.
      out = ""; sq = 0; dq = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "\x27" && !dq) sq = !sq
        else if (c == "\"" && !sq) dq = !dq
        else if (c == "#" && !sq && !dq && (i == 1 || substr(line, i - 1, 1) ~ /[ \t]/)) break
        out = out c
      }
      sub(/[ \t]+$/, "", out)
      if (out != "") print out
    }
  ' README.md
}

if [[ ${1-} == --readme ]]; then
  readme_commands
  exit 0
fi

readme=$(readme_commands)
script=$(bash examples/tour.sh --list)
if [[ -z $readme ]]; then
  echo "check-tour: found no tour commands in README.md (is the heading \"## A short tour\" there?)" >&2
  exit 1
fi
if [[ $readme != "$script" ]]; then
  echo "check-tour: the README's tour and examples/tour.sh differ (< README.md, > examples/tour.sh):" >&2
  diff <(printf '%s\n' "$readme") <(printf '%s\n' "$script") >&2 || true
  echo "Change both together: a README tour command is run, as written, by a 'tour' line of the script." >&2
  exit 1
fi
echo "check-tour: README.md and examples/tour.sh agree ($(printf '%s\n' "$readme" | wc -l) commands)"
