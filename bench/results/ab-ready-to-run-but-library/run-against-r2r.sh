#!/usr/bin/env bash
# The same B against per-assembly ReadyToRun of every assembly (/tmp/r2r-bench, as in ../ab-ready-to-run-jit-time),
# side by side: what leaving Switchboard.dll to the JIT gives back to the agent drop and costs the restart.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run R-r2r /tmp/r2r-bench; }
B() { run B-r2r-but-library /tmp/r2rx-bench; }
FIRST=7 interleave 12
