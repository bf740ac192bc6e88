"""The chat and email queues of wfm.plan: one plan per queue beside the phone queue's.

Each extra queue (a :class:`wfm.planning.ChatQueue` or :class:`wfm.planning.EmailQueue`) goes
through the phone queue's steps on the same horizon and grid:

    forecast -> staff -> schedule (+ coverage, breaks) -> weekly lines -> check

- chat: staffed per interval with wfm.queueing's chat model (ChatConcurrency, through
  plan_horizon(model="chat")), checked by simulating the scheduled agents with the
  simulator's chat concurrency (handle_time_factors), 95 % confidence intervals;
- email / back office: staffed with the backlog model (by default a level per day,
  required_backlog_agents_share_per_day; see EmailQueue.staffing), checked exactly with
  evaluate_backlog() on the scheduled agents (share within the deadline, backlog, oldest age).

The schedule covers the queue's agents_required_gross = agents_required / (1 - shrinkage)
(rounded up, interval by interval) with the phone queue's templates and time limit unless the
queue gives its own; the check puts coverage x (1 - shrinkage) to work (rounded down for the
simulation, which needs whole agents; as it is for the fluid backlog model).

The backlog model's cumulative-capacity constraints (``cumulative_agent_time_s``) are not
used: wfm::schedule takes a requirement per interval only. Covering a staffing that meets the
goal interval by interval is sufficient (the departure curve of the FIFO fluid queue rises
with the capacity in every interval; Newell 1982, ch. 2, see backlog.hpp), not necessary: a
schedule could meet the goal with less. Hence the default per-day level: smooth within a day,
it wastes less to the shifts' shapes than the spiky just-in-time staffing.

Private to wfm.planning (imported when a plan has extra queues).
"""
from __future__ import annotations

import time

import numpy as np
import pandas as pd

from . import planning as _pl
from . import queueing as _q
from . import simulation as _sim

QUEUE_SUMMARY = _pl._QUEUE_SUMMARY
QUEUE_COLUMNS = _pl._QUEUE_COLUMNS


#: The longest handle time or patience a queue may have [s]: wfm::limits::max_simulated_time
#: (include/wfm/core/limits.hpp), the simulator's bound on every time, so that absurd input is
#: rejected up front rather than half-way through the plan. (A deadline may be longer: items
#: due after the horizon are carried over.)
_MAX_TIME_S = 1e9

#: EmailQueue.staffing: the backlog function whose staffing the schedule covers.
_EMAIL_STAFFING = ("per_day", "level", "just_in_time")


def _aht(q) -> float:
    return float(q.aht_s) if isinstance(q, _pl.EmailQueue) else float(
        q.handle_time_by_concurrency[0])


def _check_time(where: str, name: str, value) -> None:
    if not (0 < value <= _MAX_TIME_S):
        raise ValueError(f"{where}.{name}: must be in (0, {_MAX_TIME_S:g}] [s], got {value!r}")


def check(queues, length: float) -> list:
    """The queues as a list, every field checked (ValueError naming the queue and the field)
    before any step runs; each history on the plan's interval length [s]."""
    out = list(queues or [])
    names = ["phone"]
    for q in out:
        if not isinstance(q, (_pl.ChatQueue, _pl.EmailQueue)):
            raise ValueError(f"queues: each a ChatQueue or an EmailQueue, got {type(q).__name__}")
        if q.name in names:
            raise ValueError(f"queues: the name {q.name!r} is used twice ('phone' is the phone "
                             "queue's)")
        names.append(q.name)
        where = f"queues[{q.name!r}]"
        if isinstance(q, _pl.ChatQueue):
            h = [float(x) for x in q.handle_time_by_concurrency]
            if not h or not all(0 < x <= _MAX_TIME_S for x in h):
                raise ValueError(f"{where}.handle_time_by_concurrency: each in (0, "
                                 f"{_MAX_TIME_S:g}] [s], got {h}")
            _check_time(where, "patience_s", q.patience_s)
        else:
            _check_time(where, "aht_s", q.aht_s)
            if not (np.isfinite(q.deadline_s) and q.deadline_s > 0):
                raise ValueError(f"{where}.deadline_s: must be finite and > 0 [s], got "
                                 f"{q.deadline_s!r}")
            if not (0 < q.share <= 1):
                raise ValueError(f"{where}.share: must be in (0, 1], got {q.share!r}")
            if q.staffing not in _EMAIL_STAFFING:
                raise ValueError(f"{where}.staffing: one of {', '.join(_EMAIL_STAFFING)}, got "
                                 f"{q.staffing!r}")
            if q.staffing == "just_in_time" and q.share != 1:
                raise ValueError(f"{where}.share: just_in_time staffing does every item on "
                                 f"time (share 1), got {q.share!r}")
        limit = q.time_limit_s
        if limit is not None and not (np.isfinite(limit) and limit > 0):
            raise ValueError(f"{where}.time_limit_s: must be finite and > 0 [s] or None, got "
                             f"{limit!r}")
        if q.templates is not None and not len(list(q.templates)):
            raise ValueError(f"{where}.templates: an empty list (None: the phone queue's)")
        try:
            hist = _pl._history_frame(q.history, _aht(q))
        except ValueError as e:
            raise ValueError(f"{where}.{e}") from None
        own = float((hist.index[1:] - hist.index[:-1]).total_seconds().min())
        if own != length:
            raise ValueError(f"{where}.history: intervals of {own:g} s, the plan's are "
                             f"{length:g} s")
    return out


# ---- staffing -----------------------------------------------------------------------------
def _staff_chat(q, fc: pd.DataFrame, length: float, goal, shrinkage: float):
    """Per-interval staffing with the chat model; (frame, status, message)."""
    h = [float(x) for x in q.handle_time_by_concurrency]
    r = _q.plan_horizon(model="chat", volumes=fc["volume"].to_numpy(dtype=float),
                        handle_times=h[0], interval_length=length,
                        goal=_q.StaffingGoal(**{k: v for k, v in goal.items() if v is not None}),
                        patience=float(q.patience_s), handle_time_factors=[x / h[0] for x in h],
                        shrinkage=shrinkage)
    status = [_q._status_name(v) for v in r["status"]]
    frame = pd.DataFrame({"volume": fc["volume"].to_numpy(dtype=float), "aht_s": h[0],
                          "agents_required": r["agents_required"],
                          "agents_required_gross": r["agents_required_gross"],
                          "service_level": r["service_level"], "asa_s": r["asa_s"],
                          "abandon_rate": r["abandon_rate"], "occupancy": r["occupancy"],
                          "status": status}, index=fc.index)
    bad = frame.index[frame["status"] != "ok"]
    if len(bad):
        return frame, "infeasible", f"goal not met at {len(bad)} intervals, first {bad[0]}"
    return frame, "ok", ""


def _email_args(q, volumes, grid) -> dict:
    return dict(volumes=grid.spread(volumes), handle_time=float(q.aht_s),
                interval_length=grid.length, deadline=float(q.deadline_s))


def _staff_email(q, fc: pd.DataFrame, grid, shrinkage: float):
    """The backlog model's least staffing (just in time, or the least level for a share goal
    below 1); (frame, outcome dict over the dense grid, status, message)."""
    open_mask = np.zeros(grid.n, dtype=bool)
    open_mask[grid.open_pos] = True
    args = dict(_email_args(q, fc["volume"].to_numpy(dtype=float), grid),
                open=open_mask.tolist())
    if q.staffing == "per_day":
        r = _q.required_backlog_agents_share_per_day(
            goal=float(q.share), intervals_per_day=int(round(86400 / grid.length)), **args)
    elif q.staffing == "level":
        r = _q.required_backlog_agents_share(goal=float(q.share), **args)
    else:
        r = _q.required_backlog_agents(**args)
    status = "ok" if r["status"] == "ok" else r["status"]
    pos = grid.open_pos
    agents = np.asarray(r["agents_required"], dtype=float)[pos]
    frame = pd.DataFrame({"volume": fc["volume"].to_numpy(dtype=float), "aht_s": float(q.aht_s),
                          "agents_required": agents,
                          "agents_required_gross": agents / (1.0 - shrinkage),
                          "within_deadline": np.asarray(r["within_deadline"])[pos],
                          "backlog": np.asarray(r["backlog"])[pos],
                          "oldest_age_s": np.asarray(r["oldest_age_s"])[pos],
                          "status": status}, index=fc.index)
    return frame, r, status, r["message"]


# ---- checks of the schedule ---------------------------------------------------------------
def _simulate_chat(q, staffing, sched, grid, goal, shrinkage, options, policy):
    """The scheduled agents (coverage x (1 - shrinkage), rounded down) simulated with chat
    concurrency: per-interval frame (open intervals) and the whole-horizon totals."""
    h = np.asarray([float(x) for x in q.handle_time_by_concurrency])
    agents = np.floor(np.asarray(sched.coverage, dtype=float) * (1.0 - shrinkage) + 1e-9)
    res = _sim.simulate(
        interval_length=grid.length,
        arrival_rate=grid.spread(staffing["volume"].to_numpy() / grid.length),
        handle_time=_sim.Distribution.lognormal(mean=float(h[0]), cv=policy.handle_time_cv),
        handle_time_factors=h / h[0],
        patience=_sim.Distribution.exponential(mean=float(q.patience_s)),
        agents=agents, target_times=[goal["target_time"]], definitions=[goal["definition"]],
        **options)
    frame = _sim.to_frame(res).iloc[grid.open_pos]
    frame.index = grid.open_index
    frame.insert(0, "agents", agents[grid.open_pos])
    return frame, _sim.total_series(res)


def _evaluate_email(q, staffing, sched, grid, shrinkage):
    """The backlog at the scheduled agents (coverage x (1 - shrinkage)), exactly: per-interval
    frame (open intervals) and the evaluate_backlog() dict over the dense grid."""
    agents = np.asarray(sched.coverage, dtype=float) * (1.0 - shrinkage)
    r = _q.evaluate_backlog(agents=agents, **_email_args(q, staffing["volume"].to_numpy(), grid))
    pos = grid.open_pos
    frame = pd.DataFrame({"agents": agents[pos], "volume": staffing["volume"].to_numpy(),
                          **{k: np.asarray(r[k])[pos] for k in ("handled", "backlog",
                                                                "oldest_age_s",
                                                                "within_deadline",
                                                                "occupancy")}},
                         index=grid.open_index)
    return frame, r


# ---- summary ------------------------------------------------------------------------------
def _schedule_facts(schedule, sched, tours) -> dict:
    lines = tours["line"].nunique() if len(tours) else int(schedule["agents"].sum())
    return {"headcount": float(lines), "paid_hours": float(schedule["paid_hours"].sum()),
            "cost": float(sched.cost), "gap": float(sched.gap)}


def _rows(planned: dict, scheduled: dict) -> pd.DataFrame:
    out = pd.DataFrame([planned, scheduled], index=["planned", "scheduled"],
                       columns=QUEUE_SUMMARY[2:], dtype=float)
    out.index.name = "row"
    return out


#: What the simulation gives a phone or chat queue's scheduled row.
_SIMULATED = ("volume", "service_level", "service_level_lower", "service_level_upper", "asa_s",
              "abandon_rate", "occupancy")


def _calls_rows(staffing, sim, total, facts, length) -> pd.DataFrame:
    """Rows of a phone or chat queue: analytic at agents_required, simulated at the schedule."""
    vol = staffing["volume"]
    planned = {"volume": float(vol.sum()),
               "staffed_s": float(staffing["agents_required"].sum()) * length,
               "service_level": _pl._weighted(staffing["service_level"], vol),
               "asa_s": _pl._weighted(staffing["asa_s"], vol),
               "abandon_rate": _pl._weighted(staffing["abandon_rate"], vol),
               "occupancy": _pl._weighted(staffing["occupancy"], staffing["agents_required"])}
    scheduled = dict(facts)
    if total is not None:
        scheduled.update({k: float(total[k]) for k in _SIMULATED if k in total.index})
        scheduled["staffed_s"] = float(sim["agents"].sum()) * length
    return _rows(planned, scheduled)


def _backlog_stats(r) -> dict:
    return {"within_deadline_total": float(r["within_deadline_total"]),
            "backlog": float(np.max(r["backlog"], initial=0.0)),
            "oldest_age_s": float(np.max(r["oldest_age_s"], initial=0.0)),
            "carried_over": float(r["carried_over"])}


def _email_rows(staffing, required, checked, sim, facts, length) -> pd.DataFrame:
    planned = {"volume": float(staffing["volume"].sum()),
               "staffed_s": float(staffing["agents_required"].sum()) * length,
               **_backlog_stats(required)}
    scheduled = {**facts, "volume": float(staffing["volume"].sum())}
    if checked is not None:
        scheduled.update(_backlog_stats(checked), staffed_s=float(sim["agents"].sum()) * length)
    return _rows(planned, scheduled)


def phone_rows(plan) -> pd.DataFrame:
    """The phone queue's two rows of Plan.queue_summary, from its summary and frames."""
    s = plan.summary
    if not len(plan.staffing):
        return _rows({}, {})
    has_sim = len(plan.simulation) > 0 and "agents" in plan.simulation.columns
    facts = {k: float(s.loc["planned", k]) for k in ("headcount", "paid_hours", "cost", "gap")}
    total = s.loc["simulated"] if has_sim else None
    return _calls_rows(plan.staffing, plan.simulation, total, facts, plan.interval_length_s)


# ---- one queue, every step ----------------------------------------------------------------
def plan_queue(q, state, tick, search_tick, holidays, method, shrinkage, time_limit_s,
               sim_options, seed, policy) -> "_pl.Plan":
    """The plan of one extra queue; its steps also go into state["steps"] as "<name>/<step>"."""
    grid, length, goal = state["grid"], state["length"], state["goal"]
    steps, seconds, frames = {}, {}, {}
    chat = isinstance(q, _pl.ChatQueue)

    def step(name: str, k: int) -> float:
        if not tick(f"{q.name}/{name}", k, 5):
            raise _pl._Stopped()
        return time.perf_counter()

    stop = {"asked": False}

    def queue_tick(name, done, total) -> bool:
        go = search_tick(f"{q.name}/{name}", done, total)
        stop["asked"] |= not go
        return go

    def finish(name: str, t: float) -> None:
        seconds[name] = time.perf_counter() - t
        state["steps"][f"{q.name}/{name}"] = steps[name]
        state["seconds"][f"{q.name}/{name}"] = seconds[name]

    hist = _pl._history_frame(q.history, _aht(q))
    sub = dict(hist=hist, steps=steps, seconds=seconds, frames=frames, q=q)
    state["queue_plans"][q.name] = sub
    t = step("forecast", 0)
    frames["forecast"], frames["explanation"], *steps["forecast"] = _pl._forecast(
        hist, grid.open_index, length, state["level"], holidays, method, _aht(q))
    finish("forecast", t)
    t = step("staff", 1)
    if chat:
        frames["staffing"], *steps["staff"] = _staff_chat(q, frames["forecast"], length, goal,
                                                          shrinkage)
    else:
        frames["staffing"], required, *steps["staff"] = _staff_email(q, frames["forecast"], grid,
                                                                     shrinkage)
    finish("staff", t)
    t = step("schedule", 2)
    templates = list(q.templates) if q.templates is not None else state["templates"]
    limit = float(q.time_limit_s) if q.time_limit_s is not None else time_limit_s
    model, sched, *steps["schedule"] = _pl._schedule(frames["staffing"], grid, templates, limit,
                                                     seed, queue_tick, policy.use_cbc)
    frames["schedule"], frames["breaks"], frames["coverage"] = _pl._schedule_frames(
        model, sched, grid, frames["staffing"])
    finish("schedule", t)
    if stop["asked"]:
        raise _pl._Stopped()
    t = step("tours", 3)
    frames["tours"], *steps["tours"] = _pl._tours(model, sched, grid, policy)
    finish("tours", t)
    check_name = "simulate" if chat else "evaluate"
    t = step(check_name, 4)
    status, message, total, checked = _check_schedule(q, frames, steps, sched, state,
                                                      shrinkage, sim_options, policy)
    steps[check_name] = (status, message)
    finish(check_name, t)
    facts = _schedule_facts(frames["schedule"], sched, frames["tours"])
    sim = frames.get("simulation")
    sub["summary"] = (_calls_rows(frames["staffing"], sim, total, facts, length) if chat else
                      _email_rows(frames["staffing"], required, checked, sim, facts, length))
    return sub


def _check_schedule(q, frames, steps, sched, state, shrinkage, sim_options, policy):
    """The last step of a queue: simulate (chat) or evaluate (email) its schedule, filling
    frames["simulation"]; (status, message, simulated totals or None, backlog dict or None)."""
    chat = isinstance(q, _pl.ChatQueue)
    contacts = float(frames["staffing"]["volume"].sum()) * sim_options["replications"]
    needed = bool((frames["staffing"]["agents_required_gross"].to_numpy() > 0).any())
    if not len(sched.shifts) and needed:
        return (steps["schedule"][0] if steps["schedule"][0] != "optimal" else "error",
                "nothing to check: the schedule has no shifts", None, None)
    if chat and contacts > policy.max_simulated_contacts:
        return ("time_limit", f"not simulated: {contacts:.3g} contacts over all replications, "
                f"more than PlanPolicy.max_simulated_contacts = "
                f"{policy.max_simulated_contacts:.3g}", None, None)
    if chat:
        frames["simulation"], total = _simulate_chat(q, frames["staffing"], sched, state["grid"],
                                                     state["goal"], shrinkage, sim_options,
                                                     policy)
        return "ok", f"{sim_options['replications']} replications", total, None
    frames["simulation"], checked = _evaluate_email(q, frames["staffing"], sched, state["grid"],
                                                    shrinkage)
    share = float(checked["within_deadline_total"])
    ok = share >= q.share - policy.deadline_share_tolerance
    return ("ok" if ok else "infeasible", f"{share:.4f} of the items within the deadline on "
            f"the scheduled staff (goal {q.share:g})", None, checked)


def as_plan(sub, state, service_level, target_time_s) -> "_pl.Plan":
    """A finished (or stopped) queue's record as a Plan of its own."""
    steps = {k: tuple(v) for k, v in sub["steps"].items()}
    status = _pl._worst([s for s, _ in steps.values()])
    message = "; ".join(f"{k}: {s}" + (f" ({m})" if m else "") for k, (s, m) in steps.items()
                        if s not in ("ok", "optimal"))
    frames = {k: sub["frames"].get(k, _pl._empty()) for k in (
        "forecast", "staffing", "schedule", "breaks", "coverage", "tours", "simulation")}
    summary = sub.get("summary", _rows({}, {}))
    return _pl.Plan(history=sub["hist"], summary=summary, status=status, message=message,
                    steps=steps, interval_length_s=state["length"], level=state["level"],
                    target_time_s=float(target_time_s), service_level_goal=service_level,
                    seconds=dict(sub["seconds"]),
                    explanation=sub["frames"].get("explanation", pd.DataFrame()), **frames)


# ---- the plan's frames over every queue ---------------------------------------------------
def _interval_rows(name, channel, p) -> pd.DataFrame:
    st = p.staffing
    n = len(st)
    cov = p.coverage["agents"].reindex(st.index) if "agents" in p.coverage.columns else np.nan
    return pd.DataFrame({"queue": [name] * n, "channel": [channel] * n,
                         "volume": st["volume"], "aht_s": st["aht_s"],
                         "agents_required": st["agents_required"],
                         "agents_required_gross": st["agents_required_gross"],
                         "agents": cov,
                         "service_level": st.get("service_level", np.nan),
                         "within_deadline": st.get("within_deadline", np.nan),
                         "status": st["status"]}, index=st.index, columns=QUEUE_COLUMNS)


def queue_frames(phone, queue_plans: dict, queues) -> tuple:
    """(Plan.queues, Plan.queue_summary) over the phone queue and every extra queue planned."""
    channel = {q.name: ("chat" if isinstance(q, _pl.ChatQueue) else "email") for q in queues}
    per_interval, summary = [], []
    parts = [("phone", "phone", phone)] + [(n, channel[n], p) for n, p in queue_plans.items()]
    phone_status = _pl._worst([s for k, (s, _) in phone.steps.items() if "/" not in k])
    for name, ch, p in parts:
        if "status" in p.staffing.columns:
            per_interval.append(_interval_rows(name, ch, p))
        rows = phone_rows(p) if name == "phone" else p.summary.copy()
        rows.insert(0, "status", phone_status if name == "phone" else p.status)
        rows.insert(0, "channel", ch)
        summary.append(pd.concat({name: rows}, names=["queue"]))
    q = pd.concat(per_interval) if per_interval else pd.DataFrame(columns=QUEUE_COLUMNS)
    q.index.name = "timestamp"
    return q, pd.concat(summary)
