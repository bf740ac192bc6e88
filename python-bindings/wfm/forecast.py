"""wfm.forecast: interval arrival and AHT forecasts (C++ namespace wfm::forecast).

pandas in, pandas out: a history is a ``pandas.Series`` of calls per interval with a
``DatetimeIndex`` of local interval starts holding only the open intervals (closed hours and
absent days are absent, never zero). Time-zone-aware indexes are converted to their local wall
clock. The numeric core works on int64 wall-clock seconds (see ``to_seconds``).

Example::

    import wfm.forecast as wf
    df = wf.forecast(history, at=next_week_index, level=0.8, holidays={"2024-12-25": "Christmas"})
    df[["volume", "volume_lower", "volume_upper"]]

Columns follow wfm's vocabulary (include/wfm/core/vocabulary.hpp): ``volume`` [contacts per
interval], its prediction-interval bounds ``volume_lower`` / ``volume_upper`` and ``aht_s`` [s].
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ._core.forecast import (  # noqa: F401
    FitReport,
    Forecaster,
    MethodScore,
    OutlierDay,
    SpecialDayEffect,
)
from ._core.forecast import backtest as _backtest
from ._core.forecast import forecast_batch as _forecast_batch

__all__ = ["FitReport", "Forecaster", "MethodScore", "OutlierDay", "SpecialDayEffect", "backtest",
           "fit", "forecast", "forecast_many", "special_days", "to_seconds"]

_NS = 1_000_000_000


def to_seconds(index, name: str = "index") -> np.ndarray:
    """int64 wall-clock seconds since 1970-01-01 00:00 of a DatetimeIndex (local time kept)."""
    if isinstance(index, pd.Index) and not isinstance(index, pd.DatetimeIndex) and \
            not pd.api.types.is_datetime64_any_dtype(index) and \
            not pd.api.types.is_object_dtype(index):
        raise ValueError(f"{name}: must be a DatetimeIndex of interval starts, got "
                         f"{type(index).__name__}")
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.as_unit("ns").asi8 // _NS if hasattr(idx, "as_unit") else idx.asi8 // _NS


def special_days(holidays) -> list[tuple[int, str]]:
    """(day number, name) pairs from a mapping date -> name, a Series (index dates, values
    names) or a DataFrame with columns ``date`` and ``name``."""
    if holidays is None:
        return []
    if isinstance(holidays, pd.DataFrame):
        pairs = zip(holidays["date"], holidays["name"])
    elif isinstance(holidays, pd.Series):
        pairs = zip(holidays.index, holidays.to_numpy())
    elif isinstance(holidays, Mapping):
        pairs = holidays.items()
    else:
        pairs = holidays
    out = []
    for date, name in pairs:
        day = pd.Timestamp(date).normalize()
        if day.tz is not None:
            day = day.tz_localize(None)
        out.append((int(day.value // (86400 * _NS)), str(name)))
    return out


def _interval_length(history: pd.Series, interval_length) -> int:
    if interval_length is None:
        return 0
    if isinstance(interval_length, (pd.Timedelta, np.timedelta64)) or isinstance(interval_length, str):
        return int(pd.Timedelta(interval_length).total_seconds())
    return int(interval_length)


def fit(history: pd.Series, *, aht: pd.Series | None = None, holidays=None,
        interval_length=None, method: str = "auto", **options) -> Forecaster:
    """Fits a Forecaster on a history Series (calls per interval, DatetimeIndex).

    aht: average handle time [s] per interval, same index as history. interval_length: seconds
    or a Timedelta (default: inferred). Further keyword options as in Forecaster.fit
    (backtest_origins, combine, outlier_threshold, outlier_days, average_weeks,
    half_life_weeks [weeks], svd_components)."""
    ts = to_seconds(history.index, "history.index")
    values = np.asarray(history.to_numpy(), dtype=float)
    a = None if aht is None else np.asarray(aht.reindex(history.index).to_numpy(), dtype=float)
    if "outlier_days" in options:
        options["outlier_days"] = [d for d, _ in special_days({x: "x" for x in options["outlier_days"]})]
    return Forecaster.fit(ts, values, interval_length=_interval_length(history, interval_length),
                          aht=a, special_days=special_days(holidays), method=method, **options)


def _frame(res: dict, index: pd.DatetimeIndex, levels: Sequence[float]) -> pd.DataFrame:
    """The vocabulary's frame: one row per timestamp (one level) or per (timestamp, level)."""
    if "volume" not in res:  # bindings built before the vocabulary renames
        res = {"volume": res["forecast"], "volume_lower": res["lower"],
               "volume_upper": res["upper"], **({"aht_s": res["aht"]} if "aht" in res else {})}
    frames = []
    for j, lv in enumerate(levels):
        data = {"volume": res["volume"], "volume_lower": res["volume_lower"][j],
                "volume_upper": res["volume_upper"][j]}
        if len(levels) > 1:
            data["level"] = np.full(len(index), float(lv))
        if "aht_s" in res:
            data["aht_s"] = res["aht_s"]
        frames.append(pd.DataFrame(data, index=index))
    out = frames[0] if len(frames) == 1 else pd.concat(frames)
    out.index.name = "timestamp"
    return out


def forecast(history: pd.Series, *, at, level: float | Sequence[float] = 0.8,
             aht: pd.Series | None = None, holidays=None, interval_length=None,
             method: str = "auto", **options) -> pd.DataFrame:
    """Forecast calls per interval at the timestamps ``at`` (a DatetimeIndex after the history).

    Returns a DataFrame indexed by ``at`` (named ``timestamp``) with columns volume,
    volume_lower, volume_upper [contacts per interval] and aht_s [s] when ``aht`` is given.
    level: coverage fraction(s) in (0, 1); with several levels the frame is long: one block of
    rows per level, told apart by a ``level`` column."""
    levels = [level] if np.isscalar(level) else list(level)
    f = fit(history, aht=aht, holidays=holidays, interval_length=interval_length, method=method,
            **options)
    index = pd.DatetimeIndex(at)
    return _frame(f.forecast(to_seconds(index), levels=levels), index, levels)


def forecast_many(histories: Mapping[str, pd.Series] | Sequence[pd.Series], *, at,
                  level: float = 0.8, holidays=None, interval_length=None, method: str = "auto",
                  threads: int = 0, **options):
    """Forecasts many series (queues) in parallel threads, GIL released.

    histories: a dict name -> Series or a list of Series. at: one DatetimeIndex for all or a
    matching dict/list of them. Returns the same container type of DataFrames; raises
    ValueError naming the first series that failed."""
    names = list(histories.keys()) if isinstance(histories, Mapping) else list(range(len(histories)))
    series = [histories[n] for n in names]
    if isinstance(at, Mapping):
        ats = [pd.DatetimeIndex(at[n]) for n in names]
    elif isinstance(at, (list, tuple)):
        ats = [pd.DatetimeIndex(a) for a in at]
    else:
        ats = [pd.DatetimeIndex(at)] * len(series)
    levels = [level]
    results, errors = _forecast_batch(
        [to_seconds(s.index, "histories[].index") for s in series],
        [np.asarray(s.to_numpy(), dtype=float) for s in series],
        [to_seconds(a) for a in ats], levels=levels,
        interval_length=_interval_length(series[0], interval_length) if series else 0,
        threads=threads, special_days=special_days(holidays), method=method, **options)
    for n, e in zip(names, errors):
        if e is not None:
            raise ValueError(f"series {n!r}: {e}")
    frames = [_frame(r, a, levels) for r, a in zip(results, ats)]
    return dict(zip(names, frames)) if isinstance(histories, Mapping) else frames


def backtest(history: pd.Series, *, holidays=None, origins: int = 8, horizon_days: int = 7,
             level: float = 0.8, methods: Iterable[str] = (), interval_length=None) -> pd.DataFrame:
    """Rolling-origin backtest: one row per method (index ``method``) with wape, mase,
    daily_wape, coverage (fraction inside the interval at ``level``), width [contacts per
    interval], fit_time_s [s]."""
    rows = _backtest(to_seconds(history.index, "history.index"), np.asarray(history.to_numpy(), dtype=float),
                     interval_length=_interval_length(history, interval_length),
                     special_days=special_days(holidays), origins=origins,
                     horizon_days=horizon_days, level=level, methods=list(methods))
    table = pd.DataFrame(rows).rename(columns={"fit_seconds": "fit_time_s"})
    return table.set_index("method")
