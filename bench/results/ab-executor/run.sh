#!/usr/bin/env bash
# Interleaved A/B, one build (the commit that adds DedicatedThreadExecutor, in /tmp/exec-bench):
# A = Akka's fork-join executor for Switchboard's three dispatchers (--executor fork-join, the previous default),
# B = DedicatedThreadExecutor (reference.conf's now). 5 rounds, the side that goes first alternates.
set -u
out=$(cd "$(dirname "$0")" && pwd)
for round in 1 2 3 4 5; do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for side in $order; do
    if [[ $side == A ]]; then name=A-fork-join; executor=fork-join; else name=B-dedicated; executor=dedicated; fi
    /tmp/exec-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,idle,restart,agentdrop --floor-seconds 0 \
      --runs 1 --executor $executor --out "$out/$name-r$round" > "$out/$name-r$round.txt" 2>&1
    echo "$name round $round rc=$? $(date +%T)"
  done
done
echo finished > "$out/finished"
