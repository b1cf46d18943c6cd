#!/usr/bin/env bash
# Runs the typed-access benchmarks RUNS times (default 3) and prints the tables and the target
# ratios (median over the runs of the ratio within each run); writes docs/typed-bench.svg.
#
#   scripts/bench-typed.sh [RUNS] [criterion filter...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
shift || true
cargo bench --features codec,demo --bench typed --no-run
dirs=()
for i in $(seq 1 "$runs"); do
  dir="target/criterion-typed-run$i"
  rm -rf "$dir"
  CRITERION_HOME="$PWD/$dir" cargo bench --features codec,demo --bench typed -- --warm-up-time 0.5 --measurement-time 2 "$@"
  dirs+=(--criterion "$dir")
done
python3 benches/report_typed.py "${dirs[@]}"
