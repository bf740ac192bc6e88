"""wfm.forecast: see the C++ namespace wfm::forecast."""
from ._core.forecast import *  # noqa: F401,F403
