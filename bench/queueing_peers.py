#!/usr/bin/env python3
"""wfm.queueing side by side with pyworkforce 0.5.4 (PyPI) on the same inputs.

Prints Markdown: metric agreement (Erlang C and Erlang A), required positions, every
disagreement beyond 1e-9 (relative), pyworkforce's Erlang A service level collapsing to
1 - P(wait) for large staffing, and speed ratios measured in this same run.

pyworkforce takes AHT, its `asa` (really the service-level *target time*) and the interval in
one unit of the user's choosing; here minutes, so a 20 s target is asa=20/60. wfm takes seconds
and rates per second. pyworkforce is a peer for this comparison only; wfm never imports it.

Set-up and run (pyworkforce 0.5.4 declares Python >= 3.12; it runs on Debian's 3.11):
    .venv/bin/python -m pip install --ignore-requires-python -r bench/requirements-queueing.txt
    .venv/bin/python bench/queueing_peers.py            # ~3 min on 2 cores
    .venv/bin/python bench/queueing_peers.py --quick    # fewer cases, no collapse scan
"""
from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

import wfm
from wfm import queueing as q

try:
    import pyworkforce
    from pyworkforce.queuing import ErlangA as PwfErlangA
    from pyworkforce.queuing import ErlangC as PwfErlangC
except ImportError:  # pragma: no cover
    sys.exit("pyworkforce is not installed: pip install --ignore-requires-python "
             "-r bench/requirements-queueing.txt")

TOL = 1e-9
ROOT = Path(__file__).resolve().parents[1]
disagreements: list[tuple[str, str, str, float, float, float]] = []


def rel_diff(peer: float, ours: float) -> float:
    if peer == ours:
        return 0.0
    if ours == 0.0 or not math.isfinite(ours):
        return math.inf
    return abs(peer - ours) / abs(ours)


def compare(section: str, case: str, metric: str, peer: float, ours: float) -> float:
    d = rel_diff(peer, ours)
    if d > TOL:
        disagreements.append((section, case, metric, peer, ours, d))
    return d


def best_time(fn, repeat: int = 5, min_total: float = 0.05) -> float:
    """Best of `repeat` runs of the mean time per call [s] (calls batched to >= min_total)."""
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_total or n >= 1 << 20:
            break
        n *= 4
    best = dt / n
    for _ in range(repeat - 1):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def fmt_t(s: float) -> str:
    return f"{s * 1e6:.2f} µs" if s < 1e-3 else (f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.2f} s")


# ---- Erlang C ----------------------------------------------------------------------------------
def erlang_c_agreement(quick: bool) -> None:
    print("### Erlang C: P(wait), SL, ASA, occupancy, required positions\n")
    print("Inputs: calls per 30 min, AHT [s], SL target 20 s; agents from the first stable "
          "staffing to the 95 % staffing + 5. pyworkforce 0.5.4's ErlangC has no ASA method, so "
          "ASA is not compared for Erlang C (see Erlang A below).\n")
    print("| calls / 30 min | AHT [s] | load [Erl] | agents | max rel. diff P(wait) | "
          "max rel. diff SL | max rel. diff occupancy |")
    print("|---:|---:|---:|---|---:|---:|---:|")
    volumes = [20, 100, 500, 2000] if quick else [20, 100, 500, 2000, 6000]
    for calls in volumes:
        for aht in (180.0, 300.0):
            load = calls / 1800 * aht
            ours = q.ErlangC(arrival_rate=calls / 1800, handle_time=aht)
            peer = PwfErlangC(transactions=calls, aht=aht / 60, asa=20 / 60, interval=30)
            hi = int(q.required_agents(ours, q.StaffingGoal(service_level=0.95,
                                                             target_time=20)).agents) + 5
            lo = math.floor(load) + 1
            case = f"{calls} calls/30 min, AHT {aht:g} s"
            worst = [0.0, 0.0, 0.0]
            for n in range(lo, hi + 1):
                worst[0] = max(worst[0], compare("Erlang C", f"{case}, n={n}", "P(wait)",
                                                 peer.waiting_probability(n),
                                                 ours.wait_probability(n)))
                worst[1] = max(worst[1], compare("Erlang C", f"{case}, n={n}", "SL 20 s",
                                                 peer.service_level(n),
                                                 ours.service_level(n, target_time=20)))
                worst[2] = max(worst[2], compare("Erlang C", f"{case}, n={n}", "occupancy",
                                                 peer.achieved_occupancy(n), ours.occupancy(n)))
            print(f"| {calls} | {aht:g} | {load:.1f} | {lo}..{hi} | {worst[0]:.1e} | "
                  f"{worst[1]:.1e} | {worst[2]:.1e} |")

    print("\n| calls / 30 min | AHT [s] | goal | pyworkforce raw_positions | wfm required_agents |")
    print("|---:|---:|---|---:|---:|")
    for calls in ([100, 500] if quick else [10, 100, 500, 2000]):
        for aht in (180.0, 300.0):
            for sl, occ in ((0.5, 1.0), (0.8, 1.0), (0.95, 1.0), (0.8, 0.85)):
                peer = PwfErlangC(transactions=calls, aht=aht / 60, asa=20 / 60, interval=30)
                p = peer.required_positions(service_level=sl, max_occupancy=occ)["raw_positions"]
                goal = q.StaffingGoal(service_level=sl, target_time=20,
                                      max_occupancy=None if occ == 1.0 else occ)
                o = q.required_agents(q.ErlangC(arrival_rate=calls / 1800, handle_time=aht),
                                      goal).agents
                label = f"SL {sl:g} in 20 s" + ("" if occ == 1.0 else f", occupancy <= {occ:g}")
                compare("Erlang C", f"{calls} calls/30 min, AHT {aht:g} s, {label}",
                        "required positions", float(p), o)
                print(f"| {calls} | {aht:g} | {label} | {p} | {o:g} |")
    print()


# ---- Erlang A ----------------------------------------------------------------------------------
def erlang_a_agreement(quick: bool) -> None:
    print("### Erlang A: P(wait), P(abandon), ASA (all calls), E[queue], occupancy, SL\n")
    print("pyworkforce 0.5.4's ErlangA solves a truncated birth-death chain and, for the service "
          "level (answered within t, abandons fail = wfm's `answered_within`), a uniformized "
          "tagged-customer chain. Target 20 s.\n")
    print("| calls / 30 min | AHT [s] | patience [s] | agents | P(wait) | P(abandon) | ASA | "
          "E[queue] | occupancy | SL answered_within |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    cases = [(60, 240.0, 120.0), (300, 300.0, 180.0)] if quick else [
        (60, 240.0, 120.0), (300, 300.0, 180.0), (600, 180.0, 60.0), (1200, 300.0, 240.0)]
    for calls, aht, pat in cases:
        load = calls / 1800 * aht
        ours = q.ErlangA(arrival_rate=calls / 1800, handle_time=aht, patience=pat)
        peer = PwfErlangA(transactions=calls, aht=aht / 60, asa=20 / 60, interval=30,
                          patience=pat / 60)
        lo, hi = max(1, int(0.8 * load)), int(load + 3 * math.sqrt(load)) + 2
        step = max(1, (hi - lo) // 12)
        worst = [0.0] * 6
        case = f"{calls} calls/30 min, AHT {aht:g} s, patience {pat:g} s"
        for n in range(lo, hi + 1, step):
            c = f"{case}, n={n}"
            worst[0] = max(worst[0], compare("Erlang A", c, "P(wait)", peer.waiting_probability(n),
                                             ours.wait_probability(n)))
            worst[1] = max(worst[1], compare("Erlang A", c, "P(abandon)",
                                             peer.abandonment_probability(n),
                                             ours.abandon_probability(n)))
            worst[2] = max(worst[2], compare("Erlang A", c, "ASA (all)",
                                             60 * peer.average_speed_of_answer(n),
                                             ours.average_speed_of_answer(n, over="all")))
            worst[3] = max(worst[3], compare("Erlang A", c, "E[queue]",
                                             peer.average_queue_length(n),
                                             ours.mean_queue_length(n)))
            worst[4] = max(worst[4], compare("Erlang A", c, "occupancy",
                                             peer.achieved_occupancy(n), ours.occupancy(n)))
            worst[5] = max(worst[5], compare("Erlang A", c, "SL answered_within 20 s",
                                             peer.service_level(n),
                                             ours.service_level(n, target_time=20,
                                                                definition="answered_within")))
        print(f"| {calls} | {aht:g} | {pat:g} | {lo}..{hi} step {step} | " +
              " | ".join(f"{w:.1e}" for w in worst) + " |")

    print("\n| calls / 30 min | AHT [s] | patience [s] | load [Erl] | goal | "
          "pyworkforce raw_positions | wfm required_agents |")
    print("|---:|---:|---:|---:|---|---:|---:|")
    req = [(60, 240.0, 120.0, 0.8, 1.0), (300, 300.0, 180.0, 0.8, 0.05),
           (600, 180.0, 60.0, 0.5, 1.0)]
    if not quick:
        req += [(1200, 300.0, 240.0, 0.9, 1.0), (600, 180.0, 30.0, 0.3, 1.0)]
    for calls, aht, pat, sl, ab in req:
        load = calls / 1800 * aht
        peer = PwfErlangA(transactions=calls, aht=aht / 60, asa=20 / 60, interval=30,
                          patience=pat / 60)
        p = peer.required_positions(service_level=sl, max_abandonment=ab)["raw_positions"]
        goal = q.StaffingGoal(service_level=sl, target_time=20,
                              max_abandon=None if ab == 1.0 else ab)
        o = q.required_agents(q.ErlangA(arrival_rate=calls / 1800, handle_time=aht,
                                        patience=pat), goal).agents
        label = f"SL {sl:g} in 20 s" + ("" if ab == 1.0 else f", P(abandon) <= {ab:g}")
        compare("Erlang A", f"{calls} calls/30 min, AHT {aht:g} s, patience {pat:g} s, {label}",
                "required positions", float(p), o)
        print(f"| {calls} | {aht:g} | {pat:g} | {load:.1f} | {label} | {p} | {o:g} |")
    print()


def erlang_a_collapse(quick: bool) -> None:
    print("### pyworkforce's Erlang A service level at large staffing\n")
    print("AHT 60 s, mean patience 120 s, target 20 s, load 0.97 n. pyworkforce sums the "
          "uniformized chain with Poisson weights started at exp(-Λt); once Λt > ~745 "
          "(Λ ≥ n/AHT) that underflows to 0, every delayed caller counts as never answered in "
          "time, and its SL becomes exactly 1 - P(wait).\n")
    print("| agents | pyworkforce SL | pyworkforce 1 - P(wait) | wfm SL answered_within | "
          "rel. diff | pyworkforce time |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in ([1000, 2500] if quick else [500, 1000, 1500, 2000, 2250, 2500, 3000]):
        calls = 0.97 * n * 30  # per 30 min with AHT 1 min
        peer = PwfErlangA(transactions=calls, aht=1.0, asa=20 / 60, interval=30, patience=2.0)
        t0 = time.perf_counter()
        sl = peer.service_level(n)
        dt = time.perf_counter() - t0
        pw = peer.waiting_probability(n)
        ours = q.ErlangA(arrival_rate=calls / 1800, handle_time=60.0, patience=120.0)
        ex = ours.service_level(n, target_time=20, definition="answered_within")
        d = compare("Erlang A collapse", f"AHT 60 s, patience 120 s, n={n}", "SL 20 s", sl, ex)
        print(f"| {n} | {sl:.10f} | {1 - pw:.10f} | {ex:.10f} | {d:.1e} | {fmt_t(dt)} |")
    print()


# ---- speed -------------------------------------------------------------------------------------
def speed(quick: bool) -> None:
    print("### Speed (same inputs, same run; Python calls on both sides)\n")
    print("| task | pyworkforce | wfm | ratio pyworkforce / wfm |")
    print("|---|---:|---:|---:|")
    rows = []
    for calls, n in ((100, 14), (2000, 220), (6000, 640)):
        peer = PwfErlangC(transactions=calls, aht=3.0, asa=20 / 60, interval=30)
        ours = q.ErlangC(arrival_rate=calls / 1800, handle_time=180.0)
        rows.append((f"Erlang C SL, {calls / 10:g} Erl, n={n}",
                     best_time(lambda: peer.service_level(n)),
                     best_time(lambda: ours.service_level(n, target_time=20))))
    g = q.StaffingGoal(service_level=0.8, target_time=20)
    for calls in (100, 2000, 6000):
        peer = PwfErlangC(transactions=calls, aht=3.0, asa=20 / 60, interval=30)
        ours = q.ErlangC(arrival_rate=calls / 1800, handle_time=180.0)
        rows.append((f"Erlang C required positions, 80/20, {calls / 10:g} Erl",
                     best_time(lambda: peer.required_positions(0.8), repeat=3),
                     best_time(lambda: q.required_agents(ours, g))))
    for calls, n in ((60, 10), (300, 52)):
        peer = PwfErlangA(transactions=calls, aht=4.0, asa=20 / 60, interval=30, patience=2.0)
        ours = q.ErlangA(arrival_rate=calls / 1800, handle_time=240.0, patience=120.0)
        rows.append((f"Erlang A SL, {calls * 4 / 30:g} Erl, n={n}",
                     best_time(lambda: peer.service_level(n), repeat=3, min_total=0.2),
                     best_time(lambda: ours.service_level(n, target_time=20))))
    peer = PwfErlangA(transactions=300, aht=4.0, asa=20 / 60, interval=30, patience=2.0)
    ours = q.ErlangA(arrival_rate=300 / 1800, handle_time=240.0, patience=120.0)
    rows.append(("Erlang A required positions, 80/20, 40 Erl",
                 best_time(lambda: peer.required_positions(0.8), repeat=2, min_total=0.5),
                 best_time(lambda: q.required_agents(ours, g))))

    # A week: the bundled sample week (384 intervals of 15 min), Erlang C, 80/20.
    import pandas as pd
    week = pd.read_csv(ROOT / "examples" / "data" / "sample_week.csv")
    vol = week["volume"].to_numpy(float)
    aht = week["aht_s"].to_numpy(float)

    def pwf_week():
        return [PwfErlangC(transactions=v, aht=a / 60, asa=20 / 60, interval=15)
                .required_positions(0.8)["raw_positions"] for v, a in zip(vol, aht)]

    def wfm_week():
        return q.plan_horizon(volumes=vol, handle_times=aht, interval_length=900.0, goal=g,
                              parallel=False)["agents"]

    agree = np.array_equal(np.array(pwf_week(), float), wfm_week())
    rows.append((f"Erlang C required positions, sample week (384 intervals; same answers: "
                 f"{'yes' if agree else 'NO'})",
                 best_time(pwf_week, repeat=2, min_total=0.2),
                 best_time(wfm_week, repeat=3)))
    for task, tp, tw in rows:
        print(f"| {task} | {fmt_t(tp)} | {fmt_t(tw)} | {tp / tw:,.0f} |")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer cases")
    args = ap.parse_args()
    print(f"_Run {date.today().isoformat()} on {platform.node()} ({platform.machine()}, "
          f"{platform.python_implementation()} {platform.python_version()}); "
          f"wfm {wfm.__version__}, pyworkforce {pyworkforce.__version__ if hasattr(pyworkforce, '__version__') else '0.5.4'}; "
          f"command: `.venv/bin/python bench/queueing_peers.py{' --quick' if args.quick else ''}`._\n")
    erlang_c_agreement(args.quick)
    erlang_a_agreement(args.quick)
    if not args.quick:
        erlang_a_collapse(args.quick)
    speed(args.quick)
    print(f"### Every disagreement beyond {TOL:g} (relative to wfm)\n")
    if not disagreements:
        print("None.\n")
    else:
        print("| section | case | metric | pyworkforce | wfm | rel. diff |")
        print("|---|---|---|---:|---:|---:|")
        for sec, case, metric, p, o, d in disagreements:
            print(f"| {sec} | {case} | {metric} | {p:.12g} | {o:.12g} | {d:.1e} |")
        print()


if __name__ == "__main__":
    main()
