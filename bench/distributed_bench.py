"""wfm.distributed benchmark: N queues x one year of 15-minute history, forecast one week ahead
and staffed, in-process and on a LocalCluster of 1 and 2 worker processes (1 thread each).

    PYTHONPATH=python-bindings python bench/distributed_bench.py --queues 48

Forecast and staffing run chained (:func:`wfm.distributed.forecast_and_staff`: the forecasts
stay on the workers); ``--gathered`` runs the older path (forecast, gather on the client, send
out again for staffing). Prints wall and CPU seconds of each run (the machine may be shared:
CPU time is what the work cost, wall time what the load allowed; cpu_share_cores is the CPU the
run obtained), checks the cluster results are bitwise those of one process, and the cost model

    T(N, W) = T0 + max(N * w / W, N * k)        (W workers on dedicated cores)

w: worker CPU s per queue (forecast + staff blocks, Dask's own work on the worker included),
   measured on the cluster runs; the in-process CPU of the entry points (c) is its floor;
k: the client's serial CPU s per queue, measured in-process without Dask's noise: splitting and
   pickling the history (pandas input only: parquet files are read by the workers) plus
   unpickling and assembling the results; pipelined with the workers;
T0: the fixed cost of a run (a one-queue run's wall time).
Checks: w is the same on 1 and 2 workers (adding workers adds no per-queue work) and near c;
the 2-worker run is faster by the CPU it obtained (speedup_2_vs_1_worker against
cpu_share_cores); the client process's CPU beyond N k is the scheduler's and the event loops'
(a LocalCluster runs its scheduler in the client process). The model then predicts 10,000
queues on 100 workers, for both inputs (--no-parquet skips the parquet runs; needs pyarrow).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import tempfile
import time

import numpy as np
import pandas as pd

import wfm.distributed as wd

STAFF = dict(service_level=0.8, target_time=20.0, shrinkage=0.3)


def history(queues: int, days: int = 364, seed: int = 1) -> pd.DataFrame:
    """Poisson volumes: daily sine shape, weekday lift, a level per queue."""
    rng = np.random.default_rng(seed)
    t = pd.date_range("2023-01-02", periods=days * 96, freq="15min")
    minute = (t.hour * 60 + t.minute).to_numpy()
    shape = 1.0 + np.sin(minute / 1440.0 * 2 * np.pi - np.pi / 2)
    lift = np.where(t.day_of_week < 5, 1.2, 0.7)
    return pd.concat([pd.DataFrame({"queue": f"q{i:05d}", "timestamp": t,
                                    "volume": rng.poisson((2 + i % 40) * shape * lift)
                                    .astype(float)}) for i in range(queues)], ignore_index=True)


CHAINED = True  # --gathered: the forecasts come back to the client before staffing


def pipeline(executor, h: pd.DataFrame, partitions=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if CHAINED:  # the forecasts stay on the workers (staffing tasks take their futures)
        return wd.forecast_and_staff(executor, h, partitions=partitions,
                                     forecast=dict(horizon="7D"), staff=dict(STAFF, aht_s=300.0))
    fc = wd.forecast(executor, h, horizon="7D", partitions=partitions)
    st = wd.staff(executor, fc, partitions=partitions, **STAFF, aht_s=300.0)
    return fc, st


def worker_cpu(client) -> float:
    import psutil

    def cpu() -> float:
        t = psutil.Process().cpu_times()
        return t.user + t.system

    return sum(client.run(cpu).values())


def in_process(h: pd.DataFrame) -> dict:
    n = h["queue"].nunique()
    c0, w0 = time.process_time(), time.perf_counter()
    fc = wd.forecast_block(h, wd.forecast_options(horizon="7D"))
    c1 = time.process_time()
    st_in = fc
    st = wd.staff_block(st_in, wd.staff_options(**STAFF, aht_s=300.0))
    c2, w2 = time.process_time(), time.perf_counter()
    # Client-side per-queue cost: split + pickle the blocks, unpickle + assemble the results.
    # s_history: splitting and pickling the history (the client's work when it sends it);
    # s_results: unpickling and assembling the forecast and staffing frames (always).
    s0 = time.process_time()
    for b in wd.split(h, partitions=8):
        pickle.loads(pickle.dumps(b, protocol=5))
    s1 = time.process_time()
    for x in (fc, st):
        wd.assemble([pickle.loads(pickle.dumps(b, protocol=5))
                     for b in wd.split(x, partitions=8)])
    s2 = time.process_time()
    return {"queues": n, "wall_s": w2 - w0, "cpu_s": c2 - c0, "c_fc": (c1 - c0) / n,
            "c_st": (c2 - c1) / n, "s_history": (s1 - s0) / n, "s_results": (s2 - s1) / n,
            "mb_per_queue": len(pickle.dumps(h, protocol=5)) / n / 1e6,
            "result": (fc, st)}


def write_parquet(h: pd.DataFrame, directory: str, files: int = 8) -> None:
    """The history as ``files`` parquet files of whole queues (what a warehouse export gives)."""
    os.makedirs(directory, exist_ok=True)
    for i, block in enumerate(wd.split(h, partitions=files)):
        block.to_parquet(os.path.join(directory, f"part{i:03d}.parquet"), index=False)


def on_cluster(h: pd.DataFrame, workers: int, reference, parquet: str | None = None) -> dict:
    """One cluster run: the history sent from the client (pandas), or, with ``parquet``, read
    by the workers (``dd.read_parquet``: the client sends no history)."""
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("wfm.distributed"))  # the extension loaded on workers
        t0 = time.perf_counter()
        pipeline(client, h[h["queue"] == h["queue"].iloc[0]].iloc[-28 * 96:])  # warm; T0 bound
        fixed = time.perf_counter() - t0
        cpu0, own0, w0 = worker_cpu(client), time.process_time(), time.perf_counter()
        if parquet is None:
            fc, st = pipeline(client, h)
        else:
            import dask.dataframe as dd

            fc, st = pipeline(client, dd.read_parquet(parquet))
        wall = time.perf_counter() - w0
        cpu = worker_cpu(client) - cpu0
        own = time.process_time() - own0
    pd.testing.assert_frame_equal(fc, reference[0], check_exact=True)
    pd.testing.assert_frame_equal(st, reference[1], check_exact=True)
    return {"workers": workers, "input": "pandas" if parquet is None else "parquet",
            "wall_s": wall, "worker_cpu_s": cpu, "client_cpu_s": own, "T0_s": fixed,
            "identical": True}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queues", type=int, default=48)
    ap.add_argument("--no-parquet", action="store_true",
                    help="skip the runs whose history the workers read (needs pyarrow)")
    ap.add_argument("--gathered", action="store_true",
                    help="forecast, gather, then staff (the path before forecast_and_staff)")
    ap.add_argument("--workers", default="1,2", help="worker counts (default 1,2)")
    args = ap.parse_args()
    global CHAINED
    CHAINED = not args.gathered
    counts = [int(w) for w in args.workers.split(",")]
    load = [os.getloadavg()[0]]
    h = history(args.queues)
    ref = in_process(h)
    reference = ref.pop("result")
    runs = [on_cluster(h, w, reference) for w in counts]
    load.append(os.getloadavg()[0])
    if not args.no_parquet:
        with tempfile.TemporaryDirectory() as tmp:
            write_parquet(h, tmp)
            runs += [on_cluster(h, w, reference, parquet=tmp) for w in counts]
        load.append(os.getloadavg()[0])
    n = ref["queues"]
    for r in runs:
        r["w_per_queue_s"] = r["worker_cpu_s"] / n
        r["k_per_queue_s"] = r["client_cpu_s"] / n
        r["cpu_share_cores"] = (r["worker_cpu_s"] + r["client_cpu_s"]) / r["wall_s"]
        dedicated = r["T0_s"] + max(n * r["w_per_queue_s"] / r["workers"], n * r["k_per_queue_s"])
        r["model_wall_dedicated_s"] = dedicated
    model = {"c_in_process_per_queue_s": ref["c_fc"] + ref["c_st"]}
    for kind in ("pandas", "parquet"):
        mine = [r for r in runs if r["input"] == kind]
        if not mine:
            continue
        w = max(r["w_per_queue_s"] for r in mine)
        # The client's per-queue work, measured in-process (the cluster runs' client CPU also
        # holds the scheduler's and event loops' ticking, which grows with wall time, not N).
        k = ref["s_results"] + (ref["s_history"] if kind == "pandas" else 0.0)
        T0 = max(r["T0_s"] for r in mine)
        for r in mine:  # what the client process spent beyond N k: the scheduler's and the
            # event loops' own work (a LocalCluster runs its scheduler in the client process)
            r["client_cpu_beyond_N_k_s"] = r["client_cpu_s"] - n * k
        model[kind] = {"w_per_queue_s": w, "k_per_queue_s": k, "T0_s": T0,
                       "speedup_2_vs_1_worker": (mine[0]["wall_s"] / mine[1]["wall_s"]
                                                 if len(mine) >= 2 else None),
                       "predicted_10000_queues_1_worker_s": T0 + max(10_000 * w, 10_000 * k),
                       "predicted_10000_queues_100_workers_s":
                           T0 + max(10_000 * w / 100, 10_000 * k)}
    model["client_bytes_10000_queues_GB"] = 10_000 * ref["mb_per_queue"] / 1e3
    model["load_average_1min"] = load
    model["path"] = "chained" if CHAINED else "gathered"
    print(json.dumps({"in_process": ref, "cluster": runs, "model": model}, indent=2))


if __name__ == "__main__":
    main()
