#!/usr/bin/env bash
# One binary (/tmp/h-bench: 74c44e5), 6 interleaved rounds: A = as it runs (the resumption cache actor on
# Akka's default dispatcher, the .NET thread pool), B = the cache actor deployed on the IO dispatcher by
# config (the event loops that run the IO and endpoint actors), no code changed.
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-thread-pool /tmp/h-bench; }
B() { run B-io-threads /tmp/h-bench --manager-config 'akka.actor.deployment."/switchboard-resumption".dispatcher = switchboard.io.dispatcher'; }
interleave 6
