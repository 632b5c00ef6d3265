#!/usr/bin/env bash
# Interleaved A/B of where the control path runs: A = the default (the supervisor and the endpoint actors each on
# a dedicated fork-join thread, which spins in sched_yield when it runs dry), B = both on the .NET thread pool
# (which the runtimeconfig keeps from spinning), through the dispatcher blocks reference.conf opens to users.
# Built in /tmp/cur-bench (037e7cd's library plus the timer wheel started before the first actor). 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
pool='{ type = Dispatcher, executor = thread-pool-executor, throughput = 20 }'
A() { run A-dedicated /tmp/cur-bench; }
B() { run B-thread-pool /tmp/cur-bench --manager-config "switchboard.supervision.supervisor-dispatcher $pool
switchboard.supervision.endpoint-dispatcher $pool"; }
interleave 3
