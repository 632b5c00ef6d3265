#!/usr/bin/env bash
# Interleaved A/B of the acknowledged framing's resume exchange at link-up: A = the default
# (connection.acknowledgements = on: each new link sends SendResume and waits for the agent's Acked), B = off.
# Built in /tmp/fleet-bench (d60e033's library, the storm with fleet_cpu_seconds). 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name config
  /tmp/fleet-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,agentdrop --floor-seconds 0 --runs 1 \
    ${2:+--manager-config "$2"} --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-acknowledged ""; }
B() { run B-plain "switchboard.connection.acknowledgements = off"; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-3}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
