#!/usr/bin/env bash
# Issue 15: gap to the LP bound on the seeded instance family and the shared weeks, one command.
#   scripts/bench-schedule-family.sh
# Environment (defaults in brackets):
#   BUILD [build/release]        configured build tree (cmake --preset release)
#   SOLVERS [wfm,cbc]            back ends of wfm_bench_schedule_family --solver
#   LIMITS [1,10]                CPU-second limits run on every instance
#   LONG_LIMIT [60]              the long limit, run on the LONG_SUBSET only ("" to skip)
#   LONG_SUBSET [see below]      instances (name substrings) for the long limit
#   ONLY [all]                  comma-separated instance name substrings (e.g. f18-,cc-247-s)
#   FAMILY_SEED [15]             base seed of the generated family (other values: unseen weeks)
#   SEED [0]                     the solver's seed
#   SHARED [<main checkout>/../shared/data/sched] the shared weeks; "none" (or absent): skipped
# Results: $BUILD/schedule_family/<solver>.csv, summary in $BUILD/schedule_family/summary.md.
# Every run is niced (-n 19) and single-threaded; limits are process CPU seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
SOLVERS=${SOLVERS:-wfm,cbc}
LIMITS=${LIMITS:-1,10}
LONG_LIMIT=${LONG_LIMIT-60}
LONG_SUBSET=${LONG_SUBSET:-f00-,f01-,f03-,f10-,f12-,f18-,f21-,f27-,f30-,f41-,cc-247-s}
# The shared weeks sit beside the main checkout (worktrees: beside the common .git's checkout).
if [ -z "${SHARED:-}" ]; then
  SHARED=$(cd "$(git rev-parse --git-common-dir)/.." && pwd)/../shared/data/sched
  [ -d "$SHARED" ] || SHARED=none
fi
PY=${PY:-/work/main/.venv/bin/python}
OUT=$BUILD/schedule_family
nice -n 19 cmake --build "$BUILD" --target wfm_bench_schedule_family -j1
BIN=$BUILD/bench/wfm_bench_schedule_family
mkdir -p "$OUT"
"$BIN" --manifest "$OUT/manifest.csv"
for s in ${SOLVERS//,/ }; do
  rm -f "$OUT/$s.csv"
  nice -n 19 "$BIN" --solver "$s" --limits "$LIMITS" ${ONLY:+--only "$ONLY"} --shared "$SHARED" \
    --family-seed "${FAMILY_SEED:-15}" --seed "${SEED:-0}" --out "$OUT/$s.csv"
  if [ -n "$LONG_LIMIT" ]; then
    nice -n 19 "$BIN" --solver "$s" --limits "$LONG_LIMIT" --only "$LONG_SUBSET" --shared "$SHARED" \
      --family-seed "${FAMILY_SEED:-15}" --seed "${SEED:-0}" --out "$OUT/$s.csv"
  fi
done
files=()
for s in ${SOLVERS//,/ }; do files+=("$OUT/$s.csv"); done
"$PY" bench/schedule_family_summary.py "${files[@]}" | tee "$OUT/summary.md"
