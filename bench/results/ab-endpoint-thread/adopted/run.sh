#!/usr/bin/env bash
# The adopted build, 4 interleaved rounds, one binary (/tmp/new-bench: the commit that adopts
# io.endpoints-on-io-threads): A = the setting off (the endpoint actors on their own fork-join thread, as
# before), B = the default (the endpoint actors on the IO event loops).
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-own-thread /tmp/new-bench --manager-config 'switchboard.io.endpoints-on-io-threads = off'; }
B() { run B-io-threads /tmp/new-bench; }
interleave 4
