#pragma once
/// \file
/// What a schedule solve returns, the independent checker that recomputes coverage and cost from
/// the returned shifts, and the conversion to the neutral wfm::Roster used by simulation.

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/core/status.hpp>
#include <wfm/core/roster.hpp>
#include <wfm/schedule/model.hpp>

namespace wfm::schedule {

/// Outcomes of a solve are wfm::Status values (never exceptions; bad input throws):
/// optimal (cost - lower_bound <= SolveOptions::mip_gap * cost), feasible (a schedule without
/// that proof, search ended before the time limit), infeasible (no schedule satisfies the hard
/// constraints, see Schedule::uncoverable), time_limit (`shifts` holds the best schedule if
/// any), stopped (the progress callback stopped the search before any schedule), error (the LP
/// back-end failed; see message).

/// `agents` agents working template `template_index` from interval `start`, with their breaks.
struct ShiftAssignment {
  int template_index = 0;
  int start = 0;   ///< [interval]
  int agents = 0;  ///< >= 1
  /// break_agents[k][p]: agents taking break k at offset earliest_offset + p from the start.
  /// Each break_agents[k] sums to `agents`.
  std::vector<std::vector<int>> break_agents = {};
};

/// A schedule and its quality.
struct Schedule {
  Status status = Status::error;
  std::vector<ShiftAssignment> shifts;  ///< only entries with agents >= 1
  std::vector<double> coverage;  ///< agents present per interval
  std::vector<double> under;     ///< max(0, requirement - coverage) per interval
  std::vector<double> over;      ///< max(0, coverage - requirement) per interval
  double cost = std::numeric_limits<double>::infinity();  ///< total objective
  double shift_cost = 0.0;    ///< sum of cost * agents
  double penalty_cost = 0.0;  ///< under- and over-cover penalties
  double fixed_cost = 0.0;    ///< fixed costs of the templates used
  double lower_bound = 0.0;   ///< proven lower bound on the optimum (LP bound, rounded up)
  double lp_bound = 0.0;      ///< value of the LP relaxation
  double gap = std::numeric_limits<double>::infinity();  ///< (cost - lower_bound) / cost [0, 1]
  int headcount = 0;          ///< shifts worked
  double paid_intervals = 0.0;  ///< sum of paid_length * agents [intervals]
  double paid_hours = 0.0;      ///< paid_intervals * interval_length / 3600 [h]
  std::vector<int> uncoverable;  ///< infeasible hard cover: intervals no allowed shift can cover
  std::string message;
  double seconds = 0.0;  ///< wall time of the solve [s]
  bool lp_integral = false;  ///< the LP optimum was integral (consecutive-ones case)
};

/// What check_schedule() recomputed.
struct CheckReport {
  bool valid = false;    ///< every assignment is allowed and limits/hard cover hold
  bool consistent = false;  ///< the schedule's own coverage and cost equal the recomputed ones
  std::string message;   ///< first problem found, empty when valid and consistent
  std::vector<double> coverage, under, over;
  double cost = 0.0, shift_cost = 0.0, penalty_cost = 0.0, fixed_cost = 0.0;
  int headcount = 0;
};

/// Recomputes coverage, penalties and cost from `schedule.shifts` alone and compares them with
/// the schedule's fields (cost and its parts, headcount, coverage, under, over), relative
/// tolerance `tol`. Independent of the solver: its own implementation (schedule_check.cpp),
/// sharing no evaluation code with evaluate(), the formulation or the search. `valid` is false
/// for an assignment that does not fit the model (unknown template, start not allowed, a break
/// placed outside its window, break placements not summing to the agents), a violated limit or
/// violated hard cover; never throws on such a schedule.
[[nodiscard]] CheckReport check_schedule(const CoverageModel& model, const Schedule& schedule,
                                         double tol = 1e-6);

/// Evaluates a list of assignments: fills coverage, under, over, the cost fields and headcount of
/// a Schedule (status and bounds untouched). \throws InvalidArgument on an assignment that does
/// not fit the model (unknown template, start not allowed, break sums wrong).
void evaluate(const CoverageModel& model, Schedule& schedule);

/// The schedule as a neutral roster: one ShiftSpan per (start, break combination), times in
/// seconds from the horizon start. In a cyclic model shifts may end past the horizon (wrap);
/// otherwise they are clipped to it.
/// Checks that `schedule` belongs to `model`: every assignment names an existing template, an
/// allowed start, agents >= 1 and break placements of the template's shape, and the
/// per-interval vectors (coverage, under, over) are empty or one per interval. Used by every
/// function that reads a schedule with its model (to_roster, schedule_to_json, schedule_to_csv,
/// coverage_to_csv, build_tours), so a schedule of another model is an error, never a crash.
/// \throws InvalidArgument naming `where`, the field (e.g. "schedule.shifts[3].template_index")
///         and the value.
void validate_schedule(const CoverageModel& model, const Schedule& schedule,
                       std::string_view where);

[[nodiscard]] Roster to_roster(const CoverageModel& model, const Schedule& schedule);

}  // namespace wfm::schedule
