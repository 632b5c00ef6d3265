#!/usr/bin/env bash
# Interleaved A/B of where the control path runs: A = the default (the supervisor and the endpoint actors each on
# a dedicated fork-join thread, which spins in sched_yield when it runs dry), B = both on the .NET thread pool
# (which the runtimeconfig keeps from spinning), through the dispatcher blocks reference.conf opens to users.
# Built in /tmp/cur-bench (037e7cd's library plus the timer wheel started before the first actor). 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name config
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 --runs 1 \
    ${2:+--manager-config "$2"} --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
pool='{ type = Dispatcher, executor = thread-pool-executor, throughput = 20 }'
A() { run A-dedicated ""; }
B() { run B-thread-pool "switchboard.supervision.supervisor-dispatcher $pool
switchboard.supervision.endpoint-dispatcher $pool"; }
for round in $(seq ${FIRST:-1} ${ROUNDS:-3}); do
  if (( round % 2 )); then A; B; else B; A; fi
done
