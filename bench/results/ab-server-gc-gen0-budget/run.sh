#!/usr/bin/env bash
# Interleaved A/B of server GC's gen-0 budget against the collection pauses of a storm: A = the runtime's own
# budget (a cold connect of 5,000 pays 1-2 collections, the longest promoting 26-30 MiB in 80-116 ms),
# B = DOTNET_GCgen0MaxBudget capping it, so collections come more often and each copies fewer new links.
# Built in /tmp/cur-bench (02ca7d4). 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/cur-bench; }
# KNOB=GCgen0size BUDGET=0x400000 FIRST=4 ROUNDS=6: the initial gen-0 budget per heap instead of the cap.
B() { run B-${KNOB:-GCgen0MaxBudget}-${BUDGET:-0x600000} /tmp/cur-bench --manager-env "DOTNET_${KNOB:-GCgen0MaxBudget}=${BUDGET:-0x600000}"; }
interleave 3
