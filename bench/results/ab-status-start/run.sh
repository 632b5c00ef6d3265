#!/usr/bin/env bash
# Interleaved A/B of the first GetStatus after a start. Both builds carry the storm's probe warm-up (StatusProbe.WarmUpAsync),
# so both measure the manager, not the probe's own first compilation. A = e7ab129's library (copied to /tmp/a-bench);
# B = 5e827cb's host-name checks plus the status path compiled over real entries after the first spawn batch (/tmp/b-bench).
# 5,000 endpoints, P-256, TLS 1.3, cold and restart only (what a start changes), two runs of each per storm.
source "$(dirname "$0")/../../ab/rounds.sh"
run() {
  local name=$1 build=$2
  shift 2
  "$build"/Switchboard.Bench storm --endpoints 5000 --phases cold,restart --floor-seconds 0 --runs 2 \
    "$@" --out "$out/$name-r$round" > "$out/$name-r$round.txt" 2>&1
  echo "$name-r$round rc=$? $(date +%T)"
}
A() { run A-e7ab129 /tmp/a-bench; }
B() { run B-warm-status /tmp/b-bench; }
interleave 4
