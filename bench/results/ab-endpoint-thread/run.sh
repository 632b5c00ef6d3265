#!/usr/bin/env bash
# Interleaved A/B/C: where the endpoint actors run. One build (/tmp/exp-bench): fa16f66's library plus
# experiment.patch, which lets an environment variable name the endpoint actors' dispatcher.
# A = as shipped: a fork-join thread of their own, which spins (sched_yield) when it runs dry.
# B = on the IO threads (the IO dispatcher's event loops): no thread of their own, no hop to reach them from a link.
# C = an event-loop thread of their own (blocks in epoll_wait on its eventfd at once, no spinning).
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-fork-join /tmp/exp-bench; }
B() { run B-io-threads /tmp/exp-bench --manager-env SB_EXP_ENDPOINT_DISPATCHER=switchboard.io.dispatcher; }
C() { run C-own-event-loop /tmp/exp-bench --manager-config 'switchboard.supervision.endpoint-dispatcher.executor = "\"Switchboard.IO.EventLoopConfigurator, Switchboard\""'; }
rotate 4
