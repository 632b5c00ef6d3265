#!/usr/bin/env bash
# ReadyToRun for the start, the JIT's best code for the storm: the precompiled builds of ../ab-ready-to-run-composite
# run with tiered compilation on, without the instrumented tier, and with call counting from the first call instead
# of after 100 ms without new compilations, so the storm's hot methods are compiled again, fully optimized, within
# their first 30 calls. A = the Release build (JIT, tiered compilation off); B = ReadyToRun; C = ReadyToRun composite.
source "$(dirname "$0")/../../ab/rounds.sh"
early=DOTNET_TieredCompilation=1,DOTNET_TieredPGO=0,DOTNET_TC_CallCountingDelayMs=0
A() { run A-jit /tmp/jit-bench; }
B() { run B-r2r-tiered-early /tmp/r2r-bench --manager-env "$early"; }
C() { run C-r2r-composite-tiered-early /tmp/r2rc-bench --manager-env "$early"; }
rotate 6
