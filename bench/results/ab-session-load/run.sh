#!/usr/bin/env bash
# Interleaved A/B of a restart's start. A = 7c3589c's library (/tmp/h-bench): the cache actor reads the session
# file when it starts, beside the supervisor's start. B = the runtime's Start reads it on the caller's thread,
# before any actor exists, and hands it to the cache actor (/tmp/b-bench). 5,000 endpoints, P-256, TLS 1.3,
# cold and restart only (what a start changes), two runs of each per storm.
PHASES=cold,restart RUNS=2
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-7c3589c /tmp/h-bench; }
B() { run B-load-in-start /tmp/b-bench; }
interleave 4
