#!/usr/bin/env bash
# Interleaved A/B of how our listener writes the read that ends a handshake: A = 8e8486a's library (the session
# tickets are written as soon as TLS produced them, the Ack of the Resume that came with the Finished in a second
# write), built in /tmp/a-bench; B = a38f378's (one write for both), built in /tmp/cur-bench. The fleet runs
# our listener, so both sides change: the manager reads one segment instead of two. 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name build
  "$2"/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-two-writes /tmp/a-bench; }
B() { run B-one-write /tmp/cur-bench; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
