#!/usr/bin/env bash
# Interleaved A/B of when a dialed acknowledged link sends its Resume: A = 1b3f361's library (the endpoint hears
# LinkUp and tells the IO actor SendResume: a hop, a send and a segment of its own), built in /tmp/a-bench;
# B = the IO actor encrypts it behind the client's last handshake flight, one write for both, built in /tmp/cur-bench.
# 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-after-link-up /tmp/a-bench; }
B() { run B-with-handshake /tmp/cur-bench; }
interleave 4
