from typing import Any, Iterable, Mapping, Sequence, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._core import Status as Status

class MethodScore:
    method: str
    wape: float
    daily_wape: float
    mase: float
    points: int

class OutlierDay:
    day: int
    ratio: float
    weight: float
    reason: str

class SpecialDayEffect:
    name: str
    occurrences: int
    ratio: float
    source: str

class HandleTimeEffect:
    name: str
    kind: str
    source: str
    occurrences: int
    ratio: float
    evidence_weight: float

class HandleTimeReport:
    method: str
    level_s: float
    trend_per_week: float
    trend_weeks: int
    weekday_effect: list[float]
    special_days: list[HandleTimeEffect]
    band_method: str
    band_points: int

class FitReport:
    method: str
    status: Status
    iterations: int
    message: str
    backtest: list[MethodScore]
    backtest_origins: int
    outliers: list[OutlierDay]
    special_days: list[SpecialDayEffect]
    interval_method: str
    dispersion: float
    calibration_points: int
    intraday_lambda: float
    handle_time: HandleTimeReport

class Forecaster:
    @staticmethod
    def fit(timestamps: npt.ArrayLike, values: npt.ArrayLike, *, interval_length: int = 0,
            aht: npt.ArrayLike | None = None, special_days: Sequence[tuple[int, str]] = ...,
            method: str = "auto", backtest_origins: int = 8, combine: bool = True,
            outlier_threshold: float = 4.0, outlier_days: Sequence[int] = ...,
            average_weeks: int = 4, half_life_weeks: float = 8.0,
            svd_components: int = 5, events: str = "",
            events_source: str = "events") -> Forecaster: ...
    def forecast_layered(self, at: npt.ArrayLike, *, levels: Sequence[float] = ...,
                         overrides: str = "", events: str = "",
                         overrides_source: str = "overrides",
                         events_source: str = "events") -> dict[str, Any]: ...
    def predict(self, at: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
    def forecast(self, at: npt.ArrayLike, *, levels: Sequence[float] = ...) -> dict[str, Any]: ...
    def update_intraday(self, observed_at: npt.ArrayLike, observed: npt.ArrayLike,
                        at: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
    @property
    def report(self) -> FitReport: ...

def to_seconds(index: Any) -> npt.NDArray[np.int64]: ...
def special_days(holidays: Any) -> list[tuple[int, str]]: ...
def fit(history: pd.Series, *, aht: pd.Series | None = None, holidays: Any = None,
        interval_length: Any = None, method: str = "auto", events: Any = None,
        **options: Any) -> Forecaster: ...
def forecast(history: pd.Series, *, at: Any, level: float | Sequence[float] = 0.8,
             aht: pd.Series | None = None, holidays: Any = None, interval_length: Any = None,
             method: str = "auto", overrides: Any = None, events: Any = None,
             **options: Any) -> pd.DataFrame: ...
def explain(history: pd.Series, *, at: Any, aht: pd.Series | None = None, holidays: Any = None,
            interval_length: Any = None, method: str = "auto", overrides: Any = None,
            events: Any = None, **options: Any) -> pd.DataFrame: ...
def apply_overrides(forecast: pd.DataFrame, overrides: Any = None, *,
                    events: Any = None) -> pd.DataFrame: ...
def read_overrides(path: Any) -> pd.DataFrame: ...
def read_events(path: Any) -> pd.DataFrame: ...
def write_overrides(overrides: pd.DataFrame, path: Any) -> str: ...
def write_events(events: pd.DataFrame, path: Any) -> str: ...
@overload
def forecast_many(histories: Mapping[str, pd.Series], *, at: Any, level: float = 0.8,
                  holidays: Any = None, interval_length: Any = None, method: str = "auto",
                  threads: int = 0, **options: Any) -> dict[str, pd.DataFrame]: ...
@overload
def forecast_many(histories: Sequence[pd.Series], *, at: Any, level: float = 0.8,
                  holidays: Any = None, interval_length: Any = None, method: str = "auto",
                  threads: int = 0, **options: Any) -> list[pd.DataFrame]: ...
def backtest(history: pd.Series, *, holidays: Any = None, origins: int = 8, horizon_days: int = 7,
             level: float = 0.8, methods: Iterable[str] = (),
             interval_length: Any = None) -> pd.DataFrame: ...
