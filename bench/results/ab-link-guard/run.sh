#!/usr/bin/env bash
# Two binaries, interleaved rounds: A = c99a6c0 (the final figures' library), B = b5c0b26 (the same, with a
# disposed link refusing reads and writes). Run because the check storms at b5c0b26 (../check-b5c0b26) ran
# their restarts slower than c99a6c0's in 5 of 6 pairs, the fleet's too.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-c99a6c0 /tmp/desc-bench; }
B() { run B-guard /tmp/guard-bench; }
interleave 8
