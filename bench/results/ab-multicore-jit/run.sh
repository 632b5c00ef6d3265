#!/usr/bin/env bash
# Interleaved A/B of .NET's multicore JIT (a profile of the methods the last start compiled, compiled again on
# another core at the next start) for the manager. One build of 6e10273's library (/tmp/cur-bench):
# A = as shipped; B = the same with DOTNET_MultiCoreJitProfile, the profile kept in /tmp/mcj-ab across rounds and
# seeded by one storm before round 1, as a daemon's state directory keeps it across restarts.
# 5,000 endpoints, P-256, TLS 1.3, cold and restart only (what a start changes), two runs of each per storm.
PHASES=cold,restart RUNS=2
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/cur-bench; }
B() { run B-multicore-jit /tmp/cur-bench --manager-env DOTNET_MultiCoreJitProfile=/tmp/mcj-ab/manager.prof; }
mkdir -p /tmp/mcj-ab
if [[ ! -e /tmp/mcj-ab/seeded ]]; then
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 1000 --phases cold,restart --floor-seconds 0 --runs 1 \
    --manager-env DOTNET_MultiCoreJitProfile=/tmp/mcj-ab/manager.prof --out /tmp/mcj-ab/seed > /tmp/mcj-ab/seed.txt 2>&1 && touch /tmp/mcj-ab/seeded
fi
interleave 4
