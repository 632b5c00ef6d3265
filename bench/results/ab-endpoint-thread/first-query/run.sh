#!/usr/bin/env bash
# What the restart's first GetStatus waits for with the endpoint actors on the IO threads: the adopted build
# (/tmp/new-bench) as it ships (io.thread-nice = 5) against the IO threads not niced (thread-nice = 0), in case
# the supervisor's first answer waits on start-up work of the niced IO threads. Cold and restart only, two runs
# of each per storm, 3 interleaved rounds.
PHASES=cold,restart RUNS=2
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-nice-5 /tmp/new-bench; }
B() { run B-nice-0 /tmp/new-bench --manager-config 'switchboard.io.thread-nice = 0'; }
interleave 3
