"""wfm.schedule: see the C++ namespace wfm::schedule."""
from ._core.schedule import *  # noqa: F401,F403
