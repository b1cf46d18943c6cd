#!/usr/bin/env bash
# Peak memory (max RSS) of `check-contracts` on four hostile documents, with the release build.
# Usage: scripts/hostile-rss.sh   (needs /usr/bin/time; writes the documents to a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p xtask
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
head = "version: 1.0.0\nmessages:\n"
docs = {
    "tiny-maps-200k": head + "- {a: 1}\n" * 200_000,
    "tiny-maps-640k": head + "- {a: 1}\n" * 640_000,  # just under the loader's memory budget
    "long-name-dup-ids": head + "- name: A" + "a" * (1 << 20) + "\n  type_id: 1\n  fields: []\n"
    + "".join(f"- {{name: B{i}, type_id: 1, fields: []}}\n" for i in range(2_000)),
    "ring-30k": head + "".join(
        f"- {{name: M{i}, type_id: {i % 65535 + 1}, fields: [{{name: a, type: M{(i + 1) % 30_000}}}]}}\n"
        for i in range(30_000)),
    "chain-30k": head + "".join(
        f"- {{name: M{i}, type_id: {i % 65535 + 1}, fields: [{{name: a, type: M0}}, {{name: b, type: M{min(i + 1, 29_999)}}}]}}\n"
        for i in range(30_000)),
}
name = "A" + "a" * (1 << 20)
fields = "".join(f"    - {{name: f{i}, type: u8}}\n" for i in range(2_000))
docs["base-long-name"] = f"{head}- name: {name}\n  type_id: 1\n  fields:\n{fields}"
docs["new-long-name"] = f"{head}- name: {name}\n  type_id: 1\n  fields:\n    - {{name: g, type: u16}}\n"
for name, text in docs.items():
    open(f"{d}/{name}.yaml", "w").write(text)
import json
keys = ",".join(f'"k{i}":0' for i in range(2_000_000))
open(f"{d}/unknown-keys-2m.json", "w").write('{"version":"1.0.0","messages":[],' + keys + "}")
msgs = [{"name": f"M{i}", "type_id": i + 1, "fields": [{"name": "f", "type": f"Nope{i}"}]} for i in range(3_000)]
open(f"{d}/minified.json", "w").write(json.dumps({"version": "1.0.0", "messages": msgs}, separators=(",", ":")))
PY
printf '%-20s %10s %12s %9s\n' document bytes max-rss-KiB findings
# Set BEFORE to another build of xtask to measure it instead (e.g. an older commit's target/release/xtask).
xtask=${BEFORE:-target/release/xtask}
for f in tiny-maps-200k.yaml tiny-maps-640k.yaml long-name-dup-ids.yaml ring-30k.yaml chain-30k.yaml \
         unknown-keys-2m.json; do
  path="$dir/$f"
  rss=$( { /usr/bin/time -f '%M' "$xtask" check-contracts --contracts "$path" --format json \
           > "$dir/$f.json"; } 2>&1 | tail -1 ) || true
  n=$(grep -c '"code"' "$dir/$f.json" || true)
  printf '%-20s %10s %12s %9s\n' "$f" "$(stat -c %s "$path")" "$rss" "$n"
done
# Human output (the default) of 3,000 findings on one 220 KB line of minified JSON.
/usr/bin/time -f '%M' "$xtask" check-contracts --contracts "$dir/minified.json" > "$dir/human.txt" 2> "$dir/human.err" || true
printf '%-20s %10s %12s %9s   (%s bytes of output)\n' minified.json-human "$(stat -c %s "$dir/minified.json")" \
  "$(tail -1 "$dir/human.err")" "$(grep -c '^  × ' "$dir/human.txt" || true)" "$(stat -c %s "$dir/human.txt")"
# The compatibility check of a 1 MB name whose 2,000 fields were removed.
rss=$( { /usr/bin/time -f '%M' "$xtask" check-contracts --contracts "$dir/new-long-name.yaml" \
         --base-file "$dir/base-long-name.yaml" --format json > "$dir/compat.json"; } 2>&1 | tail -1 ) || true
printf '%-20s %10s %12s %9s   (%s bytes of JSON)\n' compat-long-name "$(stat -c %s "$dir/base-long-name.yaml")" "$rss" \
  "$(grep -c '"code"' "$dir/compat.json" || true)" "$(stat -c %s "$dir/compat.json")"
