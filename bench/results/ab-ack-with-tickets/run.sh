#!/usr/bin/env bash
# Interleaved A/B of how our listener writes the read that ends a handshake: A = 8e8486a's library (the session
# tickets are written as soon as TLS produced them, the Ack of the Resume that came with the Finished in a second
# write), built in /tmp/a-bench; B = a38f378's (one write for both), built in /tmp/cur-bench. The fleet runs
# our listener, so both sides change: the manager reads one segment instead of two. 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-two-writes /tmp/a-bench; }
B() { run B-one-write /tmp/cur-bench; }
interleave 4
