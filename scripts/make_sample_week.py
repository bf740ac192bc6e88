#!/usr/bin/env python3
"""Generate examples/data/sample_week.csv: one realistic week of 15-minute intervals.

Deterministic (numpy, fixed seed): running it again rewrites the same bytes.

Shape (synthetic, but in the ranges contact centres report):
- Monday 2026-03-02 .. Sunday 2026-03-08; open 07:00-22:00 Monday to Friday, 08:00-20:00 on
  Saturday and 09:00-18:00 on Sunday; closed intervals are absent from the file.
- Calls per day: Monday highest (~14,500), falling through the week to Friday (~11,000);
  Saturday ~5,000 and Sunday ~3,500.
- Intraday: a double peak, late morning (~10:30) and early afternoon (~14:00), a lunch dip
  between them and a long evening decline.
- Volumes are Poisson draws around that profile.
- AHT [s] varies by time of day, ~240-330 s (longest in the morning peak, shortest in the
  evening), with a little noise; patience_s (mean patience [s]) ~120-200 s, shortest at the
  peaks.

Usage: scripts/make_sample_week.py [output.csv]
"""
from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 20260302
MONDAY = datetime(2026, 3, 2)
INTERVAL_MIN = 15
# (open hour, close hour, expected calls) for Monday .. Sunday
DAYS = [(7, 22, 14500), (7, 22, 13200), (7, 22, 12800), (7, 22, 12400), (7, 22, 11000),
        (8, 20, 5000), (9, 18, 3500)]


def gauss(h: np.ndarray, mu: float, sd: float) -> np.ndarray:
    return np.exp(-0.5 * ((h - mu) / sd) ** 2)


def intraday_shape(hours: np.ndarray) -> np.ndarray:
    """Relative arrival intensity at the interval midpoints `hours` (hours since midnight)."""
    morning = 1.00 * gauss(hours, 10.5, 1.0)
    afternoon = 0.85 * gauss(hours, 14.25, 1.1)
    base = 0.22 * gauss(hours, 12.5, 4.0)  # the broad working day underneath both peaks
    evening = 0.12 * gauss(hours, 19.0, 2.0)
    return morning + afternoon + base + evening + 0.02


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    rows = []
    for day, (open_h, close_h, calls) in enumerate(DAYS):
        n = (close_h - open_h) * 60 // INTERVAL_MIN
        mid = open_h + (np.arange(n) + 0.5) * INTERVAL_MIN / 60.0
        shape = intraday_shape(mid)
        volume = rng.poisson(calls * shape / shape.sum())
        # AHT: 250 s base, +70 s in the morning peak, +35 s in the afternoon, -10 s evenings
        aht = (250.0 + 70.0 * gauss(mid, 10.5, 1.8) + 35.0 * gauss(mid, 14.5, 1.5)
               - 10.0 * gauss(mid, 21.0, 1.5) + rng.normal(0.0, 4.0, n))
        aht = np.clip(aht, 240.0, 330.0)
        # patience: ~195 s when quiet, down to ~125 s at the peaks
        load = shape / shape.max()
        patience = np.clip(195.0 - 70.0 * load + rng.normal(0.0, 3.0, n), 120.0, 200.0)
        for i in range(n):
            start = MONDAY + timedelta(days=day, minutes=open_h * 60 + i * INTERVAL_MIN)
            rows.append(f"{start:%Y-%m-%d %H:%M},{volume[i]},{aht[i]:.1f},{patience[i]:.1f}")
    out.write_text("start,volume,aht_s,patience_s\n" + "\n".join(rows) + "\n")
    print(f"wrote {out}: {len(rows)} intervals", file=sys.stderr)


if __name__ == "__main__":
    here = Path(__file__).resolve().parents[1]
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else here / "examples" / "data" / "sample_week.csv")
