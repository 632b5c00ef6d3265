#!/usr/bin/env bash
# Interleaved A/B of switchboard.io.trim-native-heap at 5,000 endpoints, for what the next storm pays to take the
# pages back: A = on (the default), B = off, the same binary (/tmp/cur-bench, commit d60e033).
# storm --phases cold,restart,agentdrop: the agent drop runs in the restarted process, after its trim. P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name trim
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    --manager-config "switchboard.io.trim-native-heap = $2" --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-trim on; }
B() { run B-no-trim off; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
