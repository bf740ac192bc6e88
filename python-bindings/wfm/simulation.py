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
    SimulatedQueue,
    SimulatedQueueOptions,
    SimulationResult,
    simulate,
)

__all__ = ["Distribution", "DistributionKind", "Estimate", "Measures", "SimulatedQueue",
           "SimulatedQueueOptions", "SimulationResult",
           "simulate", "to_frame", "total_series", "simulate_frame"]


#: Binding result keys (old and new spellings) -> vocabulary column of :func:`to_frame`.
_COLUMNS = {"volume": ("volume", "offered"), "answered": ("answered",),
            "abandoned": ("abandoned",), "unserved": ("unserved",),
            "abandon_rate": ("abandon_rate", "abandon_fraction"),
            "asa_s": ("asa_s", "asa_all_s"), "occupancy": ("occupancy", "occupancy_fraction")}
_FRACTIONS = ("abandon_rate", "occupancy", "service_level")


def _service_level_key(keys, definition: Optional[str], target_time_s: Optional[float]) -> str:
    """The key of the service-level series asked for (default: the first one simulated)."""
    series = [k for k in keys if (k.startswith("sl_") or k.startswith("service_level_"))
              and not k.endswith("_hw")]
    for k in series:
        if definition is not None and not (k.startswith(f"sl_{definition}_")
                                           or k.startswith(f"service_level_{definition}_")):
            continue
        if target_time_s is not None and f"_{float(target_time_s):g}s" not in k:
            continue
        return k
    raise ValueError(f"definition, target_time_s: no simulated service level for "
                     f"{definition!r} within {target_time_s!r} s (simulated: {series})")


def _renamed(values: dict, definition: Optional[str], target_time_s: Optional[float]) -> dict:
    """Vocabulary names, each mean with its 95 % interval as <name>_lower / <name>_upper."""
    wanted = {c: next((k for k in keys if k in values), None) for c, keys in _COLUMNS.items()}
    wanted["service_level"] = _service_level_key(values.keys(), definition, target_time_s)
    out: dict = {}
    for column, key in wanted.items():
        if key is None:
            continue
        mean = np.asarray(values[key], dtype=float)
        hw = np.asarray(values.get(key + "_hw", np.zeros_like(mean)), dtype=float)
        top = 1.0 if column in _FRACTIONS else np.inf
        out[column] = mean
        out[column + "_lower"] = np.clip(mean - hw, 0.0, top)
        out[column + "_upper"] = np.clip(mean + hw, 0.0, top)
    return out


def to_frame(result: SimulationResult, index: Optional[Sequence[Any]] = None, *,
             definition: Optional[str] = None,
             target_time_s: Optional[float] = None) -> pd.DataFrame:
    """Per-interval measures as a DataFrame (one row per interval), in the vocabulary's names.

    Columns: volume (offered), answered, abandoned, unserved [contacts per interval, mean per
    replication], abandon_rate, asa_s [s, over all contacts], occupancy and service_level; each
    with ``<name>_lower`` / ``<name>_upper``, the bounds of its 95 % confidence interval
    (clipped to [0, 1] for fractions). ``service_level`` is the series of ``definition`` within
    ``target_time_s`` (default: the first simulated). ``index`` (e.g. the interval starts)
    labels the rows and is named ``timestamp``.
    """
    df = pd.DataFrame(_renamed(result.columns(), definition, target_time_s))
    if index is not None:
        df.index = pd.Index(index, name="timestamp")
    return df


def total_series(result: SimulationResult, *, definition: Optional[str] = None,
                 target_time_s: Optional[float] = None) -> pd.Series:
    """Whole-horizon measures (same names as :func:`to_frame`) as a Series."""
    return pd.Series({k: float(v) for k, v in
                      _renamed(result.total_dict(), definition, target_time_s).items()})


def simulate_frame(frame: pd.DataFrame, *, interval_length: float,
                   handle_time: Distribution, patience: Optional[Distribution] = None,
                   **options: Any) -> pd.DataFrame:
    """Simulates an intervals table and returns :func:`to_frame` of the result.

    ``frame`` has columns ``volume`` [calls per interval], ``aht_s`` [s], ``agents`` and
    optionally ``patience_s`` [s] (the same columns as the ``wfm-simulate`` CLI). The handle
    and patience distributions give the shape; the columns give each interval's mean.
    Remaining keyword arguments go to :func:`simulate` (replications, seed, threads, ...);
    ``definition`` and ``target_time_s`` choose the service level reported (see :func:`to_frame`).
    """
    pick = {k: options.pop(k) for k in ("definition", "target_time_s") if k in options}
    for col in ("volume", "aht_s", "agents"):
        if col not in frame.columns:
            raise ValueError(f"frame: required column '{col}' is missing")
    volume = frame["volume"].to_numpy(dtype=float)
    kwargs: dict[str, Any] = dict(options)
    if patience is not None:
        kwargs["patience"] = patience
        if "patience_s" in frame.columns:
            kwargs["patience_mean"] = frame["patience_s"].to_numpy(dtype=float)
    result = simulate(interval_length=interval_length, arrival_rate=volume / interval_length,
                      handle_time=handle_time,
                      handle_time_mean=frame["aht_s"].to_numpy(dtype=float),
                      agents=frame["agents"].to_numpy(dtype=np.int32), **kwargs)
    return to_frame(result, index=frame.index, **pick)
