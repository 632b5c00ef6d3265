#!/usr/bin/env bash
# Interleaved A/B of where the resumption cache actor runs: A = the default dispatcher (the .NET thread pool),
# commit e645328, built in /tmp/cA-bench; B = the endpoint actors' dispatcher, built in /tmp/cB-bench.
# 5,000 endpoints, P-256, TLS 1.3; order alternating each round.
set -u
out=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-4}
run() { # name build
  local name="$1-r$round"
  /tmp/$2-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    --out "$out/$name" > "$out/$name.txt" 2>&1
  echo "$name rc=$? $(date +%T)"
}
for round in $(seq 1 $rounds); do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for v in $order; do
    if [[ $v == A ]]; then run A-thread-pool cA; else run B-endpoint-thread cB; fi
  done
done
echo finished > "$out/finished"
