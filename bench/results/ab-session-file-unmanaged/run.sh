#!/usr/bin/env bash
# Interleaved A/B of where the session file's bytes live while it is read and written: A = a38f378's library
# (managed arrays: the file and its plaintext, megabytes each at 5,000 endpoints, are large-object allocations),
# built in /tmp/cur-bench; B = the same with both outside the managed heap (UnmanagedBuffer), built in /tmp/b-bench.
# 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-managed-arrays /tmp/cur-bench; }
B() { run B-unmanaged /tmp/b-bench; }
interleave 4
