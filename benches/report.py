#!/usr/bin/env python3
"""Summarizes `cargo bench --bench runtime` from criterion's output.

Reads DIR/**/new/{benchmark,estimates}.json (medians, ns per frame) of one or more runs (one
`--criterion DIR` per run; `scripts/bench-runtime.sh` makes them), prints the markdown tables
(median over the runs of each variant's median) and the ratios between variants (median over the
runs of the ratio within each run: both sides of a ratio always come from the same run), and
writes an SVG chart.

    python3 benches/report.py [--criterion DIR ...] [--svg docs/runtime-bench.svg] [--docs docs/benchmarks.md]

With --docs, the text between `<!-- runtime-bench:start -->` and `<!-- runtime-bench:end -->` in
that file is replaced by the tables.
"""
import argparse
import glob
import json
import os
import statistics
from html import escape


def load(root):
    results = {}
    for bench in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        folder = os.path.dirname(bench)
        with open(bench) as f:
            meta = json.load(f)
        with open(os.path.join(folder, "estimates.json")) as f:
            est = json.load(f)
        key = (meta["group_id"], meta["function_id"], meta.get("value_str") or "")
        results[key] = est["median"]["point_estimate"]
    return results


def table(results, group):
    rows = sorted({k[1] for k in results if k[0] == group})
    cols = sorted({k[2] for k in results if k[0] == group}, key=lambda v: int(v) if v.isdigit() else v)
    if not rows:
        return ""
    unit = {"tcp": "reader CPU ns/frame", "tcp-wall": "wall-clock ns/frame"}.get(group, "ns/frame")
    out = [f"| {group} ({unit}, median) | " + " | ".join(f"{c} B" for c in cols) + " |"]
    out.append("|---|" + "---:|" * len(cols))
    for r in rows:
        cells = [f"{results[(group, r, c)]:.1f}" if (group, r, c) in results else "" for c in cols]
        out.append(f"| {r} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def ratio_lines(runs):
    """Ratios between variants: each is computed within every run (both sides measured in the
    same run), then the median over the runs and their range."""
    lines = []

    def ratio(num, den):
        values = []
        for results in runs:
            n, d = results.get(num), results.get(den)
            if n and d:
                values.append(n / d)
        return values

    def row(label, values):
        if not values:
            return
        spread = f" ({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else ""
        lines.append(f"| {label} | {statistics.median(values):.2f}x{spread} |")

    def key(group, fn, size):
        return (group, fn, str(size))

    lines.append(f"| ratio | median of {len(runs)} run(s) (range) |")
    lines.append("|---|---:|")
    a, d, e, f = (key("memory", v, 84) for v in ("a-naive", "d-floor", "e-read-frame-pooled", "f-frame-reader"))
    row("(a) / (e), 84 B in memory: how much faster `read_frame_pooled` is than the naive reader", ratio(a, e))
    row("(e) / (d), 84 B in memory: `read_frame_pooled` against the floor", ratio(e, d))
    row("(a) / (d), 84 B in memory: the naive reader against the floor", ratio(a, d))
    row("(a) / (f), 84 B in memory: how much faster `FrameReader` is than the naive reader", ratio(a, f))
    for size in (84, 180, 800):
        for group, what in (("tcp", "reader CPU"), ("tcp-wall", "wall clock")):
            ab, fr = key(group, "a-naive+bufreader", size), key(group, "f-frame-reader", size)
            row(f"(a)+BufReader / (f), {size} B over TCP, {what}", ratio(ab, fr))
    p = key("pool", "buffer-pool", 84)
    for name in ("vec-free-list", "vec-free-list-inline"):
        row(f"pool acquire+drop / {name}", ratio(p, key("pool", name, 84)))
    return "\n".join(lines)


COLORS = {
    "a": "#d62728", "b": "#ff7f0e", "c": "#9467bd", "d": "#7f7f7f", "e": "#1f77b4", "f": "#2ca02c",
}


RUNTIME_PANELS = [("memory", "84"), ("memory", "180"), ("memory", "800"), ("memory-3-consumers", "84"),
                  ("tcp", "84"), ("tcp", "180"), ("tcp", "800"), ("pool", "84")]


def svg(results, path, panel_keys=RUNTIME_PANELS, heading="Runtime: ns per frame", titles=None):
    panels = []
    for group, size in panel_keys:
        rows = sorted((k[1], v) for k, v in results.items() if k[0] == group and k[2] == size)
        if rows and titles:
            panels.append((titles(group, size), rows))
        elif rows:
            title = f"{group}, {size}-byte payload" + (" (reader CPU time)" if group == "tcp" else "")
            panels.append((title if group != "pool" else "pool: acquire(84) + drop",
                           rows))
    label_w, bar_w, row_h, title_h, gap = 230, 420, 18, 24, 14
    height = 40 + sum(title_h + row_h * len(rows) + gap for _, rows in panels)
    width = label_w + bar_w + 150
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(heading)} (median; '
           f'shorter is better; each panel has its own scale)</text>']
    y = 40
    for title, rows in panels:
        out.append(f'<text x="10" y="{y + 15}" font-weight="bold">{escape(title)}</text>')
        y += title_h
        top = max(v for _, v in rows)
        for name, value in rows:
            w = max(1.0, bar_w * value / top)
            color = COLORS.get(name[0], "#17becf")
            out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
            out.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" fill="{color}"/>')
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{value:.1f} ns</text>')
            y += row_h
        y += gap
    out.append("</svg>")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--criterion", action="append", help="criterion output of one run (repeatable)")
    parser.add_argument("--svg", default="docs/runtime-bench.svg")
    parser.add_argument("--docs", help="a Markdown file whose runtime-bench section receives the tables")
    args = parser.parse_args()
    runs = [load(d) for d in (args.criterion or ["target/criterion"])]
    runs = [r for r in runs if r]
    if not runs:
        raise SystemExit("no criterion results; run `cargo bench --bench runtime` (or scripts/bench-runtime.sh) first")
    keys = set().union(*runs)
    results = {k: statistics.median(r[k] for r in runs if k in r) for k in keys}
    parts = [table(results, g) for g in ("memory", "memory-3-consumers", "tcp", "tcp-wall", "pool")]
    text = "\n\n".join(p for p in parts if p) + "\n\n" + ratio_lines(runs)
    print(text)
    svg(results, args.svg)
    print(f"\nchart written to {args.svg}")
    if args.docs:
        start, end = "<!-- runtime-bench:start -->", "<!-- runtime-bench:end -->"
        with open(args.docs) as f:
            doc = f.read()
        head, rest = doc.split(start, 1)
        _, tail = rest.split(end, 1)
        with open(args.docs, "w") as f:
            f.write(head + start + "\n" + text + "\n" + end + tail)
        print(f"tables written to {args.docs}")


if __name__ == "__main__":
    main()
