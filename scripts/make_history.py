#!/usr/bin/env python3
"""Makes the bundled history of the main job (seeded, so the files are reproducible).

examples/data/history.csv: 12 weeks (Mon 2026-01-05 to Sun 2026-03-29) of 15-minute intervals of
a fictitious contact centre in Europe/Amsterdam, open Mon-Fri 08:00-20:00 and Sat 09:00-17:00
(closed hours and Sundays are absent, never zero rows). Columns: timestamp (ISO 8601 local time
with its UTC offset), volume (contacts offered per interval), aht_s (average handle time [s]).
The last day is the day Europe's clocks go forward, so the planned week after it runs on summer
time (+02:00) while the history is winter time (+01:00).

examples/data/holidays.csv: date,name of the special days (a carnival Monday in the history
with half the usual demand, Good Friday and Easter Monday in the planned week).

The demand model (an assumption for a sample, not data): daily totals with a weekday pattern
(Monday busiest) and a slow upward trend, an intraday double peak (late morning, early
afternoon), a day-level gamma busyness factor with coefficient of variation 0.08 and Poisson
counts given the mean (the Poisson-gamma model of Jongbloed & Koole 2001, "Managing uncertainty
in call centres using Poisson mixtures", Appl. Stoch. Models Bus. Ind. 17:307-318). Handle times
are about 300 s, longer in the evening, with a little noise.

Usage: scripts/make_history.py [--out examples/data]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

TZ = "Europe/Amsterdam"
FIRST, LAST = "2026-01-05", "2026-03-29"  # Monday .. Sunday, 12 weeks
WEEKDAY = np.array([1.15, 1.05, 1.0, 0.98, 0.92, 0.45, 0.0])  # Mon .. Sun, relative volume
DAILY = 1400.0  # contacts on an average weekday
HOLIDAYS = {"2026-02-16": ("Carnival Monday", 0.5), "2026-04-03": ("Good Friday", 0.0),
            "2026-04-06": ("Easter Monday", 0.0)}
SEED = 20260105


def opening(index: pd.DatetimeIndex) -> np.ndarray:
    """Mon-Fri 08:00-20:00, Sat 09:00-17:00 (local time)."""
    h, d = index.hour + index.minute / 60, index.day_of_week
    return ((d < 5) & (h >= 8) & (h < 20)) | ((d == 5) & (h >= 9) & (h < 17))


def intraday(hour: np.ndarray) -> np.ndarray:
    """Relative load by time of day: peaks at 10:30 and 14:30, a lunch dip, a quiet evening."""
    return (np.exp(-0.5 * ((hour - 10.5) / 1.6) ** 2) + 0.8 * np.exp(-0.5 * ((hour - 14.5) / 1.8) ** 2)
            + 0.15)


def make(rng: np.random.Generator) -> pd.DataFrame:
    idx = pd.date_range(pd.Timestamp(FIRST, tz=TZ), pd.Timestamp(LAST, tz=TZ) + pd.DateOffset(days=1),
                        freq="15min", inclusive="left")
    idx = idx[opening(idx)]
    hour = np.asarray(idx.hour + idx.minute / 60)
    day = idx.normalize()
    days = day.unique()
    busy = pd.Series(rng.gamma(1 / 0.08**2, 0.08**2, len(days)), index=days)
    trend = pd.Series(1 + 0.002 * np.arange(len(days)), index=days)
    special = pd.Series(1.0, index=days)
    for date, (_, ratio) in HOLIDAYS.items():
        special[special.index.strftime("%Y-%m-%d") == date] = ratio
    shape = pd.Series(intraday(hour), index=idx)
    share = shape / shape.groupby(day).transform("sum")
    mean = (DAILY * WEEKDAY[idx.day_of_week] * share.to_numpy() * busy[day].to_numpy()
            * trend[day].to_numpy() * special[day].to_numpy())
    volume = rng.poisson(mean)
    aht = 290 + 40 * (hour >= 17) + rng.normal(0, 12, len(idx))
    return pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(
        r"(\+|-)(\d\d)(\d\d)$", r"\1\2:\3", regex=True), "volume": volume,
        "aht_s": np.round(aht, 1)})


def main() -> None:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=here / "examples" / "data")
    args = ap.parse_args()
    history = make(np.random.default_rng(SEED))
    history.to_csv(args.out / "history.csv", index=False)
    pd.DataFrame({"date": list(HOLIDAYS), "name": [n for n, _ in HOLIDAYS.values()]}).to_csv(
        args.out / "holidays.csv", index=False)
    print(f"{args.out / 'history.csv'}: {len(history)} intervals, {history['volume'].sum():,} contacts")


if __name__ == "__main__":
    main()
