"""Matplotlib figures of a wfm.Plan (imported lazily by Plan.plot_* and wfm.report).

Time axes show local wall-clock dates and times (the history's zone); closed hours are gaps.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _axes(ax, height: float = 3.2):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(11, height), layout="constrained")
    return ax


def _wall(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return index.tz_localize(None) if index.tz is not None else index


def _gapped(index: pd.DatetimeIndex, length: float, *columns):
    """Step-plot data: x = interval starts (wall clock) with each run's end appended and a NaN
    row after it, so closed hours show as gaps."""
    utc = index.tz_convert("UTC") if index.tz is not None else index
    wall = _wall(index).to_numpy(dtype="datetime64[ns]")
    step = np.timedelta64(int(round(length * 1e9)), "ns")
    gaps = np.diff(utc.to_numpy(dtype="datetime64[ns]")) != step
    ends = np.concatenate((np.flatnonzero(gaps), [len(index) - 1])) if len(index) else []
    cols = [np.asarray(c, dtype=float) for c in columns]
    xs, ys, prev = [], [[] for _ in cols], 0
    for e in ends:  # one run of consecutive intervals: its starts, its end, then a break
        xs += [wall[prev:e + 1], [wall[e] + step, wall[e] + step]]
        for y, c in zip(ys, cols):
            y += [c[prev:e + 1], [c[e], np.nan]]
        prev = e + 1
    if not xs:
        return (np.array([], dtype="datetime64[ns]"), *[np.array([]) for _ in cols])
    return (np.concatenate(xs).astype("datetime64[ns]"), *[np.concatenate(y) for y in ys])


def _time_axis(ax, title: str, ylabel: str) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("local date and time")
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=11)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)


def plot_forecast(plan, ax=None, history_days: int = 14):
    """The last ``history_days`` of history and the forecast with its prediction band."""
    ax = _axes(ax)
    length = plan.interval_length_s
    hist = plan.history
    if len(hist) and history_days:
        hist = hist[hist.index >= hist.index[-1] - pd.Timedelta(days=history_days)]
        x, y = _gapped(hist.index, length, hist["volume"])
        ax.step(x, y, where="post", color="0.35", linewidth=0.8, label="history")
    fc = plan.forecast
    if len(fc):
        x, lo, hi, mid = _gapped(fc.index, length, fc["volume_lower"], fc["volume_upper"],
                                 fc["volume"])
        ax.fill_between(x, lo, hi, step="post", color="tab:blue", alpha=0.25, linewidth=0,
                        label=f"{plan.level:g} prediction interval")
        ax.step(x, mid, where="post", color="tab:blue", linewidth=1.0, label="forecast")
    _time_axis(ax, "History and forecast",
               f"contacts per {length / 60:g}-minute interval")
    return ax


def plot_staffing(plan, ax=None):
    """Agents required per interval (net and gross of shrinkage) against the schedule's."""
    ax = _axes(ax)
    cov = plan.coverage
    if len(cov):
        x, req, gross, sched = _gapped(cov.index, plan.interval_length_s,
                                       cov["agents_required"], cov["agents_required_gross"],
                                       cov["agents"])
        ax.step(x, sched, where="post", color="tab:green", linewidth=1.0,
                label="scheduled (on the phones, net of breaks)")
        if not np.allclose(np.nan_to_num(req), np.nan_to_num(gross)):
            ax.step(x, gross, where="post", color="tab:orange", linewidth=0.8,
                    label="required, gross of shrinkage")
        ax.step(x, req, where="post", color="black", linewidth=0.8, label="required")
    _time_axis(ax, "Agents required and scheduled", "agents")
    return ax


def plot_service_level(plan, ax=None):
    """Service level per interval: analytic (the plan's requirement) against the simulation
    of the schedule with its 95 % confidence band."""
    ax = _axes(ax)
    st, sim = plan.staffing, plan.simulation
    length = plan.interval_length_s
    if len(sim):
        x, lo, hi, mid = _gapped(sim.index, length, sim["service_level_lower"],
                                 sim["service_level_upper"], sim["service_level"])
        ax.fill_between(x, lo, hi, step="post", color="tab:red", alpha=0.2, linewidth=0,
                        label="simulated, 95 % confidence interval")
        ax.step(x, mid, where="post", color="tab:red", linewidth=0.9,
                label="simulated (the schedule)")
    if len(st):
        x, sl = _gapped(st.index, length, st["service_level"])
        ax.step(x, sl, where="post", color="black", linewidth=0.8,
                label="analytic (agents required)")
    if plan.service_level_goal is not None:
        ax.axhline(plan.service_level_goal, color="0.5", linestyle="--", linewidth=0.8,
                   label="goal")
    ax.set_ylim(0, 1.02)
    _time_axis(ax, f"Service level: share answered within {plan.target_time_s:g} s",
               "service level (fraction)")
    return ax


def plot_schedule(plan, ax=None):
    """The schedule as a coverage chart: agents on shift per interval stacked by template,
    the agents on the phones (net of breaks) and the requirement."""
    ax = _axes(ax)
    cov, sch = plan.coverage, plan.schedule
    length = plan.interval_length_s
    if len(cov) and len(sch):
        t = cov.index
        names = list(dict.fromkeys(sch["template"]))
        layers = []
        for name in names:
            rows = sch[sch["template"] == name]
            on = np.zeros(len(t))
            for start, end, n in zip(rows["start"], rows["end"], rows["agents"]):
                on += n * ((t >= start) & (t < end))
            layers.append(on)
        x, *ys = _gapped(t, length, *np.cumsum(layers, axis=0), cov["agents"],
                         cov["agents_required_gross"])
        base = np.where(np.isnan(ys[0]), np.nan, 0.0)
        for name, top in zip(names, ys[:len(names)]):
            ax.fill_between(x, base, top, step="post", alpha=0.45, linewidth=0,
                            label=f"on shift: {name}")
            base = top
        ax.step(x, ys[-2], where="post", color="tab:green", linewidth=0.9,
                label="on the phones (net of breaks)")
        ax.step(x, ys[-1], where="post", color="black", linewidth=0.8, label="required")
    _time_axis(ax, "Schedule: coverage by shift template", "agents")
    return ax


def plot_tours(plan, ax=None):
    """The weekly lines of work: one row per line, one bar per shift worked."""
    import matplotlib.dates as mdates

    tours = plan.tours
    ax = _axes(ax, height=max(3.0, 0.12 * (tours["line"].nunique() if len(tours) else 0) + 1.5))
    colours = {}
    for name, rows in (tours.groupby("template", sort=False) if len(tours) else ()):
        colour = colours.setdefault(name, f"C{len(colours)}")
        starts = mdates.date2num(_wall(pd.DatetimeIndex(rows["start"])).to_pydatetime())
        ends = mdates.date2num(_wall(pd.DatetimeIndex(rows["end"])).to_pydatetime())
        ax.barh(rows["line"].to_numpy(), ends - starts, left=starts, height=0.7,
                color=colour, label=name)
    ax.xaxis_date()
    ax.invert_yaxis()
    _time_axis(ax, "Weekly lines of work (days off in one block)", "weekly line")
    return ax


#: The multiplicative steps of a forecast day (wfm.forecast.explain), in the order applied:
#: column, legend label, colour.
_EXPLANATION_STEPS = (("weekday_effect", "x weekday effect", "tab:blue"),
                      ("day_of_month_effect", "x day-of-month effect", "tab:cyan"),
                      ("special_effect", "x special-day effect", "tab:purple"),
                      ("event_factor", "x event uplift", "tab:orange"),
                      ("override_factor", "x manager's override", "tab:red"))


def plot_explanation(plan, ax=None):
    """Why each forecast day has its volume, as a waterfall per day: the week's base volume,
    then one floating bar per multiplicative component (weekday, day of month, special day,
    event, override) from the running total before it to the one after, then the final day
    total. Bars of a component that is 1 have no height."""
    ax = _axes(ax, height=3.8)
    ex = plan.explanation
    n_bars = len(_EXPLANATION_STEPS) + 2
    width = 0.84 / n_bars
    labelled = set()

    def bar(k, j, bottom, height, colour, label):
        ax.bar(k - 0.42 + width * (j + 0.5), height, width, bottom=bottom, color=colour,
               label=None if label in labelled else label)
        labelled.add(label)

    for k, row in enumerate(ex.itertuples()):
        value = float(row.base_volume)
        bar(k, 0, 0.0, value, "0.65", "base volume (the week's level)")
        for j, (col, label, colour) in enumerate(_EXPLANATION_STEPS, start=1):
            new = value * float(getattr(row, col))
            bar(k, j, value, new - value, colour, label)
            value = new
        bar(k, n_bars - 1, 0.0, float(row.day_volume), "black", "final day volume")
        note = "; ".join(x for x in (row.event, row.override) if x)
        if note:
            ax.annotate(note if len(note) <= 40 else note[:37] + "...",
                        (k, float(row.day_volume)), textcoords="offset points", xytext=(0, 4),
                        ha="center", fontsize=7, rotation=0)
    ax.set_xticks(range(len(ex)))
    ax.set_xticklabels([f"{d:%a %m-%d}" for d in ex.index], fontsize=8)
    ax.set_xlabel("forecast day")
    ax.set_ylabel("contacts per day")
    ax.set_title("Forecast explained by day: base x weekday x special day x event x override",
                 loc="left", fontsize=11)
    ax.grid(alpha=0.3, axis="y")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)
    return ax
