#!/usr/bin/env bash
# Interleaved A/B of admission pacing in the cold connect, with the fleet's CPU now measured: A = the default
# (adaptive), B = a fixed cap of 5,000 (every endpoint's first handshake starts at once, as the baseline's do).
# Built in /tmp/fleet-bench (d60e033's library, the storm with fleet_cpu_seconds). 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name config
  /tmp/fleet-bench/Switchboard.Bench storm --endpoints 5000 --phases cold --floor-seconds 0 --runs 1 \
    ${2:+--manager-config "$2"} --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-adaptive ""; }
B() { run B-fixed-5000 "switchboard.admission { limit = fixed, max-concurrent-handshakes = 5000 }"; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
