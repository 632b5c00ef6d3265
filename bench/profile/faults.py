#!/usr/bin/env python3
"""Where an agent drop's page faults come from, by the code that touched the page.

Runs `storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1` (P-256, TLS 1.3; the Release
build, or the one $SWITCHBOARD_BENCH names) with the manager's JIT-compiled code mapped, records every page fault on the
machine (`perf record -e page-faults --call-graph dwarf`) from the restart's `done` line to the agent drop's, and sorts
the manager's faults (weighted by perf's sample period) into who touched the page: the runtime clearing memory for
managed allocations (and which managed method allocated), OpenSSL through malloc, and the rest. The window is a settle
second wider than the phase on each side (the restart's trim and the forced collection before the memory reading
fall inside it), so read shares, not counts; the phase's own count per handshake is in storm.txt.

Usage: faults.py OUT     Writes OUT/storm.txt, OUT/storm/ and OUT/faults.txt.
"""
import collections, os, re, signal, subprocess, sys

import stormrun

out = os.path.abspath(sys.argv[1])
os.makedirs(out, exist_ok=True)
data = "/tmp/faults.perf.data"
storm = stormrun.start(out)
perf, manager = None, None
with open(f"{out}/storm.txt", "w") as log:
    for line in storm.stdout:
        log.write(line); log.flush()
        if "[switchboard restart] done" in line and perf is None:
            # The agent drop runs in the restarted manager: the one worker alive now besides the fleet's.
            manager = subprocess.run(["pgrep", "-n", "-f", "storm --worker"], capture_output=True, text=True).stdout.strip()
            perf = subprocess.Popen(["perf", "record", "-a", "-e", "page-faults", "--call-graph", "dwarf,16384", "-o", data],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if "[switchboard agentdrop] done" in line and perf is not None:
            perf.send_signal(signal.SIGINT); perf.wait(); perf = None
storm.wait()

script = subprocess.run(["perf", "script", "-i", data, "--pid", manager, "-F", "period,ip,sym,dso"],
                        capture_output=True, text=True).stdout
kinds, allocators, total = collections.Counter(), collections.Counter(), 0
for sample in script.split("\n\n"):
    lines = [l.strip() for l in sample.strip().split("\n") if l.strip()]
    if len(lines) < 2:
        continue
    period = int(lines[0].split()[0])
    frames = lines[1:]
    total += period
    top, caller = frames[0], (frames[1] if len(frames) > 1 else "")
    if "memset" in top and "libcoreclr" in caller:
        kinds["the runtime clearing memory for managed allocations"] += period
        method = next((re.sub(r"\(.*", "", f.split("] ", 1)[-1]) for f in frames[1:] if "::" in f), "(no managed frame)")
        allocators[method[-100:]] += period
    elif "BUF_MEM_grow" in caller or "BUF_MEM_grow" in top:
        kinds["OpenSSL's handshake buffer (BUF_MEM_grow clearing what malloc gave)"] += period
    elif "CRYPTO_zalloc" in caller:
        kinds["OpenSSL's zeroed allocations (CRYPTO_zalloc)"] += period
    elif re.search(r"\b(_int_malloc|sysmalloc|malloc|_int_realloc)\b", top):
        kinds["malloc writing its chunk headers (_int_malloc, sysmalloc)"] += period
    elif "libcoreclr" in top:
        kinds["the runtime itself (collector threads, stubs)"] += period
    else:
        kinds[f"other: {top.split(' ', 1)[-1][:80]}"] += period

with open(f"{out}/faults.txt", "w") as f:
    f.write(f"# the manager (pid {manager}), page faults from the restart's end to the agent drop's, weighted: {total}\n\n## by who touched the page\n")
    for kind, n in kinds.most_common(12):
        f.write(f"{100 * n / total:7.2f}%  {kind}\n")
    cleared = kinds["the runtime clearing memory for managed allocations"] or 1
    f.write("\n## managed allocations that took a fresh page, by the allocating method (% of those faults)\n")
    for method, n in allocators.most_common(25):
        f.write(f"{100 * n / cleared:7.2f}%  {method}\n")
print(open(f"{out}/faults.txt").read())
