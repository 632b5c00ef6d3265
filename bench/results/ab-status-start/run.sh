#!/usr/bin/env bash
# Interleaved A/B of the first GetStatus after a start. Both builds carry the storm's probe warm-up (StatusProbe.WarmUpAsync),
# so both measure the manager, not the probe's own first compilation. A = e7ab129's library (copied to /tmp/a-bench);
# B = 5e827cb's host-name checks plus the status path compiled over real entries after the first spawn batch (/tmp/b-bench).
# 5,000 endpoints, P-256, TLS 1.3, cold and restart only (what a start changes), two runs of each per storm.
PHASES=cold,restart RUNS=2
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-e7ab129 /tmp/a-bench; }
B() { run B-warm-status /tmp/b-bench; }
interleave 4
