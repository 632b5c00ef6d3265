#!/usr/bin/env bash
# Interleaved A/B of the IO actor count on this 2-core machine: A = the default (one per core: 2), B = one.
# Commit e645328 built in /tmp/cA-bench; 5,000 endpoints, P-256, TLS 1.3; order alternating each round.
set -u
out=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-4}
run() { # name extra...
  local name="$1-r$round"; shift
  /tmp/cA-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 "$@" \
    --out "$out/$name" > "$out/$name.txt" 2>&1
  echo "$name rc=$? $(date +%T)"
}
for round in $(seq ${FIRST:-1} $rounds); do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for v in $order; do
    if [[ $v == A ]]; then run A-two; else run B-one --manager-config 'switchboard.io.actors = 1'; fi
  done
done
echo finished > "$out/finished"
