#!/usr/bin/env bash
# Two binaries, interleaved rounds: A = ca9e2ea (a GetStatus reads every endpoint's record through its table
# entry and counts states and handshakes from them), B = the status board (each endpoint writes its record into
# a slot of dense pages and moves running totals; a GetStatus copies the pages' references and reads the
# totals). The storm's probe asks for the full status 20 times a second.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-table /tmp/head-bench; }
B() { run B-board /tmp/board-bench; }
interleave 8
