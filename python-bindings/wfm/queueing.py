"""wfm.queueing: Erlang B/C/A queueing models and staffing (the C++ namespace wfm::queueing).

Units: seconds, rates per second, probabilities as fractions in [0, 1]. Volumes are calls per
interval and travel with the interval length.

Everything here is the compiled module's, except :func:`plan`, a pandas convenience around
:func:`plan_horizon`.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import _core as _core
from ._core.queueing import *  # noqa: F401,F403
from ._core.queueing import StaffingGoal, plan_horizon

#: Output columns of :func:`plan`, in wfm's vocabulary (include/wfm/core/vocabulary.hpp).
PLAN_COLUMNS = ("agents_required", "agents_required_gross", "service_level", "asa_s",
                "abandon_rate", "occupancy", "status")

#: Binding result keys (old and new spellings) -> vocabulary column of :func:`plan`.
_PLAN_KEYS = {"agents_required": ("agents_required", "agents"),
              "agents_required_gross": ("agents_required_gross", "scheduled_agents"),
              "service_level": ("service_level",),
              "asa_s": ("asa_s", "average_speed_of_answer"),
              "abandon_rate": ("abandon_rate", "abandon_probability"),
              "occupancy": ("occupancy",),
              "status": ("status",)}


def _status_name(value: "Any") -> str:
    """wfm::Status name of a staffing status (the bindings' old "met" is "ok")."""
    name = getattr(value, "name", str(value))
    return "ok" if name == "met" else name


def _interval_length(starts: "Any") -> float:
    """The smallest positive gap [s] between consecutive interval starts."""
    import pandas as pd

    t = pd.DatetimeIndex(starts)
    if len(t) < 2:
        raise ValueError("interval_length: cannot infer it from a single interval; pass "
                         "interval_length [s]")
    gaps = (t[1:] - t[:-1]).total_seconds().to_numpy()
    if not np.all(gaps > 0):
        raise ValueError("start: interval starts must increase strictly")
    return float(gaps.min())


def _frame_interval_length(df: "Any") -> float:
    """The interval length [s] of a frame indexed by interval start (DatetimeIndex) or with a
    ``start`` column; ValueError otherwise."""
    import pandas as pd

    if isinstance(df.index, pd.DatetimeIndex):
        return _interval_length(df.index)
    if "start" in df.columns:
        return _interval_length(pd.to_datetime(df["start"]))
    raise ValueError("interval_length: give it [s], or index df by interval start "
                     "(DatetimeIndex) or add a 'start' column")


def plan(df: "Any", *, goal: Optional[StaffingGoal] = None,
         interval_length: Optional[float] = None, shrinkage: float = 0.0,
         model: Optional[str] = None, max_agents: int = 1_000_000, fractional: bool = False,
         tolerance: float = 1e-6, parallel: bool = True, **goal_fields: Any) -> "Any":
    """Staff every interval of a DataFrame; returns a copy with the plan's columns added.

    ``df`` holds ``volume`` [calls per interval], ``aht_s`` [s] and optionally ``patience_s``
    (mean patience [s]; NaN or inf = no abandonment), indexed by a DatetimeIndex of interval
    starts or with a ``start`` column. ``interval_length`` [s] defaults to the smallest gap
    between starts (closed intervals may be absent). ``model`` is ``"erlang_a"`` (the default
    when ``patience_s`` is present) or ``"erlang_c"``. The goal is ``goal`` or built from
    ``goal_fields`` (the keyword arguments of :class:`StaffingGoal`); with neither it is 80 %
    answered within 20 s.

    Added columns (the vocabulary's names): ``agents_required``, ``agents_required_gross``
    (agents_required / (1 - shrinkage)), ``service_level``, ``asa_s`` [s], ``abandon_rate``,
    ``occupancy`` and ``status`` ("ok" or "infeasible"). The index is ``df``'s.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    for col in ("volume", "aht_s"):
        if col not in df.columns:
            raise ValueError(f"df: required column '{col}' is missing")
    if goal is not None and goal_fields:
        raise ValueError("goal: give either goal or StaffingGoal's keyword arguments, not both")
    if goal is None:
        goal = StaffingGoal(**goal_fields) if goal_fields else StaffingGoal(service_level=0.8,
                                                                            target_time=20.0)
    if model is None:
        model = "erlang_a" if "patience_s" in df.columns else "erlang_c"
    if model not in ("erlang_a", "erlang_c"):
        raise ValueError(f"model must be 'erlang_a' or 'erlang_c', got {model!r}")
    if model == "erlang_a" and "patience_s" not in df.columns:
        raise ValueError("model: 'erlang_a' needs a patience_s column")
    if interval_length is None:
        interval_length = _frame_interval_length(df)
    patience = None
    if model == "erlang_a":
        patience = df["patience_s"].to_numpy(dtype=float, na_value=np.inf)
    result = plan_horizon(volumes=df["volume"].to_numpy(dtype=float),
                          handle_times=df["aht_s"].to_numpy(dtype=float),
                          interval_length=float(interval_length), goal=goal, patience=patience,
                          shrinkage=shrinkage, max_agents=max_agents, fractional=fractional,
                          tolerance=tolerance, threads=0 if parallel else 1)
    out = df.copy()
    for column, keys in _PLAN_KEYS.items():
        value = result[next(k for k in keys if k in result)]
        if column == "status":
            value = [_status_name(v) for v in value]
        out[column] = value
    return out


# --- time-varying load (include/wfm/queueing/time_varying.hpp) -------------------------------

def _time_varying_inputs(df: "Any", interval_length: Optional[float], handle_time: Optional[float],
                         patience: Optional[float]) -> "tuple[np.ndarray, float, float, float]":
    """(arrival_rates [1/s], interval_length [s], AHT [s], patience [s]) of a DataFrame with
    ``volume`` and one ``aht_s`` (and ``patience_s``) for the whole horizon."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if "volume" not in df.columns:
        raise ValueError("df: required column 'volume' is missing")
    if interval_length is None:
        interval_length = _frame_interval_length(df)

    def one_value(column: str, given: Optional[float], default: Optional[float]) -> float:
        if given is not None:
            return float(given)
        if column in df.columns:
            values = df[column].to_numpy(dtype=float, na_value=np.inf)
            if len(values) and not np.all(values == values[0]):
                raise ValueError(f"df: column '{column}' must hold one value for the whole "
                                 "horizon (the time-varying models take a constant one)")
            return float(values[0]) if len(values) else (default or 0.0)
        if default is None:
            raise ValueError(f"df: required column '{column}' is missing")
        return default

    aht = one_value("aht_s", handle_time, None)
    theta = one_value("patience_s", patience, float("inf"))
    volume = df["volume"].to_numpy(dtype=float)
    bad = np.flatnonzero(~(np.isfinite(volume) & (volume >= 0)))
    if len(bad):  # named here: the C++ layer sees rates (volume / interval_length)
        raise ValueError(f"df: column 'volume' must be finite and >= 0 [contacts per "
                         f"interval], row {bad[0]} is {volume[bad[0]]!r}")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        rates = volume / float(interval_length)
    return rates, float(interval_length), aht, theta


def offered_load(df: "Any", *, interval_length: Optional[float] = None,
                 handle_time: Optional[float] = None, service: str = "exponential",
                 initial: str = "stationary") -> "Any":
    """The infinite-server offered load of each interval (exact for piecewise-constant
    arrivals; Eick, Massey & Whitt 1993). ``df`` has ``volume`` [contacts per interval] and
    ``aht_s`` [s] (one value). Returns a copy with ``offered_load`` (mean over the interval)
    and ``offered_load_end`` [Erlangs]. ``service``: "exponential" or "deterministic";
    ``initial``: "stationary" (the first rate before the horizon) or "empty"."""
    rates, length, aht, _ = _time_varying_inputs(df, interval_length, handle_time, None)
    r = _core.queueing.offered_load_arrays(arrival_rates=rates, interval_length=length,
                                           handle_time=aht, service=service, initial=initial)
    out = df.copy()
    out["offered_load"] = r["offered_load"]
    out["offered_load_end"] = r["offered_load_end"]
    return out


def staff_time_varying(df: "Any", *, method: str = "sipp", goal: Optional[StaffingGoal] = None,
                       interval_length: Optional[float] = None,
                       handle_time: Optional[float] = None, patience: Optional[float] = None,
                       max_agents: int = 1_000_000, parallel: bool = True,
                       **goal_fields: Any) -> "Any":
    """Agents per interval by ``method`` "sipp", "lagged_sipp" (Green, Kolesar & Soares 2001)
    or "mol" (modified offered load, Jennings, Mandelbaum, Massey & Whitt 1996). ``df`` as for
    :func:`offered_load`, plus ``patience_s`` (absent or inf: Erlang C). Returns a copy with
    the :func:`plan` columns (the stationary prediction at the staffed rate) and
    ``staffing_arrival_rate`` [1/s]."""
    if goal is not None and goal_fields:
        raise ValueError("goal: give either goal or StaffingGoal's keyword arguments, not both")
    if goal is None:
        goal = StaffingGoal(**goal_fields) if goal_fields else StaffingGoal(service_level=0.8,
                                                                            target_time=20.0)
    rates, length, aht, theta = _time_varying_inputs(df, interval_length, handle_time, patience)
    r = _core.queueing.staff_time_varying_arrays(
        arrival_rates=rates, interval_length=length, handle_time=aht, patience=theta, goal=goal,
        method=method, max_agents=max_agents, threads=0 if parallel else 1)
    out = df.copy()
    for column in PLAN_COLUMNS + ("staffing_arrival_rate",):
        out[column] = r[column]
    return out


def evaluate_staffing(df: "Any", *, goal: Optional[StaffingGoal] = None,
                      interval_length: Optional[float] = None,
                      handle_time: Optional[float] = None, patience: Optional[float] = None,
                      initial: str = "stationary", max_work: float = 2e10,
                      **goal_fields: Any) -> "Any":
    """What the whole-number ``agents`` column achieves interval by interval, exactly: the
    time-varying Erlang A / C chain carried over from interval to interval. Where the agents
    fall, those who leave finish their call and log off while the rest keep answering (the
    simulator's rule too; wfm/queueing/time_varying.hpp). An interval's service level and
    abandonment are of the calls that arrive in it, wherever they are answered: callers still
    waiting at its end meet the later staffing.
    The goal gives the target time and definition of the service level. Returns a copy with
    ``service_level``, ``wait_probability``, ``abandon_rate``, ``occupancy``,
    ``queue_length`` and ``status``. max_work: the work budget of the call (units of about
    0.5 ns; the default 2e10 is ~10 s: a day at 1,000 agents takes ~1.7e8, a year ~6e10, so
    raise it for a year); intervals beyond it get status ``time_limit``."""
    if "agents" not in getattr(df, "columns", ()):
        raise ValueError("df: required column 'agents' is missing")
    if goal is not None and goal_fields:
        raise ValueError("goal: give either goal or StaffingGoal's keyword arguments, not both")
    if goal is None:
        goal = StaffingGoal(**goal_fields) if goal_fields else StaffingGoal(service_level=0.8,
                                                                            target_time=20.0)
    rates, length, aht, theta = _time_varying_inputs(df, interval_length, handle_time, patience)
    try:
        max_work = float(max_work)
    except (TypeError, ValueError):
        raise ValueError(f"max_work: must be a number, got {max_work!r}") from None
    r = _core.queueing.evaluate_staffing_arrays(
        arrival_rates=rates, interval_length=length, handle_time=aht, patience=theta,
        agents=df["agents"].to_numpy(dtype=float), goal=goal, initial=initial,
        max_work=max_work)
    out = df.copy()
    for column in ("service_level", "wait_probability", "abandon_rate", "occupancy",
                   "queue_length", "status"):
        out[column] = r[column]
    out.attrs["status"] = r["overall"]
    out.attrs["message"] = r["message"]
    return out
