#!/usr/bin/env python3
"""Side-by-side: wfm.simulation vs SimPy and Ciw on the same M/M/n+M (Erlang A) model.

Install the peers into the project's virtual environment first (never a wfm dependency):

    .venv/bin/python -m pip install -r bench/requirements-simulation.txt
    .venv/bin/python bench/simulation_peers.py [--replications 10] [--agents 50]

The model: n agents, Poisson arrivals at load 0.98 n Erl, exponential handle time (AHT 300 s),
exponential patience (mean 180 s), FCFS. Every tool simulates the same number of independent
replications of the same horizon (a warm-up of 1 h, then 8 h counted, then the queue drains);
calls are counted when they arrive in the 8 counted hours. Each tool runs on one core. The
script prints wall times, the time ratios peer / wfm, and the service level (answered within
20 s over offered) and abandonment fraction with 95 % confidence intervals computed the same
way for every tool (ratio estimators over replications); two tools "agree" when their
difference lies within the combined half-width sqrt(hw1^2 + hw2^2). The exact Erlang A
abandonment probability (birth-death chain) is printed for reference.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import time

import numpy as np

AHT, PATIENCE, TARGET = 300.0, 180.0, 20.0
WARMUP, HORIZON, DRAIN = 3600.0, 8 * 3600.0, 3600.0


def t975(dof: int) -> float:
    # Student t 97.5 % quantiles for small dof (tables), normal beyond.
    table = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
             9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
             19: 2.093, 20: 2.086, 24: 2.064, 29: 2.045, 30: 2.042}
    if dof in table:
        return table[dof]
    return 1.96 + 2.5 / dof


def ratio_ci(xs, ys):
    """Ratio estimator sum(y)/sum(x) with its delta-method 95 % half-width (as wfm does)."""
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    n = len(x)
    r = y.sum() / x.sum()
    s2 = ((y - r * x) ** 2).sum() / (n - 1)
    return r, t975(n - 1) * math.sqrt(s2 / n) / x.mean()


def erlang_a_abandonment(lam, n):
    logp, lp = [0.0], 0.0
    k = 1
    while True:
        death = min(k, n) / AHT + max(k - n, 0) / PATIENCE
        lp += math.log(lam / death)
        logp.append(lp)
        if k > n and lp < max(logp) - 700:
            break
        k += 1
    mx = max(logp)
    w = [math.exp(v - mx) for v in logp]
    z = sum(w)
    eq = sum((i - n) * wi for i, wi in enumerate(w) if i > n) / z
    return eq / PATIENCE / lam


# ------------------------------------------------------------------------------------- wfm
def run_wfm(lam, n, reps, seed):
    from wfm import simulation as sim
    res = sim.simulate(interval_length=HORIZON, arrival_rate=np.array([lam]),
                       handle_time=sim.Distribution.exponential(mean=AHT),
                       patience=sim.Distribution.exponential(mean=PATIENCE),
                       agents=np.array([n]), replications=reps, seed=seed, threads=1,
                       warmup=WARMUP, target_times=[TARGET], definitions=["answered_within"])
    sl = res.total.service_level[0]
    ab = res.total.abandonment_rate
    return (sl.value, sl.half_width), (ab.value, ab.half_width), res.events


# ------------------------------------------------------------------------------------ SimPy
def run_simpy(lam, n, reps, seed):
    import simpy
    offered, within, abandoned = [], [], []
    for r in range(reps):
        rng = random.Random(seed * 1000 + r)
        env = simpy.Environment()
        agents = simpy.Resource(env, capacity=n)
        stats = [0, 0, 0]

        def caller(env, t0):
            counted = WARMUP <= t0 < WARMUP + HORIZON
            patience = rng.expovariate(1.0 / PATIENCE)
            handle = rng.expovariate(1.0 / AHT)
            req = agents.request()
            got = yield req | env.timeout(patience)
            if req in got:
                if counted:
                    stats[0] += 1
                    stats[1] += (env.now - t0) <= TARGET
                yield env.timeout(handle)
                agents.release(req)
            else:
                req.cancel()
                if counted:
                    stats[0] += 1
                    stats[2] += 1

        def source(env):
            while True:
                yield env.timeout(rng.expovariate(lam))
                if env.now >= WARMUP + HORIZON:
                    return
                env.process(caller(env, env.now))

        env.process(source(env))
        env.run(until=WARMUP + HORIZON + DRAIN)
        offered.append(stats[0])
        within.append(stats[1])
        abandoned.append(stats[2])
    return ratio_ci(offered, within), ratio_ci(offered, abandoned)


# -------------------------------------------------------------------------------------- Ciw
def run_ciw(lam, n, reps, seed):
    import ciw
    offered, within, abandoned = [], [], []
    for r in range(reps):
        ciw.seed(seed * 1000 + r)
        net = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=lam)],
            service_distributions=[ciw.dists.Exponential(rate=1.0 / AHT)],
            number_of_servers=[n],
            reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE)])
        q = ciw.Simulation(net)
        q.simulate_until_max_time(WARMUP + HORIZON + DRAIN)
        o = w = a = 0
        for rec in q.get_all_records():
            if not (WARMUP <= rec.arrival_date < WARMUP + HORIZON):
                continue
            o += 1
            if rec.record_type == "renege":
                a += 1
            elif rec.waiting_time <= TARGET:
                w += 1
        offered.append(o)
        within.append(w)
        abandoned.append(a)
    return ratio_ci(offered, within), ratio_ci(offered, abandoned)


def timed(f, *args, repeat=1):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f(*args)
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--agents", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-ciw", action="store_true")
    args = ap.parse_args()
    n, reps = args.agents, args.replications
    lam = 0.98 * n / AHT
    print(f"M/M/{n}+M: lambda = {lam:.5f}/s (load {lam * AHT:.1f} Erl), AHT {AHT:g} s, "
          f"mean patience {PATIENCE:g} s; {reps} replications of {HORIZON / 3600:g} h "
          f"(+{WARMUP / 3600:g} h warm-up), one core each")
    print(f"exact Erlang A abandonment: {erlang_a_abandonment(lam, n):.4f}")
    (w_sl, w_ab, events), t_w = timed(run_wfm, lam, n, reps, args.seed, repeat=5)
    rows = [("wfm", w_sl, w_ab, t_w)]
    (s_sl, s_ab), t_s = timed(run_simpy, lam, n, reps, args.seed)
    rows.append(("SimPy", s_sl, s_ab, t_s))
    if not args.skip_ciw:
        (c_sl, c_ab), t_c = timed(run_ciw, lam, n, reps, args.seed)
        rows.append(("Ciw", c_sl, c_ab, t_c))
    print(f"wfm: {events} events in {t_w * 1e3:.1f} ms = {events / t_w / 1e6:.1f} M events/s "
          "(median of 5 runs)")
    print(f"{'tool':6} {'wall [s]':>10} {'x wfm':>8}  {'SL(20 s)':>18}  {'abandoned':>18}  agrees")
    for name, sl, ab, t in rows:
        agree_sl = abs(sl[0] - w_sl[0]) <= math.hypot(sl[1], w_sl[1])
        agree_ab = abs(ab[0] - w_ab[0]) <= math.hypot(ab[1], w_ab[1])
        print(f"{name:6} {t:10.3f} {t / t_w:8.0f}  {sl[0]:.4f} +- {sl[1]:.4f}  "
              f"{ab[0]:.4f} +- {ab[1]:.4f}  "
              f"{'-' if name == 'wfm' else ('yes' if agree_sl and agree_ab else 'NO')}")


if __name__ == "__main__":
    main()
