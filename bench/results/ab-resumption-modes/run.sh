#!/usr/bin/env bash
# One build (the commit the README names), three resumption modes, rotated: A = the default (TLS 1.3, psk_dhe_ke),
# B = --psk-ke (the manager allows psk_ke, the fleet's agents prefer it), C = --tls 1.2 (tickets, no key exchange).
# What the opt-ins buy the manager, side by side on one machine in one hour.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-default /tmp/psk-bench; }
B() { run B-psk-ke /tmp/psk-bench --psk-ke; }
C() { run C-tls12 /tmp/psk-bench --tls 1.2; }
rotate 6
