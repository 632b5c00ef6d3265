#!/usr/bin/env bash
# Which TLS 1.3 resumption mode OpenSSL picks when both sides allow psk_ke (SSL_OP_ALLOW_NO_DHE_KEX, what
# switchboard.tls.tls13-resumption-key-exchange = "psk_ke" sets), against the default: s_server and s_client
# on the benchmark's P-256 PKI (any PKI with ca.crt, master.crt/key and agents/agent-00000.crt/key will do).
# A ServerHello that carries key_share(51) beside psk(41) is psk_dhe_ke: a fresh ECDHE exchange was made.
set -u
P=${1:-$HOME/.cache/switchboard-bench/pki/5000-ecdsa-p256}
port=45999
run() { # label server-flags client-flags
  local sess; sess=$(mktemp)
  openssl s_server -accept 127.0.0.1:$port -Verify 1 -CAfile "$P/ca.crt" -cert "$P/agents/agent-00000.crt" \
    -key "$P/agents/agent-00000.key" -www $2 >/dev/null 2>&1 & local server=$!
  sleep 0.5
  printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 openssl s_client -connect 127.0.0.1:$port -cert "$P/master.crt" \
    -key "$P/master.key" -CAfile "$P/ca.crt" -tls1_3 -ign_eof -sess_out "$sess" $3 >/dev/null 2>&1
  echo "== $1 (s_server $2, s_client $3)"
  printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 openssl s_client -connect 127.0.0.1:$port -cert "$P/master.crt" \
    -key "$P/master.key" -CAfile "$P/ca.crt" -tls1_3 -ign_eof -sess_in "$sess" -trace $3 2>&1 \
    | awk '/^(Reused|New),/ {print; next} /ServerHello/ {sh=1} sh && /extension_type/ {print} /EncryptedExtensions/ {sh=0}' | sort -u
  kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$sess"
}
openssl version
run "psk_ke allowed on both sides" "-allow_no_dhe_kex" "-allow_no_dhe_kex"
run "default (psk_dhe_ke only)" "" ""
