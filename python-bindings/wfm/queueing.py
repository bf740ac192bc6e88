"""wfm.queueing: see the C++ namespace wfm::queueing."""
from ._core.queueing import *  # noqa: F401,F403
