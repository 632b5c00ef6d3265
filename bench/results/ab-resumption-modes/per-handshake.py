#!/usr/bin/env python3
"""Per-handshake medians (and ranges) of the three sides' six storms: CPU of the manager and of the fleet, the
manager's managed allocations, and the resumptions without a key exchange. Writes what the README's table quotes."""
import json
import statistics


def per_round(side, phase):
    for r in range(1, 7):
        m = json.load(open(f"{side}-r{r}/storm.json"))["results"]["switchboard"][phase]["metrics"]
        yield m, m["handshakes"]["median"]


for phase in ["cold", "restart", "agentdrop"]:
    for side in ["A-default", "B-psk-ke", "C-tls12"]:
        rows = list(per_round(side, phase))
        manager = [m["cpu_seconds"]["median"] / h * 1000 for m, h in rows]
        fleet = [m["fleet_cpu_seconds"]["median"] / h * 1000 for m, h in rows]
        allocated = [m["allocated_kib_per_handshake"]["median"] for m, h in rows]
        without = sum(m["resumed_without_key_exchange"]["median"] for m, h in rows)
        print(f"{phase:9} {side:9}  manager {statistics.median(manager):.3f} ms ({min(manager):.3f}-{max(manager):.3f})"
              f"  fleet {statistics.median(fleet):.3f} ms  allocated {statistics.median(allocated):.1f} KiB"
              f"  resumed without a key exchange, 6 runs: {without:.0f}")
