#!/usr/bin/env bash
# Interleaved A/B of trimming the native heap after a storm (switchboard.io.trim-native-heap): A = on (the
# default), B = off, the same binary. Each round: a cold connect of 1,000 endpoints (the memory reference),
# then 10,000 endpoints cold and an agent drop, judged per additional endpoint against it. P-256, TLS 1.3.
# Built in /tmp/trim-new from the working tree that adds the trim; the order alternates each round.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name trim
  local config="switchboard.io.trim-native-heap = $2"
  /tmp/trim-new/Switchboard.Bench storm --endpoints 1000 --phases cold --floor-seconds 0 --runs 1 \
    --manager-config "$config" --out "$out/$1-1000-r$round" > "$out/$1-1000-r$round.txt" 2>&1
  /tmp/trim-new/Switchboard.Bench storm --endpoints 10000 --phases cold,agentdrop --floor-seconds 0 --runs 1 \
    --manager-config "$config" --memory-reference "$out/$1-1000-r$round/storm.json" \
    --out "$out/$1-10000-r$round" > "$out/$1-10000-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-trim on; }
B() { run B-no-trim off; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-3}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
echo finished > "$out/finished"
