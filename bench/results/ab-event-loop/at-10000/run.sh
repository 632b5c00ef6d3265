#!/usr/bin/env bash
# The event loops at 10,000 endpoints (one storm of cold, restart and agentdrop per side and round, P-256, no floor),
# on the adopted build (92b3fde, /tmp/f-bench), where the fleet runs event loops on both sides:
# A = the manager with --manager-config 'switchboard.io.reactor = dotnet'; B = the default. Rounds alternate the order.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() {
  local name=$1; shift
  /tmp/f-bench/Switchboard.Bench storm --endpoints 10000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    "$@" --out "$out/$name-r$round" > "$out/$name-r$round.txt" 2>&1
  echo "$name-r$round rc=$? $(date +%T)"
}
A() { run A-dotnet --manager-config 'switchboard.io.reactor = dotnet'; }
B() { run B-event-loop; }
for round in $(seq 1 "${ROUNDS:-2}"); do
  if (( round % 2 )); then A; B; else B; A; fi
done
