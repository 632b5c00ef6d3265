#!/usr/bin/env bash
# Interleaved A/B of the IO actors' socket reactor, one build (copied to /tmp/r-bench): A = .NET's socket engine
# (its epoll thread hands each completion to a pool worker, which posts it to the IO actor; a zero-byte receive
# is re-armed after every read); B = each IO actor's own edge-triggered epoll set and thread, one message per
# wake-up. 5,000 endpoints, P-256, TLS 1.3.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-dotnet-engine /tmp/r-bench; }
B() { run B-epoll-reactor /tmp/r-bench --manager-env SWITCHBOARD_REACTOR=epoll; }
interleave 4
