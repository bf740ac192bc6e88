"""wfm.distributed on a LocalCluster of separate worker processes (2 workers, 1 thread each).

The reference is the same entry point run in this process on one block (executor None,
partitions=1): what one machine returns. Results must be bitwise equal (check_exact).
"""
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("dask.distributed")

import wfm.distributed as wd  # noqa: E402

QUEUES = [f"q{i:02d}" for i in range(5)]


def history(weeks: int = 3) -> pd.DataFrame:
    """Poisson volumes with a daily sine shape and a weekday lift, one level per queue."""
    rng = np.random.default_rng(13)
    t = pd.date_range("2024-01-01", periods=weeks * 7 * 96, freq="15min")
    minute = (t.hour * 60 + t.minute).to_numpy()
    shape = 1.0 + np.sin(minute / 1440.0 * 2 * np.pi - np.pi / 2)
    lift = np.where(t.day_of_week < 5, 1.2, 1.0)
    frames = [pd.DataFrame({"queue": q, "timestamp": t,
                            "volume": rng.poisson((4 + 3 * i) * shape * lift).astype(float)})
              for i, q in enumerate(QUEUES)]
    # Rows interleaved across queues, so that blocks are cut out of a mixed frame.
    return pd.concat(frames).sort_values("timestamp", kind="stable").reset_index(drop=True)


def staffing_input() -> pd.DataFrame:
    t = pd.date_range("2024-03-04", periods=2 * 96, freq="15min")
    rng = np.random.default_rng(5)
    frames = [pd.DataFrame({"queue": q, "timestamp": t, "volume": rng.uniform(0, 40 + 20 * i, len(t)),
                            "aht_s": rng.uniform(180, 420, len(t)),
                            "patience_s": 120.0})
              for i, q in enumerate(QUEUES)]
    return pd.concat(frames, ignore_index=True)


def simulation_input(intervals: int = 16) -> pd.DataFrame:
    t = pd.date_range("2024-03-04 08:00", periods=intervals, freq="30min")
    frames = [pd.DataFrame({"queue": q, "timestamp": t, "volume": 60.0 + 10 * i,
                            "aht_s": 240.0, "agents": 10 + 2 * i})
              for i, q in enumerate(QUEUES)]
    return pd.concat(frames, ignore_index=True)


def _cluster_client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, worker_dashboard_address=None)
    return cluster, distributed.Client(cluster)


@pytest.fixture(scope="module")
def client():
    cluster, c = _cluster_client()
    yield c
    c.close(timeout=60)
    cluster.close(timeout=60)


TEST_SECONDS = 300  # per test; a loaded 2-core CI machine runs the module in ~1 min


@pytest.fixture(autouse=True)
def _no_hang(request):
    """Fails a test that runs over TEST_SECONDS instead of letting it hang the suite (one run
    on the loaded development machine once hung in a cluster wait)."""
    def on_alarm(signum, frame):
        raise TimeoutError(f"{request.node.name} ran over {TEST_SECONDS} s")
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture()
def own_client():
    """A cluster of its own, for a test that kills a worker: whether the nanny manages to
    restart it on a loaded machine must not matter to the other tests."""
    cluster, c = _cluster_client()
    yield c
    c.close(timeout=60)
    cluster.close(timeout=60)


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_forecast_identical_on_one_process_and_two_workers(client):
    h = history()
    one = wd.forecast(None, h, horizon="1D", partitions=1)
    assert list(one["queue"].unique()) == QUEUES
    assert (one["status"] == "ok").all()
    assert len(one) == len(QUEUES) * 96
    # The forecast continues each queue right after its last timestamp.
    assert one["timestamp"].min() == h["timestamp"].max() + pd.Timedelta("15min")
    for parts in (None, 5):
        same(one, wd.forecast(client, h, horizon="1D", partitions=parts))
    # Any concurrent.futures.Executor gives the same.
    with ThreadPoolExecutor(2) as ex:
        same(one, wd.forecast(ex, h, horizon="1D", partitions=3))


def test_dask_dataframe_input_gives_the_pandas_result(client):
    # dask.dataframe needs pyarrow (scripts/requirements.txt); without it this test skips.
    # (Its ImportError is not a ModuleNotFoundError, which is all importorskip skips on.)
    try:
        import dask.dataframe as dd
    except ImportError as e:
        pytest.skip(f"dask.dataframe cannot be imported: {e}")
    import dask

    h, f, s = history(weeks=2), staffing_input(), simulation_input()
    staff_opts = dict(service_level=0.8, target_time=20.0, shrinkage=0.3)
    refs = {"forecast": wd.forecast(None, h, horizon="6h", partitions=1),
            "staff": wd.staff(None, f, partitions=1, **staff_opts),
            "simulate": wd.simulate(None, s, partitions=1, replications=20, seed=2)}

    def frame(kind):
        # from_pandas with sort=False: partitions cut across queues (rows interleaved), which
        # the workers shuffle by queue.
        data = {"forecast": h, "staff": f, "simulate": s}[kind]
        return dd.from_pandas(data, npartitions=3, sort=False)

    def run(kind, executor):
        if kind == "forecast":
            return wd.forecast(executor, frame(kind), horizon="6h")
        if kind == "staff":
            return wd.staff(executor, frame(kind), **staff_opts)
        return wd.simulate(executor, frame(kind), replications=20, seed=2,
                           replications_per_task=6)

    # As it is, the pandas data gives the pandas result, dtypes included...
    with dask.config.set({"dataframe.convert-string": False}):
        for kind in refs:
            same(refs[kind], run(kind, client))
    # ... and with Dask's default conversion of strings to pyarrow strings, the same values:
    # only the dtype of the queue column staffing keeps from its input differs.
    for kind, executor in (("staff", client), ("forecast", None)):
        got = run(kind, executor)
        same(refs[kind], got.astype({"queue": refs[kind]["queue"].dtype}))


def test_staffing_identical_on_one_process_and_two_workers(client):
    f = staffing_input()
    opts = dict(service_level=0.8, target_time=20.0, shrinkage=0.3)
    one = wd.staff(None, f, partitions=1, **opts)
    assert len(one) == len(f)
    assert (one["agents_required"] > 0).any()
    # One queue staffed alone equals its rows in the many-queue result.
    alone = wd.staff(None, f[f["queue"] == "q03"], **opts)
    same(alone, one[one["queue"] == "q03"].reset_index(drop=True))
    for parts in (None, 3, 5):
        same(one, wd.staff(client, f, partitions=parts, **opts))


def test_simulation_identical_on_one_process_and_two_workers(client):
    f = simulation_input()
    one = wd.simulate(None, f, partitions=1, replications=30, seed=11)
    assert len(one) == len(f) and (one["status"] == "ok").all()
    assert (one["answered"] > 0).all()
    for parts in (None, 2, 5):
        same(one, wd.simulate(client, f, partitions=parts, replications=30, seed=11))
    # Another seed changes the numbers (the seed reaches the simulator).
    other = wd.simulate(None, f, partitions=1, replications=30, seed=12)
    assert not one["answered"].equals(other["answered"])


def test_replications_split_across_tasks_identical(client):
    # Each queue's 30 replications in runs of 1, 7 (7+7+7+7+2), 13 and 30 replications: the
    # runs merge back, in replication order, into what one call over all 30 gives.
    f = simulation_input()
    one = wd.simulate(None, f, partitions=1, replications=30, seed=11)
    for per_task, parts in ((7, 2), (13, None), (30, 5)):
        same(one, wd.simulate(client, f, partitions=parts, replications=30, seed=11,
                              replications_per_task=per_task))
    same(one, wd.simulate(None, f, partitions=2, replications=30, seed=11,
                          replications_per_task=1))
    with ThreadPoolExecutor(2) as ex:
        same(one, wd.simulate(ex, f, partitions=3, replications=30, seed=11,
                              replications_per_task=4))
    # A bad queue is reported once, with the message one call gives; the others are kept.
    bad = f.copy()
    bad.loc[bad.index[bad["queue"] == "q01"][2], "aht_s"] = -1.0
    ref = wd.simulate(None, bad, partitions=1, replications=30, seed=11)
    got = wd.simulate(client, bad, partitions=2, replications=30, seed=11,
                      replications_per_task=7)
    assert list(got.loc[got["status"] == "error", "queue"]) == ["q01"]
    same(ref, got)
    with pytest.raises(ValueError, match="replications_per_task"):
        wd.simulate(None, f, replications=30, replications_per_task=0)
    with pytest.raises(ValueError, match="needs replications"):
        wd.simulate(None, f, replications_per_task=5)


def _processing_runs(client, futures) -> list[int]:
    """Per future, how often the scheduler sent its task to a worker (its task story)."""
    def runs(dask_scheduler, keys):
        return [sum(1 for t in dask_scheduler.story(k) if t[2] == "processing") for k in keys]

    return client.run_on_scheduler(runs, keys=[f.key for f in futures])


def test_killed_worker_is_retried_and_result_identical(own_client):
    client = own_client
    f = simulation_input(intervals=48)
    opts = dict(replications=500, seed=3)
    t0 = time.perf_counter()
    one = wd.simulate(None, f, partitions=1, **opts)
    assert time.perf_counter() - t0 > 0.5  # ~0.1 s or more per queue: tasks caught running
    job = wd.submit_simulate(client, f, partitions=5, **opts)
    deadline = time.monotonic() + 30
    busy = {}
    while time.monotonic() < deadline and not busy:
        busy = {w: ts for w, ts in client.processing().items() if ts}
        time.sleep(0.01)
    assert busy, "no task started within 30 s"
    victim = next(iter(busy))
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)  # the nanny restarts it; the scheduler reschedules its tasks
    distributed.wait(job.futures, timeout=120)  # the other worker alone finishes in seconds
    same(one, job.result())
    # The victim's unfinished tasks really ran twice (sent to a worker again after the kill).
    assert max(_processing_runs(client, job.futures)) >= 2
    assert victim not in client.scheduler_info()["workers"]


def test_bad_queue_is_reported_for_that_queue_only(client):
    h = history(weeks=2)
    bad = h.copy()
    row = bad.index[bad["queue"] == "q02"][10]
    bad.loc[row, "volume"] = -5.0
    good = wd.forecast(None, h[h["queue"] != "q02"], horizon="6h", partitions=1)
    got = wd.forecast(client, bad, horizon="6h", partitions=2)
    err = got[got["status"] == "error"]
    assert list(err["queue"]) == ["q02"]
    assert "q02" in err["message"].iloc[0]
    same(good, got[got["queue"] != "q02"].reset_index(drop=True)[good.columns])

    f = staffing_input()
    f.loc[f.index[f["queue"] == "q04"][3], "aht_s"] = -1.0
    got = wd.staff(client, f, partitions=2, service_level=0.8, target_time=20.0)
    err = got[got["status"] == "error"]
    assert list(err["queue"]) == ["q04"] and "q04" in err["message"].iloc[0]
    kept = got[got["queue"] != "q04"].reset_index(drop=True)
    ref = wd.staff(None, f[f["queue"] != "q04"], service_level=0.8, target_time=20.0)
    same(ref, kept[ref.columns])
    # The bad queue's rows first in the frame: its error row leads the one-block result but
    # not the two-block one; the columns still come out in one order, the results'.
    first = f.sort_values("queue", ascending=False, kind="stable").reset_index(drop=True)
    one = wd.staff(None, first, partitions=1, service_level=0.8, target_time=20.0)
    assert list(one.columns[:2]) == ["queue", "timestamp"]
    assert list(one.columns[-2:]) == ["status", "message"]
    assert (one["status"] != "error").sum() == 4 * 2 * 96
    for parts in (2, 5):
        same(one, wd.staff(client, first, partitions=parts, service_level=0.8,
                           target_time=20.0))


def test_forecast_and_staff_chained_on_the_workers(client):
    """forecast -> staff without the forecasts passing through the client: each staffing task
    takes its block's forecast future as argument (the scheduler's dependency graph shows it),
    and the result is bitwise what one process gives, a bad queue's error row included."""
    h = history(weeks=2)
    h.loc[h.index[h["queue"] == "q01"][5], "volume"] = -1.0
    staff_opts = dict(service_level=0.8, target_time=20.0, shrinkage=0.3, aht_s=300.0,
                      patience_s=120.0)
    fc_one = wd.forecast(None, h, horizon="6h", partitions=1)
    st_one = wd.staff(None, fc_one, partitions=1, **staff_opts)
    assert list(st_one.loc[st_one["status"] == "error", "queue"]) == ["q01"]
    assert (st_one.loc[st_one["queue"] != "q01", "agents_required"] > 0).any()
    # The constant aht_s / patience_s equal the columns.
    with_columns = fc_one[fc_one["status"] == "ok"].assign(aht_s=300.0, patience_s=120.0)
    by_columns = wd.staff(None, with_columns, partitions=1,
                          **dict(staff_opts, aht_s=None, patience_s=None))
    same(by_columns, st_one[st_one["status"] != "error"].reset_index(drop=True)[
        by_columns.columns])
    for parts in (None, 2, 5):
        fc, st = wd.forecast_and_staff(client, h, partitions=parts,
                                       forecast=dict(horizon="6h"), staff=staff_opts)
        same(fc_one, fc)
        same(st_one, st)
    fc_job = wd.submit_forecast(client, h, partitions=3, horizon="6h")
    st_job = wd.submit_staff(client, fc_job, **staff_opts)
    keys = {f.key for f in fc_job.futures}
    distributed.wait(st_job.futures)
    deps = client.run_on_scheduler(
        lambda dask_scheduler, ks: [sorted(str(d.key) for d in dask_scheduler.tasks[k].dependencies)
                                    for k in ks], ks=[f.key for f in st_job.futures])
    assert [set(d) for d in deps] == [{str(k)} for k in (f.key for f in fc_job.futures)]
    assert {str(k) for k in keys} == {d[0] for d in deps}
    same(st_one, st_job.result())
    # In this process and on any concurrent.futures executor: the same.
    same(st_one, wd.forecast_and_staff(None, h, forecast=dict(horizon="6h"),
                                       staff=staff_opts)[1])
    with ThreadPoolExecutor(2) as ex:
        same(st_one, wd.forecast_and_staff(ex, h, partitions=3, forecast=dict(horizon="6h"),
                                           staff=staff_opts)[1])
        # A Dask job cannot feed another executor; a simulation job cannot feed a step.
        with pytest.raises(ValueError, match="Dask client"):
            wd.submit_staff(ex, fc_job, **staff_opts)
    sim = wd.submit_simulate(None, simulation_input(), replications=2, seed=1,
                             replications_per_task=1)
    with pytest.raises(ValueError, match="job of frames"):
        wd.submit_staff(None, sim, **staff_opts)
    with pytest.raises(ValueError, match="aht_s"):
        wd.staff_options(aht_s=-3.0)


def test_missing_queue_column_or_value_is_a_value_error():
    with pytest.raises(ValueError, match="queue"):
        wd.forecast(None, history(weeks=2).drop(columns="queue"))
    h = history(weeks=2)
    h.loc[7, "queue"] = None
    with pytest.raises(ValueError, match="queue is missing in row 7"):
        wd.forecast(None, h)


def test_cancel_stops_submitted_work(client):
    f = simulation_input(intervals=48)
    job = wd.submit_simulate(client, f, partitions=5, replications=600, seed=1)
    job.cancel()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(x.status == "cancelled" for x in job.futures):
        time.sleep(0.05)
    assert all(x.status == "cancelled" for x in job.futures)
    with pytest.raises(distributed.client.FutureCancelledError if hasattr(
            distributed.client, "FutureCancelledError") else Exception):
        job.result()


def test_schedules_identical_on_one_process_and_two_workers(client):
    from pathlib import Path

    day = (Path(__file__).resolve().parents[2] / "examples" / "data" / "schedule_day.json")
    text = day.read_text()
    models = {"a": text, "b": "{not json", "c": text}
    # A deterministic search: heuristic + a fixed number of LNS iterations, no CBC.
    opts = dict(time_limit=60.0, use_cbc=False, lns_iterations=20, seed=4)
    one = wd.schedule(None, models, partitions=1, **opts)
    assert list(one["queue"]) == ["a", "b", "c"]
    assert list(one["status"]) != [] and one.loc[1, "status"] == "error"
    assert "'b'" in one.loc[1, "message"] and "JSON" in one.loc[1, "message"]
    assert one.loc[0, "cost"] > 0
    assert untimed(one.loc[0, "schedule"]) == untimed(one.loc[2, "schedule"])
    two = wd.schedule(client, models, partitions=3, **opts)
    # The schedule's JSON records the solver's wall-clock seconds: compare the rest.
    for frame in (one, two):
        frame["schedule"] = frame["schedule"].map(untimed)
    same(one, two)


def untimed(text: str) -> str:
    """A schedule's JSON without its wall-clock fields (keys ending in 'seconds')."""
    import json

    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if not k.endswith("seconds")}
        return [strip(v) for v in x] if isinstance(x, list) else x

    return json.dumps(strip(json.loads(text)), sort_keys=True) if text else text


def test_every_column_is_in_the_vocabulary():
    from vocabulary import outside

    h = history(weeks=2)
    fc = wd.forecast(None, h, horizon="2h")
    st = wd.staff(None, staffing_input().iloc[:40], service_level=0.8, target_time=20.0)
    sim = wd.simulate(None, simulation_input(intervals=2), replications=5)
    bad = wd.forecast(None, h.assign(volume=-1.0), horizon="2h")
    for frame in (fc, st, sim, bad):
        assert outside(frame.columns) == []
