#!/usr/bin/env python3
import re, subprocess, sys
bench = sys.argv[1]; out = sys.argv[2]
storm = subprocess.Popen([bench, "storm", "--endpoints", "5000", "--phases", "cold", "--floor-seconds", "0", "--runs", "1", "--baseline", "--out", out] + sys.argv[3:],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
started = set(); perfs = []
def pg(pat, last=False):
    p = subprocess.run(["pgrep", "-f", pat], capture_output=True, text=True).stdout.split()
    return int(p[-1 if last else 0]) if p else None
for line in storm.stdout:
    sys.stdout.write(line); sys.stdout.flush()
    m = re.search(r"\[(switchboard|baseline) cold\]\s+3\.\d s", line)
    if m and m.group(1) not in started:
        started.add(m.group(1))
        for who, pid in (("fleet", pg("Switchboard.Bench agents")), ("manager", pg("storm --worker", True))):
            perfs.append(subprocess.Popen(["perf", "record", "-F", "997", "-g", "-p", str(pid), "-o", f"{out}-{m.group(1)}-{who}.data", "--", "sleep", "2.5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
storm.wait()
for p in perfs: p.wait()
