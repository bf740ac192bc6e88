#!/usr/bin/env python3
"""Weekly long-range backtest of wfm.capacity.forecast_weekly on the real series in
../shared/data/forecasting (README there), against the naive forecast and statsforecast.

Weekly totals: calendar weeks Monday-Sunday, partial first and last weeks dropped (absent
holiday days stay absent: the real weekly total). Rolling origins: every week from week 12 on;
horizons 4-13 weeks ahead where the data reach. Scores: WAPE (sum |error| / sum actual) over all
(origin, horizon) pairs and the share of actuals inside the 80 % interval.

Calendar factors (what a planner knows in advance): the share of a normal week's volume that
the week's open days carry, with day-of-week shares estimated at each origin from the days
before it (holidays and absent days left out). Weeks ahead: the public holidays below count as
closed (known a year ahead). Weeks of history: the holidays and every day absent from the data
count as closed. US bank: Memorial Day, Independence Day, Labor Day (the two unexplained gaps of
4 and 7 April are *not* known ahead). Israeli bank: the holidays the data README lists (Purim,
Passover, Memorial/Independence Day, Shavuot). "+ calendar" rows give a peer the same factors
(the model on history / factor, its forecast times the factor ahead); plain rows see the raw
weekly totals.

The seasonal naive at lag 52 cannot be formed (the files hold 27 and 34 complete weeks), so the
naive is the last week's total; for the same reason no yearly term is fitted (forecast_weekly
needs >= 104 weeks, and statsforecast's MSTL drops a 52-week period longer than half the series).
statsforecast AutoETS / AutoARIMA / MSTL are scored when installed (bench/requirements-forecast.txt).

Usage: PYTHONPATH=python-bindings bench/capacity_forecast_backtest.py [data_dir]
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from wfm import capacity as wc

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "forecasting"
SERIES = {
    "US bank 2003 (weekdays)": ("bank_calls_2003_5min.csv", ["2003-05-26", "2003-07-04", "2003-09-01"]),
    "Israeli bank 1999 (24/7)": ("anonbank_1999_6min.csv",
                                 ["1999-03-02", "1999-03-31", "1999-04-01", "1999-04-06", "1999-04-07",
                                  "1999-04-20", "1999-04-21", "1999-05-20", "1999-05-21"]),
}
H = range(4, 14)
FIRST_ORIGIN = 12
LEVEL = 80


def days(path: Path, holidays: list[str]) -> pd.DataFrame:
    """One row per calendar day: calls (NaN when absent), week, weekday, holiday."""
    d = pd.read_csv(path, usecols=["date", "calls"], parse_dates=["date"])
    calls = d.groupby("date")["calls"].sum()
    full = pd.date_range(calls.index.min(), calls.index.max(), freq="D")
    return pd.DataFrame({"calls": calls.reindex(full).to_numpy(), "week": full.to_period("W-SUN"),
                         "weekday": full.day_of_week, "holiday": full.isin(pd.to_datetime(holidays))})


def complete_weeks(day: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    size = day.groupby("week").size()
    weeks = size.index[size == 7]
    return day.groupby("week")["calls"].sum().loc[weeks].to_numpy(dtype=float), weeks


def calendar(day: pd.DataFrame, weeks: pd.Index, origin_week, history: bool) -> np.ndarray:
    """Share of a normal week's volume carried by each week's open days (see the docstring)."""
    past = day[(day["week"] < origin_week) & ~day["holiday"] & day["calls"].notna()]
    share = past.groupby("weekday")["calls"].mean().reindex(range(7)).fillna(0.0)
    share = share / share.sum()
    out = []
    for w in weeks:
        d = day[day["week"] == w]
        open_ = ~d["holiday"] & (d["calls"].notna() if history else True)
        out.append(share.to_numpy()[d["weekday"].to_numpy()][open_.to_numpy()].sum())
    return np.array(out)


def wfm_method(y, h, cf_hist, cf_ahead):
    r = wc.forecast_weekly(y, horizon=h, level=LEVEL / 100, history_factor=cf_hist, week_factor=cf_ahead)
    return r["volume"].to_numpy(), r["volume_lower"].to_numpy(), r["volume_upper"].to_numpy()


def wfm_no_calendar(y, h, cf_hist, cf_ahead):
    r = wc.forecast_weekly(y, horizon=h, level=LEVEL / 100)
    return r["volume"].to_numpy(), r["volume_lower"].to_numpy(), r["volume_upper"].to_numpy()


def naive(y, h, cf_hist, cf_ahead):
    return (np.full(h, y[-1]),) * 3


def naive_calendar(y, h, cf_hist, cf_ahead):
    return (np.full(h, y[-1] / cf_hist[-1]) * cf_ahead,) * 3


def peers() -> dict:
    try:
        from statsforecast.models import MSTL, AutoARIMA, AutoETS
    except ImportError:
        return {}

    def run(make, adjusted, min_weeks=0):
        def f(y, h, cf_hist, cf_ahead):
            if len(y) < min_weeks:
                return None
            x = y / cf_hist if adjusted else y
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                p = make().fit(x).predict(h=h, level=[LEVEL])
            scale = cf_ahead if adjusted else 1.0
            return tuple(np.asarray(p[k], dtype=float) * scale for k in ("mean", f"lo-{LEVEL}", f"hi-{LEVEL}"))
        return f

    makers = {"AutoETS": lambda: AutoETS(season_length=1),
              "AutoARIMA": lambda: AutoARIMA(season_length=1),
              "MSTL (52, AutoETS trend)": lambda: MSTL(season_length=52, trend_forecaster=AutoETS(model="ZZN"))}
    out = {}
    for name, make in makers.items():
        need = 104 if name.startswith("MSTL") else 0  # two 52-week seasons
        out[f"statsforecast {name}"] = run(make, False, need)
        out[f"statsforecast {name} + calendar"] = run(make, True, need)
    return out


def main() -> None:
    methods = {"wfm forecast_weekly (+ calendar)": wfm_method,
               "wfm forecast_weekly, no calendar (ablation)": wfm_no_calendar, "naive (last week)": naive,
               "naive + calendar": naive_calendar}
    methods.update(peers())
    print(f"| series | weeks | origins | method | WAPE 4-13 weeks ahead | {LEVEL} % interval coverage |")
    print("|---|---|---|---|---|---|")
    for name, (file, holidays) in SERIES.items():
        day = days(DATA / file, holidays)
        y, weeks = complete_weeks(day)
        origins = range(FIRST_ORIGIN, len(y) - H.start + 1)
        cases = []
        for o in origins:
            h = min(H.stop - 1, len(y) - o)
            cases.append((o, h, calendar(day, weeks[:o], weeks[o], True),
                          calendar(day, weeks[o:o + h], weeks[o], False)))
        chosen: dict[str, int] = {}
        for m, f in methods.items():
            err = act = 0.0
            inside = total = 0
            for o, h, cf_hist, cf_ahead in cases:
                p = f(y[:o], h, cf_hist, cf_ahead)
                if p is None:
                    break
                mean, lo, hi = p
                if f is wfm_method:
                    r = wc.forecast_weekly(y[:o], horizon=h, history_factor=cf_hist, week_factor=cf_ahead)
                    chosen[r.attrs["model"]] = chosen.get(r.attrs["model"], 0) + 1
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
            if act == 0.0:
                print(f"| {name} | {len(y)} | {len(origins)} | {m} | n/a: needs >= 104 weeks | - |")
                continue
            cov = f"{inside / total:.1%}" if total else "-"
            print(f"| {name} | {len(y)} | {len(origins)} | {m} | {err / act:.3f} | {cov} |")
        print(f"<!-- {name}: models chosen by forecast_weekly over the origins: {chosen} -->")


if __name__ == "__main__":
    main()
