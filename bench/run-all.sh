#!/usr/bin/env bash
# Every benchmark the README quotes, in one go, on this machine. Results land in bench/results/.
# Takes about 75 minutes on 2 cores (the faults matrix at 10,000 endpoints is a third of it); run it on a quiet machine (ratios are side by side, absolute
# figures move with load).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results
mkdir -p "$out"
status=0
# A storm exits 1 when a phase did not complete; record it, run the rest, and fail at the end.
bench() { dotnet run -c Release --no-build --project bench/Switchboard.Bench -- "$@" || status=1; }

dotnet build -c Release Actors.sln
bench handshake --json "$out/handshake.json" | tee "$out/handshake.txt"
bench cache --json "$out/cache.json" | tee "$out/cache.txt"
bench limit --json "$out/limit.json" | tee "$out/limit.txt"
bench storm --endpoints 1000 --phases cold,restart,agentdrop --baseline --runs 3 --out "$out/storm-1000" | tee "$out/storm-1000.txt"
bench storm --endpoints 5000 --phases cold,idle,restart,agentdrop --baseline --runs 3 --memory-reference "$out/storm-1000/storm.json" --out "$out/storm-5000" | tee "$out/storm-5000.txt"
bench storm --endpoints 10000 --phases cold,idle --out "$out/storm-10000-idle" | tee "$out/storm-10000-idle.txt"
# Every endpoint resumes after a restart with the default configuration (resumption.max-bytes = auto).
bench storm --endpoints 7000 --key rsa-2048 --phases cold,restart --phase-limit 240 --out "$out/storm-7000-rsa2048" | tee "$out/storm-7000-rsa2048.txt"
bench storm --endpoints 10000 --key rsa-2048 --phases cold,restart --phase-limit 300 --out "$out/storm-10000-rsa2048" | tee "$out/storm-10000-rsa2048.txt"
bench storm --endpoints 5000 --key rsa-4096 --phases cold,restart --phase-limit 300 --out "$out/storm-5000-rsa4096-resume" | tee "$out/storm-5000-rsa4096-resume.txt"
bench storm --endpoints 2000 --phases cold,restart,agentdrop --baseline --out "$out/storm-2000" | tee "$out/storm-2000.txt"
bench storm --endpoints 10000 --phases cold,restart,agentdrop --memory-reference "$out/storm-1000/storm.json" --out "$out/storm-10000" | tee "$out/storm-10000.txt"
bench storm --endpoints 5000 --tls 1.2 --phases cold,restart,agentdrop --baseline --out "$out/storm-5000-tls12" | tee "$out/storm-5000-tls12.txt"
bench storm --endpoints 5000 --key rsa-4096 --phases cold,restart,agentdrop --baseline --out "$out/storm-5000-rsa4096" | tee "$out/storm-5000-rsa4096.txt"
# Every fault mode at 10,000 endpoints (about 25 minutes); the fleet is split over processes when one
# process may not hold its ~20,500 open files (FAULTS_ENDPOINTS to change N).
n=${FAULTS_ENDPOINTS:-10000}
bench faults --endpoints "$n" --json "$out/faults-$n.json" --table "$out/faults-$n.md"
exit $status
