#!/usr/bin/env python3
"""Summarizes `cargo bench --bench typed --features codec,demo` from criterion's output.

Reads one or more runs (one `--criterion DIR` per run, as `benches/report.py` does), prints the
tables (median over the runs of each variant's median, ns per message) and the ratios between
variants (median over the runs of the ratio within each run), and writes an SVG chart.

    python3 benches/report_typed.py [--criterion DIR ...] [--svg docs/typed-bench.svg]
"""
import argparse
import importlib.util
import os
import statistics

spec = importlib.util.spec_from_file_location("report", os.path.join(os.path.dirname(__file__), "report.py"))
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)

GROUPS = ("view-read-all", "large-3-fields", "writer-tcp", "end-to-end")
MESSAGES = ("SwapEvent", "PoolStateUpdate", "LargeMessage")


def table(results, group):
    rows = sorted({k[1] for k in results if k[0] == group})
    cols = [c for c in (*MESSAGES, "84") if (group, rows[0], c) in results] if rows else []
    if not rows:
        return ""
    unit = {"writer-tcp": "writer CPU ns/message", "end-to-end": "reader CPU ns/message"}.get(group, "ns/message")
    out = [f"| {group} ({unit}, median) | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for r in rows:
        cells = [f"{results[(group, r, c)]:.1f}" if (group, r, c) in results else "" for c in cols]
        out.append(f"| {r} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def ratio_lines(runs):
    lines = [f"| ratio | median of {len(runs)} run(s) (range) |", "|---|---:|"]

    def ratio(label, num, den):
        values = [r[num] / r[den] for r in runs if r.get(num) and r.get(den)]
        if not values:
            return
        value = statistics.median(values)
        spread = f" ({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else ""
        lines.append(f"| {label} | {value:.2f}x{spread} |")

    for m in MESSAGES:
        ratio(f"every field of {m} through a view: view / hand-written",
              ("view-read-all", "b-view", m), ("view-read-all", "a-hand-written", m))
    ratio("LargeMessage, view + 3 fields vs decode + 3 fields: decode / view",
          ("large-3-fields", "a-decode", "LargeMessage"), ("large-3-fields", "b-view", "LargeMessage"))
    w = ("writer-tcp", "c-frame-writer", "84")
    ratio("84-byte messages to TCP, writer CPU: write_frame / FrameWriter", ("writer-tcp", "a-write-frame", "84"), w)
    ratio("84-byte messages to TCP, writer CPU: FramedWrite / FrameWriter", ("writer-tcp", "b-framed-write", "84"), w)
    for m in MESSAGES:
        ratio(f"end to end, {m}, reader CPU: naive + decode / FrameReader + view",
              ("end-to-end", "a-naive-decode", m), ("end-to-end", "b-frame-reader-view", m))
        ratio(f"end to end, {m}: naive + decode / floor (the most any reader can gain)",
              ("end-to-end", "a-naive-decode", m), ("end-to-end", "c-floor-read-only", m))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--criterion", action="append", help="criterion output of one run (repeatable)")
    parser.add_argument("--svg", default="docs/typed-bench.svg")
    args = parser.parse_args()
    runs = [r for r in (report.load(d) for d in (args.criterion or ["target/criterion"])) if r]
    runs = [{k: v for k, v in r.items() if k[0] in GROUPS} for r in runs]
    runs = [r for r in runs if r]
    if not runs:
        raise SystemExit("no results; run `cargo bench --bench typed --features codec,demo` first")
    keys = set().union(*runs)
    results = {k: statistics.median(r[k] for r in runs if k in r) for k in keys}
    text = "\n\n".join(t for t in (table(results, g) for g in GROUPS) if t) + "\n\n" + ratio_lines(runs)
    print(text)
    panels = [("view-read-all", m) for m in MESSAGES] + [("large-3-fields", "LargeMessage"), ("writer-tcp", "84")]
    panels += [("end-to-end", m) for m in MESSAGES]

    def title(group, size):
        return {
            "view-read-all": f"every field of {size}: view vs hand-written reads",
            "large-3-fields": "LargeMessage: 3 fields, view vs decode",
            "writer-tcp": "84-byte messages to loopback TCP (writer CPU time)",
            "end-to-end": f"{size} over loopback TCP, read + 3 fields (reader CPU time)",
        }[group]

    report.svg(results, args.svg, panels, "Typed access: ns per message", title)
    print(f"\nchart written to {args.svg}")


if __name__ == "__main__":
    main()
