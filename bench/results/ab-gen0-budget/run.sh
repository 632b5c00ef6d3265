#!/usr/bin/env bash
# Interleaved A/B of the collector's gen 0 budget for the manager: A = the default (server GC, one heap per core,
# a budget sized from the cache); B = DOTNET_GCgen0size=0x1000000 (16 MiB), so gen 0 reuses memory it has touched
# instead of faulting in new pages, at the price of more collections. One build of 4f544b5's library (/tmp/b-bench).
# 5,000 endpoints, P-256, TLS 1.3, cold, restart and agentdrop.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/b-bench; }
B() { run B-gen0-16mib /tmp/b-bench --manager-env DOTNET_GCgen0size=0x1000000; }
interleave 4
