#!/usr/bin/env python3
"""Generate the bundled capacity-planning centre in examples/data (synthetic, deterministic).

- capacity_demand.csv: 52 weeks from Monday 2026-01-05: week, volume [contacts per week],
  aht_s [s], leave [fraction of staff on planned leave], max_temps [FTE]. Volume: ~72,000 a
  week (the level of sample_week.csv, whose intraday and weekday shape is the profile), +6 % a
  year trend, a yearly cycle of +-8 % (peak in early spring, low in August), a Christmas dip
  of 25 % in weeks 51-52; AHT ~280 s, 3 % longer in winter. Leave: 3 % a week, 12 % in weeks
  27-35 (summer) and 15 % in week 52. Temps: 6 FTE available in every week.
- capacity_cohorts.csv: staff at week 0 by tenure (tenure_weeks, headcount [FTE]).
- capacity_classes.csv: a class may start every 4 weeks (min 8, max 20 people).

Usage: scripts/make_capacity_centre.py [output_dir]
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

WEEKS = 52


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "examples" / "data"
    rows = ["week,volume,aht_s,leave,max_temps"]
    for w in range(WEEKS):
        season = 1.0 + 0.08 * math.cos(2 * math.pi * (w - 9) / 52)
        trend = 1.0 + 0.06 * w / 52
        xmas = 0.75 if w >= 50 else 1.0
        volume = round(72000 * season * trend * xmas)
        aht = round(280 * (1.0 + 0.03 * math.cos(2 * math.pi * w / 52)), 1)
        leave = 0.15 if w == 51 else (0.12 if 26 <= w <= 34 else 0.03)
        rows.append(f"{w},{volume},{aht},{leave},6")
    (out / "capacity_demand.csv").write_text("\n".join(rows) + "\n")
    cohorts = [(156, 150), (80, 45), (40, 30), (20, 15), (6, 12)]
    (out / "capacity_cohorts.csv").write_text(
        "tenure_weeks,headcount\n" + "".join(f"{t},{h}\n" for t, h in cohorts))
    (out / "capacity_classes.csv").write_text(
        "start_week,min_size,max_size\n" + "".join(f"{w},8,20\n" for w in range(0, WEEKS, 4)))


if __name__ == "__main__":
    main()
