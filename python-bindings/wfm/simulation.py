"""wfm.simulation: discrete-event simulation of a contact centre (C++ namespace wfm::simulation).

Times in seconds, rates per second, fractions in [0, 1]. The event loop runs in C++ with the
GIL released; this module only converts results to pandas.

Example::

    import numpy as np
    from wfm import simulation as sim

    res = sim.simulate(interval_length=1800, arrival_rate=np.array([100, 120]) / 1800,
                       handle_time=sim.Distribution.lognormal(mean=240, cv=1.0),
                       patience=sim.Distribution.exponential(mean=120),
                       agents=np.array([15, 18]), replications=200, seed=7)
    df = sim.to_frame(res)   # one row per interval: service_level, service_level_lower, ...

    # The same 200 replications as two runs of 100 (e.g. on two machines), merged: res, bit
    # for bit (replication i draws from (seed, i) whichever call runs it).
    day = dict(interval_length=1800, arrival_rate=np.array([100, 120]) / 1800,
               handle_time=sim.Distribution.lognormal(mean=240, cv=1.0),
               patience=sim.Distribution.exponential(mean=120), agents=np.array([15, 18]),
               seed=7, replications=100, keep_sums=True)
    parts = [sim.simulate(**day, first_replication=k).sums for k in (0, 100)]
    same = sim.merge(parts)

Columns follow wfm's vocabulary (include/wfm/core/vocabulary.hpp); every simulated mean comes
with the bounds ``<name>_lower`` / ``<name>_upper`` of its 95 % confidence interval.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from ._core.simulation import (  # noqa: F401
    Distribution,
    DistributionKind,
    Estimate,
    Measures,
    ReplicationSums,
    SimulatedQueue,
    SimulatedQueueOptions,
    SimulationResult,
    merge,
    simulate,
)

__all__ = ["Distribution", "DistributionKind", "Estimate", "Measures", "ReplicationSums",
           "SimulatedQueue", "SimulatedQueueOptions", "SimulationResult",
           "merge", "simulate", "to_frame", "total_series", "simulate_frame"]


_FRACTIONS = ("abandon_rate", "occupancy", "service_level", "blocking_rate", "lost_rate",
              "customer_service_level")


_OLD = {"offered": "volume", "abandon_fraction": "abandon_rate", "asa_all_s": "asa_s",
        "occupancy_fraction": "occupancy"}


def _renamed_old(values: dict) -> dict:
    """Bindings built before the vocabulary renames: old names and half-widths -> new."""
    out, first = {}, True
    for key, value in values.items():
        if key.endswith("_hw"):
            continue
        name = _OLD.get(key, key)
        if key.startswith("sl_"):
            body = key[3:-len("_fraction")]
            name = "service_level" if first else f"service_level_{body}"
            first = False
        hw = np.asarray(values[key + "_hw"], dtype=float)
        out[name] = np.asarray(value, dtype=float)
        out[name + "_lower"], out[name + "_upper"] = out[name] - hw, out[name] + hw
    return out


def _clipped(values: dict) -> dict:
    """The bindings' measures (vocabulary names, each with <name>_lower / <name>_upper), with
    the confidence bounds clipped to the possible range: >= 0, and <= 1 for fractions."""
    if "offered" in values:
        values = _renamed_old(values)
    out = {}
    for key, value in values.items():
        v = np.asarray(value, dtype=float)
        base = key[:-6] if key.endswith(("_lower", "_upper")) else key
        if base != key:
            top = 1.0 if base.startswith(_FRACTIONS) else np.inf
            v = np.clip(v, 0.0, top)
        out[key] = v
    return out


def to_frame(result: SimulationResult, index: Optional[Sequence[Any]] = None) -> pd.DataFrame:
    """Per-interval measures as a DataFrame (one row per interval), in the vocabulary's names.

    Columns: volume (offered), answered, abandoned, unserved [contacts per interval, mean per
    replication], abandon_rate, asa_s [s, over all contacts], asa_answered_s [s], occupancy,
    service_level (the first simulated definition and target time) and
    ``service_level_<definition>_<t>s`` for the others; each with ``<name>_lower`` /
    ``<name>_upper``, the bounds of its 95 % confidence interval (clipped to [0, 1] for
    fractions). ``index`` (e.g. the interval starts) labels the rows and is named ``timestamp``.
    """
    df = pd.DataFrame(_clipped(result.columns()))
    if index is not None:
        df.index = pd.Index(index, name="timestamp")
    return df


def total_series(result: SimulationResult) -> pd.Series:
    """Whole-horizon measures (same names as :func:`to_frame`) as a Series."""
    return pd.Series({k: float(v) for k, v in _clipped(result.total_dict()).items()})


def simulate_frame(frame: pd.DataFrame, *, interval_length: float,
                   handle_time: Distribution, patience: Optional[Distribution] = None,
                   **options: Any) -> pd.DataFrame:
    """Simulates an intervals table and returns :func:`to_frame` of the result.

    ``frame`` has columns ``volume`` [calls per interval], ``aht_s`` [s], ``agents`` and
    optionally ``patience_s`` [s] (the same columns as the ``wfm-simulate`` CLI). The handle
    and patience distributions give the shape; the columns give each interval's mean.
    Remaining keyword arguments go to :func:`simulate` (replications, seed, threads, ...).
    """
    return to_frame(_simulate_intervals(frame, interval_length=interval_length,
                                        handle_time=handle_time, patience=patience, **options),
                    index=frame.index)


def _simulate_intervals(frame: pd.DataFrame, *, interval_length: float,
                        handle_time: Distribution, patience: Optional[Distribution] = None,
                        **options: Any) -> SimulationResult:
    """:func:`simulate_frame`'s SimulationResult (before :func:`to_frame`)."""
    for col in ("volume", "aht_s", "agents"):
        if col not in frame.columns:
            raise ValueError(f"frame: required column '{col}' is missing")
    if not (isinstance(interval_length, (int, float, np.number))
            and interval_length >= 1.0 and np.isfinite(interval_length)):
        raise ValueError("interval_length [s] must be a finite number >= 1 s "
                         f"(wfm::limits::min_interval_length), got {interval_length!r}")
    volume = frame["volume"].to_numpy(dtype=float)
    agents = frame["agents"].to_numpy(dtype=float)
    if not np.all((agents >= 0) & (agents == np.floor(agents)) & (agents < 2**31)):
        raise ValueError(f"frame['agents'] must hold whole numbers in [0, 2^31), got "
                         f"{agents[~((agents >= 0) & (agents == np.floor(agents)) & (agents < 2**31))][0]}")
    kwargs: dict[str, Any] = dict(options)
    if patience is not None:
        kwargs["patience"] = patience
        if "patience_s" in frame.columns:
            kwargs["patience_mean"] = frame["patience_s"].to_numpy(dtype=float)
    return simulate(interval_length=interval_length, arrival_rate=volume / interval_length,
                    handle_time=handle_time, handle_time_mean=frame["aht_s"].to_numpy(dtype=float),
                    agents=agents.astype(np.int32), **kwargs)
