#!/usr/bin/env bash
# Interleaved A/B of the endpoint actors' mailbox: A = Akka's default (ConcurrentQueue), commit 64f3945, built in
# /tmp/mbA-bench; B = EndpointMailbox, built in /tmp/mbB-bench. Memory per additional endpoint is the 10,000-endpoint
# run's settled RSS against the 1,000-endpoint run of the same variant and round; 3 rounds, order alternating.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # variant build endpoints phases
  local name="$1-$3-r$round"
  local ref=()
  [[ $3 == 10000 ]] && ref=(--memory-reference "$out/$1-1000-r$round/storm.json")
  /tmp/$2-bench/Switchboard.Bench storm --endpoints $3 --phases $4 --floor-seconds 0 --runs 1 "${ref[@]}" \
    --out "$out/$name" > "$out/$name.txt" 2>&1
  echo "$name rc=$? $(date +%T)"
}
for round in 1 2 3; do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for v in $order; do
    if [[ $v == A ]]; then name=A-default; build=mbA; else name=B-endpoint-mailbox; build=mbB; fi
    run $name $build 1000 cold
    run $name $build 10000 cold,agentdrop
  done
done
echo finished > "$out/finished"
