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
    to_roster,
)

__all__ = [
    "BreakWindow", "CheckReport", "CoverageModel", "Progress", "Schedule", "ShiftAssignment",
    "ShiftTemplate", "SolveStatus", "check_schedule", "coverage_to_csv", "parse_model_json",
    "read_model_json", "read_msd_dzn", "schedule_to_csv", "schedule_to_json", "solve", "solve_lp",
    "to_roster", "plot_coverage", "AgentShift", "Tour", "TourPlan", "build_tours",
    "GlobalServiceResult", "solve_global_service_level",
]


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
