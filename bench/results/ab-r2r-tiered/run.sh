#!/usr/bin/env bash
# Interleaved A/B at commit e645328: A = the JIT build as shipped (tiered compilation off), in /tmp/cA-bench;
# C = the same commit published ReadyToRun (/tmp/r2r-bench) with the manager's worker run with tiered
# compilation on and dynamic PGO off (precompiled code at start, hot methods compiled again at tier 1).
# 5,000 endpoints, P-256, TLS 1.3; order alternating each round.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name build env
  local env=()
  [[ -n "$3" ]] && env=(--manager-env "$3")
  /tmp/$2-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 \
    --runs 1 "${env[@]}" --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
for round in $(seq ${FIRST:-1} ${ROUNDS:-6}); do
  if (( round % 2 )); then
    run A-jit cA ""; run C-r2r-tiered-nopgo r2r DOTNET_TieredCompilation=1,DOTNET_TieredPGO=0
  else
    run C-r2r-tiered-nopgo r2r DOTNET_TieredCompilation=1,DOTNET_TieredPGO=0; run A-jit cA ""
  fi
done
echo finished > "$out/finished"
