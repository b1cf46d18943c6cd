#!/usr/bin/env bash
# Measures `decode` on a capture of the bundled messages against reading the same file.
#
#   scripts/bench-decode.sh [RUNS] [MEGABYTES]
#
# Builds the release xtask and the `capture` example, writes a MEGABYTES (default 100) capture
# to target/bench-decode/capture.bin, then times RUNS (default 5) runs of each of
#   cat capture.bin > /dev/null                                  (reading the file)
#   xtask decode --contracts contracts/contracts.yaml capture.bin > /dev/null
# and prints each run's MB/s (1 MB = 10^6 bytes of capture) by wall clock, and for decode also by
# CPU time (user + system: what the rate would be on an idle core), the median of each, and the
# ratio of the wall-clock rates. The file is read once first, so every run reads it from the page
# cache. Needs GNU time (/usr/bin/time) and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
megabytes="${2:-100}"

cargo build --release --quiet -p xtask
cargo build --release --quiet --example capture
dir=target/bench-decode
mkdir -p "$dir"
capture="$dir/capture.bin"
target/release/examples/capture "$capture" "$megabytes"
bytes=$(stat -c %s "$capture")
cat "$capture" > /dev/null

# "wall cpu" seconds of a command (its output to /dev/null): wall clock in nanoseconds, CPU time
# (user + system) from GNU time, in hundredths.
seconds() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$dir/time.txt" "$@" > /dev/null
  end=$(date +%s%N)
  awk -v wall="$(( end - start ))" '{ printf "%.6f %.2f\n", wall / 1e9, $1 + $2 }' "$dir/time.txt"
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

lines=$(target/release/xtask decode --contracts contracts/contracts.yaml "$capture" | wc -l)
json=$(target/release/xtask decode --contracts contracts/contracts.yaml "$capture" | wc -c)
echo "capture: $bytes bytes, $lines frames; decode writes $json bytes of JSON lines"

read_rates=()
decode_rates=()
decode_cpu_rates=()
for i in $(seq 1 "$runs"); do
  read -r t_read _ < <(seconds cat "$capture")
  read -r t_decode c_decode < <(seconds target/release/xtask decode --contracts contracts/contracts.yaml "$capture")
  r_read=$(echo "$bytes / $t_read / 1000000" | bc -l)
  r_decode=$(echo "$bytes / $t_decode / 1000000" | bc -l)
  r_decode_cpu=$(echo "$bytes / $c_decode / 1000000" | bc -l)
  read_rates+=("$r_read")
  decode_rates+=("$r_decode")
  decode_cpu_rates+=("$r_decode_cpu")
  printf 'run %d: read %8.1f MB/s  decode %7.1f MB/s (%.2f s wall, %.2f s CPU: %.1f MB/s)\n' \
    "$i" "$r_read" "$r_decode" "$t_decode" "$c_decode" "$r_decode_cpu"
done
m_read=$(printf '%s\n' "${read_rates[@]}" | median)
m_decode=$(printf '%s\n' "${decode_rates[@]}" | median)
m_decode_cpu=$(printf '%s\n' "${decode_cpu_rates[@]}" | median)
printf 'median over %d runs: read %.1f MB/s, decode %.1f MB/s wall (%.1f MB/s of CPU time); reading is %.1fx faster\n' \
  "$runs" "$m_read" "$m_decode" "$m_decode_cpu" "$(echo "$m_read / $m_decode" | bc -l)"
