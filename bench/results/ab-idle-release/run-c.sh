#!/usr/bin/env bash
# The bound without OpenSSL's own release either: C = B (/tmp/nr-bench's change) and SSL_MODE_RELEASE_BUFFERS off
# (/tmp/nc-bench), against A again, 4 more interleaved rounds.
source "$(dirname "$0")/../../ab/rounds.sh"
A() { run A-release-always /tmp/f2-bench; }
B() { run C-release-never-no-release-buffers /tmp/nc-bench; }
FIRST=5 interleave 8
