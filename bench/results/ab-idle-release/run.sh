#!/usr/bin/env bash
# Upper bound of what releasing idle memory less eagerly could save. One commit (5c92168, the library of 5b095c0):
# A = as shipped (/tmp/f2-bench): TlsConnection.ReleaseIdleMemory after every read and write of an established link;
# B = the same with that call removed (/tmp/nr-bench): Switchboard no longer frees the record buffers or swaps grown
# BIOs (OpenSSL's SSL_MODE_RELEASE_BUFFERS still frees the record buffers once application data has moved).
# 5,000 endpoints, P-256, TLS 1.3, cold, restart and agentdrop, interleaved.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-release-always /tmp/f2-bench; }
B() { run B-release-never /tmp/nr-bench; }
interleave 4
