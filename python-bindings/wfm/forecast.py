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
interval], its prediction-interval bounds ``volume_lower`` / ``volume_upper``, ``aht_s`` [s] and
the AHT band ``aht_s_lower`` / ``aht_s_upper`` [s] at the same level.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
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
from ._core.forecast import apply_layer as _apply_layer
from ._core.forecast import backtest as _backtest
from ._core.forecast import forecast_batch as _forecast_batch
from ._core.forecast import format_layer as _format_layer

__all__ = ["FitReport", "Forecaster", "MethodScore", "OutlierDay", "SpecialDayEffect",
           "apply_overrides", "backtest", "explain", "fit", "forecast", "forecast_many",
           "read_events", "read_overrides", "special_days", "to_seconds", "write_events",
           "write_overrides"]

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


# ---- the events-and-overrides layer (C++ wfm/forecast/overrides.hpp) ---------------------------
_DATE_COLUMNS = ("from", "to")


def _layer_text(layer, what: str) -> tuple[str, str]:
    """(CSV text, source name) of an overrides or events argument: None, a path, or a
    DataFrame with the file's columns (from, to, time_from, time_to, ...). A DataFrame's rows
    are named in errors as lines of a CSV file: row i (from 0) is line i + 2."""
    if layer is None:
        return "", what
    if isinstance(layer, (str, os.PathLike)):
        return Path(layer).read_text(encoding="utf-8"), str(layer)
    if not isinstance(layer, pd.DataFrame):
        raise ValueError(f"{what}: a DataFrame, a path or None, got {type(layer).__name__}")
    df = layer.copy()
    for col in _DATE_COLUMNS:
        if col in df.columns and pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m-%d")
    return df.to_csv(index=False), f"{what} DataFrame"


def _read_layer(path, what: str) -> pd.DataFrame:
    text, source = _layer_text(path, what)
    canonical = _format_layer(text, type=what, source=source)
    return pd.read_csv(io.StringIO(canonical), dtype={c: str for c in (
        "from", "to", "time_from", "time_to", "name", "kind", "reason", "author")},
        keep_default_na=False, na_values={c: [""] for c in (
            "event_factor", "override_factor", "override_day_volume", "override_volume")})


def read_overrides(path) -> pd.DataFrame:
    """An overrides file as a DataFrame (checked: errors name the file, line and column).

    Columns: from, to (YYYY-MM-DD, inclusive), time_from, time_to (HH:MM, [from, to) of the
    local day), override_factor (fraction: -0.1 = 10 % lower) or override_day_volume
    (contacts per day, spread by the intraday profile) or override_volume (contacts per
    interval), reason, author. Overlapping rows: the later row wins (see apply_overrides)."""
    return _read_layer(path, "overrides")


def read_events(path) -> pd.DataFrame:
    """An events file as a DataFrame: from, to, time_from, time_to, name, event_factor (the
    expected uplift as a fraction, 0.15 = 15 % more) or kind (a special-day kind: the day
    joins the calendar the model learns from), reason, author."""
    return _read_layer(path, "events")


def _write_layer(layer, path, what: str) -> str:
    text, source = _layer_text(layer, what)
    canonical = _format_layer(text, type=what, source=source)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".wfm-tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(canonical)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(path)


def write_overrides(overrides: pd.DataFrame, path) -> str:
    """Checks and writes an overrides DataFrame as a CSV file (all or nothing)."""
    return _write_layer(overrides, path, "overrides")


def write_events(events: pd.DataFrame, path) -> str:
    """Checks and writes an events DataFrame as a CSV file (all or nothing)."""
    return _write_layer(events, path, "events")


def _layer_args(overrides, events) -> dict:
    o, osrc = _layer_text(overrides, "overrides")
    e, esrc = _layer_text(events, "events")
    return dict(overrides=o, events=e, overrides_source=osrc, events_source=esrc)


def _layered_frame(res: dict, index: pd.DatetimeIndex, levels: Sequence[float]) -> pd.DataFrame:
    """The forecast frame plus the layer's columns model_volume, event_factor, event, override."""
    out = _frame(res, index, levels)
    reps = len(levels)
    for col in ("model_volume", "event_factor", "event", "override"):
        out[col] = np.tile(np.asarray(res[col], dtype=object if col in ("event", "override")
                                      else float), reps)
    return out


def _days_frame(days: dict) -> pd.DataFrame:
    out = pd.DataFrame(days)
    out["date"] = pd.to_datetime(out["date"])
    return out.set_index("date")


def apply_overrides(forecast: pd.DataFrame, overrides=None, *, events=None) -> pd.DataFrame:
    """Applies the manager's layer to a forecast frame (as wfm.forecast.forecast returns, one
    level): events with an uplift multiply the model volume, then overrides change it; the
    later of two overlapping overrides wins, interval by interval.

    overrides / events: DataFrames with the columns of the files (see read_overrides,
    read_events), paths to such files, or None. Returns the frame with ``volume`` (final),
    ``model_volume`` (as given), the bounds scaled by volume / model_volume, ``event_factor``
    (1 + the uplifts), ``event`` and ``override`` (what applied, with reason and author)."""
    if "level" in forecast.columns:
        raise ValueError("forecast: one level only (filter the 'level' column first)")
    index = pd.DatetimeIndex(forecast.index)
    level = 0.8
    res = _apply_layer(to_seconds(index, "forecast.index"),
                       np.asarray(forecast["volume"], dtype=float), levels=[level],
                       volume_lower=[np.asarray(forecast["volume_lower"], dtype=float)],
                       volume_upper=[np.asarray(forecast["volume_upper"], dtype=float)],
                       aht=np.asarray(forecast["aht_s"], dtype=float)
                       if "aht_s" in forecast.columns else None,
                       **_layer_args(overrides, events))
    out = _layered_frame(res, index, [level])
    if "aht_s_lower" in forecast.columns and "aht_s" in out.columns:
        at = out.columns.get_loc("aht_s") + 1  # the layer changes volumes, never AHT
        out.insert(at, "aht_s_lower", np.asarray(forecast["aht_s_lower"], dtype=float))
        out.insert(at + 1, "aht_s_upper", np.asarray(forecast["aht_s_upper"], dtype=float))
    return out


def fit(history: pd.Series, *, aht: pd.Series | None = None, holidays=None,
        interval_length=None, method: str = "auto", events=None, **options) -> Forecaster:
    """Fits a Forecaster on a history Series (calls per interval, DatetimeIndex).

    aht: average handle time [s] per interval, same index as history. interval_length: seconds
    or a Timedelta (default: inferred). events: events whose ``kind`` puts their days into the
    calendar (see read_events). Further keyword options as in Forecaster.fit
    (backtest_origins, combine, outlier_threshold, outlier_days, average_weeks,
    half_life_weeks [weeks], svd_components, and aht_method: "effects" (default: level x trend
    x weekday x special day x shape), "profile" (weekday x slot profile only) or
    "last_4_weeks"; wfm/forecast/handle_time.hpp)."""
    ts = to_seconds(history.index, "history.index")
    values = np.asarray(history.to_numpy(), dtype=float)
    a = None if aht is None else np.asarray(aht.reindex(history.index).to_numpy(), dtype=float)
    if "outlier_days" in options:
        options["outlier_days"] = [d for d, _ in special_days({x: "x" for x in options["outlier_days"]})]
    ev, ev_source = _layer_text(events, "events")
    return Forecaster.fit(ts, values, interval_length=_interval_length(history, interval_length),
                          aht=a, special_days=special_days(holidays), method=method,
                          events=ev, events_source=ev_source, **options)


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
        if "aht_s_lower" in res:  # the AHT prediction band at the same level
            data["aht_s_lower"] = res["aht_s_lower"][j]
            data["aht_s_upper"] = res["aht_s_upper"][j]
        frames.append(pd.DataFrame(data, index=index))
    out = frames[0] if len(frames) == 1 else pd.concat(frames)
    out.index.name = "timestamp"
    return out


def forecast(history: pd.Series, *, at, level: float | Sequence[float] = 0.8,
             aht: pd.Series | None = None, holidays=None, interval_length=None,
             method: str = "auto", overrides=None, events=None, **options) -> pd.DataFrame:
    """Forecast calls per interval at the timestamps ``at`` (a DatetimeIndex after the history).

    Returns a DataFrame indexed by ``at`` (named ``timestamp``) with columns volume,
    volume_lower, volume_upper [contacts per interval] and, when ``aht`` is given, aht_s [s]
    with its prediction band aht_s_lower, aht_s_upper [s] at the same level
    (wfm/forecast/handle_time.hpp: level x damped trend x weekday x special day x shape).
    level: coverage fraction(s) in (0, 1); with several levels the frame is long: one block of
    rows per level, told apart by a ``level`` column. overrides / events (see
    apply_overrides): when given, ``volume`` is the final volume and the frame adds
    model_volume, event_factor, event and override."""
    levels = [level] if np.isscalar(level) else list(level)
    f = fit(history, aht=aht, holidays=holidays, interval_length=interval_length, method=method,
            events=events, **options)
    index = pd.DatetimeIndex(at)
    if overrides is None and events is None:
        return _frame(f.forecast(to_seconds(index), levels=levels), index, levels)
    res = f.forecast_layered(to_seconds(index), levels=levels, **_layer_args(overrides, events))
    return _layered_frame(res, index, levels)


def explain(history: pd.Series, *, at, aht: pd.Series | None = None, holidays=None,
            interval_length=None, method: str = "auto", overrides=None, events=None,
            **options) -> pd.DataFrame:
    """Why each forecast day has its volume: one row per day of ``at`` (index ``date``).

    Columns: base_volume [contacts per day] x weekday_effect x day_of_month_effect x
    special_effect = model_day_volume (the model's day total); special_source (none, name,
    kind, neighbour, closed), special_name, special_kind, occurrences and evidence_weight say
    where the special effect comes from; profile_source / profile_weight the intraday profile
    used; then the layer: model_day_volume x event_factor x override_factor = day_volume (the
    final day total), with the event and override that applied. With ``aht``, the AHT
    components follow: aht_level_s [s] x aht_trend_effect x aht_weekday_effect x
    aht_special_effect x aht_profile_effect = aht_day_s [s] (volume-weighted day AHT), with
    aht_special_source, aht_occurrences and aht_evidence_weight."""
    f = fit(history, aht=aht, holidays=holidays, interval_length=interval_length, method=method,
            events=events, **options)
    index = pd.DatetimeIndex(at)
    res = f.forecast_layered(to_seconds(index), levels=[0.8], **_layer_args(overrides, events))
    return _days_frame(res["days"])


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
