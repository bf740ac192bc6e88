from typing import Any, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._core import Status as Status

class DistributionKind:
    none: DistributionKind
    exponential: DistributionKind
    lognormal: DistributionKind
    empirical: DistributionKind

class Distribution:
    @staticmethod
    def none() -> Distribution: ...
    @staticmethod
    def exponential(*, mean: float) -> Distribution: ...
    @staticmethod
    def lognormal(*, mean: float, cv: float) -> Distribution: ...
    @staticmethod
    def empirical(*, sample: npt.ArrayLike) -> Distribution: ...
    @property
    def kind(self) -> DistributionKind: ...
    @property
    def mean(self) -> float: ...
    @property
    def cv(self) -> float: ...

class Estimate:
    @property
    def value(self) -> float: ...
    @property
    def half_width(self) -> float: ...

class Measures:
    volume: Estimate
    answered: Estimate
    abandoned: Estimate
    unserved: Estimate
    abandon_rate: Estimate
    asa_s: Estimate
    asa_answered_s: Estimate
    occupancy: Estimate
    service_level: list[Estimate]
    blocking_rate: Estimate
    effective_arrival_rate: Estimate
    lost_rate: Estimate
    customer_service_level: Estimate
    outbound_throughput: Estimate

class ReplicationSums:
    first_replication: int
    replications: int
    intervals: int
    target_times: list[float]
    events: int
    contact: bool
    @property
    def service_levels(self) -> list[tuple[str, float]]: ...
    @property
    def values(self) -> np.ndarray: ...

class SimulationResult:
    status: Status
    message: str
    replications: int
    multi_contact: bool
    events: int
    intervals: list[Measures]
    total: Measures
    replication_totals: list[Measures]
    @property
    def service_levels(self) -> list[tuple[str, float]]: ...
    @property
    def sums(self) -> Optional[ReplicationSums]: ...
    def columns(self) -> dict[str, np.ndarray]: ...
    def total_dict(self) -> dict[str, float]: ...
    def replication_dicts(self) -> list[dict[str, float]]: ...

class SimulatedQueueOptions:
    def __init__(self, *, horizon: float = 100000.0, warmup: float = 10000.0,
                 replications: int = 10, seed: int = 1, threads: int = 0) -> None: ...
    horizon: float
    warmup: float
    replications: int
    seed: int
    threads: int

class SimulatedQueue:
    def __init__(self, *, arrival_rate: float, handle_time: Distribution,
                 patience: Distribution = ..., options: SimulatedQueueOptions = ...) -> None: ...
    def evaluate(self, agents: float, target_times: Sequence[float] = ...) -> SimulationResult: ...
    def service_level(self, agents: float, target_time: float,
                      definition: str = "answered_within") -> float: ...
    def average_speed_of_answer(self, agents: float, over: str = "all") -> float: ...
    def abandon_probability(self, agents: float) -> float: ...
    def occupancy(self, agents: float) -> float: ...

def simulate(
    *,
    interval_length: float,
    arrival_rate: npt.ArrayLike,
    handle_time: Distribution,
    patience: Distribution = ...,
    agents: Optional[npt.ArrayLike] = None,
    roster: Optional[Union[Sequence[dict[str, Any]], dict[str, Any]]] = None,
    roster_horizon_length: Optional[float] = None,
    handle_time_mean: Optional[npt.ArrayLike] = None,
    patience_mean: Optional[npt.ArrayLike] = None,
    busyness_cv: float = 0.0,
    busyness_period_length: float = 86400.0,
    cyclic: bool = False,
    arrival_times: Optional[npt.ArrayLike] = None,
    replications: int = 100,
    seed: int = 1,
    threads: int = 0,
    warmup: float = 0.0,
    target_times: Sequence[float] = ...,
    definitions: Sequence[str] = ...,
    keep_replications: bool = False,
    first_replication: int = 0,
    keep_sums: bool = False,
    handle_time_factors: Optional[npt.ArrayLike] = None,
    balance_chats: bool = True,
    lines: int = 0,
    redial_probability: float = 0.0,
    redial_delay: Distribution = ...,
    outbound_handle_time: Distribution = ...,
    reserve: int = 0,
) -> SimulationResult: ...
def merge(parts: Sequence[ReplicationSums], *, keep_replications: bool = False) -> SimulationResult: ...
def to_frame(result: SimulationResult, index: Optional[Sequence[Any]] = None) -> pd.DataFrame: ...
def total_series(result: SimulationResult) -> pd.Series: ...
def simulate_frame(
    frame: pd.DataFrame,
    *,
    interval_length: float,
    handle_time: Distribution,
    patience: Optional[Distribution] = None,
    **options: Any,
) -> pd.DataFrame: ...
