#!/usr/bin/env bash
# Three builds of one commit, rotated, tiered compilation off in all: A = the Release build (JIT), B = published
# ReadyToRun (each assembly its own version bubble), C = published ReadyToRun composite (the app's assemblies
# compiled as one, so generic code over other assemblies' types and inlining across them are precompiled too).
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-jit /tmp/jit-bench; }
B() { run B-r2r /tmp/r2r-bench; }
C() { run C-r2r-composite /tmp/r2rc-bench; }
rotate 6
