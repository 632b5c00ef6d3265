#!/usr/bin/env bash
# One binary (/tmp/head-bench: bf84a6f), interleaved rounds: A = as the CLI runs, B = DOTNET_GCRetainVM=1 (the
# collector keeps the memory it frees committed instead of giving it back), in the manager's worker only.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/head-bench; }
B() { run B-retain-vm /tmp/head-bench --manager-env DOTNET_GCRetainVM=1; }
interleave 4
