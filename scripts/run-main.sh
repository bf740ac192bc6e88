#!/usr/bin/env bash
# README command (1): the main job, from history to a checked plan and its report.
#   1. sets the machine up (scripts/setup.sh: Debian packages, .venv, pip install . which puts
#      wfm-plan on the PATH of .venv);
#   2. plans the week after the bundled history (examples/data/history.csv: 12 weeks of
#      15-minute intervals made by scripts/make_history.py, with its holidays) with wfm-plan:
#      forecast, Erlang C staffing for 80 % answered within 20 s, shifts with breaks, weekly
#      lines, a simulation of the schedule, and report.html; prints the summary and the path
#      of the report.
# Outputs: build/main/ (forecast.csv staffing.csv coverage.csv simulation.csv schedule.csv
# breaks.csv tours.csv summary.csv report.html). Exit code: wfm-plan's (see wfm-plan --help).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
scripts/setup.sh
export PATH="$here/.venv/bin:$PATH"
echo
echo "== wfm-plan: the week after examples/data/history.csv =="
wfm-plan examples/data/history.csv --holidays examples/data/holidays.csv \
  --time-zone Europe/Amsterdam --output "$here/build/main"
