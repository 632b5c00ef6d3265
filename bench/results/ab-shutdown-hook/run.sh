#!/usr/bin/env bash
# Interleaved A/B of a start. A = 8750a70's library (/tmp/a-bench): Start creates Akka's CoordinatedShutdown (to add
# the close-links task) after the supervisor's ActorOf, beside the supervisor's own start. B = Start creates it
# before the supervisor exists (/tmp/b-bench). Both builds carry status_first_answer_ms. 5,000 endpoints, P-256,
# TLS 1.3, cold and restart only (what a start changes), two runs of each per storm.
PHASES=cold,restart RUNS=2
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-8750a70 /tmp/a-bench; }
B() { run B-shutdown-first /tmp/b-bench; }
interleave 4
