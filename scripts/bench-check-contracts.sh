#!/usr/bin/env bash
# Whole-process timing of `check-contracts` on generated contracts of 10,000, 20,000 and 40,000
# messages (linear growth), side by side with ajv-cli validating the 20,000-message file when
# `ajv` is on PATH (npm i -g ajv-cli). Uses hyperfine when installed, else a loop with `time`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${TMPDIR:-/tmp}/mycelium-bench"
mkdir -p "$dir"
cargo build --quiet --release --package xtask
for n in 10000 20000 40000; do
  [ -f "$dir/gen$n.yaml" ] || cargo run --quiet --release --example gen_contracts -- \
    --messages "$n" --services "$((n / 10))" > "$dir/gen$n.yaml"
done
commands=()
for n in 10000 20000 40000; do
  commands+=("target/release/xtask check-contracts --contracts $dir/gen$n.yaml")
done
if command -v ajv >/dev/null; then
  commands+=("ajv validate --spec=draft2020 -s schema/contracts.schema.json -d $dir/gen20000.yaml")
fi
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 2 -r 10 "${commands[@]}"
else
  for c in "${commands[@]}"; do
    echo "$c"
    for _ in 1 2 3 4 5; do /usr/bin/time -f "  %e s wall, %U s user, %S s sys" $c > /dev/null; done
  done
fi
