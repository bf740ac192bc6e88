"""wfm's vocabulary (include/wfm/core/vocabulary.hpp), read from the source tree for the tests."""
import re
from pathlib import Path

HEADER = Path(__file__).resolve().parents[2] / "include" / "wfm" / "core" / "vocabulary.hpp"
NAMES = frozenset(re.findall(r'Quantity\{"(\w+)"', HEADER.read_text()))


def in_vocabulary(column: str) -> bool:
    """As wfm::in_vocabulary: a name of the table, or one with _lower / _upper appended."""
    if column in NAMES:
        return True
    return any(column.endswith(s) and column[:-len(s)] in NAMES for s in ("_lower", "_upper"))


def outside(columns) -> list:
    return [c for c in columns if not in_vocabulary(str(c))]
