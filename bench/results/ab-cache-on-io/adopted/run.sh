#!/usr/bin/env bash
# The adopting commit's build (/tmp/n-bench: b479978), 6 interleaved rounds, one binary: A = the setting off
# (the resumption cache actor on Akka's default dispatcher, the .NET thread pool, as before), B = the default
# (the cache actor on the IO event loops; the session file written on the thread pool).
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-thread-pool /tmp/n-bench --manager-config 'switchboard.io.resumption-cache-on-io-threads = off'; }
B() { run B-io-threads /tmp/n-bench; }
interleave 6
