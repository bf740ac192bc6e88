"""wfm.simulation: see the C++ namespace wfm::simulation."""
from ._core.simulation import *  # noqa: F401,F403
