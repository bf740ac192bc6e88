"""wfm.schedule: shifts and breaks that cover a requirement at least cost.

Mirrors the C++ namespace wfm::schedule. Lengths, starts and break offsets are whole intervals;
``interval_length`` is in seconds. ``solve`` releases the GIL.
"""
from __future__ import annotations

from ._core.schedule import (  # noqa: F401
    AgentShift,
    GlobalServiceResult,
    solve_global_service_level,
    Tour,
    TourPlan,
    build_tours,
    BreakWindow,
    CheckReport,
    CoverageModel,
    Progress,
    Schedule,
    ShiftAssignment,
    ShiftTemplate,
    SolveStatus,
    check_schedule,
    coverage_to_csv,
    parse_model_json,
    read_model_json,
    read_msd_dzn,
    schedule_to_csv,
    schedule_to_json,
    solve,
    solve_lp,
    highs_available,
    to_roster,
    Agent,
    AgentRoster,
    Contract,
    DayWindow,
    Preferences,
    RosterAssignment,
    RosterCheck,
    RosterResult,
    Shortfall,
    UnassignedShift,
    check_roster,
    make_roster,
    roster_to_csv,
    _roster_columns,
)

__all__ = [
    "BreakWindow", "CheckReport", "CoverageModel", "Progress", "Schedule", "ShiftAssignment",
    "ShiftTemplate", "SolveStatus", "check_schedule", "coverage_to_csv", "parse_model_json",
    "read_model_json", "read_msd_dzn", "schedule_to_csv", "schedule_to_json", "solve", "solve_lp",
    "highs_available", "to_roster", "plot_coverage", "AgentShift", "Tour", "TourPlan", "build_tours",
    "GlobalServiceResult", "solve_global_service_level",
    "Agent", "AgentRoster", "Contract", "DayWindow", "Preferences", "RosterAssignment", "RosterCheck",
    "RosterResult", "Shortfall", "UnassignedShift", "check_roster", "make_roster", "roster_to_csv",
    "agents_from_frame", "roster_frame",
]

# Columns of an agents table (agents_from_frame): the C++ field names of Agent, Contract and
# Preferences; only `agent` is required.
_CONTRACT_COLUMNS = ("min_week_s", "max_week_s", "max_days_per_week", "max_consecutive_days", "min_rest_s")


def _int_list(value) -> list:
    """A list of ints from a list, a ';'-separated string, or an empty cell."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [int(v) for v in value.split(";") if v.strip()]
    return [int(v) for v in value]


def agents_from_frame(frame, model: CoverageModel) -> list:
    """Agents from a DataFrame, one row per agent.

    Columns: ``agent`` (id, required); optional ``skill``, the contract fields ``min_week_s``,
    ``max_week_s``, ``max_days_per_week``, ``max_consecutive_days``, ``min_rest_s`` [s];
    ``templates`` (template names, a list or 'F8;N8'; empty: all); ``start_from_s`` and
    ``start_to_s`` (preferred start window, seconds from midnight); ``days_off`` (days of the
    horizon wished off) and ``unavailable`` (days of the horizon the agent cannot work), each a
    list or '3;10'. Missing cells take the C++ defaults. Raises ValueError on an unknown template.
    """
    import math

    names = {t.name: i for i, t in enumerate(model.templates)}
    days = int(round(model.num_intervals * model.interval_length / 86400.0))
    if "agent" not in frame.columns:
        raise ValueError("agents_from_frame: the frame needs an 'agent' column")
    out = []
    for row in frame.to_dict("records"):
        skill = row.get("skill")
        missing = skill is None or (isinstance(skill, float) and math.isnan(skill))
        a = Agent(id=str(row["agent"]), skill="" if missing else str(skill))
        c = a.contract
        for col in _CONTRACT_COLUMNS:
            v = row.get(col)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                setattr(c, col, int(v) if col in ("max_days_per_week", "max_consecutive_days") else float(v))
        tm = row.get("templates")
        if isinstance(tm, str):
            tm = [t for t in tm.split(";") if t.strip()]
        if tm is not None and not (isinstance(tm, float) and math.isnan(tm)):
            unknown = [t for t in tm if t not in names]
            if unknown:
                raise ValueError(f"agents_from_frame: agent {a.id!r}: unknown templates {unknown}")
            c.templates = [names[t] for t in tm]
        a.contract = c
        p = a.preferences
        for col in ("start_from_s", "start_to_s"):
            v = row.get(col)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                setattr(p, col, float(v))
        p.days_off = _int_list(row.get("days_off"))
        a.preferences = p
        off = _int_list(row.get("unavailable"))
        if off:
            windows = [DayWindow() for _ in range(days)]
            for d in off:
                if not 0 <= d < days:
                    raise ValueError(f"agents_from_frame: agent {a.id!r}: unavailable day {d} outside [0, {days})")
                windows[d] = DayWindow(earliest_start_s=0.0, latest_end_s=0.0)
            a.availability = windows
        out.append(a)
    return out


def roster_frame(roster: RosterResult, model: CoverageModel, origin=None):
    """The roster as a DataFrame, one row per agent-shift: agent, day, template, start, end,
    paid_hours, breaks (vocabulary columns; breaks as 'offset:1' per window joined by '|').

    ``start``/``end`` are pandas Timestamps from ``origin`` (the horizon start; default
    1970-01-01 00:00, as roster_to_csv writes).
    """
    import pandas as pd

    origin = pd.Timestamp("1970-01-01") if origin is None else pd.Timestamp(origin)
    cols = _roster_columns(roster)
    offsets = [x.break_offsets for a in roster.agents for x in a.assignments]
    names = [t.name for t in model.templates]
    return pd.DataFrame({
        "agent": cols["agent"],
        "day": pd.Series(cols["day"], dtype="int64"),
        "template": [names[i] for i in cols["template_index"]],
        "start": origin + pd.to_timedelta(pd.Series(cols["start_s"], dtype="float64"), unit="s"),
        "end": origin + pd.to_timedelta(pd.Series(cols["end_s"], dtype="float64"), unit="s"),
        "paid_hours": pd.Series(cols["paid_s"], dtype="float64") / 3600.0,
        "breaks": ["|".join(f"{o}:1" for o in offs) for offs in offsets],
    })


def plot_coverage(model: CoverageModel, schedule: Schedule, ax=None, hours: bool = True):
    """Plot the requirement against the scheduled coverage (matplotlib, imported lazily).

    x axis: interval start in hours (``hours=True``) or interval index. Returns the Axes.
    """
    import numpy as np
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3))
    n = model.num_intervals
    x = np.arange(n + 1) * (model.interval_length / 3600.0 if hours else 1.0)
    req = np.append(model.requirement, model.requirement[-1])
    cov = np.append(schedule.coverage, schedule.coverage[-1]) if len(schedule.coverage) else None
    ax.step(x, req, where="post", label="requirement", color="black", linewidth=1.0)
    if cov is not None:
        ax.step(x, cov, where="post", label="coverage", color="tab:blue", linewidth=1.0)
        ax.fill_between(x, req, cov, step="post", where=cov < req, color="tab:red", alpha=0.3,
                        label="under")
    ax.set_xlabel("hours from start" if hours else "interval")
    ax.set_ylabel("agents")
    ax.set_title(f"{schedule.status.name}: cost {schedule.cost:.2f}, gap {100 * schedule.gap:.3f} %")
    ax.legend(loc="upper right")
    return ax
