from dataclasses import dataclass
from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

class KaplanMeier:
    time: np.ndarray
    survival: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    restricted_mean_s: float
    median_s: float
    largest_wait_s: float
    def at(self, t: float) -> float: ...

class PatienceEstimate:
    patience_s: float
    abandoned: float
    censored: float
    total_wait_s: float
    kaplan_meier: KaplanMeier
    status: str
    message: str

class LognormalFit:
    mu: float
    sigma: float
    mean_s: float
    cv: float
    sample_mean_s: float
    count: int
    zero_count: int
    ks_statistic: float
    ks_p_value: float
    ks_sample: int
    status: str
    message: str

class ContactKpis:
    interval_length_s: int
    has_occupancy: bool
    patience: PatienceEstimate
    handle_time: LognormalFit
    handle_time_sample: np.ndarray
    rows: int
    def columns(self) -> dict[str, np.ndarray]: ...
    def overall(self) -> dict[str, float]: ...

def customer_key(id: str) -> int: ...
def estimate_patience(*, waits_s: np.ndarray, abandoned: np.ndarray) -> PatienceEstimate: ...
def fit_lognormal(handle_times_s: np.ndarray) -> LognormalFit: ...
def to_frame(result: ContactKpis) -> pd.DataFrame: ...
def contact_kpis(log: pd.DataFrame, *, interval_length_s: int = ..., short_abandon_s: float = ...,
                 target_times_s: Sequence[float] = ..., definitions: Sequence[str] = ...,
                 fcr_window_days: float = ..., agents: Optional[pd.Series] = ...,
                 frame: bool = ...) -> Union[pd.DataFrame, ContactKpis]: ...
def read_contact_log(path: str, *, agents: Optional[str] = ..., interval_length_s: int = ...,
                     short_abandon_s: float = ..., target_times_s: Sequence[float] = ...,
                     definitions: Sequence[str] = ..., fcr_window_days: float = ...,
                     queue: str = ...) -> ContactKpis: ...

@dataclass
class Adherence:
    intervals: pd.DataFrame
    days: pd.DataFrame
    agents: pd.DataFrame
    overall: pd.Series
    exceptions: pd.DataFrame
    shrinkage_by_state: pd.DataFrame
    shrinkage: float
    unknown_agents: list

def adherence(schedule: pd.DataFrame, states: pd.DataFrame, *, grace_s: float = ...,
              interval_length_s: int = ..., max_state_s: float = ...,
              work_activities: Sequence[str] = ...,
              work_states: Sequence[str] = ...) -> Adherence: ...
def read_adherence(schedule_path: str, states_path: str, *, grace_s: float = ...,
                   interval_length_s: int = ..., max_state_s: float = ...,
                   work_activities: Sequence[str] = ...,
                   work_states: Sequence[str] = ...) -> Adherence: ...

@dataclass
class PlanVsActual:
    intervals: pd.DataFrame
    wape: float
    volume: float
    planned_volume: float
    service_level: float
    planned_service_level: float
    service_level_gap: float
    unplanned_volume: float

def plan_vs_actual(plan: Any, actual: Union[pd.DataFrame, ContactKpis], *,
                   definition: str = ..., target_time_s: Optional[float] = ...) -> PlanVsActual: ...
