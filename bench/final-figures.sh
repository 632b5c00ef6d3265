#!/usr/bin/env bash
# The figures the README's results quote for one library commit, into OUT (bench/results/final-COMMIT):
# the P-256 storm at 5,000 (3 runs, the naive baseline and s_time's floor in the same invocation), then memory per
# additional endpoint: a cold connect of 1,000 endpoints, then one of 10,000 judged against it (settled RSS), twice.
# MORE=1, run afterwards: the 10,000, RSA-2048 and RSA-4096 storms, one invocation each, at the same build.
# Runs the Release build, or the copy SWITCHBOARD_BENCH names (so a rebuild meanwhile cannot disturb it).
# Usage: bench/final-figures.sh OUT; about 15 minutes, and as much again with MORE=1.
set -u
out=$(mkdir -p "$1" && cd "$1" && pwd)
bench=${SWITCHBOARD_BENCH:-$(cd "$(dirname "$0")" && pwd)/Switchboard.Bench/bin/Release/net10.0/Switchboard.Bench}
storm() { # name, then storm's arguments
  local name=$1; shift
  "$bench" storm "$@" --out "$out/$name" > "$out/$name.txt" 2>&1
  echo "$name rc=$? $(date +%T)"
}
if [[ "${MORE:-}" != 1 ]]; then
  storm storm-5000 --endpoints 5000 --phases cold,idle,restart,agentdrop --runs 3 --baseline
  for round in 1 2; do
    storm memory-1000-r$round --endpoints 1000 --phases cold --floor-seconds 0 --runs 1
    storm memory-10000-r$round --endpoints 10000 --phases cold --floor-seconds 0 --runs 1 --memory-reference "$out/memory-1000-r$round/storm.json"
  done
else
  storm storm-10000 --endpoints 10000 --phases cold,restart,agentdrop --runs 1 --memory-reference "$out/memory-1000-r1/storm.json"
  storm storm-5000-rsa2048 --endpoints 5000 --key rsa-2048 --phases cold,restart,agentdrop --runs 3
  storm storm-5000-rsa4096 --endpoints 5000 --key rsa-4096 --phases cold,restart,agentdrop --runs 1 --phase-limit 300
fi
