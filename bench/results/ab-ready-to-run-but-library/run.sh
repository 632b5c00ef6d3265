#!/usr/bin/env bash
# ReadyToRun for everything but Switchboard.dll: the start's Akka and .NET code precompiled, Switchboard's own code
# (the event loop, TLS, endpoints: the storms' managed hot path) compiled by the JIT, fully optimized, as in the
# Release build. B is /tmp/r2r-bench with the Release build's Switchboard.dll (IL only) copied over its own.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-jit /tmp/jit-bench; }
B() { run B-r2r-but-library /tmp/r2rx-bench; }
interleave 6
