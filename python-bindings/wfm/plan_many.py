"""wfm-plan-many: many queues forecast and staffed, in this process or on a Dask cluster.

    wfm-plan-many history.csv -o plan.csv --aht 300 --workers 2
    wfm-plan-many history.csv -o plan.csv --scheduler tcp://scheduler:8786

Reads a long history (queue, timestamp, volume [, aht_s]), forecasts every queue over the
horizon after its last timestamp and staffs each forecast interval, through
:mod:`wfm.distributed` (the same path in-process and on a cluster: the same numbers). Writes one
CSV in the vocabulary's names; a queue whose history is bad gets one row with status ``error``
and a message naming it, the other queues are planned. The file is written beside the output
and renamed into place: on failure nothing is written.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from . import distributed as wd

#: wfm::exit_code (include/wfm/core/status.hpp).
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INFEASIBLE = 0, 1, 2, 3

_EPILOG = """input: CSV with header queue,timestamp,volume[,aht_s] (ISO 8601 local times, only
open intervals, volumes in contacts per interval, aht_s in seconds); rows of the queues may
be interleaved.

output: queue,timestamp,volume,volume_lower,volume_upper,aht_s,agents_required,
agents_required_gross,service_level,asa_s,abandon_rate,occupancy,status,message
(status: ok, infeasible (goal not met within --max-agents) or error (the queue's input)).

exit codes: 0 ok, 1 failure or a queue in error (the file is written with its error row),
2 bad input (nothing written), 3 a queue infeasible (the file is written)."""


class BadInput(ValueError):
    """Bad input: the message names the file, line and column."""


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="wfm-plan-many", description="Forecast and staff many "
                                 "queues, locally or on a Dask scheduler.", epilog=_EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", metavar="HISTORY.csv")
    ap.add_argument("-o", "--output", required=True, metavar="CSV")
    ap.add_argument("--horizon", default="7D", help="forecast horizon after each queue's last "
                    "timestamp, a pandas Timedelta (default 7D)")
    ap.add_argument("--aht", type=float, metavar="S", help="handle time [s] when the history "
                    "has no aht_s column")
    ap.add_argument("--patience", type=float, metavar="S", help="mean patience [s]: Erlang A "
                    "(default: none, Erlang C)")
    ap.add_argument("--service-level", type=float, default=0.8, metavar="F",
                    help="goal: fraction answered within --target-time (default 0.8)")
    ap.add_argument("--target-time", type=float, default=20.0, metavar="S", help="[s] (default 20)")
    ap.add_argument("--shrinkage", type=float, default=0.0, metavar="F", help="(default 0)")
    ap.add_argument("--level", type=float, default=0.8, metavar="F",
                    help="prediction-interval coverage (default 0.8)")
    ap.add_argument("--method", default="auto", help="forecast method (default auto)")
    ap.add_argument("--interval-length", type=float, metavar="S",
                    help="[s] (default: per queue, the smallest gap between timestamps)")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. "
                       "tcp://host:8786 (workers need wfm installed)")
    where.add_argument("--workers", type=int, default=0, metavar="N", help="local worker "
                       "processes (Dask LocalCluster, or a process pool without Dask); "
                       "0 = this process (default)")
    ap.add_argument("--partitions", type=int, metavar="P",
                    help="blocks of queues (default 4 per worker); never changes a number")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return ap


def read_history(path: Path, aht: float | None) -> pd.DataFrame:
    """The history CSV; BadInput names file, line and column of the first unreadable field."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: cannot read: {e}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise BadInput(f"{path}: {e}") from None
    header = list(raw.columns)
    for name in ("queue", "timestamp", "volume"):
        if name not in header:
            raise BadInput(f"{path}:1:1: header has no column '{name}' (header: "
                           f"{','.join(header) or 'empty'})")
    if "aht_s" not in header and aht is None:
        raise BadInput(f"{path}:1:1: no aht_s column: give --aht [s]")
    out = pd.DataFrame({"queue": raw["queue"].str.strip()})
    stamps = pd.to_datetime(raw["timestamp"], errors="coerce", format="ISO8601")
    numbers = {c: pd.to_numeric(raw[c], errors="coerce") for c in ("volume", "aht_s")
               if c in header}
    for name, values in [("timestamp", stamps)] + list(numbers.items()):
        bad = values.isna().to_numpy().nonzero()[0]
        if len(bad):
            i = int(bad[0])
            raise BadInput(f"{path}:{i + 2}:{header.index(name) + 1}: {name} "
                           f"'{raw[name].iloc[i]}' is not a {'time' if name == 'timestamp' else 'number'}")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    out["timestamp"] = stamps
    for name, values in numbers.items():
        out[name] = values.astype(float)
    return out


def _executor(args):
    """(executor, closer): None in-process, a Dask Client, or a process pool."""
    if args.scheduler is None and args.workers == 0:
        return None, lambda: None
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        if args.scheduler is not None:
            raise RuntimeError("--scheduler needs Dask: pip install 'wfm[dask]'") from None
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(args.workers)
        return pool, pool.shutdown
    if args.scheduler is not None:
        client = Client(args.scheduler)
        return client, client.close
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    return client, lambda: (client.close(), cluster.close())


def _wait(job, quiet: bool, what: str):
    if not quiet and job.futures and hasattr(job.futures[0], "key"):
        from dask.distributed import progress

        print(f"{what}:", file=sys.stderr)
        progress(job.futures)
        print(file=sys.stderr)
    return job.result()


def plan_many(executor, history: pd.DataFrame, args) -> pd.DataFrame:
    """forecast -> staff of every queue, chained: on a Dask cluster the forecasts stay on the
    workers; a queue whose forecast failed keeps its error row."""
    fc = wd.submit_forecast(executor, history, partitions=args.partitions, horizon=args.horizon,
                            level=args.level, method=args.method,
                            interval_length=args.interval_length)
    staffed = wd.submit_staff(executor, fc, interval_length=args.interval_length,
                              shrinkage=args.shrinkage, service_level=args.service_level,
                              target_time=args.target_time, aht_s=args.aht,
                              patience_s=args.patience)
    out = _wait(staffed, args.quiet, "forecast and staff")
    first = ["queue", "timestamp", "volume", "volume_lower", "volume_upper", "aht_s"]
    return out[[c for c in first if c in out.columns] + [c for c in out.columns
                                                        if c not in first]]


def _write(frame: pd.DataFrame, path: Path) -> None:
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="") as f:
            frame.to_csv(f, index=False, date_format="%Y-%m-%dT%H:%M:%S")
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        for name in ("service_level", "shrinkage", "level"):
            x = getattr(args, name)
            if not (math.isfinite(x) and 0 <= x <= 1):
                raise BadInput(f"--{name.replace('_', '-')}: {x} must be a fraction in [0, 1]")
        if args.workers < 0:
            raise BadInput(f"--workers: {args.workers} must be >= 0")
        history = read_history(Path(args.input), args.aht)
    except BadInput as e:
        print(f"wfm-plan-many: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        executor, close = _executor(args)
        try:
            out = plan_many(executor, history, args)
        finally:
            close()
        _write(out, Path(args.output))
    except ValueError as e:
        print(f"wfm-plan-many: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as e:  # noqa: BLE001 - every failure becomes a message and an exit code
        print(f"wfm-plan-many: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILURE
    status = set(out["status"])
    for _, row in out[out["status"] == "error"].iterrows():
        print(f"wfm-plan-many: {row['message']}", file=sys.stderr)
    if not args.quiet:
        print(f"{out['queue'].nunique()} queues, {len(out)} rows -> {args.output}",
              file=sys.stderr)
    return EXIT_FAILURE if "error" in status else EXIT_INFEASIBLE if "infeasible" in status \
        else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
