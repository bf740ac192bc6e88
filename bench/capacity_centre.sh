#!/bin/sh
# The bundled 12-month capacity plan and its what-if table (bench/RESULTS.md, section capacity).
# Usage: bench/capacity_centre.sh [path/to/wfm-capacity] [output dir]
set -eu
prog=${1:-build/release/examples/wfm-capacity}
out=${2:-build/capacity}
d=$(dirname "$0")/../examples/data
mkdir -p "$out"
"$prog" --demand "$d/capacity_demand.csv" --profile "$d/sample_week.csv" \
  --cohorts "$d/capacity_cohorts.csv" --classes "$d/capacity_classes.csv" \
  --service-level 0.8 --target-time 20 \
  --attrition 0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.007 \
  --training-weeks 4 --ramp 0.5,0.5,0.5,0.5,0.75,0.75,0.75,0.75,0.9,0.9,0.9,0.9 \
  --shrinkage-breaks 0.09 --shrinkage-meetings 0.03 --shrinkage-training 0.02 \
  --shrinkage-absence 0.05 --scheduling-efficiency 1.05 \
  --salary 900 --hire-cost 2500 --training-cost 1500 --overtime-cost 1350 --temp-cost 1200 \
  --understaffing-cost 3000 --max-overtime 0.05 --gap-tolerance 0.05 \
  --output "$out/plan.csv" --what-if "$out/whatif.csv"
