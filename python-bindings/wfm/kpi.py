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
    adh = wfm.kpi.adherence(schedule, states)                # agent schedule + state log
    adh.overall["adherence"], adh.shrinkage                   # shrinkage -> wfm.queueing
    pva = wfm.kpi.plan_vs_actual(plan, kpis)                  # forecast error, SL gap, WAPE
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

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
           "read_contact_log", "to_frame", "estimate_patience", "fit_lognormal", "customer_key",
           "Adherence", "adherence", "read_adherence", "PlanVsActual", "plan_vs_actual"]


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


# --- agent states -> adherence, conformance, exceptions, measured shrinkage -------------------

_WORK_ACTIVITIES = ("shift", "work")
_WORK_STATES = ("available", "on_contact", "acw")


@dataclass
class Adherence:
    """Adherence, conformance and measured shrinkage (definitions and formulas:
    include/wfm/kpi/adherence.hpp). Columns follow the vocabulary: ``scheduled_s``,
    ``adherent_s``, ``work_scheduled_s``, ``worked_s`` [s], ``adherence`` (fraction),
    ``conformance`` (ratio)."""

    intervals: pd.DataFrame  #: indexed by ``timestamp`` (interval start), with interval_length_s
    days: pd.DataFrame       #: indexed by ``timestamp`` (midnight), interval_length_s = 86400
    agents: pd.DataFrame     #: indexed by ``agent`` (agents without a schedule included)
    overall: pd.Series       #: the same sums and ratios over everything
    exceptions: pd.DataFrame  #: agent, start, end, activity (scheduled), state (actual)
    shrinkage_by_state: pd.DataFrame  #: indexed by ``state``: time_in_state_s, shrinkage
    shrinkage: float         #: measured shrinkage: the sum over states (-> wfm.queueing)
    unknown_agents: list = field(default_factory=list)  #: state-log agents without a schedule


def _timed(cols: dict, length: int) -> pd.DataFrame:
    cols = dict(cols)
    index = pd.DatetimeIndex(pd.to_datetime(np.asarray(cols.pop("timestamp")), unit="s"),
                             name="timestamp")
    df = pd.DataFrame({k: np.asarray(v) for k, v in cols.items()}, index=index)
    df.insert(0, "interval_length_s", float(length))
    return df


def _adherence_result(t: dict, interval_length_s: int) -> Adherence:
    agents = pd.DataFrame(t["agents"]).set_index("agent")
    overall = pd.DataFrame(t["overall"]).drop(columns="agent").iloc[0]
    overall.name = "overall"
    ex = pd.DataFrame(t["exceptions"], columns=["agent", "start", "end", "activity", "state"])
    for c in ("start", "end"):
        ex[c] = pd.to_datetime(ex[c].to_numpy(dtype=np.int64), unit="s")
    shrink = pd.DataFrame(t["shrinkage_by_state"]).set_index("state")
    return Adherence(intervals=_timed(t["intervals"], interval_length_s),
                     days=_timed(t["days"], 86400), agents=agents, overall=overall,
                     exceptions=ex, shrinkage_by_state=shrink, shrinkage=float(t["shrinkage"]),
                     unknown_agents=list(t["unknown_agents"]))


def _text(frame: pd.DataFrame, name: str, where: str) -> list:
    if name not in frame:
        raise ValueError(f"{where}: no '{name}' column (columns: {list(frame.columns)})")
    return frame[name].fillna("").astype(str).tolist()


def _times(frame: pd.DataFrame, name: str, where: str) -> np.ndarray:
    if name not in frame:
        raise ValueError(f"{where}: no '{name}' column (columns: {list(frame.columns)})")
    bad = frame[name].isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{where} row {row}, column '{name}': no time given")
    return _wall_seconds(frame[name])


def adherence(schedule: pd.DataFrame, states: pd.DataFrame, *, grace_s: float = 60.0,
              interval_length_s: int = 900, max_state_s: float = 12.0 * 3600.0,
              work_activities: Sequence[str] = _WORK_ACTIVITIES,
              work_states: Sequence[str] = _WORK_STATES) -> Adherence:
    """Adherence, conformance, exceptions and measured shrinkage from agent states.

    ``schedule``: rows ``agent``, ``start``, ``end`` (datetimes, end exclusive), ``activity``
    (``shift``/``work`` rows are time on the phones; ``break``, ``meeting``, ... rows nested in
    them replace them). ``states``: rows ``timestamp``, ``agent``, ``state`` (the agent is in the
    state from the timestamp until its next row, at most ``max_state_s``). Rows in any order;
    tz-aware times are read as local wall clock. Bad rows raise ValueError naming them
    (``schedule[i]`` / ``states[i]``: position i in the frame as given).
    """
    t = _kpi.adherence(
        schedule_start=_times(schedule, "start", "schedule"),
        schedule_end=_times(schedule, "end", "schedule"),
        schedule_agent=_text(schedule, "agent", "schedule"),
        schedule_activity=_text(schedule, "activity", "schedule"),
        state_timestamp=_times(states, "timestamp", "states"),
        state_agent=_text(states, "agent", "states"), state=_text(states, "state", "states"),
        grace_s=grace_s, interval_length_s=interval_length_s, max_state_s=max_state_s,
        work_activities=list(work_activities), work_states=list(work_states))
    return _adherence_result(t, interval_length_s)


def read_adherence(schedule_path: str, states_path: str, *, grace_s: float = 60.0,
                   interval_length_s: int = 900, max_state_s: float = 12.0 * 3600.0,
                   work_activities: Sequence[str] = _WORK_ACTIVITIES,
                   work_states: Sequence[str] = _WORK_STATES) -> Adherence:
    """:func:`adherence` of a schedule CSV (agent,start,end,activity) and a state log CSV
    (timestamp,agent,state) read in C++; errors name the file and line."""
    t = _kpi.read_adherence(str(schedule_path), str(states_path), grace_s=grace_s,
                            interval_length_s=interval_length_s, max_state_s=max_state_s,
                            work_activities=list(work_activities),
                            work_states=list(work_states))
    return _adherence_result(t, interval_length_s)



# --- plan versus actual -------------------------------------------------------------------


@dataclass
class PlanVsActual:
    """A plan's figures beside the measured ones (:func:`plan_vs_actual`)."""

    #: Indexed by the plan's ``timestamp``: planned_volume, volume, forecast_error,
    #: planned_aht_s, aht_s, agents_required, agents, planned_service_level, service_level,
    #: service_level_gap, and asa_s, abandon_rate, occupancy when measured.
    intervals: pd.DataFrame
    wape: float                   #: sum |volume - planned_volume| / sum volume
    volume: float                 #: measured contacts in the plan's intervals
    planned_volume: float
    service_level: float          #: measured, volume-weighted over the plan's intervals
    planned_service_level: float  #: planned, planned_volume-weighted
    service_level_gap: float      #: service_level - planned_service_level
    unplanned_volume: float       #: measured contacts in intervals the plan does not have


def _plan_frame(plan: Any) -> pd.DataFrame:
    """planned_volume, planned_aht_s, agents_required, agents, planned_service_level."""
    if hasattr(plan, "forecast") and hasattr(plan, "staffing"):  # a wfm.plan Plan
        cov = plan.coverage["agents"] if "agents" in plan.coverage else None
        frame = pd.DataFrame({"volume": plan.forecast["volume"],
                              "aht_s": plan.forecast["aht_s"],
                              "agents_required": plan.staffing["agents_required"],
                              "service_level": plan.staffing["service_level"]})
        if cov is not None:
            frame["agents"] = cov
    else:
        frame = pd.DataFrame(plan).copy()
    need = ["volume", "service_level"]
    if any(c not in frame for c in need):
        raise ValueError(f"plan: needs the columns {need} (as wfm.plan's forecast and staffing), "
                         f"got {list(frame.columns)}")
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ValueError("plan: must be indexed by timestamp (a DatetimeIndex)")
    if frame.index.tz is not None:  # the measured KPIs are on the local wall clock
        frame.index = frame.index.tz_localize(None)
    frame.index.name = "timestamp"
    return frame.rename(columns={"volume": "planned_volume", "aht_s": "planned_aht_s",
                                 "service_level": "planned_service_level"})


def plan_vs_actual(plan: Any, actual: Any, *, definition: str = "answered_within",
                   target_time_s: Optional[float] = None) -> PlanVsActual:
    """The measured interval KPIs beside a plan, with the forecast error and the SL gap.

    ``plan``: a :class:`wfm.plan.Plan` (forecast volume and aht_s, agents_required and the
    planned service_level of its staffing, the scheduled ``agents`` of its coverage), or a
    DataFrame indexed by timestamp with ``volume`` and ``service_level`` (and optionally
    ``aht_s``, ``agents_required``, ``agents``). ``actual``: :func:`contact_kpis`' DataFrame
    (or a ContactKpis); its service level is read from ``service_level_<definition>_<t>s``,
    t = ``target_time_s`` (default: the Plan's target_time_s, else 20 s).

    Per interval of the plan: forecast_error = volume - planned_volume; service_level_gap =
    service_level - planned_service_level. A plan interval without a measured row had no
    contacts: volume 0 and the limit values of include/wfm/kpi/contacts.hpp (service level 1,
    rates and times 0). Overall: wape = sum |volume - planned_volume| / sum volume (WAPE, the
    MAD/mean ratio: Kolassa & Schuetz 2007, Foresight 6: 40-43; as wfm::forecast::wape; 0 when
    both sums are 0, +inf when only the measured one is); service levels weighted by volume
    (measured) and planned_volume (planned), as wfm.plan's summary. Contacts measured outside
    the plan's intervals are counted in ``unplanned_volume`` only.
    """
    if isinstance(actual, ContactKpis):
        actual = to_frame(actual)
    if target_time_s is None:
        target_time_s = float(getattr(plan, "target_time_s", 20.0))
    sl = f"service_level_{definition}_{float(target_time_s):g}s"
    if sl not in actual:
        raise ValueError(f"actual: no '{sl}' column (definition {definition!r}, target_time_s "
                         f"{target_time_s!r}); columns: {list(actual.columns)}")
    if "volume" not in actual:
        raise ValueError(f"actual: no 'volume' column; columns: {list(actual.columns)}")
    p = _plan_frame(plan)

    def col(frame: pd.DataFrame, name: str) -> Optional[np.ndarray]:
        return frame[name].to_numpy(dtype=float) if name in frame else None

    # The definitions and limit values live in C++ (include/wfm/kpi/plan_vs_actual.hpp).
    r = _kpi.plan_vs_actual(
        plan_timestamp=_wall_seconds(p.index), planned_volume=col(p, "planned_volume"),
        planned_service_level=col(p, "planned_service_level"),
        planned_aht_s=col(p, "planned_aht_s"), agents_required=col(p, "agents_required"),
        agents=col(p, "agents"), actual_timestamp=_wall_seconds(actual.index),
        volume=col(actual, "volume"), service_level=col(actual, sl), aht_s=col(actual, "aht_s"),
        asa_s=col(actual, "asa_s"), abandon_rate=col(actual, "abandon_rate"),
        occupancy=col(actual, "occupancy"))
    overall = r.pop("overall")
    r.pop("timestamp")
    out = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in r.items()}, index=p.index)
    return PlanVsActual(intervals=out, wape=overall["wape"], volume=overall["volume"],
                        planned_volume=overall["planned_volume"],
                        service_level=overall["service_level"],
                        planned_service_level=overall["planned_service_level"],
                        service_level_gap=overall["service_level_gap"],
                        unplanned_volume=overall["unplanned_volume"])
