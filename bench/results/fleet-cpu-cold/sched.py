#!/usr/bin/env python3
import re, subprocess, sys, time, signal
bench = sys.argv[1]; out = sys.argv[2]
storm = subprocess.Popen([bench, "storm", "--endpoints", "5000", "--phases", "cold", "--floor-seconds", "0", "--runs", "1", "--baseline", "--out", out] + sys.argv[3:],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
started = set(); perf = None
for line in storm.stdout:
    sys.stdout.write(line); sys.stdout.flush()
    m = re.search(r"\[(switchboard|baseline) cold\]\s+3\.\d s", line)
    if m and m.group(1) not in started:
        started.add(m.group(1))
        perf = subprocess.Popen(["perf", "sched", "record", "-a", "-o", f"{out}-{m.group(1)}.sched", "--", "sleep", "2.5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    m2 = re.search(r"\[(switchboard|baseline) cold\] done", line)
storm.wait()
if perf: perf.wait()
