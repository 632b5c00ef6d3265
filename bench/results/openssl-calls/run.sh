#!/usr/bin/env bash
# Counts OpenSSL calls per resumed handshake with uprobes (perf probe; root): the manager over an agent drop of
# 5,000 (the storm's worker, attached once the restart is done) and `openssl s_time -reuse` for 2 s and 6 s (the
# difference of the two runs, so its process start cancels out). Uprobes make every call trap: the storm runs
# several times slower under them, so only the counts mean anything, not the times.
# Usage: run.sh BENCH (a Release build of bench/Switchboard.Bench); the PKI is the storm's cached one.
set -u
bench=$1 out=$(cd "$(dirname "$0")" && pwd) pki=~/.cache/switchboard-bench/pki/5000-ecdsa-p256
crypto=/usr/lib/x86_64-linux-gnu/libcrypto.so.3 ssl=/usr/lib/x86_64-linux-gnu/libssl.so.3
for f in EVP_MD_fetch EVP_CIPHER_fetch OPENSSL_LH_doall_arg OPENSSL_cleanse EVP_PKEY_CTX_new_from_pkey EVP_PKEY_derive EVP_PKEY_keygen; do
  perf probe -q -x $crypto --add $f
done
for f in SSL_new SSL_free SSL_clear SSL_do_handshake SSL_SESSION_free SSL_SESSION_new d2i_SSL_SESSION i2d_SSL_SESSION SSL_set_session; do
  perf probe -q -x $ssl --add $f
done
events=$(perf probe -l 2>/dev/null | awk '{print $1}' | sort -u | paste -sd,)
trap 'perf probe -q -d "probe_libcrypto:*"; perf probe -q -d "probe_libssl:*"' EXIT

"$bench" storm --endpoints 5000 --phases cold,restart,agentdrop --runs 1 --floor-seconds 0 --out /tmp/openssl-calls-storm > "$out/storm-under-uprobes.txt" 2>&1 &
for _ in $(seq 1 900); do grep -q "\[switchboard restart\] done" "$out/storm-under-uprobes.txt" && break; sleep 0.1; done
perf stat -x, -e "$events" -o "$out/manager-agentdrop.csv" -p "$(pgrep -f 'storm --worker' | head -1)" -- sleep 30
wait

timeout 40 openssl s_server -accept 127.0.0.1:47013 -cert $pki/agents/agent-00000.crt -key $pki/agents/agent-00000.key \
  -CAfile $pki/ca.crt -Verify 2 -www -quiet > /dev/null 2>&1 &
sleep 1
for t in 2 6; do
  perf stat -x, -e "$events" -o "$out/s_time-reuse-${t}s.csv" -- openssl s_time -connect 127.0.0.1:47013 -cert $pki/master.crt \
    -key $pki/master.key -CAfile $pki/ca.crt -reuse -www / -time $t | grep "connections in.*real"
done
