#!/usr/bin/env bash
# Two binaries, interleaved rounds: A = ca9e2ea (a GetStatus reads every endpoint's record to count states and
# handshakes), B = ca9e2ea plus the status cells keeping those counts as they change (a GetStatus copies the
# records and reads the counts whole). The storm's probe asks for the full status 20 times a second.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-counting /tmp/head-bench; }
B() { run B-totals /tmp/totals-bench; }
interleave 4
