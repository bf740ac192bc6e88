"""wfm: contact-centre workforce management and capacity planning.

Units everywhere: seconds, rates per second, probabilities and service levels as fractions in
[0, 1]. Volumes are calls per interval and always travel with the interval length.

Modules mirror the C++ namespaces: wfm.queueing, wfm.forecast, wfm.schedule, wfm.simulation,
wfm.capacity.
"""
from ._core import SolverError, __version__, hours, minutes
from . import capacity, forecast, queueing, schedule, simulation

__all__ = ["SolverError", "__version__", "hours", "minutes",
           "capacity", "forecast", "queueing", "schedule", "simulation"]
