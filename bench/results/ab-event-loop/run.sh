#!/usr/bin/env bash
# Interleaved A/B of the IO threads, one build of the event-loop prototype (copied to /tmp/l-bench; reference.conf's
# default there was io.reactor = dotnet): A = .NET's socket engine and Akka's fork-join threads for the IO actors,
# as shipped before; B = io.reactor = epoll: each IO thread an event loop waiting in epoll_wait on its IO actors'
# sockets. 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-fork-join-dotnet /tmp/l-bench; }
B() { run B-event-loop /tmp/l-bench --manager-config 'switchboard.io.reactor = epoll'; }
interleave 4
