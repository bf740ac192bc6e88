"""wfm.forecast against statsforecast and R's forecast on the shared bank series.

Same origins, same targets, one run: the US bank aggregated to 15 minutes (intervals 1-168,
07:00-21:00) and the Israeli bank aggregated to 30 minutes; rolling weekly origins over the last
8 weeks of each file (origin k = day after the last day - 7 k, k = 8..1), each forecasting the
next 7 days. Every intervals present in the data is scored (no exclusions).

Peers index series by position, so absent days (US holidays) are re-inserted on their regular
grid (weekdays x 56 slots for the US, all days x 48 for Israel), filled with the value one week
earlier; wfm gets the history as it is (absent days absent).

Set-up (by hand, not by scripts/setup.sh):
    .venv/bin/python -m pip install -r bench/requirements-forecast.txt   # statsforecast
    apt-get install -y r-cran-forecast                                   # dshw, tbats
    .venv/bin/python -m pip install --no-build-isolation .               # wfm

Run:  .venv/bin/python bench/forecast_peers.py [--no-r] [--out table.md]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "forecasting"
LEVEL = 80


def load_us() -> pd.Series:
    df = pd.read_csv(DATA / "bank_calls_2003_5min.csv")
    df = df[df["interval"] <= 168]
    ts = pd.to_datetime(df["date"] + " " + df["start"])
    s = pd.Series(df["calls"].to_numpy(float), index=ts)
    return s.resample("15min").sum(min_count=1).dropna()


def load_il() -> pd.Series:
    df = pd.read_csv(DATA / "anonbank_1999_6min.csv")
    ts = pd.to_datetime(df["date"] + " " + df["start"])
    s = pd.Series(df["calls"].to_numpy(float), index=ts)
    return s.resample("30min").sum(min_count=1).dropna()


def regular_grid(s: pd.Series, weekdays: list[int], p1: int) -> pd.DatetimeIndex:
    """All slots of all grid days between the first and the last day of s."""
    slot_times = sorted(set(s.index.time))[:p1]
    days = pd.date_range(s.index[0].normalize(), s.index[-1].normalize() + pd.Timedelta(days=14), freq="D")
    days = [d for d in days if d.weekday() in weekdays]
    return pd.DatetimeIndex([pd.Timestamp.combine(d.date(), t) for d in days for t in slot_times])


def metrics(y, f, lo, hi, days):
    y, f = np.asarray(y), np.asarray(f)
    out = {"wape": np.abs(y - f).sum() / y.sum()}
    dy = pd.Series(y).groupby(days).sum()
    df = pd.Series(f).groupby(days).sum()
    out["daily_wape"] = np.abs(dy - df).sum() / dy.sum()
    if lo is not None and not np.all(np.isnan(lo)):
        out["cov80"] = np.mean((np.asarray(lo) <= y) & (y <= np.asarray(hi)))
    else:
        out["cov80"] = np.nan
    return out


def run_wfm(train: pd.Series, at: pd.DatetimeIndex):
    import wfm.forecast as wf

    t0 = time.perf_counter()
    df = wf.forecast(train, at=at, level=LEVEL / 100)
    return (df["volume"].to_numpy(), df["volume_lower"].to_numpy(), df["volume_upper"].to_numpy(),
            time.perf_counter() - t0)


def run_statsforecast(grid_train: pd.Series, h: int, p1: int, p2: int):
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS, SeasonalNaive

    out = {}
    df = pd.DataFrame({"unique_id": "s", "ds": np.arange(len(grid_train)), "y": grid_train.to_numpy()})
    for name, model in [("sf_seasonal_naive", SeasonalNaive(season_length=p2)),
                        ("sf_mstl", MSTL(season_length=[p1, p2])),
                        ("sf_autoets", AutoETS(season_length=p1))]:
        t0 = time.perf_counter()
        sf = StatsForecast(models=[model], freq=1, n_jobs=1)
        fc = sf.forecast(df=df, h=h, level=[LEVEL])
        el = time.perf_counter() - t0
        col = [c for c in fc.columns if c not in ("unique_id", "ds") and "-lo-" not in c and "-hi-" not in c][0]
        lo = fc[f"{col}-lo-{LEVEL}"].to_numpy() if f"{col}-lo-{LEVEL}" in fc else None
        hi = fc[f"{col}-hi-{LEVEL}"].to_numpy() if f"{col}-hi-{LEVEL}" in fc else None
        out[name] = (fc[col].to_numpy(), lo, hi, el)
    return out


def warm_up_statsforecast() -> None:
    """Compiles statsforecast's numba code once, so JIT time is not counted in any timing."""
    rng = np.random.default_rng(0)
    y = pd.Series(rng.poisson(50, 48 * 7 * 3).astype(float))
    run_statsforecast(y, 48, 48, 48 * 7)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-r", action="store_true", help="skip R's dshw and tbats")
    ap.add_argument("--no-sf", action="store_true", help="skip statsforecast")
    ap.add_argument("--origins", type=int, default=8)
    ap.add_argument("--tbats-weeks", type=int, default=4, help="history weeks given to tbats")
    ap.add_argument("--dshw-weeks", type=int, default=8, help="history weeks given to dshw")
    ap.add_argument("--out", default=None, help="also write the markdown table here")
    ap.add_argument("--workdir", default=None,
                    help="keep the peers' inputs and outputs here; R results already there are reused")
    args = ap.parse_args()
    if not DATA.exists():
        print("shared data not found: skipped", file=sys.stderr)
        return 0
    series = {"US 15-min": (load_us(), [0, 1, 2, 3, 4], 56),
              "Israel 30-min": (load_il(), list(range(7)), 48)}
    rows = []
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="wfm_peers_"))
    work.mkdir(parents=True, exist_ok=True)
    if not args.no_sf and not (args.workdir and list(work.glob("sf_*.pkl"))):
        warm_up_statsforecast()
    results: dict = {}
    for sname, (s, weekdays, p1) in series.items():
        p2 = p1 * len(weekdays)
        grid = regular_grid(s, weekdays, p1)
        full = s.reindex(grid)
        # Re-insert absent days: the value one week earlier (repeat while missing).
        filled = full.copy()
        for _ in range(4):
            filled = filled.fillna(filled.shift(p2))
        end_day = s.index[-1].normalize() + pd.Timedelta(days=1)
        origins = [end_day - pd.Timedelta(days=7 * k) for k in range(args.origins, 0, -1)]
        key = sname.split()[0].lower()
        pd.DataFrame({"period1": [p1], "period2": [p2], "horizon": [p2 + p1 * 2],
                      "tbats_weeks": [args.tbats_weeks], "dshw_weeks": [args.dshw_weeks]}).to_csv(
            work / f"meta_{key}.csv", index=False)
        per_origin = []
        for k, o in enumerate(origins):
            train = s[s.index < o]
            target = s[(s.index >= o) & (s.index < o + pd.Timedelta(days=7))]
            gtrain = filled[filled.index < o]
            gfuture = grid[grid >= o][: p2 + 2 * p1]
            pos = gfuture.get_indexer(target.index)
            assert (pos >= 0).all()
            pd.DataFrame({"y": gtrain.to_numpy()}).to_csv(work / f"train_{key}_{k}.csv", index=False)
            per_origin.append((train, target, gtrain, gfuture, pos))
        results[sname] = (per_origin, key, p1, p2)
    if not args.no_r and shutil.which("Rscript"):
        print("running R (dshw, tbats) ...", file=sys.stderr)
        procs = [subprocess.Popen(["Rscript", str(ROOT / "bench" / "forecast_peers.R"), str(work), key])
                 for key in ("us", "israel")]
        for p in procs:
            p.wait()
    table = []
    notes = []
    for sname, (per_origin, key, p1, p2) in results.items():
        acc: dict = {}
        # Score on the origins every peer finished (R peers may be interrupted for time).
        common = [k for k in range(len(per_origin))
                  if all((work / f"out_{key}_{k}_{m}.csv").exists() for m in ("dshw", "tbats"))]
        if args.no_r or not shutil.which("Rscript") or not common:
            common = list(range(len(per_origin)))
        notes.append(f"{sname}: {len(common)} of {len(per_origin)} origins")
        for k, (train, target, gtrain, gfuture, pos) in enumerate(per_origin):
            if k not in common:
                continue
            days = target.index.normalize()
            preds = {}
            f, lo, hi, el = run_wfm(train, target.index)
            preds["wfm (auto)"] = (f, lo, hi, el)
            if not args.no_sf:
                cache = work / f"sf_{key}_{k}.pkl"  # statsforecast results are kept in --workdir
                if args.workdir and cache.exists():
                    sf = pd.read_pickle(cache)
                else:
                    sf = run_statsforecast(gtrain, len(gfuture), p1, p2)
                    if args.workdir:
                        pd.to_pickle(sf, cache)
                for name, (m, l, u, e) in sf.items():
                    preds[name] = (m[pos], None if l is None else l[pos], None if u is None else u[pos], e)
            for model in ("dshw", "tbats"):
                fo = work / f"out_{key}_{k}_{model}.csv"
                if fo.exists():
                    o = pd.read_csv(fo)
                    el = float((work / f"timing_{key}_{k}_{model}.txt").read_text())
                    preds[f"R {model}"] = (o["mean"].to_numpy()[pos], o["lower"].to_numpy()[pos],
                                           o["upper"].to_numpy()[pos], el)
            for name, (m, l, u, el) in preds.items():
                a = acc.setdefault(name, {"y": [], "f": [], "lo": [], "hi": [], "d": [], "t": []})
                a["y"].append(target.to_numpy()); a["f"].append(np.maximum(m, 0.0))
                a["lo"].append(np.full(len(m), np.nan) if l is None else l)
                a["hi"].append(np.full(len(m), np.nan) if u is None else u)
                a["d"].append(np.asarray(days.astype("int64")) + k)  # days unique per origin
                a["t"].append(el)
            print(f"{sname} origin {k + 1}/{len(per_origin)} done", file=sys.stderr)
        wfm_t = np.mean(acc["wfm (auto)"]["t"])
        for name, a in acc.items():
            m = metrics(np.concatenate(a["y"]), np.concatenate(a["f"]), np.concatenate(a["lo"]),
                        np.concatenate(a["hi"]), np.concatenate(a["d"]))
            t = float(np.mean(a["t"]))
            table.append((sname, name, m["wape"], m["daily_wape"], m["cov80"], t, t / wfm_t))
    lines = ["| series | method | interval WAPE | daily-total WAPE | 80 % coverage | fit+forecast [s] | time / wfm |",
             "|---|---|---|---|---|---|---|"]
    for sname, name, w, dw, cov, t, ratio in table:
        covs = "n/a" if np.isnan(cov) else f"{100 * cov:.1f} %"
        lines.append(f"| {sname} | {name} | {w:.4f} | {dw:.4f} | {covs} | {t:.3f} | {ratio:.1f}x |")
    text = "\n".join(lines) + "\n\nOrigins scored: " + "; ".join(notes)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
