#!/usr/bin/env bash
# Counts system calls per resumed handshake: the manager over an agent drop of 5,000 (the storm's worker,
# recorded with `perf record -e raw_syscalls:sys_enter` once the restart is done) against `openssl s_time -reuse`
# for 2 s and for 6 s (the difference of the two runs cancels its process start). A manager's link is counted
# by its connect(2).
# Usage: run.sh BENCH [OUT] (BENCH: a Release build of bench/Switchboard.Bench; OUT: where the counts go, this
# folder by default); the PKI is the storm's cached one.
set -u
bench=$1 out=$(cd "${2:-$(dirname "$0")}" && pwd) pki=~/.cache/switchboard-bench/pki/5000-ecdsa-p256
count() { # perf.data -> "count name" per syscall (x86-64 numbers from the kernel headers), most first
  perf script -i "$1" 2>/dev/null | sed -n 's/.*sys_enter: NR \([0-9]*\) .*/\1/p' | sort | uniq -c | sort -rn |
    while read -r n nr; do printf '%s %s\n' "$n" "$(awk -v nr="$nr" '$1 == "#define" && $3 == nr { sub("__NR_", "", $2); print $2 }' /usr/include/x86_64-linux-gnu/asm/unistd_64.h)"; done
}
"$bench" storm --endpoints 5000 --phases cold,restart,agentdrop --runs 1 --floor-seconds 0 --out /tmp/syscalls-storm > "$out/storm.txt" 2>&1 &
for _ in $(seq 1 1800); do grep -q "\[switchboard restart\] done" "$out/storm.txt" && break; sleep 0.1; done
perf record -q -e raw_syscalls:sys_enter -o /tmp/syscalls-manager.data -p "$(pgrep -f 'storm --worker' | head -1)" -- sleep 25 2>/dev/null
wait
count /tmp/syscalls-manager.data > "$out/manager-agentdrop.txt"

timeout 40 openssl s_server -accept 127.0.0.1:47013 -cert $pki/agents/agent-00000.crt -key $pki/agents/agent-00000.key \
  -CAfile $pki/ca.crt -Verify 2 -www -quiet > /dev/null 2>&1 &
sleep 1
for t in 2 6; do
  perf record -q -e raw_syscalls:sys_enter -o /tmp/syscalls-s_time-$t.data -- openssl s_time -connect 127.0.0.1:47013 -cert $pki/master.crt \
    -key $pki/master.key -CAfile $pki/ca.crt -reuse -www / -time $t 2>/dev/null | grep "connections in.*real" | tee "$out/s_time-reuse-${t}s-connections.txt"
  count /tmp/syscalls-s_time-$t.data > "$out/s_time-reuse-${t}s.txt"
done
