#!/usr/bin/env bash
# Builds and runs mkt's libFuzzer targets exactly as RELIABILITY.md §1 says.
#   Fuzz/run.sh [SECONDS] [TARGET...]   default: 60 s each, all ten targets
# Crashes land in Fuzz/artifacts/; each becomes a regression fixture and a fix.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(CSVFuzz XMLFuzz ShopifyFuzz ValueFuzz ECBFuzz RatingsFuzz RulesFuzz StockFuzz OrdersFuzz ManifestFuzz)
mkdir -p artifacts
for target in "${targets[@]}"; do
  corpus=corpus/$(echo "${target%Fuzz}" | tr '[:upper:]' '[:lower:]')
  mkdir -p "$corpus"
  swift build -c debug --product "$target" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
    2>&1 | tail -1
  dict=dictionaries/$(basename "$corpus").dict
  SWIFT_BACKTRACE=enable=no ".build/debug/$target" -max_total_time="$seconds" \
    -dict="$dict" -artifact_prefix=artifacts/ -print_final_stats=1 "$corpus" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE|==[0-9]+==ERROR|SUMMARY)|cov:" |
    tail -4 | sed "s/^/$target: /"
done
