#!/usr/bin/env bash
# Does a resumed reconnect cost the manager less CPU with fewer handshakes in flight? A = the default adaptive
# admission; B = a fixed cap of 16 handshakes (8 per IO actor), same build (/tmp/h-bench), interleaved.
# If the cost per handshake falls with the cap, the extra over s_time's one-at-a-time client is the working set
# of many handshakes at once, not the calls themselves.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-adaptive /tmp/h-bench; }
B() { run B-fixed-16 /tmp/h-bench --manager-config 'switchboard.admission { limit = fixed, max-concurrent-handshakes = 16 }'; }
interleave 4
