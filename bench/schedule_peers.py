#!/usr/bin/env python3
"""Peer comparison for wfm.schedule: pyworkforce MinRequiredResources (OR-Tools CP-SAT).

Same break-free problem for both, measured side by side in one run, single worker:
the seven days of each shared cc-day-* instance, each day 96 quarter-hours, shift templates
F8 (32 intervals, cost 32), F6 (24, cost 24), P4 (16, cost 17.6) starting at every interval
that fits inside the day (pyworkforce has no wrap past midnight), hard cover.
pyworkforce needs integer costs: costs are multiplied by 5 there (exact) and divided back.

Setup (peer only, never a wfm dependency):
    .venv/bin/python -m pip install --ignore-requires-python pyworkforce==0.5.4
Run:
    .venv/bin/python bench/schedule_peers.py [--time-limit 60]
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np

import wfm.schedule as ws

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "sched" / "cc"
TEMPLATES = [("F8", 32, 32.0), ("F6", 24, 24.0), ("P4", 16, 17.6)]
PERIODS = 96


def wfm_day_model(demand_day):
    templates = []
    for name, length, cost in TEMPLATES:
        templates.append(ws.ShiftTemplate(name=name, length=length, cost=cost,
                                          starts=list(range(PERIODS - length + 1))))
    return ws.CoverageModel(requirement=np.asarray(demand_day, dtype=float), templates=templates,
                            interval_length=900.0, cyclic=False)


def pyworkforce_day(demand_day, time_limit):
    from pyworkforce.scheduling import MinRequiredResources

    coverage, cost = {}, {}
    for name, length, c in TEMPLATES:
        for s in range(PERIODS - length + 1):
            key = f"{name}@{s}"
            coverage[key] = [1 if s <= p < s + length else 0 for p in range(PERIODS)]
            cost[key] = int(round(5 * c))
    sched = MinRequiredResources(num_days=1, periods=PERIODS, shifts_coverage=coverage,
                                 required_resources=[list(map(int, demand_day))],
                                 max_period_concurrency=10**6,
                                 max_shift_concurrency=int(max(demand_day)) + 1,
                                 cost_dict=cost, max_search_time=time_limit, num_search_workers=1)
    sol = sched.solve()
    return sol["status"], sol["cost"] / 5.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--instances", nargs="*", default=["cc-day-s", "cc-day-m", "cc-day-l"])
    args = ap.parse_args()
    rows = []
    for inst in args.instances:
        path = SHARED / f"{inst}.json"
        if not path.exists():
            print(f"skip {inst}: ../shared/data not on this machine")
            continue
        demand = json.loads(path.read_text())["demand"]
        for d in range(7):
            day = demand[d * PERIODS:(d + 1) * PERIODS]
            m = wfm_day_model(day)
            t0 = time.perf_counter()
            s = ws.solve(m, time_limit=args.time_limit)
            t_wfm = time.perf_counter() - t0
            assert ws.check_schedule(m, s).valid
            t0 = time.perf_counter()
            status, cost = pyworkforce_day(day, args.time_limit)
            t_pw = time.perf_counter() - t0
            rows.append((inst, d, s.status.name, s.cost, t_wfm, status, cost, t_pw))
            print(f"{inst} day {d}: wfm {s.status.name} {s.cost:.1f} in {1e3 * t_wfm:.1f} ms | "
                  f"pyworkforce {status} {cost:.1f} in {1e3 * t_pw:.1f} ms | "
                  f"same cost {abs(s.cost - cost) < 1e-6} | time ratio {t_pw / t_wfm:.0f}x", flush=True)
    if rows:
        same = sum(abs(r[3] - r[6]) < 1e-6 for r in rows)
        tw = sum(r[4] for r in rows)
        tp = sum(r[7] for r in rows)
        print(f"\n{len(rows)} days: same cost on {same}; wfm total {tw:.3f} s, pyworkforce total "
              f"{tp:.3f} s, ratio {tp / tw:.0f}x (pyworkforce / wfm)")


if __name__ == "__main__":
    main()
