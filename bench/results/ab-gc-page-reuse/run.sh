#!/usr/bin/env bash
# Interleaved A/B/C of how the collector's memory is reused, against page faults: A = as the CLI runs (server GC);
# B = DOTNET_GCgen0size=0x1000000 (a 16 MiB gen-0 budget per heap: collections come sooner and hand back pages
# already mapped); C = DOTNET_GCRetainVM=1 (freed memory stays committed instead of going back to the kernel).
# Commit b4f4428 built in /tmp/cur-bench; 5,000 endpoints, P-256, TLS 1.3; the order rotates each round.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/cur-bench; }
B() { run B-gen0-16m /tmp/cur-bench --manager-env DOTNET_GCgen0size=0x1000000; }
C() { run C-retain-vm /tmp/cur-bench --manager-env DOTNET_GCRetainVM=1; }
rotate 4
echo finished > "$out/finished"
