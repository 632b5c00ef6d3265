#!/usr/bin/env bash
# A = the dispatchers as shipped; B = only the IO actors' dispatcher on the channel-executor (the .NET thread pool),
# the supervisor and the endpoints keeping their threads. Build of f8913b9 in /tmp/n-bench.
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-fork-join /tmp/n-bench; }
B() { run B-io-channel /tmp/n-bench --manager-config 'switchboard.io.dispatcher.executor = channel-executor'; }
interleave 4
