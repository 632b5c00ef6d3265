#!/usr/bin/env bash
# One binary (/tmp/n-bench: b479978, the resumption cache on the IO event loops), 6 interleaved rounds:
# A = as it runs (the supervisor on its own fork-join thread, which spins before it sleeps), B = the
# supervisor's dispatcher given Switchboard's event-loop executor by config (one thread, which blocks in
# epoll_wait at once when out of work and is woken through its eventfd), no code changed.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-fork-join /tmp/n-bench; }
B() { run B-event-loop /tmp/n-bench --manager-config 'switchboard.supervision.supervisor-dispatcher.executor = "Switchboard.IO.EventLoopConfigurator, Switchboard"'; }
interleave 6
