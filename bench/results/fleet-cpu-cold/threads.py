#!/usr/bin/env python3
"""CPU and context switches per thread group of the fleet and the manager over each side's cold connect:
one `storm --endpoints 5000 --phases cold --floor-seconds 0 --runs 1 --baseline`, snapshots of
/proc/PID/task/*/{stat,status} from the phase's first second to its end. Run as `threads.py OUT` with the
benchmark built in /tmp/cur-bench; its output of 2026-12-04 (a38f378) is in threads.txt."""
import os, re, subprocess, sys, time, collections
bench = "/tmp/cur-bench/Switchboard.Bench"
out = sys.argv[1]
storm = subprocess.Popen([bench, "storm", "--endpoints", "5000", "--phases", "cold", "--floor-seconds", "0", "--runs", "1", "--baseline", "--out", out],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
def fleet():
    p = subprocess.run(["pgrep", "-f", "Switchboard.Bench agents"], capture_output=True, text=True).stdout.split()
    return int(p[0]) if p else None
def manager():
    p = subprocess.run(["pgrep", "-f", "storm --worker"], capture_output=True, text=True).stdout.split()
    return int(p[-1]) if p else None
def snap(pid):
    res = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            st = open(f"/proc/{pid}/task/{tid}/stat").read()
            comm = st[st.index("(")+1:st.rindex(")")]
            f = st[st.rindex(")")+2:].split()
            cpu = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
            s = open(f"/proc/{pid}/task/{tid}/status").read()
            vol = int(re.search(r"voluntary_ctxt_switches:\s+(\d+)", s).group(1))
            nonvol = int(re.search(r"nonvoluntary_ctxt_switches:\s+(\d+)", s).group(1))
            res[tid] = (comm, cpu, vol, nonvol)
        except Exception:
            pass
    return res
def diff(a, b):
    agg = collections.defaultdict(lambda: [0.0, 0, 0, 0])
    for tid, (comm, cpu, vol, nv) in b.items():
        c0, v0, n0 = (a[tid][1], a[tid][2], a[tid][3]) if tid in a else (0, 0, 0)
        g = re.sub(r"\d+", "#", comm)
        agg[g][0] += cpu - c0; agg[g][1] += vol - v0; agg[g][2] += nv - n0; agg[g][3] += 1
    return sorted(agg.items(), key=lambda kv: -kv[1][0])
start = {}
for line in storm.stdout:
    sys.stdout.write(line)
    m = re.search(r"\[(switchboard|baseline) cold\]\s+1\.\d s", line)
    m2 = re.search(r"\[(switchboard|baseline) cold\] done", line)
    if m and m.group(1) not in start:
        pid = fleet(); mp = manager(); start[m.group(1)] = (pid, snap(pid), mp, snap(mp) if mp else {})
    if m2 and m2.group(1) in start:
        pid, s0, mp, m0 = start[m2.group(1)]
        if mp:
            print(f"=== manager threads during {m2.group(1)} cold, pid {mp}")
            for g, (cpu, vol, nv, n) in diff(m0, snap(mp))[:12]:
                print(f"  {g:20s} threads {n:3d} cpu {cpu:6.2f} s  voluntary {vol:8d}  involuntary {nv:8d}")
        print(f"=== fleet threads during {m2.group(1)} cold (from 1 s to done), pid {pid}")
        for g, (cpu, vol, nv, n) in diff(s0, snap(pid))[:15]:
            print(f"  {g:20s} threads {n:3d} cpu {cpu:6.2f} s  voluntary {vol:8d}  involuntary {nv:8d}")
storm.wait()
