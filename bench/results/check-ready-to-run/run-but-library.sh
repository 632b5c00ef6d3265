#!/usr/bin/env bash
# The same check for the ReadyToRun build the CLI now publishes: every assembly but Switchboard.dll precompiled
# (/tmp/r2rx-bench, as in ../ab-ready-to-run-but-library).
set -u
out=$(cd "$(dirname "$0")" && pwd)
/tmp/r2rx-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --runs 3 \
  --out "$out/r2r-but-library" > "$out/r2r-but-library.txt" 2>&1
echo "r2r-but-library rc=$? $(date +%T)"
