"""wfm's vocabulary (include/wfm/core/vocabulary.hpp), read from the source tree for the tests."""
import re
from pathlib import Path

HEADER = Path(__file__).resolve().parents[2] / "include" / "wfm" / "core" / "vocabulary.hpp"
NAMES = frozenset(re.findall(r'Quantity\{"(\w+)"', HEADER.read_text()))
#: As wfm::detail::is_service_level_series: one more service level beside `service_level`.
SERIES = re.compile(r"service_level_(answered_within|wait_within|virtual_wait_within|"
                    r"answered_given_answered)_[0-9.]+s")


def _named(column: str) -> bool:
    return column in NAMES or SERIES.fullmatch(column) is not None


def in_vocabulary(column: str) -> bool:
    """As wfm::in_vocabulary: a name of the table or a service-level series, or one of those
    with _lower / _upper appended."""
    return _named(column) or any(column.endswith(s) and _named(column[:-len(s)])
                                 for s in ("_lower", "_upper"))


def outside(columns) -> list:
    return [c for c in columns if not in_vocabulary(str(c))]
