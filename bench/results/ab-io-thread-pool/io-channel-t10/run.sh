#!/usr/bin/env bash
# As ../io-channel, with the IO dispatcher's throughput at 10 messages per mailbox run instead of 100, to see whether
# GetStatus waits behind long runs. Build of f8913b9 in /tmp/n-bench.
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-fork-join /tmp/n-bench; }
B() { run B-io-channel-t10 /tmp/n-bench --manager-config 'switchboard.io.dispatcher { executor = channel-executor, throughput = 10 }'; }
interleave 4
