#!/usr/bin/env bash
# Interleaved A/B of where the session file's bytes live while it is read and written: A = a38f378's library
# (managed arrays: the file and its plaintext, megabytes each at 5,000 endpoints, are large-object allocations),
# built in /tmp/cur-bench; B = the same with both outside the managed heap (UnmanagedBuffer), built in /tmp/b-bench.
# 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name build
  "$2"/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-managed-arrays /tmp/cur-bench; }
B() { run B-unmanaged /tmp/b-bench; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
