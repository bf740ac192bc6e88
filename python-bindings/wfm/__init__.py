"""wfm: contact-centre workforce management and capacity planning.

Units everywhere: seconds, rates per second, probabilities and service levels as fractions in
[0, 1]. Volumes are calls per interval and always travel with the interval length.

Modules mirror the C++ namespaces: wfm.queueing, wfm.forecast, wfm.schedule, wfm.simulation,
wfm.kpi, wfm.capacity.
``wfm.plan(history, ...)`` (module wfm.planning) chains them all: history -> forecast ->
staffing -> schedule -> weekly lines -> simulation -> report (wfm.report, ``wfm-plan``).
"""
from ._core import (Progress, SolverError, Status, __version__, hours, in_vocabulary, minutes,
                    vocabulary)
from . import capacity, forecast, kpi, queueing, schedule, simulation
from . import planning
from .planning import Plan, plan

__all__ = ["Progress", "SolverError", "Status", "__version__", "hours", "in_vocabulary",
           "minutes", "vocabulary",
           "capacity", "forecast", "kpi", "queueing", "schedule", "simulation", "planning", "Plan", "plan"]
