#!/usr/bin/env bash
# The restart's JIT time, measured (the storm's new jit_seconds): A = the Release build, tiered compilation off, as
# `dotnet run` and the benchmark run it; B = the same commit published ReadyToRun, tiered compilation still off.
# Both builds are copies in /tmp, made by the commands in README.md.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-jit /tmp/jit-bench; }
B() { run B-r2r /tmp/r2r-bench; }
interleave 8
