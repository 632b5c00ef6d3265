#!/usr/bin/env python3
# syscalls of the manager over an agent drop, from the phase's 1 s line for 4 s: perf stat per syscall tracepoint.
# Usage: syscalls.py BENCH OUT [--per-thread] [storm arguments...]; --per-thread splits the counts by thread.
import re, subprocess, sys
bench = sys.argv[1]; out = sys.argv[2]
per_thread = sys.argv[3:4] == ["--per-thread"]
extra = sys.argv[4:] if per_thread else sys.argv[3:]
SC = "recvfrom sendto recvmsg sendmsg epoll_ctl epoll_wait futex sched_yield socket connect close setsockopt getsockopt getsockname getpeername madvise mmap munmap mprotect getpid ioctl fcntl shutdown write read accept4 bind".split()
EV = ",".join(["task-clock"] + [f"syscalls:sys_enter_{s}" for s in SC])
storm = subprocess.Popen([bench, "storm", "--endpoints", "5000", "--phases", "cold,agentdrop", "--floor-seconds", "0", "--runs", "1", "--out", out] + extra,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
perf = None; h0 = None
for line in storm.stdout:
    sys.stdout.write(line); sys.stdout.flush()
    m = re.search(r"\[switchboard agentdrop\]\s+1\.\d s.*?(\d+) handshakes", line)
    if m and perf is None:
        pid = subprocess.run(["pgrep", "-f", "storm --worker"], capture_output=True, text=True).stdout.split()[-1]
        perf = subprocess.Popen(["perf", "stat"] + (["--per-thread"] if per_thread else []) + ["-e", EV, "-p", pid, "-o", f"{out}.stat", "--", "sleep", "4"])
        h0 = int(m.group(1))
    m = re.search(r"\[switchboard agentdrop\]\s+5\.\d s.*?(\d+) handshakes", line)
    if m and h0 is not None: print("HANDSHAKES in window ~", int(m.group(1)) - h0)
storm.wait()
