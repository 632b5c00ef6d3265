#!/usr/bin/env bash
# The restart against OpenSSL's floor, as a ReadyToRun daemon would pay it and as the JIT build does: one storm of
# each (3 runs, floor in the same invocation), the ReadyToRun one first. Builds as in ../ab-ready-to-run-jit-time.
set -u
out=$(cd "$(dirname "$0")" && pwd)
for side in r2r jit; do
  /tmp/$side-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --runs 3 \
    --out "$out/$side" > "$out/$side.txt" 2>&1
  echo "$side rc=$? $(date +%T)"
done
