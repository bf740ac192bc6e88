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

__all__ = ["figures", "render_html", "write_report", "capacity_section", "queues_section",
           "queue_figures"]

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
                              ("Forecast explained by day", _plots.plot_explanation, 3.8),
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


def _queue_quality(rows, channel: str) -> tuple:
    """(measure, planned, scheduled, scheduled 95 % interval) of a queue's summary rows."""
    p, m = rows.loc["planned"], rows.loc["scheduled"]
    if channel == "email":
        return ("within deadline", _cell(p["within_deadline_total"], "{:.3f}"),
                _cell(m["within_deadline_total"], "{:.3f}"), "exact")
    ci = "&ndash;"
    if np.isfinite(m["service_level_lower"]):
        ci = (f"{_cell(m['service_level_lower'], '{:.3f}')} to "
              f"{_cell(m['service_level_upper'], '{:.3f}')}")
    return ("service level", _cell(p["service_level"], "{:.3f}"),
            _cell(m["service_level"], "{:.3f}"), ci)


def queues_section(plan) -> str:
    """Every queue of the plan (Plan.queue_summary: phone, chat, email), one row each: channel,
    status, volume, agent hours required against scheduled (on the phones, net of breaks and
    shrinkage) and the intervals the schedule leaves short, the schedule's headcount, paid
    hours and cost; the planned service level against the simulated one with its 95 %
    interval (phone, chat) or the share within the deadline planned against that of the
    scheduled staff (email), with the largest backlog and the oldest item's age."""
    qs = getattr(plan, "queue_summary", None)
    if qs is None or not len(qs):
        return ""
    q = plan.queues
    rows = []
    for name in dict.fromkeys(qs.index.get_level_values("queue")):
        r = qs.loc[name]
        channel = str(r["channel"].iloc[0])
        g = q[q["queue"] == name]
        short = int((g["agents"].astype(float) <
                     g["agents_required_gross"].astype(float) - 1e-9).sum())
        hours = [r.loc[k, "staffed_s"] / 3600.0 for k in ("planned", "scheduled")]
        measure, planned, scheduled, ci = _queue_quality(r, channel)
        email = channel == "email"
        rows.append([html.escape(str(name)), html.escape(channel),
                     html.escape(str(r["status"].iloc[0])),
                     _cell(float(r.loc["planned", "volume"]), "{:,.0f}"),
                     _cell(hours[0], "{:,.1f}"), _cell(hours[1], "{:,.1f}"), str(short),
                     _cell(r.loc["scheduled", "headcount"], "{:,.0f}"),
                     _cell(r.loc["scheduled", "paid_hours"], "{:,.1f}"),
                     _cell(r.loc["scheduled", "cost"], "{:,.1f}"), measure, planned,
                     scheduled, ci,
                     _cell(r.loc["scheduled", "backlog"] if email else None, "{:,.1f}"),
                     _cell(r.loc["scheduled", "oldest_age_s"] / 3600.0 if email else None,
                           "{:.2f}")])
    head = ["queue", "channel", "status", "volume", "agent-hours required",
            "agent-hours scheduled", "intervals short", "headcount", "paid hours", "cost",
            "measure", "planned", "scheduled", "scheduled 95 % interval", "largest backlog",
            "oldest item [h]"]
    left, cls = {"queue", "channel", "status", "measure"}, " class='l'"
    th = "".join(f"<th{cls if h in left else ''}>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td{cls if h in left else ''}>{c}</td>"
                                    for h, c in zip(head, r)) + "</tr>" for r in rows)
    return ("<h2>Queues</h2><table><tr>" + th + "</tr>" + body + "</table><p class='note'>"
            "Each queue has its own forecast, staffing model, schedule and check: phone with "
            "Erlang C/A, simulated; chat with concurrency (wfm.queueing.ChatConcurrency), "
            "simulated with agents holding several chats; email / back office with the "
            "backlog model and its deadline, evaluated exactly on the scheduled agents. "
            "Agent-hours: on the phones (net of breaks and shrinkage), required by the model "
            "against the schedule's; intervals short: where the schedule has fewer agents "
            "than the gross requirement. Service level: volume-weighted, planned at the "
            "agents required, simulated on the schedule. Within deadline: the share of items "
            "done within the deadline over the horizon; largest backlog [items] and oldest "
            "item: on the scheduled agents.</p>")


def queue_figures(plan) -> dict:
    """Title -> PNG bytes: per chat / email queue, its agents required and scheduled, and
    (chat) its service level per interval, planned and simulated."""
    from . import _plots

    out = {}
    for name, sub in getattr(plan, "queue_plans", {}).items():
        out[f"Agents required and scheduled: {name}"] = _png(
            lambda ax, p=sub: _plots.plot_staffing(p, ax=ax), 3.0)
        if "service_level_lower" in sub.simulation.columns:
            out[f"Service level per interval: {name}"] = _png(
                lambda ax, p=sub: _plots.plot_service_level(p, ax=ax), 3.0)
    return out


def _steps(plan) -> str:
    rows = ["<tr><th class='l'>step</th><th class='l'>status</th><th class='l'>note</th>"
            "<th>time [s]</th></tr>"]
    for step, (status, message) in plan.steps.items():
        rows.append(f"<tr><td class='l'>{html.escape(step)}</td><td class='l'>"
                    f"{html.escape(status)}</td><td class='l'>{html.escape(message)}</td>"
                    f"<td>{plan.seconds.get(step, float('nan')):.2f}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _layer(plan) -> str:
    """Events and overrides: per day, what the model said and what the plan uses."""
    ex = plan.explanation
    if not len(ex):
        return "<p class='note'>No forecast explanation (the forecast step did not run).</p>"
    changed = ex[(ex["event"] != "") | (ex["override"] != "")]
    if not len(changed):
        return ("<p class='note'>No events or overrides: the plan uses the model's forecast "
                "as it is.</p>")
    rows = ["<tr><th class='l'>date</th><th>model [contacts]</th><th>final [contacts]</th>"
            "<th>change</th><th class='l'>event</th><th class='l'>override</th></tr>"]
    for date, r in changed.iterrows():
        change = (r["day_volume"] / r["model_day_volume"] - 1.0
                  if r["model_day_volume"] > 0 else float("nan"))
        rows.append(f"<tr><td class='l'>{date:%a %Y-%m-%d}</td>"
                    f"<td>{_cell(r['model_day_volume'], '{:,.0f}')}</td>"
                    f"<td>{_cell(r['day_volume'], '{:,.0f}')}</td>"
                    f"<td>{_cell(change, '{:+.1%}')}</td>"
                    f"<td class='l'>{html.escape(r['event'])}</td>"
                    f"<td class='l'>{html.escape(r['override'])}</td></tr>")
    return ("<table>" + "".join(rows) + "</table><p class='note'>model: the statistical "
            "forecast of the day's open intervals; final: after events (uplifts) and the "
            "manager's overrides, which the staffing uses. Where overrides overlap, the later "
            "one wins.</p>")


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


def _png(fn, height: float) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, height), layout="constrained")
    fn(ax=fig.add_subplot())
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return buf.getvalue()


def _img(name: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f"<h2>{html.escape(name)}</h2>"
            f"<img alt='{html.escape(name)}' src='data:image/png;base64,{data}'>")


def _table(rows, header) -> str:
    out = ["<tr>" + "".join(f"<th class='l'>{html.escape(h)}</th>" for h in header) + "</tr>"]
    for r in rows:
        out.append("<tr>" + "".join(f"<td class='l'>{html.escape(str(c))}</td>" for c in r) + "</tr>")
    return "<table>" + "".join(out) + "</table>"


def capacity_section(cap) -> str:
    """The capacity plan (wfm.capacity.CapacityPlan) as HTML: headline, requirement factors,
    hiring classes, what-if table and the requirement-vs-available-FTE figure."""
    from . import capacity

    w = cap.weeks
    run = cap.classes[cap.classes["class_size"] > 0] if len(cap.classes) else cap.classes
    head = [("status", cap.status), ("cost", f"{cap.cost:,.0f}"),
            ("lower bound / gap", f"{cap.lower_bound:,.0f} / {cap.gap:.2g}"),
            ("weeks", len(w)), ("paid FTE required (mean)", f"{w['fte_required'].mean():.1f}"),
            ("productive FTE required (mean)", f"{w['fte_productive_required'].mean():.1f}"),
            ("scheduling efficiency", f"{w['scheduling_efficiency'].mean():.3f}"),
            ("shrinkage (mean)", f"{w['shrinkage'].mean():.3f}"),
            ("hires", f"{cap.classes['class_size'].sum() if len(cap.classes) else 0:g} in {len(run)} classes"),
            ("weeks short", int((w["fte_gap"] > 1e-6).sum())),
            ("worst FTE gap", f"{w['fte_gap'].max():.2f}")]
    head += [(k.replace("_", " "), f"{v:,.0f}") for k, v in cap.cost_parts.items()]
    if "volume_mean" in w.columns:
        head.append(("volume planned", "a quantile of the forecast (chance goal): volume, not volume_mean"))
    if cap.message:
        head.append(("message", cap.message))
    parts = ["<h2>Capacity plan</h2>", _table(head, ("quantity", "value"))]
    shrink = [c for c in w.columns if c.startswith("shrinkage_")]
    if shrink:
        parts.append("<p class='note'>shrinkage by category (mean share of paid time): " +
                     ", ".join(f"{html.escape(c[10:])} {w[c].mean():.3f}" for c in shrink) + "</p>")
    if len(run):
        parts.append(_table([(int(r.start_week), int(r.class_size)) for r in run.itertuples()],
                            ("start_week", "class_size")))
    if len(cap.what_if):
        cols = [c for c in ("status", "fte_required", "hires", "cost", "fte_gap") if c in cap.what_if.columns]
        rows = [(name, *(f"{v:,.2f}" if isinstance(v, float) else v for v in r))
                for name, r in zip(cap.what_if.index, cap.what_if[cols].itertuples(index=False))]
        parts.append("<h2>What-if scenarios</h2>" + _table(rows, ("scenario", *cols)))
    parts.append(_img("Requirement vs available FTE",
                      _png(lambda ax: capacity.plot(cap, ax=ax), 3.6)))
    return "\n".join(parts)


def render_html(plan, title: str = "Contact-centre plan", actual=None, capacity=None) -> str:
    """The report as one HTML string; ``actual`` (a wfm.kpi.PlanVsActual, optional) adds a
    plan-versus-actual section, ``capacity`` (a wfm.capacity.CapacityPlan) a capacity section
    after the figures."""
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
             "<h2>Headline" + (" (phone queue)" if len(getattr(plan, "queue_plans", {})) else "")
             + "</h2>", _headline(plan),
             "<p class='note'>planned: the analytic queueing model at the agents required; "
             "simulated: the schedule itself, simulated interval by interval (carry-over, "
             "breaks, shift ends), mean over replications with its 95 % confidence interval. "
             "Fractions are in [0, 1].</p>",
             queues_section(plan),
             "<h2>Steps</h2>", _steps(plan),
             "<h2>Events and overrides: model versus final</h2>", _layer(plan)]
    if actual is not None:
        parts += ["<h2>Plan versus actual</h2>", _versus(actual)]
    for name, png in {**figures(plan), **queue_figures(plan)}.items():
        parts.append(_img(name, png))
    if capacity is not None:
        parts.append(capacity_section(capacity))
    parts.append(f"<p class='note'>Made by wfm {html.escape(__version__)}.</p></body></html>")
    return "\n".join(parts)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_report(plan, path, actual=None, capacity=None) -> str:
    """Writes render_html(plan, actual=actual, capacity=capacity) to ``path`` atomically (a
    temporary file, then a rename)."""
    path = Path(path)
    text = render_html(plan, actual=actual, capacity=capacity)
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
