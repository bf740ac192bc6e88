"""wfm.plan: one call from a history of contacts to a checked plan.

    history -> forecast -> staffing -> schedule (+ coverage, breaks) -> tours -> simulation

and the same for every chat or email queue given beside the phone queue (one plan per queue,
wfm.planning_queues; Plan.queue_plans, Plan.queues, Plan.queue_summary).

Every per-interval DataFrame of a :class:`Plan` (``forecast``, ``staffing``, ``coverage``,
``simulation``) has the same index: the open intervals of the horizon, a DatetimeIndex named
``timestamp`` (tz-aware when the history was; closed hours absent). Steps are aligned by
timestamp, never by row order. Internally the schedule and the simulation run on the dense
grid of the horizon (every interval, open or closed, in steps of absolute time, so a day of 23
or 25 hours at a clock change has 23 or 25 hours of intervals and the repeated hour stays two
intervals); their results are read back at the open timestamps.

Columns follow wfm's vocabulary (include/wfm/core/vocabulary.hpp). Outcomes are statuses
(``Plan.status``, ``Plan.steps``), never exceptions; bad input raises ValueError naming the
argument and the value.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np
import pandas as pd

from . import forecast as _fc
from . import queueing as _q
from . import schedule as _sc
from . import simulation as _sim

__all__ = ["Plan", "PlanPolicy", "PlanProgress", "default_templates", "plan", "ChatQueue",
           "EmailQueue"]


@dataclass(frozen=True)
class PlanPolicy:
    """Tuning constants of :func:`plan`, in one place."""

    #: A (weekday, time of day) slot is open in the horizon when the history has it on at least
    #: this share of its (non-holiday) dates of that weekday.
    open_share: float = 0.5
    #: Handle-time shape of the simulation: lognormal with this coefficient of variation
    #: (Brown et al. 2005, "Statistical analysis of a telephone call center", JASA 100(469):
    #: 36-50, section 5: service times are close to lognormal).
    handle_time_cv: float = 1.0
    #: Weekly lines: consecutive working days of a line (the rest of the week off in one block).
    working_days: int = 5
    #: Time limit of the days-off problem of the weekly lines [s].
    tours_time_limit_s: float = 5.0
    #: Let CBC polish the schedule. Off: Debian 12's CBC 2.10 crashes (SIGSEGV in
    #: CglPreProcess::postProcess) when its time limit strikes during preprocessing, which short
    #: time limits on a loaded machine make likely; the LP-guided heuristics alone stay within
    #: about 1 % of the LP bound on the bundled week.
    use_cbc: bool = False
    #: Bounded time on absurd input: no weekly lines beyond this many agent-shifts, no
    #: simulation beyond this many expected contacts over all replications (about 20 million
    #: events per second per core, a few events per contact); the step then reports
    #: time_limit instead of running for hours.
    max_agent_shifts: int = 200_000
    max_simulated_contacts: float = 5e7
    #: An email queue's schedule meets its share goal when the share within the deadline on
    #: the scheduled staff is at least the goal less this (the backlog staffing functions
    #: bisect their level to 1e-6 agents; wfm.queueing.required_backlog_agents_share).
    deadline_share_tolerance: float = 1e-6


#: Severity of step statuses (wfm::Status names), least severe first: a plan's status is the
#: worst of its steps.
_SEVERITY = ("ok", "optimal", "feasible", "not_converged", "stopped", "time_limit",
             "infeasible", "error")


@dataclass
class PlanProgress:
    """What :func:`plan` reports to its ``progress`` callback (as wfm::Progress)."""

    #: "forecast", "staff", "schedule", "tours", "simulate" (done = the step's number, total =
    #: 5), "schedule:<phase>" during the search (done = seconds, total = time_limit_s), then
    #: for each chat / email queue the same prefixed with "<name>/" (its last step is
    #: "<name>/simulate" for chat, "<name>/evaluate" for email), "done".
    step: str
    done: float        #: work done, in units of ``total``
    total: float       #: total work
    elapsed_s: float   #: [s] since plan() started


@dataclass
class Plan:
    """The result of :func:`plan`: one DataFrame per step and a status.

    ``forecast``, ``staffing``, ``coverage`` and ``simulation`` share one index (the open
    intervals of the horizon, named ``timestamp``). ``schedule`` has one row per group of
    identical shifts (template, start, end, agents, paid_hours, cost), ``breaks`` one row per
    group of breaks (start, end, agents), ``tours`` one row per worked day of each weekly line
    (line, template, start, end, paid_hours). ``summary`` compares the plan (analytic, row
    ``planned``) with its simulation (row ``simulated``, 95 % confidence bounds).
    """

    history: pd.DataFrame
    forecast: pd.DataFrame
    staffing: pd.DataFrame
    schedule: pd.DataFrame
    breaks: pd.DataFrame
    coverage: pd.DataFrame
    tours: pd.DataFrame
    simulation: pd.DataFrame
    summary: pd.DataFrame
    status: str
    message: str
    steps: dict = field(default_factory=dict)  #: step -> (status, message)
    interval_length_s: float = 900.0
    level: float = 0.8
    target_time_s: float = 20.0
    service_level_goal: Optional[float] = 0.8
    seconds: dict = field(default_factory=dict)  #: step -> wall-clock time [s]
    #: every queue's staffing and schedule in one frame (phone, and the chat / email queues
    #: given to plan()): index timestamp, columns queue, channel, volume, aht_s,
    #: agents_required, agents_required_gross, agents (the queue's schedule, net of breaks),
    #: service_level (phone, chat: analytic at agents_required), within_deadline (email), status.
    queues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_QUEUE_COLUMNS))
    #: One Plan per chat / email queue (name -> Plan): its own forecast, staffing, schedule,
    #: breaks, coverage, tours, simulation (email: the exact backlog evaluation of the schedule:
    #: agents, volume, handled, backlog, oldest_age_s, within_deadline, occupancy), summary
    #: (its rows of queue_summary), status and steps.
    queue_plans: dict = field(default_factory=dict)
    #: Every queue side by side (empty without extra queues): index (queue, row), row
    #: ``planned`` (the queueing model at agents_required) and ``scheduled`` (the queue's
    #: schedule checked: simulated for phone and chat, with 95 % bounds; evaluated exactly with
    #: the backlog model for email). Columns: channel, status (the queue's worst step), volume,
    #: staffed_s (agent time on the phones over the horizon [s]: required, or scheduled net of
    #: breaks and shrinkage), headcount, paid_hours, cost, gap (scheduled row), service_level
    #: (+ _lower/_upper), asa_s, abandon_rate, occupancy (phone, chat), within_deadline_total,
    #: backlog and oldest_age_s (largest over the horizon's intervals), carried_over (email).
    queue_summary: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=_QUEUE_SUMMARY))
    #: One row per forecast day (index ``date``): the model's components and the layer's
    #: factors (see wfm.forecast.explain), so a manager can read why a day has its volume.
    explanation: pd.DataFrame = field(default_factory=pd.DataFrame)

    def plot_forecast(self, ax=None, history_days: int = 14):
        from ._plots import plot_forecast
        return plot_forecast(self, ax=ax, history_days=history_days)

    def plot_explanation(self, ax=None):
        from ._plots import plot_explanation
        return plot_explanation(self, ax=ax)

    def plot_staffing(self, ax=None):
        from ._plots import plot_staffing
        return plot_staffing(self, ax=ax)

    def plot_schedule(self, ax=None):
        from ._plots import plot_schedule
        return plot_schedule(self, ax=ax)

    def plot_service_level(self, ax=None):
        from ._plots import plot_service_level
        return plot_service_level(self, ax=ax)

    def plot_tours(self, ax=None):
        from ._plots import plot_tours
        return plot_tours(self, ax=ax)

    def to_html(self, path) -> str:
        """Writes the self-contained report (see wfm.report) to ``path``; returns the path."""
        from .report import write_report
        return write_report(self, path)

    def __repr__(self) -> str:
        return (f"Plan(status={self.status!r}, intervals={len(self.forecast)}, "
                f"shifts={int(self.schedule['agents'].sum()) if len(self.schedule) else 0}, "
                f"lines={self.tours['line'].nunique() if len(self.tours) else 0})")


# ---- input ------------------------------------------------------------------------------------
def _history_frame(history: Any, aht_s: Optional[float]) -> pd.DataFrame:
    """history as a DataFrame with volume and aht_s on a sorted, unique DatetimeIndex."""
    if isinstance(history, pd.Series):
        df = history.rename("volume").to_frame()
    elif isinstance(history, pd.DataFrame):
        df = history.copy()
        if not isinstance(df.index, pd.DatetimeIndex) and "timestamp" in df.columns:
            df = df.set_index(pd.DatetimeIndex(pd.to_datetime(df.pop("timestamp"))))
    else:
        raise ValueError(f"history: a pandas Series or DataFrame, got {type(history).__name__}")
    if not isinstance(df.index, pd.DatetimeIndex):
        raise ValueError("history: needs a DatetimeIndex of interval starts (or a 'timestamp' "
                         f"column), got a {type(df.index).__name__}")
    if "volume" not in df.columns:
        raise ValueError(f"history: no 'volume' column (columns: {list(df.columns)})")
    if len(df) < 2:
        raise ValueError(f"history: needs at least two intervals, got {len(df)}")
    if aht_s is not None:
        if not (np.isfinite(aht_s) and aht_s > 0):
            raise ValueError(f"aht_s: must be finite and > 0 [s], got {aht_s!r}")
        df["aht_s"] = float(aht_s)
    elif "aht_s" not in df.columns:
        raise ValueError("aht_s: history has no 'aht_s' column; pass aht_s=<seconds>")
    df = df[["volume", "aht_s"]].astype(float).sort_index()
    df.index.name = "timestamp"
    dup = df.index[df.index.duplicated()]
    if len(dup):
        raise ValueError(f"history: timestamp {dup[0]} appears twice (a naive history across a "
                         "clock change? give the timestamps their UTC offset)")
    for col in ("volume", "aht_s"):
        bad = ~np.isfinite(df[col].to_numpy()) | (df[col].to_numpy() < 0)
        if bad.any():
            raise ValueError(f"history: {col} at {df.index[bad][0]} is "
                             f"{df[col].to_numpy()[bad][0]!r}; must be finite and >= 0")
    return df


def _interval_length(index: pd.DatetimeIndex, given: Optional[float]) -> float:
    """The interval length [s]: given, or the smallest gap between starts in absolute time."""
    if given is not None:
        length = float(given)
    else:
        utc = index.tz_convert("UTC") if index.tz is not None else index
        length = float((utc[1:] - utc[:-1]).total_seconds().min())
    if not (length >= 60 and 86400 % length == 0):
        raise ValueError(f"interval_length_s: must divide a day into whole intervals of at "
                         f"least 60 s, got {length!r}")
    return length


def _horizon(history: pd.DataFrame, horizon: Any, length: float) -> pd.DatetimeIndex:
    """Every interval start of the horizon (dense, in steps of absolute time)."""
    tz = history.index.tz
    if horizon is None:
        first = history.index[-1].normalize() + pd.DateOffset(days=1)
        last = first + pd.DateOffset(days=7)
    elif isinstance(horizon, (tuple, list)) and len(horizon) == 2:
        first, last = (pd.Timestamp(x) for x in horizon)
        if tz is not None:
            first = first.tz_localize(tz) if first.tz is None else first.tz_convert(tz)
            last = last.tz_localize(tz) if last.tz is None else last.tz_convert(tz)
    else:
        raise ValueError(f"horizon: None (the next week) or (start, end), got {horizon!r}")
    if not first < last:
        raise ValueError(f"horizon: start {first} must come before end {last}")
    grid = pd.date_range(first, last, freq=pd.Timedelta(seconds=length), inclusive="left")
    grid.name = "timestamp"
    return grid


def _wall(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return index.tz_localize(None) if index.tz is not None else index


def _slot_keys(index: pd.DatetimeIndex) -> np.ndarray:
    """(weekday, wall-clock second of the day) of each interval as one integer."""
    wall = _wall(index)
    sec = wall.hour * 3600 + wall.minute * 60 + wall.second
    return np.asarray(wall.day_of_week * 86400 + sec, dtype=np.int64)


def _open_mask(history: pd.DataFrame, grid: pd.DatetimeIndex, holiday_days: set,
               policy: PlanPolicy) -> np.ndarray:
    """Which intervals of the grid are open: the history's opening hours by weekday."""
    wall = _wall(history.index)
    regular = ~pd.Index(wall.normalize()).isin(list(holiday_days))
    keys = pd.Series(_slot_keys(history.index[regular]))
    dates = pd.Series(wall[regular].normalize()).groupby(wall[regular].day_of_week).nunique()
    seen = keys.groupby(keys).size()
    share = seen / (seen.index // 86400).map(dates).to_numpy()
    open_keys = set(seen.index[share.to_numpy() >= policy.open_share])
    return np.isin(_slot_keys(grid), list(open_keys))


# ---- steps ------------------------------------------------------------------------------------
def _forecast(history, grid_open, length, level, holidays, method, aht_s, overrides=None,
              events=None):
    """Forecast volume and AHT (unless given as one number) at the open intervals, with the
    events-and-overrides layer applied (``volume`` final; with a layer also model_volume,
    event_factor, event, override); the per-day explanation; status from the fit report."""
    hist = history.copy()
    hist.index = _wall(hist.index)
    hist = hist.groupby(level=0).mean()  # a repeated wall-clock hour: one value for the fit
    fitted = _fc.fit(hist["volume"], aht=None if aht_s is not None else hist["aht_s"],
                     holidays=holidays, interval_length=int(length), method=method,
                     events=events)
    wall = _wall(grid_open)
    unique = pd.DatetimeIndex(wall.unique())
    res = fitted.forecast_layered(_fc.to_seconds(unique), levels=[level],
                                  **_fc._layer_args(overrides, events))
    layered = overrides is not None or events is not None
    frame = (_fc._layered_frame if layered else _fc._frame)(res, unique, [level]).reindex(wall)
    frame.index = grid_open
    explanation = _fc._days_frame(res["days"])
    frame["aht_s"] = float(aht_s) if aht_s is not None else frame["aht_s"].clip(lower=1.0)
    rep = fitted.report
    if hasattr(rep, "status"):
        status = _q._status_name(rep.status)
    else:
        status = "ok" if rep.converged else "not_converged"
    return frame, explanation, status, f"method {rep.method}" + (
        f": {rep.message}" if rep.message else "")


def _staff(fc, length, goal, shrinkage, patience_s):
    frame = fc[["volume", "aht_s"]].copy()
    model = "erlang_c"
    if patience_s is not None:
        frame["patience_s"] = float(patience_s)
        model = "erlang_a"
    staffing = _q.plan(frame, interval_length=length, shrinkage=shrinkage, model=model, **goal)
    bad = staffing.index[staffing["status"] != "ok"]
    if len(bad):
        return staffing, "infeasible", f"goal not met at {len(bad)} intervals, first {bad[0]}"
    return staffing, "ok", ""


def _runs(open_mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last + 1) of every run of consecutive open intervals."""
    edges = np.diff(np.concatenate(([0], open_mask.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def default_templates(interval_length_s: float) -> list[_sc.ShiftTemplate]:
    """The shift templates :func:`plan` uses when none are given (starts filled in later).

    - ``full-8h``: 8.5 h on site, 8 h paid: a 15-minute paid rest 1.5-2.5 h in, a 30-minute
      unpaid meal 3.5-5 h in, a 15-minute paid rest 6-7.25 h in; cost 1 per paid hour.
    - ``part-4h``: 4 h on site and paid, one 15-minute rest 1.5-2.5 h in; cost 1.1 per paid hour.

    Times are rounded up to whole intervals (a 15-minute rest is one 30-minute interval when
    intervals are 30 minutes)."""
    def n(minutes: float) -> int:
        return max(1, math.ceil(minutes * 60 / interval_length_s))

    bw = _sc.BreakWindow
    rest, meal = n(15), n(30)
    full_len = n(510)
    full = _sc.ShiftTemplate(
        name="full-8h", length=full_len, paid_length=full_len - meal,
        cost=(full_len - meal) * interval_length_s / 3600.0, starts=[],
        breaks=[bw(length=rest, earliest_offset=n(90), latest_offset=n(150)),
                bw(length=meal, earliest_offset=n(210), latest_offset=n(300)),
                bw(length=rest, earliest_offset=n(360), latest_offset=n(435))])
    part_len = n(240)
    part = _sc.ShiftTemplate(
        name="part-4h", length=part_len, paid_length=part_len,
        cost=1.1 * part_len * interval_length_s / 3600.0, starts=[],
        breaks=[bw(length=rest, earliest_offset=n(90), latest_offset=n(150))])
    return [full, part]


def _with_starts(templates, runs) -> list[_sc.ShiftTemplate]:
    """Templates whose empty ``starts`` become every start that keeps the shift in one run of
    open intervals."""
    out = []
    for t in templates:
        starts = list(t.starts) or [s for a, b in runs for s in range(a, b - t.length + 1)]
        out.append(_sc.ShiftTemplate(
            name=t.name, length=t.length, paid_length=t.paid_length, cost=t.cost, starts=starts,
            breaks=list(t.breaks), max_agents_per_start=t.max_agents_per_start,
            max_agents=t.max_agents, fixed_cost=t.fixed_cost))
    return out


class _Grid:
    """The dense horizon padded to whole days, and where its open intervals are."""

    def __init__(self, grid: pd.DatetimeIndex, open_mask: np.ndarray, length: float):
        per_day = int(round(86400 / length))
        self.length = length
        self.n = per_day * math.ceil(len(grid) / per_day)  # whole days, for the weekly lines
        self.first = grid[0]
        self.open_pos = np.flatnonzero(open_mask)
        self.open_index = grid[self.open_pos]
        self.open_index.name = "timestamp"

    def at(self, k) -> pd.Timestamp:
        """Start of interval k (k = n: the end of the horizon)."""
        return self.first + pd.Timedelta(seconds=float(k) * self.length)

    def dense(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex([self.at(k) for k in range(self.n)], name="timestamp")

    def spread(self, values, fill: float = 0.0) -> np.ndarray:
        out = np.full(self.n, fill, dtype=float)
        out[self.open_pos] = np.asarray(values, dtype=float)
        return out


class _NoSchedule:
    """Stands for the schedule when no template fits in the opening hours."""

    def __init__(self, n: int):
        self.shifts, self.coverage = [], np.zeros(n)
        self.cost = self.lower_bound = self.gap = float("nan")


#: wfm::limits::max_requirement and max_total_requirement (include/wfm/core/limits.hpp): the
#: largest requirement per interval and summed over the horizon the scheduler takes [agents].
_MAX_REQUIREMENT, _MAX_TOTAL_REQUIREMENT = 1e6, 1e9


def _schedule(staffing, grid: _Grid, templates, time_limit_s, seed, tick, use_cbc):
    req = grid.spread(np.ceil(staffing["agents_required_gross"].to_numpy() - 1e-9))
    if req.max(initial=0.0) > _MAX_REQUIREMENT or req.sum() > _MAX_TOTAL_REQUIREMENT:
        k = int(np.argmax(req))
        return None, _NoSchedule(grid.n), "infeasible", (
            f"not scheduled: a requirement of {req[k]:.6g} agents at {grid.at(k)} (or "
            f"{req.sum():.6g} agent-intervals in all) is beyond the scheduler's limits, "
            f"{_MAX_REQUIREMENT:g} per interval and {_MAX_TOTAL_REQUIREMENT:g} in all "
            "(wfm::limits)")
    mask = np.zeros(grid.n, dtype=bool)
    mask[grid.open_pos] = True
    usable = [t for t in _with_starts(templates, _runs(mask)) if len(t.starts)]
    if not usable:
        return None, _NoSchedule(grid.n), "infeasible", (
            "no shift template fits within the opening hours (every template is longer than "
            "every run of open intervals)")
    model = _sc.CoverageModel(requirement=req, templates=usable, interval_length=grid.length,
                              cyclic=False, hard_cover=True)

    def report(p) -> bool:  # the search's phase ("lp", "lns", ...), seconds of time_limit_s
        phase = getattr(p, "phase", None) or getattr(p, "step", "search")
        return tick(f"schedule:{phase}", getattr(p, "seconds", getattr(p, "elapsed_s", 0.0)),
                    time_limit_s)

    sched = _sc.solve(model, time_limit=time_limit_s, seed=seed, progress=report,
                      use_cbc=use_cbc)
    status, message = _q._status_name(sched.status), sched.message
    if status == "time_limit" and len(sched.shifts):
        status = "feasible"  # a valid schedule without proof (wfm::Status::feasible)
    if status == "infeasible" and len(sched.uncoverable):
        message = (f"no template covers {len(sched.uncoverable)} open intervals, first "
                   f"{grid.at(sched.uncoverable[0])}; {message}")
    check = _sc.check_schedule(model, sched)
    if len(sched.shifts) and not (check.valid and check.consistent):
        status, message = "error", f"schedule check failed: {check.message}"
    return model, sched, status, message


def _schedule_frames(model, sched, grid: _Grid, staffing):
    rows, brk = [], []
    for a in sched.shifts:
        t = model.templates[a.template_index]
        paid = t.paid_length if t.paid_length >= 0 else t.length
        rows.append({"template": t.name, "start": grid.at(a.start),
                     "end": grid.at(a.start + t.length), "agents": a.agents,
                     "paid_hours": a.agents * paid * grid.length / 3600.0,
                     "cost": a.agents * t.cost})
        for b, window in enumerate(t.breaks):
            for k, n in enumerate(a.break_agents[b]):
                if n > 0:
                    s = a.start + window.earliest_offset + k
                    brk.append({"start": grid.at(s), "end": grid.at(s + window.length),
                                "agents": n})
    schedule = pd.DataFrame(rows, columns=["template", "start", "end", "agents", "paid_hours",
                                           "cost"])
    breaks = pd.DataFrame(brk, columns=["start", "end", "agents"])
    coverage = staffing[["agents_required", "agents_required_gross"]].copy()
    cov = np.asarray(sched.coverage, dtype=float)
    coverage["agents"] = cov[grid.open_pos] if len(cov) else 0.0
    return schedule, breaks, coverage


def _tours(model, sched, grid: _Grid, policy: PlanPolicy):
    days = grid.n * grid.length / 86400
    empty = pd.DataFrame(columns=["line", "template", "start", "end", "paid_hours"])
    if not len(sched.shifts) or policy.working_days > days:
        return empty, "ok", "no weekly lines: no shifts or fewer days than working days"
    agent_shifts = sum(a.agents for a in sched.shifts)
    if agent_shifts > policy.max_agent_shifts:
        return empty, "time_limit", (f"no weekly lines: {agent_shifts} agent-shifts, more than "
                                     f"PlanPolicy.max_agent_shifts = {policy.max_agent_shifts}")
    tp = _sc.build_tours(model, sched, working_days=policy.working_days,
                         time_limit=policy.tours_time_limit_s)
    rows = []
    for line, tour in enumerate(tp.tours):
        for idx in tour.shift:
            if idx < 0:
                continue
            a = tp.shifts[idx]
            t = model.templates[a.template_index]
            paid = t.paid_length if t.paid_length >= 0 else t.length
            rows.append({"line": line, "template": t.name, "start": grid.at(a.start),
                         "end": grid.at(a.start + t.length),
                         "paid_hours": paid * grid.length / 3600.0})
    status = _q._status_name(tp.status)
    if status == "time_limit" and tp.tours:
        status = "feasible"
    frame = pd.DataFrame(rows, columns=["line", "template", "start", "end", "paid_hours"])
    return frame, status, tp.message


def _simulate(staffing, model, sched, grid: _Grid, goal, shrinkage, patience_s, options,
              policy: PlanPolicy):
    aht = staffing["aht_s"].to_numpy()
    kwargs = dict(interval_length=grid.length,
                  arrival_rate=grid.spread(staffing["volume"].to_numpy() / grid.length),
                  handle_time=_sim.Distribution.lognormal(mean=1.0, cv=policy.handle_time_cv),
                  handle_time_mean=grid.spread(aht, fill=float(np.mean(aht))),
                  target_times=[goal["target_time"]], definitions=[goal["definition"]],
                  **options)
    if patience_s is not None:
        kwargs["patience"] = _sim.Distribution.exponential(mean=1.0)
        kwargs["patience_mean"] = np.full(grid.n, float(patience_s))
    coverage = np.asarray(sched.coverage, dtype=float)
    if shrinkage > 0:  # on the phones: the scheduled agents less the shrinkage, rounded down
        on_phones = np.floor(coverage * (1 - shrinkage) + 1e-9)
        kwargs["agents"] = on_phones
    else:
        on_phones = coverage
        kwargs["roster"] = _sc.to_roster(model, sched)
    res = _sim.simulate(**kwargs)
    frame = _sim.to_frame(res).iloc[grid.open_pos]
    frame.index = grid.open_index
    frame.insert(0, "agents", on_phones[grid.open_pos])
    return frame, _sim.total_series(res)


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    w = weights.to_numpy(dtype=float)
    return float(np.sum(values.to_numpy(dtype=float) * w) / w.sum()) if w.sum() > 0 else 0.0


_SUMMARY = ["volume", "headcount", "paid_hours", "cost", "lower_bound", "gap", "service_level",
            "service_level_lower", "service_level_upper", "asa_s", "abandon_rate", "occupancy"]


def _summary(staffing, schedule, sched, tours, total) -> pd.DataFrame:
    """Row ``planned`` (analytic, volume-weighted over the open intervals) and row
    ``simulated`` (whole-horizon means with 95 % bounds); NaN where a row has no such number
    (the simulation has no cost, the analytic plan no confidence interval)."""
    vol = staffing["volume"]
    lines = tours["line"].nunique() if len(tours) else int(schedule["agents"].sum())
    planned = {"volume": float(vol.sum()), "headcount": lines,
               "paid_hours": float(schedule["paid_hours"].sum()), "cost": float(sched.cost),
               "lower_bound": float(sched.lower_bound), "gap": float(sched.gap),
               "service_level": _weighted(staffing["service_level"], vol),
               "asa_s": _weighted(staffing["asa_s"], vol),
               "abandon_rate": _weighted(staffing["abandon_rate"], vol),
               "occupancy": _weighted(staffing["occupancy"], staffing["agents_required"])}
    simulated = {k: float(total[k]) for k in _SUMMARY if k in total.index}
    out = pd.DataFrame([planned, simulated], index=["planned", "simulated"], columns=_SUMMARY)
    return out.astype(float)


def _worst(statuses) -> str:
    return max(statuses, key=_SEVERITY.index) if statuses else "ok"


class _Stopped(Exception):
    pass


def _goal(service_level, target_time_s, definition, max_asa_s, max_abandon_rate, max_occupancy):
    return dict(service_level=service_level, target_time=float(target_time_s),
                definition=definition, max_asa=max_asa_s, max_abandon=max_abandon_rate,
                max_occupancy=max_occupancy)


def _check_fraction(name: str, value, low_open: bool, high_open: bool) -> None:
    ok = value is not None and np.isfinite(value) and \
        (value > 0 if low_open else value >= 0) and (value < 1 if high_open else value <= 1)
    if not ok:
        raise ValueError(f"{name}: must be a fraction in {'(' if low_open else '['}0, 1"
                         f"{')' if high_open else ']'}, got {value!r}")


# ---- other channels beside the phone queue (planned by wfm.planning_queues) ---------------
#: Columns of Plan.queues (one row per queue and open interval).
_QUEUE_COLUMNS = ["queue", "channel", "volume", "aht_s", "agents_required",
                  "agents_required_gross", "agents", "service_level", "within_deadline",
                  "status"]
#: Columns of Plan.queue_summary (rows: queue x {planned, scheduled}).
_QUEUE_SUMMARY = ["channel", "status", "volume", "staffed_s", "headcount", "paid_hours", "cost",
                  "gap", "service_level", "service_level_lower", "service_level_upper", "asa_s",
                  "abandon_rate", "occupancy", "within_deadline_total", "backlog",
                  "oldest_age_s", "carried_over"]


@dataclass(frozen=True)
class ChatQueue:
    """A chat queue planned beside the phone queue, staffed with wfm.queueing.ChatConcurrency.

    name: the queue's name (column ``queue``); history: as plan()'s (volume per interval on
    the same interval length; its aht_s, if any, is ignored); handle_time_by_concurrency [s]:
    the handle time of a chat when its agent holds 1, 2, ... m chats; patience_s: mean [s].
    The goal and the shrinkage are plan()'s (service level within target_time_s, ...).
    templates, time_limit_s: of the queue's schedule; None (default): plan()'s."""

    name: str
    history: Any
    handle_time_by_concurrency: Sequence[float]
    patience_s: float
    templates: Optional[Sequence[_sc.ShiftTemplate]] = None
    time_limit_s: Optional[float] = None


@dataclass(frozen=True)
class EmailQueue:
    """An email / back-office queue planned beside the phone queue with the backlog model.

    name: the queue's name; history: as plan()'s; aht_s [s] per item; deadline_s [s]: an item
    is on time if done within this of arriving; share: goal, the share of items done within
    the deadline (1: every item). Work is carried over between intervals, through closed hours
    too. staffing: which least staffing the schedule covers (wfm.queueing's backlog functions):

    - ``"per_day"`` (default): a level per day (blocks of 24 h from the horizon's start), each
      day's arrivals meeting the share (required_backlog_agents_share_per_day);
    - ``"level"``: one level over the horizon, the share over the horizon
      (required_backlog_agents_share);
    - ``"just_in_time"``: share 1 only, the deadline a whole number of intervals: the least
      work by the end of every interval (required_backlog_agents). It is the least agent time,
      but it puts every item's work at its deadline, a spiky requirement that shifts cover
      badly: on the bundled week (0.3 x its phone volume, 360 s, 4 h) its schedule costs 1,024
      against 382 for ``per_day`` (tests/test_planning_queues.py measures the order).

    templates, time_limit_s: of the queue's schedule; None (default): plan()'s."""

    name: str
    history: Any
    aht_s: float
    deadline_s: float
    share: float = 1.0
    staffing: str = "per_day"
    templates: Optional[Sequence[_sc.ShiftTemplate]] = None
    time_limit_s: Optional[float] = None


def plan(history: Any, *, aht_s: Optional[float] = None, patience_s: Optional[float] = None,
         holidays: Any = None, service_level: Optional[float] = 0.8,
         target_time_s: float = 20.0, definition: str = "answered_within",
         max_asa_s: Optional[float] = None, max_abandon_rate: Optional[float] = None,
         max_occupancy: Optional[float] = None, shrinkage: float = 0.0,
         templates: Optional[Sequence[_sc.ShiftTemplate]] = None, horizon: Any = None,
         level: float = 0.8, interval_length_s: Optional[float] = None, method: str = "auto",
         time_limit_s: float = 10.0, replications: int = 50, seed: int = 1, threads: int = 0,
         progress: Optional[Callable[[PlanProgress], Optional[bool]]] = None,
         policy: PlanPolicy = PlanPolicy(),
         queues: Optional[Sequence[Any]] = None, overrides: Any = None,
         events: Any = None) -> Plan:
    """Plans a horizon from a history: forecast, staff, schedule, weekly lines, simulate.

    history: a Series of volume [contacts per interval] or a DataFrame with ``volume`` and
      optionally ``aht_s`` [s], indexed by interval start (naive or tz-aware DatetimeIndex, or a
      ``timestamp`` column); only open intervals (closed hours absent, never zeros).
    aht_s: handle time [s] when the history has no aht_s column (else it is forecast).
    patience_s: mean patience [s]; None (default) plans with Erlang C and simulates no
      abandonment, a number plans with Erlang A and simulates exponential patience.
    holidays: date -> name (a dict, a Series or a DataFrame with date and name), as in
      wfm.forecast; they get their own effect in the forecast.
    overrides, events: the manager's layer (DataFrames with the columns of the files, or
      paths; see wfm.forecast.apply_overrides): the staffing uses the final volume;
      ``forecast`` then also holds model_volume, event_factor, event and override, and
      ``explanation`` (always there) says per day what the model and the layer did.
    service_level (default 0.8) within target_time_s (default 20 s), definition,
      max_asa_s, max_abandon_rate, max_occupancy: the staffing goal, as wfm.queueing.
    shrinkage: share of paid time off the phones beyond the breaks of the templates (absence,
      training), default 0: the schedule covers agents_required / (1 - shrinkage) and the
      simulation puts the coverage times (1 - shrinkage) on the phones.
    templates: shift templates (lengths and offsets in intervals); an empty ``starts`` means
      every start that keeps the shift within the opening hours. Default:
      :func:`default_templates` (full-time 8 h with a meal and two rests, part-time 4 h).
    horizon: (start, end) or None, the default: the 7 days after the history's last day.
      Open intervals: the history's opening hours by weekday (see PlanPolicy.open_share).
    level: coverage of the forecast's prediction interval (default 0.8).
    interval_length_s: default: the smallest gap between the history's starts.
    time_limit_s: of the scheduling search (default 10 s). replications (default 50), seed,
      threads (0 = all cores): of the simulation.
    progress: called with a PlanProgress at every step and during the search; returning False
      stops the plan, which then has status "stopped" and the steps done so far.

    queues: other channels beside the phone queue, each a :class:`ChatQueue` or an
      :class:`EmailQueue` with its own history and agents (one schedule per queue, a plan per
      skill): each goes through the phone queue's steps on the same horizon: forecast, staff
      with its own model (chat concurrency; email's backlog with a deadline), schedule (the
      phone queue's templates and time limit unless the queue has its own; the same
      shrinkage), weekly lines, and a check of the schedule (chat: simulated with concurrency;
      email: the backlog evaluated exactly). ``Plan.queue_plans`` holds each queue's Plan,
      ``Plan.queues`` every queue's staffing and coverage per interval and
      ``Plan.queue_summary`` every queue's planned and scheduled figures (the phone queue as
      ``phone``); the report shows each. Their steps count in the plan's status as
      ``<name>/<step>``.

    Returns a :class:`Plan`; its status is the worst of its steps' (see Plan.steps).
    """
    t0 = time.perf_counter()
    _check_fraction("shrinkage", shrinkage, low_open=False, high_open=True)
    _check_fraction("level", level, low_open=True, high_open=True)
    if service_level is not None:
        _check_fraction("service_level", service_level, low_open=False, high_open=False)
    if not (np.isfinite(time_limit_s) and time_limit_s > 0):
        raise ValueError(f"time_limit_s: must be finite and > 0 [s], got {time_limit_s!r}")
    if patience_s is not None and not (patience_s > 0):
        raise ValueError(f"patience_s: must be > 0 [s] or None, got {patience_s!r}")
    hist = _history_frame(history, aht_s)
    length = _interval_length(hist.index, interval_length_s)
    if queues:
        from . import planning_queues as _pq
        queues = _pq.check(queues, length)
    queues = list(queues or [])
    holiday_days = {pd.Timestamp(d * 86400, unit="s") for d, _ in _fc.special_days(holidays)}
    dense = _horizon(hist, horizon, length)
    grid = _Grid(dense, _open_mask(hist, dense, holiday_days, policy), length)
    if not len(grid.open_pos):
        raise ValueError(f"horizon: no open interval between {dense[0]} and {dense[-1]} "
                         "(the history's opening hours)")
    goal = _goal(service_level, target_time_s, definition, max_asa_s, max_abandon_rate,
                 max_occupancy)
    templates = list(templates) if templates is not None else default_templates(length)

    def tick(step: str, done: float, total: float) -> bool:
        if progress is None:
            return True
        return progress(PlanProgress(step, done, total, time.perf_counter() - t0)) is not False

    state = dict(hist=hist, length=length, grid=grid, goal=goal, templates=templates,
                 steps={}, seconds={}, level=level, aht_s=aht_s, queues=queues,
                 overrides=overrides, events=events, queue_plans={})
    try:
        _run(state, tick, holidays, method, shrinkage, patience_s, time_limit_s,
             dict(replications=replications, seed=seed, threads=threads), seed, policy)
    except _Stopped:
        state["steps"].setdefault("stopped", ("stopped", "stopped by the progress callback"))
    tick("done", 1, 1)
    return _assemble(state, service_level, target_time_s)


def _run(state, tick, holidays, method, shrinkage, patience_s, time_limit_s, sim_options, seed,
         policy):
    """The steps in order; each records (status, message) and its wall-clock time."""
    grid, steps, seconds = state["grid"], state["steps"], state["seconds"]
    stop = {"asked": False}

    def step(name: str, k: int) -> float:
        if not tick(name, k, 5):
            raise _Stopped()
        return time.perf_counter()

    def search_tick(name, done, total) -> bool:
        go = tick(name, done, total)
        stop["asked"] |= not go
        return go

    t = step("forecast", 0)
    state["forecast"], state["explanation"], *steps["forecast"] = _forecast(
        state["hist"], grid.open_index, state["length"], state["level"], holidays, method,
        state["aht_s"], state["overrides"], state["events"])
    seconds["forecast"], t = time.perf_counter() - t, step("staff", 1)
    state["staffing"], *steps["staff"] = _staff(state["forecast"], state["length"],
                                                state["goal"], shrinkage, patience_s)
    seconds["staff"], t = time.perf_counter() - t, step("schedule", 2)
    model, sched, *steps["schedule"] = _schedule(state["staffing"], grid, state["templates"],
                                                 time_limit_s, seed, search_tick,
                                                 policy.use_cbc)
    state["sched"] = sched
    state["schedule"], state["breaks"], state["coverage"] = _schedule_frames(
        model, sched, grid, state["staffing"])
    seconds["schedule"] = time.perf_counter() - t
    if stop["asked"]:
        raise _Stopped()
    t = step("tours", 3)
    state["tours"], *steps["tours"] = _tours(model, sched, grid, policy)
    seconds["tours"], t = time.perf_counter() - t, step("simulate", 4)
    contacts = float(state["staffing"]["volume"].sum()) * sim_options["replications"]
    if len(sched.shifts) and contacts > policy.max_simulated_contacts:
        steps["simulate"] = ("time_limit", f"not simulated: {contacts:.3g} contacts over all "
                             f"replications, more than PlanPolicy.max_simulated_contacts = "
                             f"{policy.max_simulated_contacts:.3g}")
    elif len(sched.shifts):
        state["simulation"], state["total"] = _simulate(
            state["staffing"], model, sched, grid, state["goal"], shrinkage, patience_s,
            sim_options, policy)
        steps["simulate"] = ("ok", f"{sim_options['replications']} replications")
    else:
        steps["simulate"] = (steps["schedule"][0] if steps["schedule"][0] != "optimal" else
                             "error", "nothing to simulate: the schedule has no shifts")
    seconds["simulate"] = time.perf_counter() - t
    if state["queues"]:
        from . import planning_queues as _pq
        for q in state["queues"]:
            _pq.plan_queue(q, state, tick, search_tick, holidays, method, shrinkage,
                           time_limit_s, sim_options, seed, policy)


def _empty(columns=()) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns), index=pd.DatetimeIndex([], name="timestamp"))


def _assemble(state, service_level, target_time_s) -> Plan:
    steps = {k: tuple(v) for k, v in state["steps"].items()}
    status = _worst([s for s, _ in steps.values()])
    message = "; ".join(f"{k}: {s}" + (f" ({m})" if m else "") for k, (s, m) in steps.items()
                        if s not in ("ok", "optimal"))
    frames = {k: state.get(k, _empty()) for k in ("forecast", "staffing", "schedule", "breaks",
                                                  "coverage", "tours", "simulation")}
    if "total" in state and "sched" in state:
        summary = _summary(frames["staffing"], frames["schedule"], state["sched"],
                           frames["tours"], state["total"])
    else:
        summary = pd.DataFrame(columns=_SUMMARY, index=["planned", "simulated"], dtype=float)
    out = Plan(history=state["hist"], summary=summary, status=status, message=message,
               steps=steps, interval_length_s=state["length"], level=state["level"],
               target_time_s=float(target_time_s), service_level_goal=service_level,
               seconds=state["seconds"],
               explanation=state.get("explanation", pd.DataFrame()), **frames)
    if state["queues"]:
        from . import planning_queues as _pq
        out.queue_plans = {name: _pq.as_plan(sub, state, service_level, target_time_s)
                           for name, sub in state["queue_plans"].items()}
        out.queues, out.queue_summary = _pq.queue_frames(out, out.queue_plans, state["queues"])
    return out
