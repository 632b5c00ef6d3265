#!/usr/bin/env bash
# Interleaved A/B of when a dialed acknowledged link sends its Resume: A = 1b3f361's library (the endpoint hears
# LinkUp and tells the IO actor SendResume: a hop, a send and a segment of its own), built in /tmp/a-bench;
# B = the IO actor encrypts it behind the client's last handshake flight, one write for both, built in /tmp/cur-bench.
# 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name build
  "$2"/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-after-link-up /tmp/a-bench; }
B() { run B-with-handshake /tmp/cur-bench; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
