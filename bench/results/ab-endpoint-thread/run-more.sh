#!/usr/bin/env bash
# Rounds 5-8 of A and B only (run.sh's first four rounds left B's gain inside the rounds' spread; C lost in 3 of 4).
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-fork-join /tmp/exp-bench; }
B() { run B-io-threads /tmp/exp-bench --manager-env SB_EXP_ENDPOINT_DISPATCHER=switchboard.io.dispatcher; }
FIRST=5 interleave 8
