from enum import Enum
from typing import Any

from . import _core as _core

__version__: str

class SolverError(RuntimeError): ...

def minutes(x: float) -> float: ...
def hours(x: float) -> float: ...

class Status(Enum):
    """The outcome of a computation, the same for every module (wfm/core/status.hpp)."""
    ok: int
    optimal: int
    feasible: int
    infeasible: int
    time_limit: int
    stopped: int
    not_converged: int
    error: int

class Progress:
    """A progress report: return False from a progress callback to stop."""
    @property
    def step(self) -> str: ...
    done: float
    total: float
    elapsed_s: float
    objective: float
    bound: float

def vocabulary() -> list[dict[str, str]]: ...
def in_vocabulary(column: str) -> bool: ...
