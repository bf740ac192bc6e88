from typing import Optional, Sequence, Union

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
