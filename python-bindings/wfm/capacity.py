"""wfm.capacity: capacity planning weeks to months ahead, with DataFrames in and out.

Mirrors the C++ namespace wfm::capacity: weekly demand -> paid FTE required (queueing per
interval of a representative week, scheduling efficiency, shrinkage by category) -> the
least-cost hiring plan (an integer programme: classes, training, ramp-up, attrition by tenure,
overtime, temps, an FTE-gap tolerance) -> what-if scenarios side by side. Times in seconds;
one FTE is ``fte_week_s`` paid seconds a week; headcounts are expected values (fractional).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from ._core import capacity as _capacity

__all__ = ["CapacityPlan", "plan", "plot", "forecast_weekly", "measure_scheduling_efficiency",
           "STANDARD_SHRINKAGE"]

#: The shrinkage categories of the vocabulary (columns shrinkage_<name>).
STANDARD_SHRINKAGE = ("breaks", "meetings", "training", "absence", "holidays")


@dataclass
class CapacityPlan:
    """The plan: ``weeks`` (one row per week, vocabulary columns), ``classes`` (one row per
    hiring class with its ``class_size``), ``what_if`` (one row per scenario) and the plan's
    status, message, cost, lower_bound and gap."""

    weeks: pd.DataFrame
    classes: pd.DataFrame
    what_if: pd.DataFrame
    status: str
    message: str
    cost: float
    lower_bound: float
    gap: float
    cost_parts: dict = field(default_factory=dict)
    uncoverable_weeks: list = field(default_factory=list)

    def plot(self, ax: Any = None) -> Any:
        return plot(self, ax=ax)


def _week_frame(demand: pd.DataFrame) -> pd.DataFrame:
    d = demand.reset_index() if "week" not in demand.columns and demand.index.name == "week" else demand
    if "week" in d.columns:
        weeks = d["week"].to_numpy()
        if not np.array_equal(weeks, np.arange(len(d))):
            raise ValueError("demand: column 'week' must be 0, 1, 2, ... in order")
        d = d.set_index("week")
    return d


def _profile(profile: Any, interval_length_s: Optional[float]) -> tuple[list, float]:
    if isinstance(profile, pd.DataFrame):
        profile = profile["volume"]
    p = np.asarray(profile, dtype=float)
    if p.ndim != 1 or p.size == 0 or not np.all(p >= 0) or not p.sum() > 0:
        raise ValueError("profile: a non-empty 1-D array of volumes >= 0 with a positive sum")
    if interval_length_s is None:
        idx = getattr(profile, "index", None)
        if isinstance(idx, pd.DatetimeIndex) and len(idx) > 1:
            interval_length_s = float(np.min(np.diff(idx.as_unit("ns").asi8)) / 1e9)
        else:
            interval_length_s = 900.0
    return list(p / p.sum()), float(interval_length_s)


def _at_probability(d: pd.DataFrame, probability: float, level: float) -> pd.DataFrame:
    """The demand with ``volume`` at the chance goal's quantile (weekly_forecast.hpp,
    volume_quantile) and the forecast kept as ``volume_mean``."""
    if "volume" not in d.columns or not {"volume_lower", "volume_upper"} <= set(d.columns):
        raise ValueError("probability: needs demand columns volume, volume_lower, volume_upper "
                         "(a forecast_weekly frame with aht_s added)")
    out = d.copy()
    out["volume_mean"] = d["volume"].astype(float)
    out["volume"] = _capacity.volume_quantile(
        d["volume"].astype(float).tolist(), d["volume_lower"].astype(float).tolist(),
        d["volume_upper"].astype(float).tolist(), level=float(level), probability=probability)
    return out


def plan(demand: pd.DataFrame, *, cohorts: pd.DataFrame, classes: Optional[pd.DataFrame] = None,
         profile: Any = None, interval_length_s: Optional[float] = None,
         shrinkage: Optional[Mapping[str, Any]] = None, what_if: bool | Sequence[Mapping] = False,
         probability: Optional[float] = None, level: Optional[float] = None,
         **kwargs: Any) -> CapacityPlan:
    """Plan capacity week by week.

    demand: one row per week (``week`` = 0, 1, ... as column or index) with ``volume``
    [contacts per week] and ``aht_s`` [s], or with ``fte_required`` [FTE]; optional ``leave``
    [fraction on planned leave] and ``max_temps`` [FTE]. profile: the volumes of a
    representative week's intervals (a Series with a DatetimeIndex gives interval_length_s).
    cohorts: ``tenure_weeks``, ``headcount``. classes: ``start_week``, ``min_size``,
    ``max_size``. shrinkage: {category: fraction or one fraction per week}. what_if: True for
    the standard scenarios, or a list of dicts (name, volume_factor, aht_factor,
    attrition_factor, cancel_class). probability: a chance goal: each week's volume is planned
    at this quantile of its forecast distribution, read off the demand's ``volume_lower`` and
    ``volume_upper`` columns (a forecast_weekly frame) at coverage ``level`` (default: the
    frame's attrs["level"], else 0.8); the weeks frame then shows the planned volume and keeps
    the forecast as ``volume_mean``. Other keyword arguments as in C++ (service_level,
    target_time_s, patience_s, scheduling_efficiency (a number, or "measured":
    measure_scheduling_efficiency on the mean week), fte_week_s, attrition, training_weeks,
    ramp, salary, hire_cost, training_cost, overtime_cost, temp_cost, understaffing_cost,
    max_overtime, gap_tolerance, time_limit_s, seed).
    """
    d = _week_frame(demand)
    if probability is not None:
        d = _at_probability(d, float(probability), level if level is not None else demand.attrs.get("level", 0.8))
    args: dict[str, Any] = dict(kwargs)
    if "fte_required" in d.columns:
        args["fte_required"] = d["fte_required"].astype(float).tolist()
    else:
        args["volume"] = d["volume"].astype(float).tolist()
        args["aht_s"] = d["aht_s"].astype(float).tolist()
        if profile is None:
            raise ValueError("profile: needed when demand gives volume")
        args["profile"], args["interval_length_s"] = _profile(profile, interval_length_s)
        if args.get("scheduling_efficiency") == "measured":  # a representative (mean) week
            measured = measure_scheduling_efficiency(
                float(d["volume"].mean()), float(d["aht_s"].mean()), profile,
                interval_length_s=interval_length_s,
                **{k: args[k] for k in ("service_level", "patience_s", "seed", "time_limit_s") if k in args},
                **({"target_time_s": args["target_time_s"]} if "target_time_s" in args else {}))
            args["scheduling_efficiency"] = measured["scheduling_efficiency"]
    if "leave" in d.columns:
        args["leave"] = d["leave"].astype(float).tolist()
    if "max_temps" in d.columns:
        args["max_temps"] = d["max_temps"].astype(float).tolist()
    args["shrinkage"] = [(k, list(np.atleast_1d(np.asarray(v, dtype=float))))
                         for k, v in (shrinkage or {}).items()]
    args["cohorts"] = [(int(t), float(h)) for t, h in zip(cohorts["tenure_weeks"], cohorts["headcount"])]
    cls = classes if classes is not None else pd.DataFrame(columns=["start_week", "min_size", "max_size"])
    args["classes"] = [(int(s), int(a), int(b)) for s, a, b in
                       zip(cls["start_week"], cls["min_size"], cls["max_size"])]
    for key in ("attrition", "ramp"):
        if key in args:
            args[key] = list(np.atleast_1d(np.asarray(args[key], dtype=float)))
    if what_if is True:
        args["standard_scenarios"] = True
    elif what_if:
        args["scenarios"] = [(s["name"], float(s.get("volume_factor", 1.0)),
                              float(s.get("aht_factor", 1.0)), float(s.get("attrition_factor", 1.0)),
                              int(s.get("cancel_class", -1))) for s in what_if]
    r = _capacity.plan_capacity(**args)
    weeks = pd.DataFrame(r["weeks"])
    if "volume" in d.columns:
        weeks.insert(0, "volume", d["volume"].to_numpy(dtype=float))
        weeks.insert(1, "aht_s", d["aht_s"].to_numpy(dtype=float))
        if "volume_mean" in d.columns:
            weeks.insert(1, "volume_mean", d["volume_mean"].to_numpy(dtype=float))
    weeks.index = pd.RangeIndex(len(weeks), name="week")
    cls = cls.reset_index(drop=True).copy()
    cls["class_size"] = r["class_size"] if len(cls) else []
    wi = pd.DataFrame(r["what_if"])
    if len(wi):
        wi = wi.set_index("scenario")
    parts = {k: r[k] for k in ("salary_cost", "hiring_cost", "overtime_cost", "temp_cost",
                               "understaffing_cost")}
    return CapacityPlan(weeks=weeks, classes=cls, what_if=wi, status=r["status"],
                        message=r["message"], cost=r["cost"], lower_bound=r["lower_bound"],
                        gap=r["gap"], cost_parts=parts, uncoverable_weeks=list(r["uncoverable_weeks"]))


def forecast_weekly(history: Any, *, horizon: int = 52, level: float = 0.8,
                    fourier_terms: int = 3, week_factor: Optional[Sequence[float]] = None,
                    history_factor: Optional[Sequence[float]] = None,
                    model: str = "automatic") -> pd.DataFrame:
    """Weekly totals ``horizon`` weeks ahead (see weekly_forecast.hpp): the history divided by
    its calendar factors (``history_factor``, one per week: e.g. the share of a normal week's
    volume its open days carry), the naive, simple or damped-trend model chosen by
    rolling-origin validation (``model="automatic"``) or fixed, a yearly Fourier term with >= 104
    weeks, intervals widening with the horizon, and the forecast multiplied by the calendar
    factors ahead (``week_factor``: holidays, campaigns). history: weekly totals (a Series with
    a weekly DatetimeIndex gives the result dates). Returns a DataFrame with volume,
    volume_lower, volume_upper; attrs hold the level, the model, its parameters and the
    validation errors (naive, simple, damped trend)."""
    h = np.asarray(history, dtype=float)
    r = _capacity.forecast_weekly(list(h), horizon=horizon, level=level, fourier_terms=fourier_terms,
                                  week_factor=list(week_factor if week_factor is not None else []),
                                  history_factor=list(history_factor if history_factor is not None else []),
                                  model=model)
    out = pd.DataFrame({k: r[k] for k in ("volume", "volume_lower", "volume_upper")})
    idx = getattr(history, "index", None)
    if isinstance(idx, pd.DatetimeIndex) and len(idx) > 1:
        out.index = pd.date_range(idx[-1] + (idx[-1] - idx[-2]), periods=horizon, freq=idx[-1] - idx[-2])
    else:
        out.index = pd.RangeIndex(len(h), len(h) + horizon, name="week")
    out.attrs.update(level=level, model=r["model"], alpha=r["alpha"], beta=r["beta"], phi=r["phi"],
                     fourier_terms=r["fourier_terms"],
                     validation_error=list(np.asarray(r["validation_error"], dtype=float)))
    return out


def measure_scheduling_efficiency(volume: float, aht_s: float, profile: Any, *,
                                  interval_length_s: Optional[float] = None,
                                  service_level: float = 0.8, target_time_s: float = 20.0,
                                  patience_s: Optional[float] = None, templates: Any = None,
                                  time_limit_s: float = 30.0, seed: int = 0) -> dict:
    """Scheduling efficiency measured by wfm::schedule on a representative week: the week's
    ``volume`` spread by ``profile`` and staffed per interval at the goal (Erlang C, or Erlang A
    with ``patience_s``), then covered by shifts (``templates``; default
    wfm.planning.default_templates: 8 h and 4 h shifts with breaks) at least cost. Returns
    scheduling_efficiency = paid hours of the schedule / required agent hours (>= 1: whole
    agents, shift lengths and breaks cannot follow the curve exactly), paid_hours,
    required_hours, status and message. A profile with a DatetimeIndex keeps its closed
    intervals closed (shifts stay within runs of open intervals); a plain array is one open run."""
    from . import planning, schedule as sc
    from ._core import queueing as q

    shares, length = _profile(profile, interval_length_s)
    idx = getattr(profile, "index", None)
    if isinstance(idx, pd.DatetimeIndex):
        pos = np.rint((idx.as_unit("ns").asi8 - idx.as_unit("ns").asi8[0]) / (length * 1e9)).astype(int)
    else:
        pos = np.arange(len(shares))
    r = q.plan_horizon(volumes=np.asarray(shares) * float(volume), handle_times=float(aht_s),
                       interval_length=length, patience=patience_s,
                       goal=q.StaffingGoal(service_level=service_level, target_time=target_time_s))
    agents = np.asarray(r["agents_required"], dtype=float)
    n = int(pos[-1]) + 1
    req = np.zeros(n)
    req[pos] = np.ceil(agents - 1e-9)
    mask = np.zeros(n, dtype=bool)
    mask[pos] = True
    usable = [t for t in planning._with_starts(templates or planning.default_templates(length),
                                               planning._runs(mask)) if len(t.starts)]
    if not usable:
        raise ValueError("templates: no shift fits within a run of open intervals of the profile")
    model = sc.CoverageModel(requirement=list(req), templates=usable, interval_length=length,
                             cyclic=False, hard_cover=True)
    sched = sc.solve(model, time_limit=time_limit_s, seed=seed)
    required_h = float(agents.sum()) * length / 3600.0
    return {"scheduling_efficiency": max(1.0, sched.paid_hours / required_h) if required_h > 0 else 1.0,
            "paid_hours": float(sched.paid_hours), "required_hours": required_h,
            "status": str(sched.status), "message": sched.message}


def plot(p: CapacityPlan, ax: Any = None) -> Any:
    """Requirement vs available FTE by week, hiring classes marked at their start weeks.
    Needs matplotlib. Returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    w = p.weeks
    ax.plot(w.index, w["fte_required"], label="fte_required", color="black")
    ax.plot(w.index, w["fte_available"], label="fte_available", color="tab:blue")
    ax.plot(w.index, w["fte_available"] + w["overtime"] + w["temps"],
            label="+ overtime + temps", color="tab:blue", linestyle="--")
    ax.plot(w.index, w["fte_paid"], label="fte_paid", color="tab:gray", linestyle=":")
    first = True
    for _, c in p.classes.iterrows():
        if c["class_size"] > 0:
            ax.axvline(c["start_week"], color="tab:green", alpha=0.4,
                       label="hiring class" if first else None)
            ax.annotate(str(int(c["class_size"])), (c["start_week"], ax.get_ylim()[1]),
                        textcoords="offset points", xytext=(2, -12), fontsize=8, color="tab:green")
            first = False
    ax.set_xlabel("week")
    ax.set_ylabel("FTE")
    ax.set_title(f"capacity plan: {p.status}, cost {p.cost:,.0f}")
    ax.legend(loc="lower left", fontsize=8)
    return ax
