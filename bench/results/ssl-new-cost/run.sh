#!/usr/bin/env bash
# Builds ssl-new.c against the system's OpenSSL and runs it on the storm's P-256 PKI (the master's certificate).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pki=${PKI:-$HOME/.cache/switchboard-bench/pki/5000-ecdsa-p256}
gcc -O2 -o /tmp/ssl-new "$here/ssl-new.c" -lssl -lcrypto
openssl version
/tmp/ssl-new "$pki/master.crt" "$pki/master.key" "$pki/ca.crt" 100000
