#!/usr/bin/env bash
# Interleaved A/B of the IO threads' nice value in the cold connect: A = the default (io.thread-nice = 5: the IO
# threads give way to anything else that wants the CPU, here the fleet on the same two cores); B = 0.
# Commit b4f4428 built in /tmp/cur-bench; 5,000 endpoints, P-256, TLS 1.3; order alternating each round.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name extra...
  local name="$1-r$round"; shift
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 5000 --phases cold --floor-seconds 0 --runs 1 "$@" \
    --out "$out/$name" > "$out/$name.txt" 2>&1
  echo "$name rc=$? $(date +%T)"
}
for round in $(seq ${FIRST:-1} ${ROUNDS:-5}); do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for v in $order; do
    if [[ $v == A ]]; then run A-nice5; else run B-nice0 --manager-config 'switchboard.io.thread-nice = 0'; fi
  done
done
echo finished > "$out/finished"
