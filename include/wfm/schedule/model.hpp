#pragma once
/// \file
/// The shift-scheduling model: a horizon of equal intervals, a requirement of agents per
/// interval, and shift templates whose starts, breaks and costs the solver chooses from.
///
/// Shift scheduling is a discrete problem on the interval grid, so lengths, starts and break
/// offsets are whole **intervals** (the grid's unit); `interval_length` [s] converts them to
/// seconds (see to_roster()). Costs are in any currency unit, consistently.

#include <string>
#include <vector>

namespace wfm::schedule {

/// One break of a shift (meal or rest). The worker is absent for `length` intervals starting at
/// an offset from the shift start chosen by the solver within [earliest_offset, latest_offset].
/// The breaks of one template must be ordered and their windows disjoint, so that break
/// placements are independent (the condition of Aykin's implicit model, see solver.hpp).
struct BreakWindow {
  int length = 1;           ///< [intervals], >= 1
  int earliest_offset = 0;  ///< [intervals] from the shift start, inclusive
  int latest_offset = 0;    ///< [intervals] from the shift start, inclusive
  /// Number of possible placements.
  [[nodiscard]] int placements() const noexcept { return latest_offset - earliest_offset + 1; }
};

/// A kind of shift: length, cost, the intervals it may start in, its breaks and limits.
struct ShiftTemplate {
  std::string name = {};
  int length = 0;              ///< on site [intervals], >= 1
  double paid_length = -1.0;   ///< paid time [intervals]; < 0 means "= length" (reported only)
  double cost = 0.0;           ///< cost of one agent working one shift of this template, in [0, 1e6]
  std::vector<int> starts = {};  ///< allowed start intervals, each in [0, number of intervals)
  std::vector<BreakWindow> breaks = {};
  int max_agents_per_start = -1;  ///< limit per start, >= 0; -1: none
  int max_agents = -1;            ///< limit over all starts of the template, >= 0; -1: none
  /// Cost incurred once when at least one agent works this template at any start (the
  /// "shift instances" term of minimum shift design, Musliu, Schaerf & Slany 2004), >= 0.
  double fixed_cost = 0.0;
};

/// Penalties and hard cover.
struct CoverRules {
  /// If true, coverage >= requirement in every interval is a constraint (under-cover forbidden).
  bool hard_cover = true;
  double under_cost = 0.0;  ///< per agent-interval of under-cover (soft cover only), >= 0
  double over_cost = 0.0;   ///< per agent-interval of over-cover, >= 0
};

/// A shift-scheduling problem.
///
/// **Example** (a day of 15-minute intervals, one 8-hour template with a 30-minute lunch):
///
///     CoverageModel m;
///     m.interval_length = 900.0;
///     m.requirement = std::vector<double>(96, 3.0);
///     ShiftTemplate t{.name = "F8", .length = 32, .cost = 32.0};
///     for (int s = 0; s + 32 <= 96; ++s) t.starts.push_back(s);
///     t.breaks = {{.length = 2, .earliest_offset = 14, .latest_offset = 18}};
///     m.templates = {t};
struct CoverageModel {
  double interval_length = 900.0;   ///< [s]
  bool cyclic = false;              ///< 24/7: shifts running past the end wrap to the start
  std::vector<double> requirement = {};  ///< agents per interval, in [0, 1e6] (limits.hpp); may be fractional
  std::vector<ShiftTemplate> templates = {};
  CoverRules cover = {};
  int min_headcount = 0;   ///< lower bound on the total number of shifts worked, >= 0
  int max_headcount = -1;  ///< upper bound on the total number of shifts worked, >= 0; -1: none

  [[nodiscard]] int num_intervals() const noexcept { return static_cast<int>(requirement.size()); }
};

/// Checks every field. \throws InvalidArgument naming the field (e.g.
/// "templates[1].breaks[0].latest_offset") and the offending value.
void validate(const CoverageModel& model);

/// True when no template has breaks.
[[nodiscard]] bool break_free(const CoverageModel& model) noexcept;

}  // namespace wfm::schedule
