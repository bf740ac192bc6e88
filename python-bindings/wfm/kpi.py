"""wfm.kpi: measure what happened (C++ namespace wfm::kpi).

Contact logs -> KPIs per interval under the planning vocabulary (``volume``, ``aht_s``,
``asa_s``, ``service_level_<definition>_<t>s``, ``abandon_rate``, ``patience_s``,
``occupancy``, ...), so that measured figures go straight back into wfm.forecast, wfm.queueing
and wfm.simulation. Times in seconds, fractions in [0, 1]. Every definition and its formula:
include/wfm/kpi/contacts.hpp.

Example::

    log = pd.read_csv("contacts.csv", parse_dates=["arrival"])
    kpis = wfm.kpi.contact_kpis(log, target_times_s=[20])   # DataFrame indexed by timestamp
    kpis[["volume", "aht_s"]]                                # -> wfm.forecast
    wfm.kpi.estimate_patience(waits_s=w, abandoned=a).patience_s   # -> ErlangA(patience=...)
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd

from ._core.kpi import (  # noqa: F401
    ContactKpis,
    KaplanMeier,
    LognormalFit,
    PatienceEstimate,
    customer_key,
    estimate_patience,
    fit_lognormal,
)
from ._core import kpi as _kpi

__all__ = ["ContactKpis", "KaplanMeier", "LognormalFit", "PatienceEstimate", "contact_kpis",
           "read_contact_log", "to_frame", "estimate_patience", "fit_lognormal", "customer_key"]


def _wall_seconds(values: pd.Series | pd.Index) -> np.ndarray:
    """Wall-clock seconds since 1970-01-01 (a tz-aware series is read in its own local time)."""
    t = pd.DatetimeIndex(values)
    if t.tz is not None:
        t = t.tz_localize(None)  # local wall clock, as the C++ side counts intervals
    # Whatever the resolution (ns, us, s): whole seconds since the epoch of the wall clock.
    return np.asarray((t - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1), dtype=np.int64)


def to_frame(result: ContactKpis) -> pd.DataFrame:
    """Per-interval KPIs as a DataFrame indexed by ``timestamp`` (interval start)."""
    cols = result.columns()
    ts = pd.to_datetime(np.asarray(cols.pop("timestamp")), unit="s")
    df = pd.DataFrame({k: np.asarray(v) for k, v in cols.items()}, index=ts)
    df.index.name = "timestamp"
    df["interval_length_s"] = float(result.interval_length_s)
    return df


def contact_kpis(log: pd.DataFrame, *, interval_length_s: int = 900,
                 short_abandon_s: float = 5.0, target_times_s: Sequence[float] = (20.0,),
                 definitions: Sequence[str] = (), fcr_window_days: float = 7.0,
                 agents: Optional[pd.Series] = None, frame: bool = True):
    """KPIs per interval of a contact log.

    ``log`` columns: ``arrival`` (datetime), ``outcome`` ("answered"/"abandoned"), ``wait_s``,
    and optionally ``talk_s``, ``hold_s``, ``acw_s`` [s], ``customer`` (any ids; NaN/empty =
    unknown), ``transferred`` (bool), ``csat`` (NaN = no score). ``agents``: agents on the
    phones per interval (a Series indexed by interval start), which gives ``occupancy``.
    Returns a DataFrame indexed by ``timestamp`` (``frame=False``: the ContactKpis object, with
    ``overall()``, ``patience`` and ``handle_time``). Bad values raise ValueError naming the row.
    """
    outcome = log["outcome"].astype(str)
    bad = ~outcome.isin(["answered", "abandoned"])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"log row {row}, column 'outcome': must be 'answered' or 'abandoned', "
                         f"got {outcome.iloc[row]!r}")

    def col(name: str) -> Optional[np.ndarray]:
        return log[name].to_numpy(dtype=float) if name in log else None

    customer = None
    if "customer" in log:
        ids = log["customer"]
        customer = np.array([0 if pd.isna(v) or str(v) == "" else customer_key(str(v))
                             for v in ids], dtype=np.uint64)
    staffed_start = staffed_agents = None
    if agents is not None:
        staffed_start = _wall_seconds(agents.index)
        staffed_agents = agents.to_numpy(dtype=float)
    res = _kpi.contact_kpis(
        arrival=_wall_seconds(log["arrival"]),
        answered=(outcome == "answered").to_numpy(dtype=np.uint8),
        wait_s=log["wait_s"].to_numpy(dtype=float), talk_s=col("talk_s"), hold_s=col("hold_s"),
        acw_s=col("acw_s"), customer=customer,
        transferred=(log["transferred"].fillna(0).astype(bool).to_numpy(dtype=np.uint8)
                     if "transferred" in log else None),
        csat=col("csat"), staffed_start=staffed_start, staffed_agents=staffed_agents,
        interval_length_s=interval_length_s, short_abandon_s=short_abandon_s,
        target_times_s=list(target_times_s), definitions=list(definitions),
        fcr_window_days=fcr_window_days)
    return to_frame(res) if frame else res


def read_contact_log(path: str, *, agents: Optional[str] = None, interval_length_s: int = 900,
                     short_abandon_s: float = 5.0, target_times_s: Sequence[float] = (20.0,),
                     definitions: Sequence[str] = (), fcr_window_days: float = 7.0,
                     queue: str = "") -> ContactKpis:
    """KPIs of a contact-log CSV streamed in C++ (any size, bounded memory); ``agents``: a CSV
    ``timestamp,agents``. Use :func:`to_frame` for the DataFrame."""
    return _kpi.read_contact_log(path, agents=agents, interval_length_s=interval_length_s,
                                 short_abandon_s=short_abandon_s,
                                 target_times_s=list(target_times_s),
                                 definitions=list(definitions), fcr_window_days=fcr_window_days,
                                 queue=queue)
