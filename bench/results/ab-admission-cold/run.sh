#!/usr/bin/env bash
# Interleaved A/B of the admission limit in the cold connect: A = the default (adaptive, starting at 64 per IO
# actor); B = a fixed cap of 2,048, high enough that admission never holds a handshake back at 5,000 endpoints
# on this machine (the baseline starts all 5,000 at once). Commit b4f4428 built in /tmp/cur-bench.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name extra...
  local name="$1-r$round"; shift
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 5000 --phases cold --floor-seconds 0 --runs 1 "$@" \
    --out "$out/$name" > "$out/$name.txt" 2>&1
  echo "$name rc=$? $(date +%T)"
}
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  if (( round % 2 )); then order="A B"; else order="B A"; fi
  for v in $order; do
    if [[ $v == A ]]; then run A-adaptive; else run B-fixed-2048 --manager-config 'switchboard.admission { limit = fixed, max-concurrent-handshakes = 2048 }'; fi
  done
done
echo finished > "$out/finished"
