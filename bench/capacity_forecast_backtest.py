#!/usr/bin/env python3
"""Weekly long-range backtest of wfm.capacity.forecast_weekly on the real series in
../shared/data/forecasting (README there), against the naive forecast (last week's total).

Weekly totals: calendar weeks Monday-Sunday, partial first and last weeks dropped (absent
holiday days stay absent: the real weekly total). Rolling origins: every week from week 12 on;
horizons 4-13 weeks ahead where the data reach. Scores: WAPE (sum |error| / sum actual) over all
(origin, horizon) pairs and the share of actuals inside the 80 % interval. The seasonal naive at
lag 52 cannot be formed (the files hold 28 and 35 weeks), so the naive is the last week's total;
for the same reason no yearly term is fitted (forecast_weekly needs >= 104 weeks for it).
statsforecast AutoETS/AutoARIMA are scored too when installed (bench/requirements-forecast.txt).

Usage: PYTHONPATH=python-bindings bench/capacity_forecast_backtest.py [data_dir]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from wfm import capacity as wc

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "forecasting"
SERIES = {"US bank 2003 (weekdays)": "bank_calls_2003_5min.csv", "Israeli bank 1999 (24/7)": "anonbank_1999_6min.csv"}
H = range(4, 14)
FIRST_ORIGIN = 12


def weekly(path: Path) -> pd.Series:
    d = pd.read_csv(path, usecols=["date", "calls"], parse_dates=["date"])
    days = d.groupby("date")["calls"].sum()
    full = pd.date_range(days.index.min(), days.index.max(), freq="D")
    week = pd.Series(full.to_period("W-SUN"), index=full)
    counts = week.value_counts()
    keep = days.groupby(days.index.to_period("W-SUN")).sum()
    complete = [p for p in keep.index if counts.get(p, 0) == 7]
    return keep.loc[complete].astype(float)


def peers():
    try:
        from statsforecast.models import AutoARIMA, AutoETS
    except ImportError:
        return {}
    def run(model):
        def f(y, h):
            fit = model().fit(y)
            p = fit.predict(h=h, level=[80])
            return p["mean"], p["lo-80"], p["hi-80"]
        return f
    return {"statsforecast AutoETS": run(lambda: AutoETS(season_length=1)),
            "statsforecast AutoARIMA": run(lambda: AutoARIMA(season_length=1))}


def main() -> None:
    methods = {
        "wfm forecast_weekly": lambda y, h: (lambda r: (r["volume"].to_numpy(), r["volume_lower"].to_numpy(), r["volume_upper"].to_numpy()))(wc.forecast_weekly(y, horizon=h, level=0.8)),
        "naive (last week)": lambda y, h: (np.full(h, y[-1]),) * 3,
    }
    methods.update(peers())
    print("| series | weeks | origins | method | WAPE 4-13 weeks ahead | 80 % interval coverage |")
    print("|---|---|---|---|---|---|")
    for name, file in SERIES.items():
        y = weekly(DATA / file).to_numpy()
        origins = range(FIRST_ORIGIN, len(y) - H.start + 1)
        for m, f in methods.items():
            err = act = 0.0
            inside = total = 0
            for o in origins:
                h = min(H.stop - 1, len(y) - o)
                mean, lo, hi = f(y[:o], h)
                for k in H:
                    if k > h:
                        break
                    a = y[o + k - 1]
                    err += abs(mean[k - 1] - a)
                    act += a
                    if m.startswith("naive"):
                        continue
                    inside += lo[k - 1] <= a <= hi[k - 1]
                    total += 1
            cov = f"{inside / total:.1%}" if total else "-"
            print(f"| {name} | {len(y)} | {len(origins)} | {m} | {err / act:.3f} | {cov} |")


if __name__ == "__main__":
    main()
