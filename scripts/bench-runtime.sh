#!/usr/bin/env bash
# Runs the runtime benchmarks RUNS times (default 3) and writes the tables and the ratios between
# variants (median over the runs of the ratio within each run) into docs/benchmarks.md, and the
# chart docs/runtime-bench.svg.
#
#   scripts/bench-runtime.sh [RUNS] [criterion filter...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
shift || true
cargo bench --all-features --bench runtime --no-run
dirs=()
for i in $(seq 1 "$runs"); do
  rm -rf target/criterion
  cargo bench --all-features --bench runtime -- --warm-up-time 0.5 --measurement-time 2 "$@"
  rm -rf "target/criterion-run$i"
  mv target/criterion "target/criterion-run$i"
  dirs+=(--criterion "target/criterion-run$i")
done
python3 benches/report.py "${dirs[@]}" --docs docs/benchmarks.md
