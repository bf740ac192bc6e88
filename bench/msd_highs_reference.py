#!/usr/bin/env python3
"""Reference values for the minimum-shift-design (.dzn) instances, independent of wfm.

The classic MSD integer program (Musliu, Schaerf & Slany 2004, EJOR 153:51-64, section 2;
objective as in ../shared/data/sched/README.md: interval x (weightOverCover x over +
weightUnderCover x under) + weightShiftInstances x distinct shifts used), written here from the
.dzn file alone, with none of wfm's code (reader, rows, search), and solved by HiGHS's
branch-and-cut through scipy.optimize.milp (one thread). It gives a second opinion on wfm's
optima and, where HiGHS proves one that wfm does not, the reference value.

    x[s, d] >= 0 integer  workers starting shift s = (start slot, length) on day d
    y[s] in {0, 1}        shift s used on some day; x[s, d] <= M y[s], M = largest demand
    cover[i] + under[i] - over[i] = demand[i]  for every slot i of the cyclic week

Run (niced; the time limit is HiGHS's, wall clock):
    nice -n 19 /work/main/.venv/bin/python bench/msd_highs_reference.py --time-limit 300 \
        /work/msd-public/sched/msd/DataSet2/RandomExample28.dzn
scipy is a peer here, never a wfm dependency.
"""
import argparse
import re
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix


def read_dzn(path):
    text = re.sub(r"%[^\n]*", "", open(path).read())
    out = {}
    for key, val in re.findall(r"(\w+)\s*=\s*([^;]*);", text):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", val)]
        out[key] = nums if "[" in val else nums[0]
    return out


def build(d):
    interval = int(d["interval"])
    days = int(d["days"])
    per_day = 1440 // interval
    demand = np.asarray(d["demand"], dtype=float)
    n = days * per_day
    assert demand.size == n, "demand size"
    shifts = sorted({(st, ln)
                     for k in range(int(d["shiftTypes"]))
                     for st in range(int(d["minStart"][k]), int(d["maxStart"][k]) + 1)
                     for ln in range(int(d["minLength"][k]), int(d["maxLength"][k]) + 1)})
    ns = len(shifts)
    nx = ns * days
    # columns: x[s, day] (s-major), y[s], under[i], over[i]
    ny0, nu0, no0 = nx, nx + ns, nx + ns + n
    ncol = nx + ns + 2 * n
    big = float(demand.max())
    rows, cols, vals = [], [], []
    for s, (st, ln) in enumerate(shifts):
        for day in range(days):
            c = s * days + day
            for o in range(ln):
                rows.append((day * per_day + st + o) % n)
                cols.append(c)
                vals.append(1.0)
    for i in range(n):
        rows += [i, i]
        cols += [nu0 + i, no0 + i]
        vals += [1.0, -1.0]
    # linking rows n .. n + nx - 1: x[s, day] - M y[s] <= 0
    for s in range(ns):
        for day in range(days):
            r = n + s * days + day
            rows += [r, r]
            cols += [s * days + day, ny0 + s]
            vals += [1.0, -big]
    a = coo_matrix((vals, (rows, cols)), shape=(n + nx, ncol)).tocsr()
    lo = np.concatenate([demand, np.full(nx, -np.inf)])
    up = np.concatenate([demand, np.zeros(nx)])
    cost = np.zeros(ncol)
    cost[ny0:nu0] = d["weightShiftInstances"]
    cost[nu0:no0] = d["weightUnderCover"] * interval
    cost[no0:] = d["weightOverCover"] * interval
    integrality = np.zeros(ncol)
    integrality[:nu0] = 1
    ub = np.full(ncol, np.inf)
    ub[ny0:nu0] = 1.0
    return cost, LinearConstraint(a, lo, up), integrality, Bounds(np.zeros(ncol), ub), shifts


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dzn", nargs="+")
    p.add_argument("--time-limit", type=float, default=60.0)
    args = p.parse_args()
    print("instance,status,objective,dual_bound,seconds,shifts_used")
    for path in args.dzn:
        cost, cons, integ, bounds, shifts = build(read_dzn(path))
        t0 = time.process_time()
        r = milp(cost, constraints=cons, integrality=integ, bounds=bounds,
                 options={"time_limit": args.time_limit, "mip_rel_gap": 0.0})
        sec = time.process_time() - t0
        name = path.rsplit("/", 1)[-1].removesuffix(".dzn")
        obj = r.fun if r.x is not None else float("nan")
        used = -1
        if r.x is not None:
            ny0 = len(shifts) * int(read_dzn(path)["days"])
            used = int(np.round(r.x[ny0:ny0 + len(shifts)]).sum())
        bound = getattr(r, "mip_dual_bound", float("nan"))
        status = "optimal" if r.status == 0 else ("time_limit" if r.status == 1 else f"status{r.status}")
        print(f"{name},{status},{obj:.1f},{bound:.1f},{sec:.1f},{used}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
