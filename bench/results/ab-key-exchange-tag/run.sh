#!/usr/bin/env bash
# Two builds, interleaved rounds: A = 3cc37b8 (the library the final figures before it stood for), B = 443ada2
# (e3b6653's library: a handshake's metric carries ephemeral_key_exchange, and a server asks its peer's key
# instead of the session's group). Run because the change is on every handshake's path.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-3cc37b8 /tmp/prev-bench; }
B() { run B-443ada2 /tmp/psk-bench; }
interleave 6
