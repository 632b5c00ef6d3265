#!/usr/bin/env bash
# Interleaved A/B of the connection's own BIO. A = 3e5cfd4's library (two memory BIOs per link; /tmp/b-bench);
# B = one BIO per link that reads from the received span and writes into the send buffer (/tmp/c-bench).
# 5,000 endpoints, P-256, TLS 1.3, all three phases.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-3e5cfd4 /tmp/b-bench; }
B() { run B-link-bio /tmp/c-bench; }
interleave 6
