#!/usr/bin/env bash
# Interleaved A/B of the first GetStatus after a start. A = 422e808's library (/tmp/a-bench); B = the start path
# (an endpoint's checks, the status over one endpoint, the endpoint dispatcher) compiled and started on the thread
# that starts the runtime, before the supervisor exists (/tmp/b-bench). 5,000 endpoints, P-256, TLS 1.3, cold and
# restart only (what a start changes), two runs of each per storm.
PHASES=cold,restart RUNS=2
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-422e808 /tmp/a-bench; }
B() { run B-start-path /tmp/b-bench; }
interleave 4
