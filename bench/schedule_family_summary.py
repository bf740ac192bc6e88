#!/usr/bin/env python3
"""Summary tables of wfm_bench_schedule_family CSV files (issue 15).

    schedule_family_summary.py RESULT.csv [RESULT.csv ...]

Prints Markdown: per solver, time limit [CPU s] and kind, the number of instances, how many
ended with a schedule, and the median, 90th percentile and worst gap to the LP bound
(gap = (objective - LP bound) / LP bound; an instance without a schedule counts as infinite).
Median: interpolated (mean of the two middle values when n is even; np.median). 90th percentile:
nearest rank (the ceil(0.9 n)-th smallest value, an observed gap; nearest_rank() below).
Design (shift design) instances are summarised against the planted schedule instead
((objective - planted) / planted; negative = better than the planted shifts), because the LP
bound of the fixed-cost model is weak. At a limit run on a subset only (60 s: the instances not
proven at 10 s), the distribution also counts the instances the solver proved optimal at a
shorter limit, with that result ("n (k proven earlier)"). Then one line per instance with all
solvers side by side (" *" = proven optimal), and, per limit, how often wfm is at least as good
as CBC alone.
"""
import sys

import numpy as np
import pandas as pd


def pct(v):
    return "inf" if not np.isfinite(v) else f"{100 * v:.3f} %"


def nearest_rank(v, p):
    """The nearest-rank p-quantile of v: its ceil(p * n)-th smallest value (inf counts)."""
    v = np.sort(np.asarray(v, dtype=float))
    return v[max(int(np.ceil(p * len(v))) - 1, 0)]


def with_proven_earlier(df):
    """Adds, per solver and limit, the instances that solver proved optimal at a shorter limit and
    did not run at this one (the 60-s run takes only those not proven at 10 s): a proven optimum
    cannot improve, so the distribution at the longer limit covers every instance. Such rows get
    earlier = True."""
    df = df.assign(earlier=False)
    extra = []
    for solver, g in df.groupby("solver"):
        limits = sorted(g["limit_s"].unique())
        for limit in limits:
            have = set(g.loc[g["limit_s"] == limit, "instance"])
            proven = g[(g["limit_s"] < limit) & (g["status"] == "optimal") & ~g["instance"].isin(have)]
            proven = proven.sort_values("limit_s").drop_duplicates("instance", keep="last")
            extra.append(proven.assign(limit_s=limit, earlier=True))
    return pd.concat([df] + extra, ignore_index=True)


def wfm_vs_cbc(df):
    """Per limit: on how many instances wfm's objective is at most CBC alone's (relative
    tolerance 1e-9; no schedule = infinite), and the instances where it is worse. Called with
    with_proven_earlier(df), so an optimum proven at 10 s also stands for 60 s."""
    obj = df.assign(o=df["objective"].astype(float).replace(np.nan, np.inf)).pivot_table(
        index=["instance", "limit_s"], columns="solver", values="o", aggfunc="first")
    if not {"wfm", "cbc"} <= set(obj.columns):
        return
    both = obj.dropna(subset=["wfm", "cbc"])
    print("| limit [CPU s] | instances with both | wfm at least as good | wfm better | wfm worse (wfm / cbc objective) |")
    print("|---|---|---|---|---|")
    for limit, g in both.groupby(level="limit_s"):
        w, c = g["wfm"].to_numpy(), g["cbc"].to_numpy()
        tol = 1e-9 * np.maximum(1.0, np.where(np.isfinite(c), np.abs(c), 1.0))
        ok = (w <= c + tol) | (np.isinf(w) & np.isinf(c))
        better = w < c - tol
        worse = [f"{i} ({w_:g} / {c_:g})" for (i, _), w_, c_, k in zip(g.index, w, c, ok) if not k]
        print(f"| {limit:g} | {len(g)} | {int(ok.sum())} | {int(better.sum())} | {', '.join(worse) or 'none'} |")
    print()


def main(paths):
    df = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    df["gap"] = df["gap"].astype(float).fillna(np.inf)
    df["planted_gap"] = (df["objective"] - df["planted_cost"]) / df["planted_cost"]
    df["family"] = np.where(df["kind"].str.startswith("shared"), "shared", "family")
    print("| solver | limit [CPU s] | kind | n | with schedule | checked | proven optimal | median gap | 90th pct | worst |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    groups = []
    for (solver, limit), g in with_proven_earlier(df).groupby(["solver", "limit_s"], sort=True):
        fam = g[(g["family"] == "family") & (g["kind"] != "design")]
        groups.append((solver, limit, "family, all cover kinds", fam, "gap"))
        for kind, k in g.groupby("kind", sort=True):
            col = "planted_gap" if kind == "design" else "gap"
            label = "design (vs planted)" if kind == "design" else kind
            groups.append((solver, limit, label, k, col))
    for solver, limit, label, g, col in groups:
        n = f"{len(g)}" + (f" ({int(g['earlier'].sum())} proven earlier)" if g["earlier"].any() else "")
        if label == "shared-msd":  # LP bound of the fixed-cost model: no meaningful gap
            print(f"| {solver} | {limit:g} | {label} | {n} | {int(np.isfinite(g['objective'].astype(float)).sum())} | "
                  f"{int(g['checked'].sum())} | {int((g['status'] == 'optimal').sum())} | - | - | - |")
            continue
        v = g[col].astype(float).replace(np.nan, np.inf).to_numpy()
        has = int(np.isfinite(g["objective"].astype(float)).sum())
        print(f"| {solver} | {limit:g} | {label} | {n} | {has} | {int(g['checked'].sum())} | {int((g['status'] == 'optimal').sum())} | "
              f"{pct(np.median(v))} | {pct(nearest_rank(v, 0.9))} | {pct(v.max())} |")
    print()
    # Per instance: the gap to the LP bound; for shift design (LP bound weak) the objective.
    design = df["kind"].isin(["design", "shared-msd"])
    df["cell"] = [(f"obj {o:g}" if d and np.isfinite(o) else ("-" if not np.isfinite(g) else pct(g)))
                  + (" *" if st == "optimal" else "")
                  for d, o, g, st in zip(design, df["objective"].astype(float), df["gap"], df["status"])]
    wide = df.pivot_table(index=["instance", "kind"], columns=["solver", "limit_s"], values="cell",
                          aggfunc="first")
    wide.columns = [f"{s} {l:g} s" for s, l in wide.columns]
    print("| instance | kind | " + " | ".join(wide.columns) + " |")
    print("|---|---|" + "---|" * len(wide.columns))
    for (inst, kind), row in wide.iterrows():
        print(f"| {inst} | {kind} | " + " | ".join(x if isinstance(x, str) else "" for x in row) + " |")
    print()
    wfm_vs_cbc(with_proven_earlier(df))


if __name__ == "__main__":
    main(sys.argv[1:])
