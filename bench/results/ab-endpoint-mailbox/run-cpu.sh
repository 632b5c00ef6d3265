#!/usr/bin/env bash
# The same two builds at 5,000 endpoints for CPU: cold, restart, agentdrop; 4 rounds, order alternating.
set -u
out=$(cd "$(dirname "$0")" && pwd)
for round in ${ROUNDS:-1 2 3 4}; do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for v in $order; do
    if [[ $v == A ]]; then name=A-default; build=mbA; else name=B-endpoint-mailbox; build=mbB; fi
    /tmp/$build-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
      --out "$out/$name-5000-r$round" > "$out/$name-5000-r$round.txt" 2>&1
    echo "$name-5000-r$round rc=$? $(date +%T)"
  done
done
echo finished > "$out/finished-cpu"
