#!/usr/bin/env python3
"""Medians of scripts/perf.sh's runs as a Markdown table: one row per figure, with its target.

Usage: perf_summary.py DIR [JVM_FLAGS [smoke]]. With smoke (tiny scale) no figure is judged. Reads DIR/<scenario>-<run>.json as partyline-bench wrote them.
"""
import glob
import json
import os
import statistics
import sys


def delivered_percent(r):
    return 100.0 * r["unique"] / r["expected"] if r["expected"] else None


def passing_step(r):
    fm = r.get("findMax") or {}
    step = fm.get("maxPassingStep")
    return next((s for s in fm.get("steps", []) if s["step"] == step), None)


def server(key):
    return lambda r: (r.get("server") or {}).get(key)


def latency(p):
    return lambda r: r["latencyMs"].get(p)


def machine_rows(scenario):
    return [
        # Tick-sampled by the kernel: can read below the processes' exact CPU when cores idle often.
        (scenario, "machine: cores busy", "", lambda r: r["machine"]["busyCores"], None, None),
        (scenario, "machine: cores stolen by the hypervisor", "", lambda r: r["machine"]["stealCores"], None, None),
    ]


# (scenario, figure, unit, extract, target text, passes(value)); a None target is context only.
FIGURES = [
    ("floor", "kernel CPU per loopback write (writer)", "µs", lambda r: r["writerCpuMicrosPerWrite"], None, None),
    ("floor", "kernel CPU per loopback write (reader)", "µs", lambda r: r["readerCpuMicrosPerWrite"], None, None),
    ("floor_party", "kernel CPU per write, paced like party (writer)", "µs",
     lambda r: r["writerCpuMicrosPerWrite"], None, None),
    ("floor_fanout", "kernel CPU per write, paced like fanout5 (writer)", "µs",
     lambda r: r["writerCpuMicrosPerWrite"], None, None),
    ("floor_fanout", "one thread writing one fanout burst, p50", "ms", lambda r: r["burstP50Ms"], None, None),
    ("floor_fanout", "one thread writing one fanout burst, p99", "ms", lambda r: r["burstP99Ms"], None, None),
    ("connect", "connections per second", "/s", lambda r: r["connectionsPerSecond"], "≥ 5,000", lambda v: v >= 5000),
    ("connect", "handshake p50", "ms", lambda r: r["handshakeMs"].get("p50"), None, None),
    ("connect", "handshake p99", "ms", lambda r: r["handshakeMs"].get("p99"), None, None),
    ("connect", "server CPU per connection", "µs",
     lambda r: 1e6 * r["server"]["cpuSeconds"] / max(1, r["connected"]), None, None),
    ("connect", "bench CPU per connection", "µs", lambda r: 1e6 * r["benchCpuSeconds"] / max(1, r["connected"]), None, None),
    ("idle", "connections held", "", lambda r: r["connected"], "19,000", lambda v: v >= 19000),
    ("idle", "server RSS growth per connection", "KiB", lambda r: server("rssBytesPerConnection")(r) / 1024,
     "≤ 4 KB (3.9 KiB)", lambda v: v * 1024 <= 4000),
    ("party", "deliveries per second", "/s", lambda r: r["deliveriesPerSecond"], "32,000", None),
    ("party", "delivered", "%", delivered_percent, "100", lambda v: v >= 99.9),
    ("party", "server CPU per delivery", "µs", server("cpuMicrosPerDelivery"), "≤ 5", lambda v: v <= 5),
    ("party", "latency p50", "ms", latency("p50"), None, None),
    ("party", "latency p99", "ms", latency("p99"), "≤ 20", lambda v: v <= 20),
    ("party", "bench CPU per delivery", "µs", lambda r: 1e6 * r["benchCpuSeconds"] / max(1, r["delivered"]), None, None),
    *machine_rows("party"),
    ("fanout50", "deliveries per second", "/s", lambda r: r["deliveriesPerSecond"], "250,000", None),
    ("fanout50", "delivered", "%", delivered_percent, "≥ 99.9", lambda v: v >= 99.9),
    ("fanout50", "latency p99", "ms", latency("p99"), "≤ 100", lambda v: v <= 100),
    ("fanout50", "server CPU per delivery", "µs", server("cpuMicrosPerDelivery"), None, None),
    ("fanout50", "bench CPU per delivery", "µs", lambda r: 1e6 * r["benchCpuSeconds"] / max(1, r["delivered"]), None, None),
    *machine_rows("fanout50"),
    ("fanout5", "delivered", "%", delivered_percent, "≥ 99.9", lambda v: v >= 99.9),
    ("fanout5", "latency p99", "ms", latency("p99"), "≤ 10", lambda v: v <= 10),
    ("fanout5", "server CPU per delivery", "µs", server("cpuMicrosPerDelivery"), None, None),
    *machine_rows("fanout5"),
    ("findmax", "last passing deliveries per second", "/s",
     lambda r: (r.get("findMax") or {}).get("maxPassingDeliveriesPerSecond"), "≥ 150,000", lambda v: v >= 150000),
    ("findmax", "its p99", "ms", lambda r: (passing_step(r) or {}).get("latencyMs", {}).get("p99"), "≤ 100",
     lambda v: v <= 100),
    ("findmax", "first failing step", "", lambda r: (r.get("findMax") or {}).get("stopReason"), None, None),
]


def fmt(v, unit):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if unit in ("/s", "") and abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}" if abs(v) < 10 else f"{v:,.1f}"


def main():
    folder = sys.argv[1]
    flags = sys.argv[2] if len(sys.argv) > 2 else "?"
    smoke = len(sys.argv) > 3 and sys.argv[3] == "smoke"
    runs = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        scenario, _, _ = os.path.basename(path)[:-5].rpartition("-")
        with open(path) as f:
            runs.setdefault(scenario, []).append(json.load(f))
    print(f"Server JVM flags: `{flags}`" + (" (smoke: tiny scale, targets not judged)" if smoke else "") + "\n")
    print("| scenario | figure | median | runs | target | met |")
    print("|---|---|---|---|---|---|")
    for scenario, figure, unit, extract, target, passes in FIGURES:
        if scenario not in runs:
            continue
        values = []
        for r in runs[scenario]:
            try:
                values.append(extract(r))
            except (KeyError, TypeError, ZeroDivisionError):
                values.append(None)
        numbers = [v for v in values if isinstance(v, (int, float))]
        if numbers:
            median = statistics.median(numbers)
        else:
            texts = [v for v in values if isinstance(v, str)]
            median = texts[len(texts) // 2] if texts else None
        if smoke:
            target, passes = None, None
        met = "" if passes is None or not numbers else ("yes" if passes(median) else "**no**")
        shown = " / ".join(fmt(v, unit) for v in values)
        print(f"| {scenario} | {figure} | {fmt(median, unit)} {unit} | {shown} | {target or ''} | {met} |")


if __name__ == "__main__":
    main()
