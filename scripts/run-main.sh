#!/usr/bin/env bash
# README command (1): the main job on the bundled sample week.
#   1. sets the machine up (scripts/setup.sh: Debian packages, .venv, pip install .);
#   2. builds the command-line programs and staffs the week with wfm-staff (summary on stderr);
#   3. plans the week end to end in Python (scripts/main_job.py): staff, schedule, simulate.
# Outputs: build/main/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
scripts/setup.sh
export PATH="$here/.venv/bin:$PATH"
out="$here/build/main"
mkdir -p "$out"
echo "[wfm] building the command-line programs (build/release)" >&2
cmake --preset release >/dev/null
cmake --build build/release --target wfm_example_staff wfm_example_forecast >/dev/null
echo
echo "== wfm-staff: Erlang A, 80 % answered within 20 s, 30 % shrinkage =="
build/release/examples/wfm-staff -i examples/data/sample_week.csv --service-level 0.8 --target-time 20 \
  --shrinkage 0.3 --summary --output "$out/wfm-staff.csv"
echo
echo "== the week end to end: staff, schedule, simulate (scripts/main_job.py) =="
python scripts/main_job.py examples/data/sample_week.csv --out "$out"
