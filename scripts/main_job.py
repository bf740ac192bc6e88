#!/usr/bin/env python3
"""The main job: plan the bundled sample week end to end and print a readable summary.

1. staff: required agents per 15-minute interval with Erlang A (80 % answered within 20 s);
2. schedule: full-time and part-time shifts with their meal and rest breaks that cover the
   agents required on the phones at least paid cost (LP bound and gap reported); weekly lines
   of work (5 days on, 2 consecutive days off); and what a weekly service-level contract saves
   against covering every interval (global service level, Erlang C);
3. check: simulate the week with that roster (lognormal handle times, impatient callers,
   carry-over between intervals) and compare service with the plan;
4. headcount: the agents on the weekly lines grossed up for absence shrinkage.

Usage: scripts/main_job.py [sample.csv] [--out DIR]
Outputs (DIR, default build/main): staffing.csv, schedule.csv, coverage.csv, simulation.csv.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import wfm

INTERVAL = 900.0  # [s]
GOAL = dict(service_level=0.8, target_time=20.0)
ABSENCE_SHRINKAGE = 0.12  # holidays, sickness, training: on top of the scheduled breaks


def open_spans(index: pd.DatetimeIndex, week_start: pd.Timestamp) -> list[tuple[int, int]]:
    """(first, last + 1) interval numbers of each day's opening hours within the week grid."""
    slots = ((index - week_start).total_seconds() // INTERVAL).astype(int)
    days = pd.Series(slots, index=index).groupby(index.normalize())
    return [(int(s.min()), int(s.max()) + 1) for _, s in days]


def shift_templates(spans: list[tuple[int, int]]) -> list[wfm.schedule.ShiftTemplate]:
    """Full-time 8.5 h on site (8 h paid: a 30-minute unpaid meal, two paid 15-minute rests) and
    part-time 4 h (one 15-minute rest), starting every 15 minutes within opening hours."""
    def starts(length: int) -> list[int]:
        return [s for a, b in spans for s in range(a, b - length + 1)]

    bw = wfm.schedule.BreakWindow
    full = wfm.schedule.ShiftTemplate(
        name="full-8h", length=34, paid_length=32, cost=32.0 * 1.0, starts=starts(34),
        breaks=[bw(length=1, earliest_offset=6, latest_offset=10),     # rest after 1.5-2.5 h
                bw(length=2, earliest_offset=14, latest_offset=20),    # meal after 3.5-5 h
                bw(length=1, earliest_offset=24, latest_offset=29)])   # rest after 6-7.25 h
    part = wfm.schedule.ShiftTemplate(
        name="part-4h", length=16, paid_length=16, cost=16.0 * 1.1, starts=starts(16),
        breaks=[bw(length=1, earliest_offset=6, latest_offset=10)])
    return [full, part]


def main() -> int:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sample", nargs="?", default=here / "examples" / "data" / "sample_week.csv")
    ap.add_argument("--out", default=here / "build" / "main", type=Path)
    ap.add_argument("--time-limit", type=float, default=20.0, help="scheduling time limit [s]")
    ap.add_argument("--replications", type=int, default=40)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    df = pd.read_csv(args.sample, parse_dates=["start"]).set_index("start")
    week_start = df.index.min().normalize()
    n = 7 * 96
    print(f"wfm {wfm.__version__}: planning {args.sample}")
    print(f"  {len(df)} open 15-minute intervals from {df.index.min():%a %Y-%m-%d %H:%M} "
          f"to {df.index.max():%a %Y-%m-%d %H:%M}, {df['volume'].sum():,.0f} calls")

    # 1. staff
    t0 = time.perf_counter()
    plan = wfm.queueing.plan(df, interval_length=INTERVAL, model="erlang_a", **GOAL)
    t_staff = time.perf_counter() - t0
    plan.to_csv(args.out / "staffing.csv", index_label="timestamp")
    slots = ((df.index - week_start).total_seconds() // INTERVAL).astype(int).to_numpy()
    required = np.zeros(n)
    required[slots] = plan["agents_required"].to_numpy()

    # 2. schedule
    spans = open_spans(df.index, week_start)
    model = wfm.schedule.CoverageModel(requirement=required, templates=shift_templates(spans),
                                       interval_length=INTERVAL, cyclic=False, hard_cover=True)
    t0 = time.perf_counter()
    sched = wfm.schedule.solve(model, time_limit=args.time_limit, seed=1)
    t_sched = time.perf_counter() - t0
    check = wfm.schedule.check_schedule(model, sched)
    if not check.valid or not check.consistent:
        print(f"schedule check failed: {check.message}", file=sys.stderr)
        return 1
    tours = wfm.schedule.build_tours(model, sched, working_days=5)
    # Global service level (Koole & van der Sluis 2003): 80/20 over the week, 50 % floor per interval.
    c_plan = wfm.queueing.plan(df, interval_length=INTERVAL, model="erlang_c", **GOAL)
    c_required = np.zeros(n)
    c_required[slots] = c_plan["agents_required"].to_numpy()
    c_model = wfm.schedule.CoverageModel(requirement=c_required, templates=model.templates,
                                         interval_length=INTERVAL, cyclic=False, hard_cover=True)
    rate_open = np.zeros(n)
    rate_open[slots] = df["volume"].to_numpy() / INTERVAL
    mean_aht = float(np.average(df["aht_s"], weights=df["volume"]))
    gsl = wfm.schedule.solve_global_service_level(
        c_model, arrival_rate=rate_open, handle_time=mean_aht, fraction=GOAL["service_level"],
        target_time=GOAL["target_time"], floor=0.5, time_limit=args.time_limit)
    (args.out / "schedule.csv").write_text(wfm.schedule.schedule_to_csv(model, sched))
    (args.out / "coverage.csv").write_text(wfm.schedule.coverage_to_csv(model, sched))

    # 3. check by simulation
    rate = np.zeros(n)
    rate[slots] = df["volume"].to_numpy() / INTERVAL
    aht = np.full(n, df["aht_s"].mean())
    aht[slots] = df["aht_s"].to_numpy()
    pat = np.full(n, df["patience_s"].mean())
    pat[slots] = df["patience_s"].to_numpy()
    roster = wfm.schedule.to_roster(model, sched)
    t0 = time.perf_counter()
    sim = wfm.simulation.simulate(
        interval_length=INTERVAL, arrival_rate=rate,
        handle_time=wfm.simulation.Distribution.lognormal(mean=1.0, cv=0.8),
        handle_time_mean=aht,
        patience=wfm.simulation.Distribution.exponential(mean=1.0), patience_mean=pat,
        roster=roster,
        target_times=[GOAL["target_time"]], definitions=["answered_within"],
        replications=args.replications, seed=7)
    t_sim = time.perf_counter() - t0
    frame = wfm.simulation.to_frame(sim, index=week_start + pd.to_timedelta(np.arange(n) * INTERVAL, "s"))
    frame.to_csv(args.out / "simulation.csv", index_label="timestamp")
    total = wfm.simulation.total_series(sim)

    # 4. summary
    vol = df["volume"].to_numpy()
    planned_sl = float(np.sum(plan["service_level"] * vol) / vol.sum())
    planned_ab = float(np.sum(plan["abandon_rate"] * vol) / vol.sum())
    req_hours = plan["agents_required"].sum() * INTERVAL / 3600
    paid_hours = sched.paid_intervals * INTERVAL / 3600
    heads = sched.headcount
    print()
    print("1. Staffing (Erlang A, goal 80 % answered within 20 s)")
    print(f"   peak {plan['agents_required'].max():.0f} agents, {req_hours:,.0f} agent-hours on the phones; "
          f"planned SL {planned_sl:.1%}, abandonment {planned_ab:.1%}  [{t_staff*1e3:.0f} ms]")
    print("2. Schedule (full-time 8 h and part-time 4 h shifts, breaks placed by the optimiser)")
    print(f"   {heads} shifts, {paid_hours:,.0f} paid hours, cost {sched.cost:,.1f} "
          f"(LP bound {sched.lower_bound:,.1f}, gap {sched.gap:.2%}, status {sched.status.name})"
          f"  [{t_sched:.1f} s]")
    print(f"   over-cover {np.sum(sched.over) * INTERVAL / 3600:,.0f} agent-hours "
          f"({np.sum(sched.over) / max(np.sum(required), 1):.1%} of the requirement)")
    print(f"   {len(tours.tours)} weekly lines of 5 working days with 2 consecutive days off "
          f"({tours.status.name})")
    print(f"   weekly SL contract (Erlang C, AHT {mean_aht:.0f} s): covering every interval at 80/20 "
          f"costs {gsl.per_interval.cost:,.1f}; 80/20 over the week with a 50 % floor per interval "
          f"costs {gsl.schedule.cost:,.1f} (SL {gsl.global_service_level:.1%}), "
          f"{gsl.saving:.1%} less")
    print(f"3. Simulation of the roster ({args.replications} replications, lognormal handle times, "
          f"exponential patience)  [{t_sim:.1f} s]")
    print(f"   SL {total['service_level']:.1%} (95 % CI {total['service_level_lower']:.1%} to "
          f"{total['service_level_upper']:.1%}), abandonment {total['abandon_rate']:.1%}, ASA "
          f"{total['asa_s']:.1f} s, occupancy {total['occupancy']:.1%}")
    lines = len(tours.tours)
    print(f"4. Headcount: {lines} agents work the weekly lines; with {ABSENCE_SHRINKAGE:.0%} absence "
          f"shrinkage plan for {lines / (1 - ABSENCE_SHRINKAGE):,.0f} agents "
          f"({paid_hours / (1 - ABSENCE_SHRINKAGE):,.0f} paid hours a week)")
    print(f"\nfiles in {args.out}: staffing.csv schedule.csv coverage.csv simulation.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
