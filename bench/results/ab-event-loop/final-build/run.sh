#!/usr/bin/env bash
# The same A/B again on the adopted build (92b3fde, copied to /tmp/f-bench), where the event loop is the default:
# A = --manager-config 'switchboard.io.reactor = dotnet' (.NET's socket engine, fork-join threads); B = the default.
source "$(dirname "$0")/../../../ab/rounds.sh"
A() { run A-dotnet /tmp/f-bench --manager-config 'switchboard.io.reactor = dotnet'; }
B() { run B-event-loop /tmp/f-bench; }
interleave 4
