"""wfm.report: a plan as one self-contained HTML page a manager can send on.

Everything is inside the file: the figures are PNG images embedded as base64 data URIs, the
style sheet is inline, there is no script and no link to the network.
"""
from __future__ import annotations

import base64
import html
import io
import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["figures", "render_html", "write_report"]

_CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1150px;
       color: #222; background: #fff; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }
th { background: #f0f0f0; } td.l, th.l { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; }
p.note { color: #555; font-size: 0.9em; }
"""

#: Rows of the headline table: summary column, label, unit, format.
_HEADLINE = [("volume", "contacts offered", "contacts", "{:,.0f}"),
             ("headcount", "agents (weekly lines)", "agents", "{:,.0f}"),
             ("paid_hours", "paid hours", "h", "{:,.1f}"),
             ("cost", "cost of the schedule", "currency", "{:,.1f}"),
             ("gap", "gap to the lower bound", "fraction", "{:.4f}"),
             ("service_level", "service level", "fraction", "{:.3f}"),
             ("asa_s", "average speed of answer", "s", "{:.1f}"),
             ("abandon_rate", "abandon rate", "fraction", "{:.3f}"),
             ("occupancy", "occupancy", "fraction", "{:.3f}")]


def figures(plan) -> dict:
    """Title -> PNG bytes of each figure of the report (matplotlib's Agg canvas, no pyplot)."""
    from matplotlib.figure import Figure

    from . import _plots

    out = {}
    for title, fn, height in (("History and forecast", _plots.plot_forecast, 3.4),
                              ("Agents required and scheduled", _plots.plot_staffing, 3.4),
                              ("Service level per interval", _plots.plot_service_level, 3.4),
                              ("Schedule as coverage", _plots.plot_schedule, 3.6),
                              ("Weekly lines", _plots.plot_tours, None)):
        lines = plan.tours["line"].nunique() if len(plan.tours) else 0
        fig = Figure(figsize=(11, height or max(3.0, 0.12 * lines + 1.5)), layout="constrained")
        fn(plan, ax=fig.add_subplot())
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        out[title] = buf.getvalue()
    return out


def _cell(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "&ndash;"
    return html.escape(fmt.format(value))


def _headline(plan) -> str:
    s = plan.summary
    rows = ["<tr><th class='l'>quantity</th><th class='l'>unit</th><th>planned</th>"
            "<th>simulated</th><th>simulated 95 % interval</th></tr>"]
    for col, label, unit, fmt in _HEADLINE:
        p, m = s.loc["planned", col], s.loc["simulated", col]
        ci = "&ndash;"
        if col + "_lower" in s.columns and np.isfinite(s.loc["simulated", col + "_lower"]):
            ci = (f"{_cell(s.loc['simulated', col + '_lower'], fmt)} to "
                  f"{_cell(s.loc['simulated', col + '_upper'], fmt)}")
        rows.append(f"<tr><td class='l'>{label}</td><td class='l'>{unit}</td>"
                    f"<td>{_cell(p, fmt)}</td><td>{_cell(m, fmt)}</td><td>{ci}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _steps(plan) -> str:
    rows = ["<tr><th class='l'>step</th><th class='l'>status</th><th class='l'>note</th>"
            "<th>time [s]</th></tr>"]
    for step, (status, message) in plan.steps.items():
        rows.append(f"<tr><td class='l'>{html.escape(step)}</td><td class='l'>"
                    f"{html.escape(status)}</td><td class='l'>{html.escape(message)}</td>"
                    f"<td>{plan.seconds.get(step, float('nan')):.2f}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _versus(pva) -> str:
    """Plan versus actual (a wfm.kpi.PlanVsActual): the headline comparison."""
    rows = ["<tr><th class='l'>quantity</th><th class='l'>unit</th><th>planned</th>"
            "<th>measured</th><th>measured - planned</th></tr>",
            f"<tr><td class='l'>contacts offered</td><td class='l'>contacts</td>"
            f"<td>{_cell(pva.planned_volume, '{:,.0f}')}</td><td>{_cell(pva.volume, '{:,.0f}')}"
            f"</td><td>{_cell(pva.volume - pva.planned_volume, '{:+,.0f}')}</td></tr>",
            f"<tr><td class='l'>service level</td><td class='l'>fraction</td>"
            f"<td>{_cell(pva.planned_service_level, '{:.3f}')}</td>"
            f"<td>{_cell(pva.service_level, '{:.3f}')}</td>"
            f"<td>{_cell(pva.service_level_gap, '{:+.3f}')}</td></tr>"]
    return ("<table>" + "".join(rows) + "</table>"
            f"<p class='note'>Forecast error over the plan's intervals: WAPE "
            f"{_cell(pva.wape, '{:.3f}')} (sum of |measured - forecast| / sum of measured). "
            f"Service levels are volume-weighted means over the plan's intervals. Contacts "
            f"measured outside the plan's intervals: {_cell(pva.unplanned_volume, '{:,.0f}')}."
            "</p>")


def render_html(plan, title: str = "Contact-centre plan", actual=None) -> str:
    """The report as one HTML string; ``actual`` (a wfm.kpi.PlanVsActual, optional) adds a
    plan-versus-actual section."""
    from . import __version__

    fc = plan.forecast
    period = (f"{fc.index[0]:%a %Y-%m-%d %H:%M} to {fc.index[-1]:%a %Y-%m-%d %H:%M}"
              if len(fc) else "no open interval")
    goal = (f"{plan.service_level_goal:g} of contacts answered within {plan.target_time_s:g} s"
            if plan.service_level_goal is not None else "see the staffing goal")
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>",
             f"<p>{len(fc)} open {plan.interval_length_s / 60:g}-minute intervals, {period}. "
             f"Goal: {goal}. Plan status: <b>{html.escape(plan.status)}</b>.</p>",
             "<h2>Headline</h2>", _headline(plan),
             "<p class='note'>planned: the analytic queueing model at the agents required; "
             "simulated: the schedule itself, simulated interval by interval (carry-over, "
             "breaks, shift ends), mean over replications with its 95 % confidence interval. "
             "Fractions are in [0, 1].</p>",
             "<h2>Steps</h2>", _steps(plan)]
    if actual is not None:
        parts += ["<h2>Plan versus actual</h2>", _versus(actual)]
    for name, png in figures(plan).items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<h2>{html.escape(name)}</h2>"
                     f"<img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>")
    parts.append(f"<p class='note'>Made by wfm {html.escape(__version__)}.</p></body></html>")
    return "\n".join(parts)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_report(plan, path, actual=None) -> str:
    """Writes render_html(plan, actual=actual) to ``path`` atomically (a temporary file, then a
    rename)."""
    path = Path(path)
    text = render_html(plan, actual=actual)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".wfm-tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as an ordinary new file (mkstemp makes it 0600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(path)
