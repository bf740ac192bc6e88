"""Public entry points of wfm with a valid baseline call each, for the hardening suites
(test_hardening_inputs.py: hostile arguments in subprocesses; test_hardening_threads.py:
8 threads against serial results).

An entry is ``ENTRIES[name] = (call, baseline)``: ``call(**kwargs)`` runs the entry point on
keyword arguments (scalars, or lists for per-interval arrays) and returns a flat dict of its
outputs (numbers and status strings). Every output number must be a number, never NaN.
"""
from __future__ import annotations

import math

import numpy as np


def _q():
    from wfm import queueing
    return queueing


def erlang_c(arrival_rate, handle_time, agents, target_time):
    q = _q().ErlangC(arrival_rate=arrival_rate, handle_time=handle_time)
    return {"wait_probability": q.wait_probability(agents),
            "service_level": q.service_level(agents, target_time=target_time),
            "asa_s": q.average_speed_of_answer(agents), "occupancy": q.occupancy(agents)}


def erlang_a(arrival_rate, handle_time, patience, agents, target_time):
    q = _q().ErlangA(arrival_rate=arrival_rate, handle_time=handle_time, patience=patience)
    out = {"wait_probability": q.wait_probability(agents),
           "abandon": q.abandon_probability(agents), "occupancy": q.occupancy(agents),
           "asa_s": q.average_speed_of_answer(agents),
           "asa_answered_s": q.average_speed_of_answer(agents, over="answered")}
    for d in ("answered_within", "wait_within", "virtual_wait_within", "answered_given_answered"):
        out["sl_" + d] = q.service_level(agents, target_time=target_time, definition=d)
    return out


def erlang_b(arrival_rate, handle_time, agents):
    q = _q().ErlangB(arrival_rate=arrival_rate, handle_time=handle_time)
    return {"blocking": q.blocking_probability(agents), "occupancy": q.occupancy(agents)}


def _staffing(r):
    return {"agents": r.agents_required, "status": r.status.name, "service_level": r.service_level,
            "asa_s": r.asa_s, "abandon": r.abandon_rate,
            "occupancy": r.occupancy}


def required_agents_c(arrival_rate, handle_time, service_level, target_time, max_agents):
    q = _q()
    return _staffing(q.required_agents(
        q.ErlangC(arrival_rate=arrival_rate, handle_time=handle_time),
        q.StaffingGoal(service_level=service_level, target_time=target_time),
        max_agents=max_agents))


def required_agents_a(arrival_rate, handle_time, patience, service_level, target_time,
                      max_agents):
    q = _q()
    return _staffing(q.required_agents(
        q.ErlangA(arrival_rate=arrival_rate, handle_time=handle_time, patience=patience),
        q.StaffingGoal(service_level=service_level, target_time=target_time),
        max_agents=max_agents))


def plan_horizon(volumes, handle_times, interval_length, patience, shrinkage, max_agents):
    q = _q()
    p = q.plan_horizon(volumes=np.asarray(volumes, float),
                       handle_times=np.asarray(handle_times, float),
                       interval_length=interval_length, goal=q.StaffingGoal(service_level=0.8),
                       patience=np.asarray([patience], float), shrinkage=shrinkage,
                       max_agents=max_agents)
    out = {}
    for k, v in p.items():
        for i, x in enumerate(np.asarray(v).ravel()):
            out[f"{k}[{i}]"] = x if not isinstance(x, (bytes, str)) else str(x)
    return out


def _model(requirement, cost, fixed_cost, interval_length, under_cost, over_cost,
           max_headcount, min_headcount, hard_cover):
    from wfm import schedule
    n = len(requirement)
    t = [schedule.ShiftTemplate(name="F", length=8, cost=cost, starts=list(range(n - 7)),
                                fixed_cost=fixed_cost,
                                breaks=[schedule.BreakWindow(length=1, earliest_offset=3,
                                                             latest_offset=4)]),
         schedule.ShiftTemplate(name="P", length=4, cost=4.4, starts=list(range(n - 3)))]
    return schedule.CoverageModel(requirement=np.asarray(requirement, float), templates=t,
                                  interval_length=interval_length, under_cost=under_cost,
                                  over_cost=over_cost, max_headcount=max_headcount,
                                  min_headcount=min_headcount, hard_cover=hard_cover)


def _schedule_out(s):
    out = {"status": s.status.name, "headcount": s.headcount}
    if s.status.name in ("optimal", "feasible"):
        out.update(cost=s.cost, lower_bound=s.lower_bound)
    return out


def schedule_solve(requirement, cost, fixed_cost, interval_length, under_cost, over_cost,
                   max_headcount, min_headcount, hard_cover, seed=0):
    from wfm import schedule
    m = _model(requirement, cost, fixed_cost, interval_length, under_cost, over_cost,
               max_headcount, min_headcount, hard_cover)
    s = schedule.solve(m, time_limit=5.0, seed=seed, lns_iterations=2)
    out = _schedule_out(s)
    if s.shifts:  # every schedule is written and checked against its own model
        out["csv_rows"] = schedule.schedule_to_csv(m, s).count("\n")
        out["roster_shifts"] = len(schedule.to_roster(m, s)["shifts"])
        out["valid"] = int(schedule.check_schedule(m, s).valid)
    return out


def global_service_level(arrival_rate, handle_time, fraction, target_time, floor):
    from wfm import schedule
    n = len(arrival_rate)
    m = _model([0.0] * n, 8.0, 0.0, 900.0, 0.0, 0.0, -1, 0, True)
    r = schedule.solve_global_service_level(
        m, arrival_rate=np.asarray(arrival_rate, float), handle_time=handle_time,
        fraction=fraction, target_time=target_time, floor=floor, time_limit=4.0)
    out = _schedule_out(r.schedule)
    out.update(global_service_level=r.global_service_level, saving=r.saving,
               per_interval_global_service_level=r.per_interval_global_service_level)
    return out


def _sim_out(r):
    t = r.total
    return {"volume": t.volume.value, "answered": t.answered.value,
            "abandon": t.abandon_rate.value, "asa_s": t.asa_s.value,
            "occupancy": t.occupancy.value, "sl": t.service_level[0].value}


def simulate(interval_length, arrival_rate, aht, agents, replications, warmup, target_time,
             patience, seed=1, threads=0):
    from wfm import simulation
    r = simulation.simulate(
        interval_length=interval_length, arrival_rate=np.asarray(arrival_rate, float),
        handle_time=simulation.Distribution.exponential(mean=aht),
        patience=simulation.Distribution.exponential(mean=patience),
        agents=np.asarray(agents, float), replications=replications, warmup=warmup,
        target_times=[target_time], seed=seed, threads=threads)
    return _sim_out(r)


def simulated_queue(arrival_rate, aht, horizon, warmup, agents, target_time):
    from wfm import simulation
    q = simulation.SimulatedQueue(
        arrival_rate=arrival_rate, handle_time=simulation.Distribution.lognormal(mean=aht, cv=1.0),
        options=simulation.SimulatedQueueOptions(horizon=horizon, warmup=warmup, replications=2,
                                                 threads=1))
    return {"sl": q.service_level(agents, target_time)}


def simulate_frame(volume, aht_s, agents, interval_length):
    import pandas as pd
    from wfm import simulation
    df = pd.DataFrame({"volume": volume, "aht_s": aht_s, "agents": agents})
    f = simulation.simulate_frame(df, interval_length=interval_length,
                                  handle_time=simulation.Distribution.exponential(mean=180.0),
                                  replications=3, seed=2, threads=1)
    return {f"{c}[{i}]": float(v) for c in f.columns for i, v in enumerate(f[c])
            if np.issubdtype(f[c].dtype, np.number)}


def _history(values, days=28):
    import pandas as pd
    idx = pd.date_range("2024-01-01", periods=days * 48, freq="30min")
    base = 20.0 + 10.0 * np.sin(np.arange(days * 48) * 2 * np.pi / 48) ** 2
    v = base.copy()
    for i, x in enumerate(values):
        v[100 + 37 * i] = x
    return pd.Series(v, index=idx)


def forecast_fit(values, half_life_weeks, average_weeks, aht_value):
    import pandas as pd
    from wfm import forecast
    h = _history(values)
    aht = pd.Series(180.0, index=h.index)
    aht.iloc[200] = aht_value
    f = forecast.fit(h, aht=aht, method="weekly_average", half_life_weeks=half_life_weeks,
                     average_weeks=average_weeks, backtest_origins=0)
    at = pd.date_range(h.index[-1] + pd.Timedelta("30min"), periods=48, freq="30min")
    res = f.forecast(forecast.to_seconds(at))
    out = {}
    for k, v in res.items():
        arr = np.asarray(v)
        if arr.dtype.kind == "f":
            for i, x in enumerate(arr.ravel()[:48]):
                out[f"{k}[{i}]"] = float(x)
    return out


def parse_model_json(demand, cost, interval_minutes, max_agents):
    import json
    from wfm import schedule
    text = json.dumps({"interval_minutes": interval_minutes, "demand": demand,
                       "shift_templates": [{"name": "S", "length": 2, "cost": cost,
                                            "starts": {"from": 0, "to": len(demand) - 2},
                                            "max_agents": max_agents}]})
    m = schedule.parse_model_json(text, "fuzz.json")
    s = schedule.solve(m, time_limit=3.0, lns_iterations=1)
    return _schedule_out(s)


def _general_patience_out(g, agents, target_time):
    m = g.metrics(agents, target_time=target_time)
    return {"wait_probability": m.wait_probability, "sl": m.service_level, "asa_s": m.asa_s,
            "abandon": m.abandon_rate, "occupancy": m.occupancy, "status": m.status}


def general_patience_gamma(arrival_rate, handle_time, mean, shape, agents, target_time):
    q = _q()
    g = q.GeneralPatience(arrival_rate=arrival_rate, handle_time=handle_time,
                          patience=q.PatienceDistribution.gamma(mean, shape))
    return _general_patience_out(g, agents, target_time)


def general_patience_lognormal(mean, cv, agents, target_time):
    q = _q()
    g = q.GeneralPatience(arrival_rate=0.1, handle_time=180.0,
                          patience=q.PatienceDistribution.lognormal(mean, cv))
    return _general_patience_out(g, agents, target_time)


def general_patience_weibull(mean, k, agents, target_time):
    q = _q()
    g = q.GeneralPatience(arrival_rate=0.1, handle_time=180.0,
                          patience=q.PatienceDistribution.weibull(mean, k))
    return _general_patience_out(g, agents, target_time)


def general_patience_piecewise(arrival_rate, knots, hazard, agents, target_time):
    q = _q()
    g = q.GeneralPatience(arrival_rate=arrival_rate, handle_time=180.0,
                          patience=q.PatienceDistribution.piecewise_hazard(knots, hazard))
    return _general_patience_out(g, agents, target_time)


def patience_from_survival(times, survival, tail_hazard, agents):
    q = _q()
    law = q.PatienceDistribution.from_survival(times, survival, tail_hazard)
    g = q.GeneralPatience(arrival_rate=0.1, handle_time=180.0, patience=law)
    return dict(_general_patience_out(g, agents, 20.0), mean=law.mean)


def _with_status(metrics, values):
    """`values` (name -> number) and the status; the numbers only with a usable result: a NaN
    is allowed only behind a status that says so (not ok), never silently."""
    out = {"status": str(metrics.status)}
    if out["status"] in ("ok", "Status.ok"):
        out.update(values)
    return out


def blending(arrival_rate, handle_time, outbound_handle_time, patience, reserve, agents,
             target_time):
    q = _q()
    b = q.Blending(arrival_rate=arrival_rate, handle_time=handle_time,
                   outbound_handle_time=outbound_handle_time, patience=patience, reserve=reserve)
    m = b.metrics(agents, target_time=target_time)
    return _with_status(m, {"wait_probability": m.wait_probability, "sl": m.service_level,
                            "asa_s": m.asa_s, "abandon": m.abandon_rate,
                            "occupancy": m.occupancy, "outbound_throughput": m.outbound_throughput,
                            "queue_length": m.queue_length})


def blending_staffing(arrival_rate, handle_time, outbound_handle_time, patience, agents,
                      service_level, target_time):
    q = _q()
    b = q.Blending(arrival_rate=arrival_rate, handle_time=handle_time,
                   outbound_handle_time=outbound_handle_time, patience=patience, reserve=1)
    goal = q.StaffingGoal(service_level=service_level, target_time=target_time)
    t = q.best_threshold(b, agents=agents, goal=goal)
    out = {"threshold_status": str(t.status), "reserve": t.reserve}
    out.update({"threshold_" + k: v for k, v in _with_status(t.metrics, {
        "sl": t.metrics.service_level, "outbound_throughput": t.metrics.outbound_throughput,
        "occupancy": t.metrics.occupancy}).items()})
    out.update(_staffing(q.required_agents(b, goal, max_agents=100_000)))
    return out


def evaluate_staffing(volumes, agents, interval_length, handle_time, patience, target_time):
    import pandas as pd
    q = _q()
    df = pd.DataFrame({"volume": np.asarray(volumes, float), "agents": np.asarray(agents, float)})
    r = q.evaluate_staffing(df, interval_length=interval_length, handle_time=handle_time,
                            patience=patience, service_level=0.8, target_time=target_time)
    out = {"status": r.attrs["status"]}
    for i, status in enumerate(r["status"]):
        out[f"status[{i}]"] = str(status)
        if str(status) != "ok":  # no value behind time_limit / not_converged (NaN)
            continue
        for key, column in (("sl", "service_level"), ("wait_probability", "wait_probability"),
                            ("abandon", "abandon_rate"), ("occupancy", "occupancy"),
                            ("queue_length", "queue_length")):
            out[f"{key}[{i}]"] = float(r[column].iloc[i])
    return out


def erlang_x_retrial(arrival_rate, handle_time, patience, lines, redial_probability,
                     redial_delay, agents, target_time):
    q = _q()
    x = q.ErlangXRetrial(arrival_rate=arrival_rate, handle_time=handle_time, patience=patience,
                         lines=lines, redial_probability=redial_probability,
                         redial_delay=redial_delay)
    m = x.metrics(agents, target_time=target_time)
    # not_converged still carries numbers (the truncated chain, or the fixed point): all checked
    return {"status": m.status, "blocking": m.blocking_rate, "abandon": m.abandon_rate,
            "sl": m.service_level, "sl_customer": m.customer_service_level,
            "lost_fraction": m.lost_rate, "wait_probability": m.wait_probability,
            "occupancy": m.occupancy, "asa_s": m.asa_s, "mean_orbit": m.mean_orbit,
            "effective_arrival_rate": m.effective_arrival_rate}


# name -> (function, baseline keyword arguments). Lists are per-interval arrays: a hostile
# value replaces one element.
ENTRIES = {
    "erlang_c": (erlang_c, dict(arrival_rate=100 / 1800, handle_time=180.0, agents=14.0,
                                target_time=20.0)),
    "erlang_a": (erlang_a, dict(arrival_rate=100 / 1800, handle_time=180.0, patience=120.0,
                                agents=14.0, target_time=20.0)),
    "erlang_b": (erlang_b, dict(arrival_rate=100 / 1800, handle_time=180.0, agents=14.0)),
    "required_agents_c": (required_agents_c, dict(arrival_rate=100 / 1800, handle_time=180.0,
                                                  service_level=0.8, target_time=20.0,
                                                  max_agents=1_000_000)),
    "required_agents_a": (required_agents_a, dict(arrival_rate=100 / 1800, handle_time=180.0,
                                                  patience=120.0, service_level=0.8,
                                                  target_time=20.0, max_agents=1_000_000)),
    "plan_horizon": (plan_horizon, dict(volumes=[100.0, 120.0, 0.0], handle_times=[180.0],
                                        interval_length=1800.0, patience=120.0, shrinkage=0.3,
                                        max_agents=1_000_000)),
    "schedule_solve": (schedule_solve, dict(requirement=[1, 2, 3, 3, 2, 2, 3, 4, 3, 2, 1, 1.5],
                                            cost=8.0, fixed_cost=0.0, interval_length=1800.0,
                                            under_cost=0.0, over_cost=0.1, max_headcount=-1,
                                            min_headcount=0, hard_cover=True)),
    "global_service_level": (global_service_level, dict(
        arrival_rate=[0.01, 0.02, 0.03, 0.03, 0.02, 0.02, 0.03, 0.04, 0.03, 0.02, 0.01, 0.01],
        handle_time=180.0, fraction=0.8, target_time=20.0, floor=0.0)),
    "simulate": (simulate, dict(interval_length=1800.0, arrival_rate=[0.05, 0.06], aht=180.0,
                                agents=[12, 14], replications=3, warmup=600.0, target_time=20.0,
                                patience=300.0)),
    "simulated_queue": (simulated_queue, dict(arrival_rate=0.05, aht=180.0, horizon=20000.0,
                                              warmup=1000.0, agents=12.0, target_time=20.0)),
    "simulate_frame": (simulate_frame, dict(volume=[90.0, 100.0], aht_s=[180.0, 200.0],
                                            agents=[12, 14], interval_length=1800.0)),
    "forecast_fit": (forecast_fit, dict(values=[25.0], half_life_weeks=8.0, average_weeks=4,
                                        aht_value=180.0)),
    "parse_model_json": (parse_model_json, dict(demand=[1, 2, 2, 1, 3, 2], cost=2.0,
                                                interval_minutes=30, max_agents=-1)),
    "general_patience_gamma": (general_patience_gamma, dict(
        arrival_rate=0.1, handle_time=180.0, mean=60.0, shape=3.0, agents=18.0,
        target_time=20.0)),
    "general_patience_lognormal": (general_patience_lognormal, dict(
        mean=60.0, cv=1.0, agents=18.0, target_time=20.0)),
    "general_patience_weibull": (general_patience_weibull, dict(
        mean=60.0, k=1.5, agents=18.0, target_time=20.0)),
    "general_patience_piecewise": (general_patience_piecewise, dict(
        arrival_rate=0.1, knots=[20.0, 60.0, 180.0], hazard=[0.0, 0.02, 0.005, 0.01],
        agents=18.0, target_time=20.0)),
    "patience_from_survival": (patience_from_survival, dict(
        times=[10.0, 30.0, 60.0, 120.0], survival=[0.9, 0.7, 0.5, 0.3], tail_hazard=0.01,
        agents=18.0)),
    "blending": (blending, dict(arrival_rate=7 / 180, handle_time=180.0,
                                outbound_handle_time=600.0, patience=300.0, reserve=1,
                                agents=10.0, target_time=20.0)),
    "blending_staffing": (blending_staffing, dict(arrival_rate=7 / 180, handle_time=180.0,
                                                  outbound_handle_time=600.0, patience=300.0,
                                                  agents=12, service_level=0.8,
                                                  target_time=20.0)),
    "evaluate_staffing": (evaluate_staffing, dict(volumes=[90.0, 160.0, 40.0], agents=[12, 20, 6],
                                                  interval_length=1800.0, handle_time=180.0,
                                                  patience=120.0, target_time=20.0)),
    "erlang_x_retrial": (erlang_x_retrial, dict(arrival_rate=5 / 180, handle_time=180.0,
                                                patience=120.0, lines=7, redial_probability=0.6,
                                                redial_delay=10.0, agents=5.0,
                                                target_time=20.0)),
}

# Words an error message may use for an argument (besides its own name).
ALIASES = {
    "aht": ["handle_time", "mean"], "aht_s": ["aht_s", "handle_time"], "values": ["volume"],
    "aht_value": ["aht_s", "aht"], "demand": ["demand", "requirement"],
    "interval_minutes": ["interval"], "cost": ["cost"], "volume": ["volume", "arrival_rate"],
    "horizon": ["horizon"], "patience": ["patience", "mean"],
    "max_agents": ["max_agents"], "arrival_rate": ["arrival_rate", "load"],
    "handle_time": ["handle_time", "load", "aht"], "handle_times": ["handle_times"],
    "volumes": ["volumes", "'volume'"], "agents": ["agents"],
    "mean": ["mean"], "shape": ["shape"], "cv": ["cv"], "k": ["shape k", "k"], "knots": ["knots"], "hazard": ["hazard"],
    "times": ["times"], "survival": ["survival"], "tail_hazard": ["tail_hazard"],
    "outbound_handle_time": ["outbound_handle_time"], "reserve": ["reserve"],
    "interval_length": ["interval_length"], "service_level": ["service_level"],
    "lines": ["lines"], "redial_probability": ["redial_probability"],
    "redial_delay": ["redial_delay"], "target_time": ["target_time"],
}


def numbers(out):
    """Every numeric output as a float (status strings skipped)."""
    return {k: float(v) for k, v in out.items() if not isinstance(v, str)}


_PROBABILITIES = {"wait_probability", "abandon", "occupancy", "blocking", "service_level", "sl",
                  "global_service_level", "per_interval_global_service_level"}


def _is_probability(key):
    base = key.split("[")[0]
    return base in _PROBABILITIES or base.startswith("sl_") or base.endswith("_fraction")


def bad_numbers(out):
    """Outputs that are NaN, or probabilities outside [0, 1]."""
    bad = []
    for k, v in numbers(out).items():
        if math.isnan(v):
            bad.append(f"{k}=nan")
        elif _is_probability(k) and not ("_lo" in k or "_hi" in k or "half" in k) \
                and not (0.0 <= v <= 1.0):
            bad.append(f"{k}={v}")
    return bad
