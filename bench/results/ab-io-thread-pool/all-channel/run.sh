#!/usr/bin/env bash
# A = the dispatchers as shipped (fork-join: dedicated threads); B = the storm's --executor channel (every Switchboard
# dispatcher on Akka's channel-executor, the .NET thread pool). Build of f8913b9 in /tmp/n-bench.
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-fork-join /tmp/n-bench; }
B() { run B-channel /tmp/n-bench --executor channel; }
interleave 4
