"""Type stubs of wfm.schedule (lengths/starts/offsets in intervals; times in seconds)."""
from enum import Enum
from typing import Any, Callable, Optional, Sequence

import numpy as np
import numpy.typing as npt

from ._core import Progress as Progress, Status as Status

SolveStatus = Status  # the one status type of every module

class BreakWindow:
    length: int
    earliest_offset: int
    latest_offset: int
    def __init__(self, *, length: int = 1, earliest_offset: int = 0, latest_offset: int = 0) -> None: ...

class ShiftTemplate:
    name: str
    length: int
    paid_length: float
    cost: float
    starts: list[int]
    breaks: list[BreakWindow]
    max_agents_per_start: int
    max_agents: int
    fixed_cost: float
    def __init__(self, *, name: str = "", length: int, cost: float, starts: Sequence[int],
                 breaks: Sequence[BreakWindow] = ..., paid_length: float = -1.0,
                 max_agents_per_start: int = -1, max_agents: int = -1,
                 fixed_cost: float = 0.0) -> None: ...

class CoverageModel:
    def __init__(self, *, requirement: npt.ArrayLike, templates: Sequence[ShiftTemplate],
                 interval_length: float = 900.0, cyclic: bool = False, hard_cover: bool = True,
                 under_cost: float = 0.0, over_cost: float = 0.0, min_headcount: int = 0,
                 max_headcount: int = -1) -> None: ...
    @property
    def requirement(self) -> npt.NDArray[np.float64]: ...
    @property
    def templates(self) -> list[ShiftTemplate]: ...
    @property
    def interval_length(self) -> float: ...
    @property
    def cyclic(self) -> bool: ...
    @property
    def hard_cover(self) -> bool: ...
    @property
    def under_cost(self) -> float: ...
    @property
    def over_cost(self) -> float: ...
    @property
    def num_intervals(self) -> int: ...

class ShiftAssignment:
    @property
    def template_index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def agents(self) -> int: ...
    @property
    def break_agents(self) -> list[list[int]]: ...

class Schedule:
    @property
    def status(self) -> Status: ...
    @property
    def shifts(self) -> list[ShiftAssignment]: ...
    @property
    def coverage(self) -> npt.NDArray[np.float64]: ...
    @property
    def under(self) -> npt.NDArray[np.float64]: ...
    @property
    def over(self) -> npt.NDArray[np.float64]: ...
    cost: float
    shift_cost: float
    penalty_cost: float
    fixed_cost: float
    lower_bound: float
    lp_bound: float
    gap: float
    headcount: int
    paid_intervals: float
    paid_hours: float
    uncoverable: list[int]
    message: str
    seconds: float
    lp_integral: bool

class CheckReport:
    valid: bool
    consistent: bool
    message: str
    cost: float
    headcount: int
    @property
    def coverage(self) -> npt.NDArray[np.float64]: ...

def solve(model: CoverageModel, *, time_limit: float = 10.0, mip_gap: float = 1e-6, seed: int = 0,
          use_cbc: bool = True, lns_iterations: int = -1, cpu_time: bool = False,
          progress: Optional[Callable[[Progress], Optional[bool]]] = None,
          engine: str = "clp_cbc") -> Schedule: ...
def solve_lp(model: CoverageModel, *, time_limit: float = 60.0, engine: str = "clp_cbc") -> Schedule: ...
def highs_available() -> bool: ...
def check_schedule(model: CoverageModel, schedule: Schedule, tol: float = 1e-6) -> CheckReport: ...
def to_roster(model: CoverageModel, schedule: Schedule | RosterResult) -> dict[str, Any]: ...
def read_model_json(path: str) -> CoverageModel: ...
def parse_model_json(text: str, source: str = "<string>") -> CoverageModel: ...
def read_msd_dzn(path: str) -> CoverageModel: ...
def schedule_to_json(model: CoverageModel, schedule: Schedule) -> str: ...
def schedule_to_csv(model: CoverageModel, schedule: Schedule) -> str: ...
def coverage_to_csv(model: CoverageModel, schedule: Schedule) -> str: ...
def plot_coverage(model: CoverageModel, schedule: Schedule, ax: Any = None, hours: bool = True) -> Any: ...

class AgentShift:
    template_index: int
    start: int

class Tour:
    first_day: int
    shift: list[int]
    paid: float

class TourPlan:
    status: Status
    days: int
    shifts: list[AgentShift]
    tours: list[Tour]
    idle_days: int
    paid_violations: int
    message: str

def build_tours(model: CoverageModel, schedule: Schedule, *, working_days: int = 5,
                min_paid: float = 0.0, max_paid: float = ..., same_start: bool = True,
                time_limit: float = 5.0) -> TourPlan: ...

class GlobalServiceResult:
    schedule: Schedule
    @property
    def service_level(self) -> npt.NDArray[np.float64]: ...
    global_service_level: float
    min_service_level: float
    per_interval: Schedule
    per_interval_global_service_level: float
    saving: float

def solve_global_service_level(model: CoverageModel, *, arrival_rate: npt.ArrayLike,
                               handle_time: float, fraction: float = 0.8,
                               target_time: float = 20.0, floor: float = 0.0,
                               time_limit: float = 10.0) -> GlobalServiceResult: ...

# --- rosters for named agents (wfm/schedule/roster.hpp)

class DayWindow:
    earliest_start_s: float
    latest_end_s: float
    def __init__(self, *, earliest_start_s: float = 0.0, latest_end_s: float = 172800.0) -> None: ...

class Contract:
    min_week_s: float
    max_week_s: float
    max_days_per_week: int
    max_consecutive_days: int
    min_rest_s: float
    templates: list[int]
    def __init__(self) -> None: ...

class Preferences:
    start_from_s: float
    start_to_s: float
    days_off: list[int]
    def __init__(self) -> None: ...

class Agent:
    id: str
    skill: str
    contract: Contract
    availability: list[DayWindow]
    preferences: Preferences
    def __init__(self, *, id: str, skill: str = "") -> None: ...

class RosterAssignment:
    day: int
    template_index: int
    start: int
    break_offsets: list[int]
    start_s: float
    end_s: float
    paid_s: float

class AgentRoster:
    agent: str
    assignments: list[RosterAssignment]
    week_paid_s: list[float]
    weekends_off: int
    nights: int
    preferences_granted: int
    preferences_stated: int

class UnassignedShift:
    shift: RosterAssignment
    coverage_lost_s: float
    reason: str

class Shortfall:
    agent: int
    week: int
    paid_s: float
    min_s: float

class RosterResult:
    status: Status
    message: str
    agents: list[AgentRoster]
    unassigned: list[UnassignedShift]
    shortfalls: list[Shortfall]
    conflicts: list[str]
    days: int
    weeks: int
    shifts: int
    coverage_lost_s: float
    preferences_granted: int
    preferences_stated: int
    soft_cost: float
    min_weekends_off: int
    max_weekends_off: int
    min_nights: int
    max_nights: int
    moves: int
    seconds: float
    cpu_seconds: float

class RosterCheck:
    valid: bool
    complete: bool
    consistent: bool
    problems: list[str]
    coverage_lost_s: float
    unassigned: int

def make_roster(model: CoverageModel, schedule: Schedule, agents: Sequence[Agent], *,
                time_limit: float = 10.0, seed: int = 0, cpu_time: bool = False,
                first_weekday: int = 0) -> RosterResult: ...
def check_roster(model: CoverageModel, schedule: Schedule, agents: Sequence[Agent],
                 roster: RosterResult, tol: float = 1e-6) -> RosterCheck: ...
def roster_to_csv(model: CoverageModel, roster: RosterResult) -> str: ...
def agents_from_frame(frame: Any, model: CoverageModel) -> list[Agent]: ...
def roster_frame(roster: RosterResult, model: CoverageModel, origin: Any = None) -> Any: ...
