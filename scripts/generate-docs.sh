#!/usr/bin/env bash
# Regenerates man/ (mkt(1) and one page per subcommand) and completions/ from the command
# definitions. With --check, regenerates into a temporary folder and fails if the committed
# files are stale. Usage: scripts/generate-docs.sh [--check] [--scratch-path DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
scratch=.build
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=true ;;
    --scratch-path) scratch="$2"; shift ;;
    *) echo "usage: $0 [--check] [--scratch-path DIR]" >&2; exit 64 ;;
  esac
  shift
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/man" "$out/completions"

swift package --scratch-path "$scratch" generate-manual --configuration debug --multi-page \
  --date 2026-01-01 --authors "the mkt developers" >/dev/null
cp "$scratch"/plugins/GenerateManual/outputs/mkt/*.1 "$out/man/"
python3 scripts/fix-man-pages.py "$out/man"

swift build --scratch-path "$scratch" --product mkt >/dev/null
bin="$scratch/debug/mkt"
"$bin" --generate-completion-script bash >"$out/completions/mkt.bash"
"$bin" --generate-completion-script zsh >"$out/completions/_mkt"
"$bin" --generate-completion-script fish >"$out/completions/mkt.fish"

if $check; then
  if ! diff -ru man "$out/man" || ! diff -ru completions "$out/completions"; then
    echo "man/ or completions/ is stale: run scripts/generate-docs.sh and commit the result" >&2
    exit 1
  fi
  echo "man/ and completions/ are current"
else
  rm -rf man completions
  cp -r "$out/man" man
  cp -r "$out/completions" completions
  echo "wrote $(ls man | wc -l) man pages to man/ and 3 completion scripts to completions/"
fi
