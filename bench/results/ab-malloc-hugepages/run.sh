#!/usr/bin/env bash
# Interleaved A/B of transparent huge pages for glibc's malloc (OpenSSL's allocations) in the manager:
# A = the default; B = GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (malloc asks for huge pages with madvise on the
# memory it takes from the kernel). Commit b4f4428 built in /tmp/cur-bench; 5,000 endpoints, P-256, TLS 1.3.
set -u
out=$(cd "$(dirname "$0")" && pwd)
run() { # name env
  local env=()
  [[ -n "$2" ]] && env=(--manager-env "$2")
  /tmp/cur-bench/Switchboard.Bench storm --endpoints 5000 --phases cold,restart,agentdrop --floor-seconds 0 \
    --runs 1 "${env[@]}" --out "$out/$1-r$round" > "$out/$1-r$round.txt" 2>&1
  echo "$1-r$round rc=$? $(date +%T)"
}
for round in $(seq ${FIRST:-1} ${ROUNDS:-5}); do
  if (( round % 2 )); then
    run A-default ""; run B-malloc-thp GLIBC_TUNABLES=glibc.malloc.hugetlb=1
  else
    run B-malloc-thp GLIBC_TUNABLES=glibc.malloc.hugetlb=1; run A-default ""
  fi
done
echo finished > "$out/finished"
