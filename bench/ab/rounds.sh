# Sourced by an A/B's run.sh (bench/results/ab-*/run.sh), which defines A and B with `run` and then calls
# `interleave`: one storm of 5,000 endpoints (P-256, TLS 1.3, no floor) per side and round, the side that goes
# first alternating, each into the run.sh's own folder as NAME-rROUND. PHASES (default cold,restart,agentdrop)
# and RUNS (runs per storm, default 1) may be set before sourcing, for an A/B of what a start changes.
set -u
out=$(cd "$(dirname "$0")" && pwd)

# run NAME BUILD [storm arguments...]: BUILD is a folder holding a Release build of the benchmark.
run() {
  local name=$1 build=$2
  shift 2
  "$build"/Switchboard.Bench storm --endpoints 5000 --phases "${PHASES:-cold,restart,agentdrop}" --floor-seconds 0 --runs "${RUNS:-1}" \
    "$@" --out "$out/$name-r$round" > "$out/$name-r$round.txt" 2>&1
  echo "$name-r$round rc=$? $(date +%T)"
}

# interleave ROUNDS: rounds FIRST (default 1) to ROUNDS (the environment's ROUNDS wins).
interleave() {
  for round in $(seq "${FIRST:-1}" "${ROUNDS:-$1}"); do
    if (( round % 2 )); then A; B; else B; A; fi
  done
}

# rotate ROUNDS: the same with a third side, C; each side goes first, second and third in turn.
rotate() {
  for round in $(seq "${FIRST:-1}" "${ROUNDS:-$1}"); do
    case $((round % 3)) in
      1) A; B; C ;;
      2) B; C; A ;;
      0) C; A; B ;;
    esac
  done
}
