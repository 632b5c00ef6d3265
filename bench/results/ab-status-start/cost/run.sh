#!/usr/bin/env bash
# The cost side of ../: the same two libraries over all three storm phases, since final-33a58fe's manager cost per
# resumed handshake came out higher than final-4f05e38's. A = e7ab129's library with the probe's warm-up (/tmp/a-bench),
# B = 33a58fe (/tmp/f-bench, the build of final-33a58fe). 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-e7ab129 /tmp/a-bench; }
B() { run B-33a58fe /tmp/f-bench; }
interleave 4
