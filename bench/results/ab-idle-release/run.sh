#!/usr/bin/env bash
# Upper bound of what releasing idle memory less eagerly could save. One commit (5c92168, the library of 5b095c0):
# A = as shipped (/tmp/f2-bench): TlsConnection.ReleaseIdleMemory after every read and write of an established link;
# B = the same with that call removed (/tmp/nr-bench): record buffers and grown BIOs are never released, which
# no release policy would do; it bounds the gain and shows the memory it costs.
# 5,000 endpoints, P-256, TLS 1.3, cold, restart and agentdrop, interleaved.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-release-always /tmp/f2-bench; }
B() { run B-release-never /tmp/nr-bench; }
interleave 4
