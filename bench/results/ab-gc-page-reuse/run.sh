#!/usr/bin/env bash
# Interleaved A/B/C of how the collector's memory is reused, against page faults: A = as the CLI runs (server GC);
# B = DOTNET_GCgen0size=0x1000000 (a 16 MiB gen-0 budget per heap: collections come sooner and hand back pages
# already mapped); C = DOTNET_GCRetainVM=1 (freed memory stays committed instead of going back to the kernel).
# Commit b4f4428 built in /tmp/cur-bench; 5,000 endpoints, P-256, TLS 1.3; the order rotates each round.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name env
  local env=()
  [[ -n "$2" ]] && env=(--manager-env "$2")
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 \
    --runs 1 "${env[@]}" --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
A() { run A-default ""; }
B() { run B-gen0-16m DOTNET_GCgen0size=0x1000000; }
C() { run C-retain-vm DOTNET_GCRetainVM=1; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-4}); do
  case $((round % 3)) in
    1) A; B; C ;;
    2) B; C; A ;;
    0) C; A; B ;;
  esac
done
echo finished > "$out/finished"
