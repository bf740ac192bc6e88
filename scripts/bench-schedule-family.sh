#!/usr/bin/env bash
# Issue 15: gap to the LP bound on the seeded instance family and the shared weeks, one command.
#   scripts/bench-schedule-family.sh
# Runs, in this order: every solver at every limit of LIMITS on every instance (10 s first, so
# that the 10-s table is complete first), then every solver of LONG_SOLVERS at LONG_LIMIT on the
# LONG_SUBSET, then the summary. Environment (defaults in brackets):
#   BUILD [build/release]        configured build tree (cmake --preset release)
#   SOLVERS [wfm,cbc]            back ends of wfm_bench_schedule_family --solver
#   LIMITS [10,1]                CPU-second limits run on every instance ("": none)
#   LONG_LIMIT [60]              the long limit, run on the LONG_SUBSET only ("": skipped)
#   LONG_SOLVERS [$SOLVERS]      back ends run at the long limit
#   LONG_SUBSET [rule below]     instances (name substrings) for the long limit. Default rule:
#                                every instance that wfm did not prove optimal at 10 s, read from
#                                $OUT/wfm-10s.csv (so wfm at 10 s must have run first)
#   ONLY [all]                   comma-separated instance name substrings (e.g. f18-,cc-247-s)
#   FAMILY_SEED [15]             base seed of the generated family (other values: unseen weeks)
#   SEED [0]                     the solver's seed
#   SHARED [<main checkout>/../shared/data/sched] the shared weeks; "none" (or absent): skipped
#   OUT [$BUILD/schedule_family/fam$FAMILY_SEED-seed$SEED] where the CSV files go
# Results: one CSV per (solver, limit), $OUT/<solver>-<limit>s.csv; a run rewrites only the files
# of the pieces it runs (pieces run separately add up in $OUT); summary of all of them:
# $OUT/summary.md. Every run is niced (-n 19) and single-threaded; limits are process CPU seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
SOLVERS=${SOLVERS-wfm,cbc}
LIMITS=${LIMITS-10,1}
LONG_LIMIT=${LONG_LIMIT-60}
LONG_SOLVERS=${LONG_SOLVERS:-$SOLVERS}
FAMILY_SEED=${FAMILY_SEED:-15}
SEED=${SEED:-0}
# The shared weeks sit beside the main checkout (worktrees: beside the common .git's checkout).
if [ -z "${SHARED:-}" ]; then
  SHARED=$(cd "$(git rev-parse --git-common-dir)/.." && pwd)/../shared/data/sched
  [ -d "$SHARED" ] || SHARED=none
fi
PY=${PY:-/work/main/.venv/bin/python}
OUT=${OUT:-$BUILD/schedule_family/fam$FAMILY_SEED-seed$SEED}
nice -n 19 cmake --build "$BUILD" --target wfm_bench_schedule_family -j1
BIN=$BUILD/bench/wfm_bench_schedule_family
mkdir -p "$OUT"
"$BIN" --manifest "$OUT/manifest.csv"

# run SOLVER LIMIT ONLY: one piece, written to $OUT/<solver>-<limit>s.csv (rewritten).
run() {
  local f="$OUT/$1-$2s.csv"
  rm -f "$f"
  echo "== $1 at $2 s${3:+ on $3}" >&2
  nice -n 19 "$BIN" --solver "$1" --limits "$2" ${3:+--only "$3"} --shared "$SHARED" \
    --family-seed "$FAMILY_SEED" --seed "$SEED" --out "$f"
}

for l in ${LIMITS//,/ }; do
  for s in ${SOLVERS//,/ }; do run "$s" "$l" "${ONLY:-}"; done
done
if [ -n "$LONG_LIMIT" ]; then
  if [ -z "${LONG_SUBSET:-}" ]; then
    ref="$OUT/wfm-10s.csv"
    [ -f "$ref" ] || { echo "LONG_SUBSET: $ref missing (run wfm at 10 s first)" >&2; exit 1; }
    LONG_SUBSET=$(awk -F, 'NR > 1 && $5 != "optimal" { print $2 }' "$ref" | paste -sd, -)
  fi
  if [ -n "$LONG_SUBSET" ]; then
    for s in ${LONG_SOLVERS//,/ }; do run "$s" "$LONG_LIMIT" "$LONG_SUBSET"; done
  fi
fi
"$PY" bench/schedule_family_summary.py "$OUT"/*-[0-9]*s.csv | tee "$OUT/summary.md"
