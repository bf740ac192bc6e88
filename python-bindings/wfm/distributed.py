"""wfm.distributed: many queues on a Dask cluster or any ``concurrent.futures.Executor``.

Every function takes an *executor* -- a ``dask.distributed.Client``, any
``concurrent.futures.Executor`` (process or thread pool) or ``None`` (this process) -- and a long
pandas (or Dask) DataFrame keyed by a ``queue`` column, in the vocabulary's names
(``timestamp``, ``volume``, ``aht_s``, ``patience_s``, ``agents``, ...). The queues are split
into blocks of whole queues; one task runs one block through a coarse, pure, picklable entry
point (:func:`forecast_block`, :func:`staff_block`, :func:`simulate_block`,
:func:`schedule_block`) whose numeric work runs in C++ with the GIL released. A queue's numbers
depend on that queue's rows and the options only, never on the block it landed in, so the
result is **bitwise identical** whatever the number of workers or partitions: rows of each
queue in their computed order, queues sorted by name.

Per-queue status: a queue whose rows are bad (or whose computation raised) yields one row with
``status`` ``"error"`` and a ``message`` naming the queue; the other queues' results are kept.

Simulation partitions by queue and, with ``replications_per_task``, splits each queue's
replications into runs of consecutive replications, one task each. A queue is seeded by
``seed`` and its name (:func:`queue_seed`); replication r draws its random streams from
(queue seed, r) whatever task runs it (``first_replication`` of the simulator), and the runs'
per-replication sums are merged in replication order (:func:`wfm.simulation.merge`), so the
numbers equal one call over all replications bit for bit.

Workers need the extension: run them in the same environment as the client (same image or
virtualenv with ``pip install wfm[dask]``), or let Dask install it when they start::

    from dask.distributed import Client, PipInstall
    client = Client("tcp://scheduler:8786")
    client.register_plugin(PipInstall(packages=["wfm[dask]==0.1.0"], restart_workers=True))

Progress and cancelling: the ``submit_*`` functions return a :class:`Job` whose ``futures`` are
Dask futures (watch them in the dashboard or with ``dask.distributed.progress(job.futures)``);
``job.cancel()`` cancels the tasks not yet done, ``job.result()`` gathers and assembles.

Example::

    from dask.distributed import Client, LocalCluster
    import wfm.distributed as wd
    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    fc = wd.forecast(client, history, horizon="7D")          # queue, timestamp, volume, ...
    plan = wd.staff(client, fc.assign(aht_s=300.0), service_level=0.8, target_time_s=20.0)

Spark (the same entry points, one group per queue)::

    from functools import partial
    out = (spark_df.groupBy("queue")
           .applyInPandas(partial(wd.forecast_block, options=wd.forecast_options(horizon="7D")),
                          schema=spark_schema_of_the_output))

Ray::

    import ray
    task = ray.remote(wd.staff_block)
    opts = wd.staff_options(service_level=0.8, target_time_s=20.0)
    parts = ray.get([task.remote(b, opts) for b in wd.split(frame, partitions=64)])
    plan = wd.assemble(parts)
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

QUEUE = "queue"
TIMESTAMP = "timestamp"
ERROR = "error"

__all__ = ["Job", "assemble", "assemble_simulation", "forecast", "forecast_and_staff",
           "forecast_block", "forecast_options", "queue_seed", "schedule", "schedule_block",
           "simulate", "simulate_block", "simulate_replications_block", "split", "staff", "staff_block",
           "staff_options", "submit_forecast", "submit_schedule", "submit_simulate",
           "submit_staff"]


# --------------------------------------------------------------------------------------------
# partitioning and assembling


def _with_timestamp(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a ``timestamp`` column (taken from a DatetimeIndex if need be)."""
    if TIMESTAMP in frame.columns or not isinstance(frame.index, pd.DatetimeIndex):
        return frame
    return frame.rename_axis(TIMESTAMP).reset_index()


def split(frame: pd.DataFrame, *, partitions: int) -> list[pd.DataFrame]:
    """Blocks of whole queues: queues sorted by name (names must be mutually comparable), cut
    into ``partitions`` contiguous runs (at most one per queue); each block keeps its rows in
    the frame's order."""
    if QUEUE not in frame.columns:
        raise ValueError(f"frame: required column '{QUEUE}' is missing")
    if partitions < 1:
        raise ValueError(f"partitions must be >= 1, got {partitions}")
    missing = frame[QUEUE].isna().to_numpy().nonzero()[0]
    if len(missing):
        raise ValueError(f"frame: queue is missing in row {int(missing[0])} (every row needs "
                         "its queue)")
    queues = np.sort(pd.unique(frame[QUEUE]))
    if len(queues) == 0:
        return []
    runs = np.array_split(queues, min(partitions, len(queues)))
    return [frame[frame[QUEUE].isin(run)] for run in runs]


def _only_errors(frame: pd.DataFrame) -> bool:
    return "status" in frame.columns and bool((frame["status"] == ERROR).all())


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames in one, those with results first: the columns then come in the results'
    order, wherever an error row (queue, status, message only) was met. Rows of one queue
    stay together in their order; :func:`assemble` sorts the queues."""
    if not frames:
        return pd.DataFrame()
    return pd.concat(sorted(frames, key=_only_errors), ignore_index=True)


def assemble(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One frame from block results: queues sorted by name (stable), a fresh RangeIndex, the
    columns in the results' order (whichever block held an error row)."""
    parts = [p for p in parts if p is not None and len(p.columns)]
    if not parts:
        return pd.DataFrame(columns=[QUEUE, "status", "message"])
    out = _concat(parts)
    return out.sort_values(QUEUE, kind="stable").reset_index(drop=True)


def _groups(block: pd.DataFrame):
    """(queue, rows) pairs of a block, in the block's order of first appearance."""
    return block.groupby(QUEUE, sort=False) if len(block) else []


def _error_row(queue: Any, err: BaseException) -> pd.DataFrame:
    return pd.DataFrame({QUEUE: [queue], "status": [ERROR],
                         "message": [f"queue {queue!r}: {err}"]})


def _interval_length(stamps: pd.Series, given: Optional[float]) -> float:
    """``given`` [s] or the smallest positive gap between the queue's timestamps."""
    if given is not None:
        return float(given)
    t = np.sort(pd.DatetimeIndex(stamps).as_unit("ns").asi8)
    gaps = np.diff(t)
    gaps = gaps[gaps > 0]
    if len(gaps) == 0:
        raise ValueError("timestamp: cannot infer the interval length from fewer than two "
                         "distinct timestamps; give interval_length [s]")
    return float(gaps.min()) / 1e9


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    for col in columns:
        if col not in frame.columns:
            raise ValueError(f"frame: required column '{col}' is missing")


# --------------------------------------------------------------------------------------------
# the entry points: pure functions of (block, options), picklable, one task each


def forecast_options(*, horizon: Any = "7D", at: Any = None, level: float = 0.8,
                     interval_length: Optional[float] = None, holidays: Any = None,
                     method: str = "auto", threads: int = 1, **fit_options: Any) -> dict:
    """The picklable options of :func:`forecast_block` (see :func:`forecast`)."""
    from .forecast import special_days

    return {"horizon": None if horizon is None else pd.Timedelta(horizon),
            "at": None if at is None else pd.DatetimeIndex(at), "level": float(level),
            "interval_length": interval_length, "special_days": special_days(holidays),
            "method": method, "threads": int(threads), "fit": dict(fit_options)}


def _horizon_index(rows: pd.DataFrame, o: Mapping[str, Any]) -> pd.DatetimeIndex:
    if o["at"] is not None:
        return o["at"]
    step = _interval_length(rows[TIMESTAMP], o["interval_length"])
    count = int(o["horizon"].total_seconds() // step)
    last = pd.DatetimeIndex(rows[TIMESTAMP]).max()
    return pd.DatetimeIndex([last + pd.Timedelta(seconds=step * (k + 1)) for k in range(count)])


def forecast_block(block: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Forecasts every queue of ``block`` (columns queue, timestamp, volume [, aht_s]).

    Returns queue, timestamp, volume, volume_lower, volume_upper [contacts per interval]
    [, aht_s], status, message. Series without AHT go through the C++ batch forecaster
    (``wfm._core.forecast.forecast_batch``, GIL released); with ``aht_s`` each queue is fitted
    by ``Forecaster.fit`` (GIL released)."""
    from . import forecast as wf
    from ._core.forecast import Forecaster, forecast_batch

    block = _with_timestamp(block)
    _require(block, (QUEUE, TIMESTAMP, "volume"))
    o = options
    levels = [o["level"]]
    fit = dict(o["fit"])
    length = 0 if o["interval_length"] is None else int(o["interval_length"])
    out, batch = [], []
    for queue, rows in _groups(block):
        try:
            rows = rows.sort_values(TIMESTAMP, kind="stable")
            at = _horizon_index(rows, o)
            ts = wf.to_seconds(pd.DatetimeIndex(rows[TIMESTAMP]))
            values = rows["volume"].to_numpy(dtype=float)
            if "aht_s" in rows.columns:
                f = Forecaster.fit(ts, values, interval_length=length,
                                   aht=rows["aht_s"].to_numpy(dtype=float),
                                   special_days=o["special_days"], method=o["method"], **fit)
                out.append((queue, f.forecast(wf.to_seconds(at), levels=levels), at, None))
            else:
                batch.append((len(out), ts, values, at))
                out.append((queue, None, at, None))
        except (ValueError, TypeError, OverflowError) as e:
            out.append((queue, None, None, e))
    if batch:
        results, errors = forecast_batch(
            [b[1] for b in batch], [b[2] for b in batch], [wf.to_seconds(b[3]) for b in batch],
            levels=levels, interval_length=length, threads=o["threads"],
            special_days=o["special_days"], method=o["method"], **fit)
        for (slot, _, _, at), res, err in zip(batch, results, errors):
            queue = out[slot][0]
            out[slot] = (queue, res, at, None if err is None else ValueError(err))
    frames = []
    for queue, res, at, err in out:
        if err is not None:
            frames.append(_error_row(queue, err))
            continue
        f = wf._frame(res, at, levels).reset_index()
        f.insert(0, QUEUE, queue)
        f["status"] = "ok"
        f["message"] = ""
        frames.append(f)
    return _concat(frames)


def staff_options(*, interval_length: Optional[float] = None, shrinkage: float = 0.0,
                  model: Optional[str] = None, max_agents: int = 1_000_000,
                  fractional: bool = False, tolerance: float = 1e-6,
                  aht_s: Optional[float] = None, patience_s: Optional[float] = None,
                  **goal_fields: Any) -> dict:
    """The picklable options of :func:`staff_block` (see :func:`staff`). ``goal_fields`` are
    :class:`wfm.queueing.StaffingGoal`'s keyword arguments (default 80 % within 20 s).
    ``aht_s`` [s] and ``patience_s`` [s]: the handle time and mean patience of rows that have
    no such column (a forecast of volume only); a column, where present, wins."""
    for name, x in (("aht_s", aht_s), ("patience_s", patience_s)):
        if x is not None and not (isinstance(x, (int, float)) and np.isfinite(x) and x > 0):
            raise ValueError(f"{name} must be a finite number of seconds > 0, got {x!r}")
    return {"interval_length": interval_length, "shrinkage": float(shrinkage), "model": model,
            "max_agents": int(max_agents), "fractional": bool(fractional),
            "tolerance": float(tolerance), "aht_s": None if aht_s is None else float(aht_s),
            "patience_s": None if patience_s is None else float(patience_s),
            "goal": dict(goal_fields)}


def _staffing_input(rows: pd.DataFrame, o: Mapping[str, Any]) -> pd.DataFrame:
    """A queue's rows as :func:`wfm.queueing.plan` takes them: an upstream status/message
    (a forecast's) dropped, the constant aht_s / patience_s added where a column is missing."""
    rows = rows.drop(columns=[c for c in ("status", "message") if c in rows.columns])
    for name in ("aht_s", "patience_s"):
        if name not in rows.columns and o.get(name) is not None:
            rows = rows.assign(**{name: o[name]})
    _require(rows, ("volume", "aht_s"))
    return rows.reset_index(drop=True)


def staff_block(block: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Staffs every (queue, interval) row of ``block`` (columns queue, timestamp, volume,
    aht_s [, patience_s]; or a :func:`forecast_block` result, with the option ``aht_s`` if it
    has no aht_s) with :func:`wfm.queueing.plan` (``plan_horizon`` in C++, GIL released, one
    thread). Returns the rows with agents_required, agents_required_gross, service_level,
    asa_s, abandon_rate, occupancy, status and message added; a queue whose rows are an
    upstream error row keeps that row."""
    from .queueing import StaffingGoal, plan

    block = _with_timestamp(block)
    # A block of a forecast's results may hold only error rows (queue, status, message).
    upstream = "status" in block.columns
    _require(block, (QUEUE,) if upstream else (QUEUE, TIMESTAMP, "volume"))
    o = options
    frames = []
    for queue, rows in _groups(block):
        if _only_errors(rows):  # an upstream step (the forecast) failed for this queue
            frames.append(rows.reset_index(drop=True))
            continue
        try:
            _require(rows, (TIMESTAMP, "volume"))
            goal = StaffingGoal(**o["goal"]) if o["goal"] else None
            length = _interval_length(rows[TIMESTAMP], o["interval_length"])
            f = plan(_staffing_input(rows, o), goal=goal, interval_length=length,
                     shrinkage=o["shrinkage"], model=o["model"], max_agents=o["max_agents"],
                     fractional=o["fractional"], tolerance=o["tolerance"], parallel=False)
            f["message"] = ""
            frames.append(f)
        except (ValueError, TypeError, OverflowError) as e:
            frames.append(_error_row(queue, e))
    return _concat(frames)


def queue_seed(seed: int, queue: Any) -> int:
    """The simulation seed of ``queue``: 64 bits of BLAKE2b over (seed, repr(queue)), the same
    in every process (Python's ``hash`` is salted per process)."""
    digest = hashlib.blake2b(f"{int(seed)}\x1f{queue!r}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _simulate_queue(queue: Any, rows: pd.DataFrame, options: Mapping[str, Any]):
    """One queue's SimulationResult (and its rows indexed by timestamp) under ``options``
    (those of :func:`simulate`, plus the simulator's first_replication / keep_sums)."""
    from .simulation import Distribution, _simulate_intervals

    o = dict(options)
    cv = float(o.pop("handle_time_cv", 1.0))
    length = _interval_length(rows[TIMESTAMP], o.pop("interval_length", None))
    seed = int(o.pop("seed", 1))
    handle = Distribution.lognormal(mean=float(rows["aht_s"].mean()), cv=cv)
    patience = None
    if "patience_s" in rows.columns:
        patience = Distribution.exponential(mean=float(rows["patience_s"].mean()))
    indexed = rows.set_index(TIMESTAMP)
    result = _simulate_intervals(indexed, interval_length=length, handle_time=handle,
                                 patience=patience, seed=queue_seed(seed, queue), **o)
    return result, indexed.index


def _simulation_frame(queue: Any, result: Any, index: pd.Index) -> pd.DataFrame:
    from .simulation import to_frame

    f = to_frame(result, index=index).rename_axis(TIMESTAMP).reset_index()
    f.insert(0, QUEUE, queue)
    f["status"] = "ok"
    f["message"] = ""
    return f


def simulate_block(block: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Simulates every queue of ``block`` (columns queue, timestamp, volume, aht_s, agents
    [, patience_s]) with :func:`wfm.simulation.simulate` (event loop in C++, GIL
    released). Handle times are lognormal with coefficient of variation ``handle_time_cv``
    around each interval's aht_s; patience (with a patience_s column) exponential. Each queue
    is seeded by :func:`queue_seed`. Returns queue, timestamp and the simulated measures."""
    block = _with_timestamp(block)
    _require(block, (QUEUE, TIMESTAMP, "volume", "aht_s", "agents"))
    frames = []
    for queue, rows in _groups(block):
        try:
            result, index = _simulate_queue(queue, rows, options)
            frames.append(_simulation_frame(queue, result, index))
        except (ValueError, TypeError, OverflowError) as e:
            frames.append(_error_row(queue, e))
    return _concat(frames)


def simulate_replications_block(block: pd.DataFrame, options: Mapping[str, Any]) -> list:
    """Runs replications ``first_replication`` .. ``first_replication + replications - 1`` of
    every queue of ``block`` (as :func:`simulate_block`; replication r of a queue always
    draws its streams from (queue seed, r)). Returns one entry per queue, in the block's
    order: ``(queue, first_replication, timestamps, sums)`` with the
    :class:`wfm.simulation.ReplicationSums` of the run, or ``(queue, first_replication, None,
    message)`` when the queue's rows are bad. :func:`assemble_simulation` merges the runs."""
    block = _with_timestamp(block)
    _require(block, (QUEUE, TIMESTAMP, "volume", "aht_s", "agents"))
    o = dict(options, keep_sums=True)
    first = int(o.get("first_replication", 0))
    out = []
    for queue, rows in _groups(block):
        try:
            result, index = _simulate_queue(queue, rows, o)
            out.append((queue, first, index, result.sums))
        except (ValueError, TypeError, OverflowError) as e:
            out.append((queue, first, None, _error_row(queue, e)["message"].iloc[0]))
    return out


def assemble_simulation(parts: Iterable[list]) -> pd.DataFrame:
    """What :func:`simulate` returns, from :func:`simulate_replications_block` results: each
    queue's runs merged in replication order (:func:`wfm.simulation.merge`), queues sorted by
    name. A queue with an error in any run gets one error row (the first run's message)."""
    from .simulation import merge

    runs: dict[Any, list] = {}
    for part in parts:
        for queue, first, index, sums in part:
            runs.setdefault(queue, []).append((first, index, sums))
    frames = []
    for queue, items in runs.items():
        items.sort(key=lambda item: item[0])
        errors = [sums for _, index, sums in items if index is None]
        if errors:
            frames.append(pd.DataFrame({QUEUE: [queue], "status": [ERROR],
                                        "message": [errors[0]]}))
            continue
        frames.append(_simulation_frame(queue, merge([s for _, _, s in items]), items[0][1]))
    return assemble(frames)


def schedule_block(block: pd.DataFrame, options: Mapping[str, Any]) -> pd.DataFrame:
    """Solves one independent schedule per row of ``block`` (columns queue and coverage_model:
    the JSON text of a coverage model, as ``wfm.schedule.parse_model_json`` reads). Returns
    queue, status, cost, lower_bound, gap, message and schedule (JSON text).

    Identical results on any partition need a deterministic search: ``use_cbc=False`` and a
    fixed ``lns_iterations`` with a time limit that is never reached."""
    from .schedule import parse_model_json, schedule_to_json, solve

    _require(block, (QUEUE, "coverage_model"))
    rows = []
    for queue, text in zip(block[QUEUE], block["coverage_model"]):
        try:
            model = parse_model_json(text, source="coverage_model")
            s = solve(model, **options)
            rows.append({QUEUE: queue, "status": s.status.name, "cost": s.cost,
                         "lower_bound": s.lower_bound, "gap": s.gap, "message": "",
                         "schedule": schedule_to_json(model, s)})
        except (ValueError, TypeError, RuntimeError) as e:
            rows.append({QUEUE: queue, "status": ERROR, "cost": np.nan, "lower_bound": np.nan,
                         "gap": np.nan, "message": f"queue {queue!r}: {e}", "schedule": ""})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# running on an executor


def _is_dask_client(executor: Any) -> bool:
    return type(executor).__module__.split(".")[0] == "distributed" and hasattr(executor,
                                                                              "scatter")


def _is_dask_frame(frame: Any) -> bool:
    return hasattr(frame, "npartitions") and hasattr(frame, "to_delayed")


def _workers(executor: Any) -> int:
    if executor is None:
        return 1
    if _is_dask_client(executor):
        return max(1, sum(executor.nthreads().values()))
    return max(1, int(getattr(executor, "_max_workers", 1)))


class _Done:
    """A finished in-process 'future'."""

    def __init__(self, value: pd.DataFrame) -> None:
        self._value = value

    def result(self, timeout: Optional[float] = None) -> pd.DataFrame:
        return self._value

    def cancel(self) -> bool:
        return False

    def done(self) -> bool:
        return True


class Job:
    """Submitted blocks: ``futures`` (one per task), ``result()`` (gathered and assembled:
    what one machine returns), ``cancel()`` (cancels the tasks not yet done)."""

    def __init__(self, futures: list, client: Any = None,
                 assembler: Callable[[Iterable[Any]], pd.DataFrame] = assemble) -> None:
        self.futures = futures
        self._client = client
        self._assemble = assembler

    def result(self, timeout: Optional[float] = None) -> pd.DataFrame:
        if self._client is not None:
            return self._assemble(self._client.gather(self.futures))
        return self._assemble(f.result(timeout) for f in self.futures)

    def cancel(self) -> None:
        if self._client is not None:
            self._client.cancel(self.futures)
        else:
            for f in self.futures:
                f.cancel()

    def done(self) -> bool:
        return all(f.done() for f in self.futures)


def _submit(executor: Any, fn: Callable[[pd.DataFrame, Mapping[str, Any]], Any],
            frame: Any, options: Sequence[Mapping[str, Any]], partitions: Optional[int],
            assembler: Callable[[Iterable[Any]], pd.DataFrame] = assemble) -> Job:
    """One task per (block of whole queues, entry of ``options``); a :class:`Job` as ``frame``
    chains: one task per (upstream task, entry of ``options``)."""
    if isinstance(frame, Job):
        return _chain(executor, fn, frame, options, assembler)
    if _is_dask_frame(frame):
        if _is_dask_client(executor):
            from dask import delayed

            parts = frame.shuffle(on=QUEUE).to_delayed()
            tasks = [delayed(fn)(p, o) for p in parts for o in options]
            return Job(executor.compute(tasks), executor, assembler)
        frame = frame.compute()
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas or Dask DataFrame, got {type(frame).__name__}")
    blocks = split(frame, partitions=partitions or 4 * _workers(executor))
    if executor is None:
        return Job([_Done(fn(b, o)) for b in blocks for o in options], None, assembler)
    if _is_dask_client(executor):
        # Blocks travel inside their tasks (not scattered): the scheduler holds them, so a task
        # whose worker died is recomputed elsewhere. Data too big for that: pass a Dask
        # DataFrame the workers read themselves.
        return Job([executor.submit(fn, b, o, pure=False) for b in blocks for o in options],
                   executor, assembler)
    return Job([executor.submit(fn, b, o) for b in blocks for o in options], None, assembler)


def _chain(executor: Any, fn: Callable[[pd.DataFrame, Mapping[str, Any]], Any], upstream: Job,
           options: Sequence[Mapping[str, Any]],
           assembler: Callable[[Iterable[Any]], pd.DataFrame]) -> Job:
    """Tasks fed with the block results of ``upstream``'s tasks. On a Dask client the upstream
    futures are the tasks' arguments, so the blocks stay on the workers (the scheduler places
    each task where its input is, and recomputes a lost input from its task); other executors
    pass the blocks through this process."""
    if upstream._assemble is not assemble:
        raise ValueError("only a job of frames (forecast, staff) can feed another step")
    if _is_dask_client(executor):
        if upstream._client is not executor:
            raise ValueError("a job can only be chained on the client that submitted it")
        return Job([executor.submit(fn, f, o, pure=False) for f in upstream.futures
                    for o in options], executor, assembler)
    if upstream._client is not None:
        raise ValueError("a Dask job can only be chained on its Dask client")
    parts = [f.result() for f in upstream.futures]
    if executor is None:
        return Job([_Done(fn(p, o)) for p in parts for o in options], None, assembler)
    return Job([executor.submit(fn, p, o) for p in parts for o in options], None, assembler)


def submit_forecast(executor: Any, history: Any, *, partitions: Optional[int] = None,
                    **options: Any) -> Job:
    """:func:`forecast`, submitted: returns a :class:`Job`."""
    return _submit(executor, forecast_block, history, [forecast_options(**options)], partitions)


def forecast(executor: Any, history: Any, *, partitions: Optional[int] = None,
             **options: Any) -> pd.DataFrame:
    """Forecasts every queue of ``history`` (columns queue, timestamp, volume [contacts per
    interval] [, aht_s [s]]; only open intervals).

    Options: ``horizon`` (a Timedelta or string, default "7D": the intervals after each
    queue's last timestamp) or ``at`` (one DatetimeIndex for all queues); ``level`` (fraction);
    ``interval_length`` [s] (default: inferred per queue); ``holidays``; ``method``;
    ``threads`` per task (default 1); further fit options as :func:`wfm.forecast.fit`.
    ``partitions``: number of blocks (default 4 per worker thread); it never changes a number.

    Returns queue, timestamp, volume, volume_lower, volume_upper [, aht_s], status, message."""
    return submit_forecast(executor, history, partitions=partitions, **options).result()


def submit_staff(executor: Any, frame: Any, *, partitions: Optional[int] = None,
                 **options: Any) -> Job:
    """:func:`staff`, submitted: returns a :class:`Job`."""
    return _submit(executor, staff_block, frame, [staff_options(**options)], partitions)


def staff(executor: Any, frame: Any, *, partitions: Optional[int] = None,
          **options: Any) -> pd.DataFrame:
    """Staffs every (queue, interval) row of ``frame`` (columns queue, timestamp, volume,
    aht_s [s] [, patience_s [s]]).

    Options as :func:`staff_options`: interval_length [s] (default inferred per queue),
    shrinkage, model, max_agents, fractional, tolerance and the goal's fields
    (service_level, target_time_s or target_time, ...). Returns the rows with
    agents_required, agents_required_gross, service_level, asa_s, abandon_rate, occupancy,
    status, message."""
    return submit_staff(executor, frame, partitions=partitions, **options).result()


def forecast_and_staff(executor: Any, history: Any, *, partitions: Optional[int] = None,
                       forecast: Optional[Mapping[str, Any]] = None,
                       staff: Optional[Mapping[str, Any]] = None
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecasts every queue of ``history`` and staffs the forecast, without the forecast
    coming back through this process in between: on a Dask client each block's staffing task
    takes the block's forecast future as its argument, so the forecasts stay on the workers
    until the end (other executors pass them through this process).

    ``forecast``: :func:`forecast`'s options; ``staff``: :func:`staff`'s options (give
    ``aht_s`` [s] when the history has no aht_s column, ``patience_s`` [s] for Erlang A). Returns (forecast, staffing): the
    same frames, bit for bit, as :func:`forecast` followed by :func:`staff` on its result
    (staffing rows carry the forecast's volume_lower / volume_upper along). A queue whose
    forecast failed keeps its error row in both."""
    fc = submit_forecast(executor, history, partitions=partitions, **dict(forecast or {}))
    st = submit_staff(executor, fc, **dict(staff or {}))
    return fc.result(), st.result()


def _replication_runs(options: Mapping[str, Any], per_task: Any) -> list[dict]:
    """The options of each run of consecutive replications: replications_per_task each."""
    if isinstance(per_task, bool) or not isinstance(per_task, (int, np.integer)) or per_task < 1:
        raise ValueError(f"replications_per_task must be a whole number >= 1, got {per_task!r}")
    if "replications" not in options:
        raise ValueError("replications_per_task needs replications (the total per queue)")
    total = options["replications"]
    if isinstance(total, bool) or not isinstance(total, (int, np.integer)):
        raise ValueError(f"replications must be a whole number, got {total!r}")
    # replications < 1: one run, so that every queue gets the simulator's own error row.
    starts = range(0, int(total), int(per_task)) if total >= 1 else [0]
    return [dict(options, first_replication=first,
                 replications=min(int(per_task), int(total) - first) if total >= 1 else total)
            for first in starts]


def submit_simulate(executor: Any, frame: Any, *, partitions: Optional[int] = None,
                    replications_per_task: Optional[int] = None, **options: Any) -> Job:
    """:func:`simulate`, submitted: returns a :class:`Job`."""
    options.setdefault("threads", 1)
    if replications_per_task is None:
        return _submit(executor, simulate_block, frame, [dict(options)], partitions)
    runs = _replication_runs(options, replications_per_task)
    return _submit(executor, simulate_replications_block, frame, runs, partitions,
                   assemble_simulation)


def simulate(executor: Any, frame: Any, *, partitions: Optional[int] = None,
             replications_per_task: Optional[int] = None, **options: Any) -> pd.DataFrame:
    """Simulates every queue of ``frame`` (columns queue, timestamp, volume, aht_s [s],
    agents [, patience_s [s]]).

    Options: handle_time_cv (lognormal handle times, default 1.0), interval_length [s]
    (default inferred per queue), seed (each queue gets :func:`queue_seed`), replications,
    threads per task (default 1), warmup, target_times, definitions (as
    :func:`wfm.simulation.simulate`).

    ``replications_per_task``: split each queue's ``replications`` into runs of at most this
    many consecutive replications, one task per (block of queues, run), merged back in
    replication order: the same numbers, bit for bit, as one call (default: all of a queue's
    replications in one task). The simulator's size limit on expected calls x replications
    (wfm::limits::max_total_calls) and its cap on replications apply per task."""
    return submit_simulate(executor, frame, partitions=partitions,
                           replications_per_task=replications_per_task, **options).result()


def submit_schedule(executor: Any, models: Any, *, partitions: Optional[int] = None,
                    **options: Any) -> Job:
    """:func:`schedule`, submitted: returns a :class:`Job`."""
    if isinstance(models, Mapping):
        models = pd.DataFrame({QUEUE: list(models.keys()),
                               "coverage_model": list(models.values())})
    return _submit(executor, schedule_block, models, [dict(options)], partitions)


def schedule(executor: Any, models: Any, *, partitions: Optional[int] = None,
             **options: Any) -> pd.DataFrame:
    """Solves independent schedules: ``models`` is a mapping queue -> coverage-model JSON
    text or a frame with columns queue and coverage_model. Options go to :func:`wfm.schedule.solve`
    (time_limit, seed, use_cbc, lns_iterations, ...). See :func:`schedule_block`."""
    return submit_schedule(executor, models, partitions=partitions, **options).result()
