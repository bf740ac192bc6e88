#pragma once
/// \file
/// Staffing as a neutral type shared by `schedule` (which produces it) and `simulation`
/// (which consumes it), so neither depends on the other. Times are seconds from the start of
/// the planning horizon.

#include <vector>

namespace wfm {

/// A break inside a shift: unavailable for [start, start + length) [s from horizon start].
struct BreakSpan {
  double start = 0.0;   ///< [s] from the horizon start
  double length = 0.0;  ///< [s]
};

/// `agents` identical agents who work [start, end) with the given breaks.
/// In a cyclic horizon of length H, `end` may exceed H: the shift wraps to the start.
struct ShiftSpan {
  double start = 0.0;  ///< [s] from the horizon start
  double end = 0.0;    ///< [s] from the horizon start, > start
  std::vector<BreakSpan> breaks;
  int agents = 1;
};

/// A roster: the shifts worked over a horizon of `horizon_length` seconds.
struct Roster {
  std::vector<ShiftSpan> shifts;
  double horizon_length = 0.0;  ///< [s]
  bool cyclic = false;          ///< a 24/7 week whose end wraps to its start
};

}  // namespace wfm
