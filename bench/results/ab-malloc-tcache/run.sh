#!/usr/bin/env bash
# Interleaved A/B of glibc malloc's per-thread cache in the manager. A = as the CLI runs (7 chunks per size
# class); B = GLIBC_TUNABLES=glibc.malloc.tcache_count=1024. Same build (/tmp/h-bench, 7c3589c).
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/h-bench; }
B() { run B-tcache-1024 /tmp/h-bench --manager-env GLIBC_TUNABLES=glibc.malloc.tcache_count=1024; }
interleave 4
