#!/usr/bin/env python3
"""Page faults per process, by the function that took them and the first frame outside libc.
Input: `perf script -F pid,period,ip,dso,sym` of `perf record -e page-faults -a -g` (stdin)."""
import collections, re, sys

total = collections.Counter()
leaf = collections.defaultdict(collections.Counter)
caller = collections.defaultdict(collections.Counter)
pid, period, frames = None, 0, []


def flush():
    if pid is None:
        return
    total[pid] += period
    if frames:
        leaf[pid][frames[0]] += period
        outside = next((f for f in frames if 'libc.so' not in f and 'kernel' not in f), None)
        if outside:
            caller[pid][outside] += period


for line in sys.stdin:
    if line and not line[0].isspace():
        flush()
        fields = line.split()
        pid, period, frames = int(fields[0]), int(fields[1]), []
    elif line.strip():
        match = re.search(r'\((.*)\)\s*$', line.strip())
        dso = match.group(1).split('/')[-1] if match else '?'
        symbol = line.strip().split(' ', 1)[1].rsplit(' (', 1)[0]
        frames.append(f"{dso}:{symbol}" if dso in ('libc.so.6', '[kernel.kallsyms]') else dso)
flush()

for p, n in total.most_common(4):
    print(f"== pid {p}: {n} faults")
    print("  in:", ', '.join(f"{k} {v * 100 / n:.0f}%" for k, v in leaf[p].most_common(6)))
    print("  first frame outside libc:", ', '.join(f"{k} {v * 100 / n:.0f}%" for k, v in caller[p].most_common(6)))
