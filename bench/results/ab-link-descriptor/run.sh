#!/usr/bin/env bash
# Two binaries, interleaved rounds: A = 36e49db (a dialed link on the epoll reactor holds a .NET Socket, made
# non-blocking and given its options through .NET, its connect's result read with SO_ERROR), B = c99a6c0 (the
# link owns a bare descriptor from socket(2) with SOCK_NONBLOCK, reads and writes with recv/send, and takes the
# connect's result from the event's mask).
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-socket /tmp/head-bench; }
B() { run B-descriptor /tmp/desc-bench; }
interleave 8
