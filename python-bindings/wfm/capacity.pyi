"""Type stubs of wfm.capacity (times in seconds; FTE of fte_week_s paid seconds a week)."""
from typing import Any, Mapping, Optional, Sequence

import pandas as pd

STANDARD_SHRINKAGE: tuple[str, ...]

class CapacityPlan:
    weeks: pd.DataFrame
    classes: pd.DataFrame
    what_if: pd.DataFrame
    status: str
    message: str
    cost: float
    lower_bound: float
    gap: float
    cost_parts: dict
    uncoverable_weeks: list
    def plot(self, ax: Any = None) -> Any: ...

def plan(demand: pd.DataFrame, *, cohorts: pd.DataFrame, classes: Optional[pd.DataFrame] = None,
         profile: Any = None, interval_length_s: Optional[float] = None,
         shrinkage: Optional[Mapping[str, Any]] = None,
         what_if: bool | Sequence[Mapping] = False, probability: Optional[float] = None,
         level: Optional[float] = None, **kwargs: Any) -> CapacityPlan: ...
def plot(p: CapacityPlan, ax: Any = None) -> Any: ...
def forecast_weekly(history: Any, *, horizon: int = 52, level: float = 0.8,
                    fourier_terms: int = 3,
                    week_factor: Optional[Sequence[float]] = None,
                    history_factor: Optional[Sequence[float]] = None,
                    model: str = "automatic") -> pd.DataFrame: ...
def measure_scheduling_efficiency(volume: float, aht_s: float, profile: Any, *,
                                  interval_length_s: Optional[float] = None,
                                  service_level: float = 0.8, target_time_s: float = 20.0,
                                  patience_s: Optional[float] = None, templates: Any = None,
                                  time_limit_s: float = 30.0, seed: int = 0) -> dict: ...
