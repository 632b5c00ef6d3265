#!/usr/bin/env bash
# One binary (/tmp/head-bench: bf84a6f), interleaved rounds: A = as it runs (glibc's default of up to eight
# malloc arenas per core), B = every thread on one arena (GLIBC_TUNABLES=glibc.malloc.arena_max=1), which
# mallopt(M_ARENA_MAX) could set from the library before the IO threads start.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/head-bench; }
B() { run B-one-arena /tmp/head-bench --manager-env GLIBC_TUNABLES=glibc.malloc.arena_max=1; }
interleave 4
