#!/usr/bin/env python3
"""Summarizes an interleaved storm A/B: `summarize.py DIR A-NAME B-NAME` reads DIR/{A,B}-NAME-rN/storm.json
and prints, per phase, the medians of both sides, in how many paired rounds B was below A, and B / A, as the
table each ab-* README carries."""
import glob
import json
import os
import re
import statistics
import sys

METRICS = [
    ("cpu_seconds", "manager CPU-s"),
    ("fleet_cpu_seconds", "the fleet's CPU-s"),
    ("seconds", "s"),
    # Storms since the JIT metrics (older folders lack them, and their rows are left out).
    ("start_cpu_seconds", "the start's CPU-s"),
    ("jit_seconds", "JIT compiler, s"),
]


def load(directory, name):
    runs = {}
    for path in glob.glob(os.path.join(directory, f"{name}-r*", "storm.json")):
        round_ = int(re.search(r"-r(\d+)$", os.path.dirname(path)).group(1))
        runs[round_] = json.load(open(path))["results"]["switchboard"]
    return runs


def value(run, phase, metric):
    try:
        return run[phase]["metrics"][metric]["median"]
    except (KeyError, TypeError):  # not measured in this storm, or not in this phase (a start's, in an agent drop)
        return None


def ratio(run, phase):
    manager, fleet = value(run, phase, "cpu_seconds"), value(run, phase, "fleet_cpu_seconds")
    return manager / fleet if manager is not None and fleet else None


def paired_row(label, pairs, digits):
    """One table row: A's and B's medians over the rounds both have, in how many B was lower, and B ÷ A."""
    pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
    if not pairs:
        return
    ma = statistics.median(x for x, _ in pairs)
    mb = statistics.median(y for _, y in pairs)
    below = sum(1 for x, y in pairs if y < x)
    print(f"| {label} | {ma:.{digits}f} | {mb:.{digits}f} [{below} of {len(pairs)}] | {mb / ma:.2f} |")


def main():
    directory, a_name, b_name = sys.argv[1:4]
    a, b = load(directory, a_name), load(directory, b_name)
    rounds = sorted(set(a) & set(b))
    if not rounds:
        sys.exit(f"no paired rounds of {a_name} and {b_name} in {directory}")
    phases = list(a[rounds[0]].keys())
    print(f"| median of {len(rounds)} [B below A in how many rounds] | {a_name} | {b_name} | B ÷ A |")
    print("|---|---:|---:|---:|")
    for phase in phases:
        for metric, label in METRICS:
            paired_row(f"{phase}, {label}", [(value(a[r], phase, metric), value(b[r], phase, metric)) for r in rounds], 2)
        # The machine moves both processes at once: the fleet runs none of the code under test, so the manager's
        # CPU over the fleet's in the same round is steadier than either (ab-native-heap-trim-b479978).
        paired_row(f"{phase}, manager CPU ÷ the fleet's, per round", [(ratio(a[r], phase), ratio(b[r], phase)) for r in rounds], 3)
    p99 = lambda side: " / ".join(
        f"{statistics.median(value(side[r], ph, 'status_p99_ms') for r in rounds):.1f}" for ph in phases)
    print(f"| `GetStatus` p99 {' / '.join(phases)}, ms | {p99(a)} | {p99(b)} | |")
    # Every run's first query and p99 (a storm of --runs 2 holds two per round): a start's first query
    # is the whole p99 of a phase with 100 queries or fewer.
    for ph in phases:
        for metric, label in (("status_first_ms", "first query"), ("status_first_answer_ms", "first answer from the phase's start"), ("status_p99_ms", "p99")):
            cells = []
            for side in (a, b):
                values = sorted(p[metric] for r in rounds for p in side[r][ph].get("per_run", []) if p.get(metric) is not None)
                over = sum(1 for v in values if v >= 50)
                # The first answer counted from the phase's start includes the whole start: 50 ms is no bound for it.
                bound = "" if metric == "status_first_answer_ms" else f", {over} of {len(values)} runs ≥ 50"
                cells.append(f"median {statistics.median(values):.1f}, max {max(values):.1f}{bound}" if values else "–")
            print(f"| `GetStatus` {label}, {ph}, ms | {cells[0]} | {cells[1]} | |")
    for name, side in ((a_name, a), (b_name, b)):
        bad = [(r, ph) for r in rounds for ph in phases
               if (value(side[r], ph, "timeouts") or 0) > 0 or value(side[r], ph, "connected") != value(side[r], ph, "handshakes")]
        print(f"{name}: rounds/phases with timeouts or missing links: {bad or 'none'}")


if __name__ == "__main__":
    main()
