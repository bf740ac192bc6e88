#pragma once
/// \file
/// Tours: turning a week of shift counts into weekly lines of work for anonymous agents, with
/// days off. Each line works `working_days` consecutive days (cyclically) and has the remaining
/// days off in one block (e.g. 5 on, 2 consecutive off). The number of lines of each days-off
/// pattern is itself a cyclic covering problem (Baker 1974, "Scheduling a full-time workforce",
/// Oper. Res. 22(1):155-167; Bartholdi, Orlin & Ratliff 1980 for the circular-ones LP), solved
/// here with wfm::schedule::solve on a 7-interval cyclic model. Shifts are then dealt to the
/// lines working each day, in order of start time, keeping a line's start time stable when
/// `same_start` is set.

#include <limits>
#include <string>
#include <vector>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {

struct TourOptions {
  int working_days = 5;  ///< consecutive working days per line, in [1, days]
  double min_paid = 0.0;  ///< lower bound on a line's weekly paid time [s]
  double max_paid = std::numeric_limits<double>::infinity();  ///< upper bound [s]
  bool same_start = true;  ///< prefer the same start time of day across a line's week
  double time_limit = 5.0;  ///< for the days-off covering problem [s]
};

/// One weekly line of work. `shift[d]` indexes TourPlan::shifts (the agent-shift worked on day
/// d), or is -1 on a day off or on an idle working day (a working day with no shift to take).
struct Tour {
  int first_day = 0;        ///< first working day of the block
  std::vector<int> shift;   ///< per day
  double paid = 0.0;        ///< weekly paid time [s]
};

/// A single agent's shift: template and start interval (one entry per agent).
struct AgentShift {
  int template_index = 0;
  int start = 0;  ///< [interval]
};

struct TourPlan {
  Status status = Status::error;  ///< optimal when the line count is proven minimal
  int days = 0;
  std::vector<AgentShift> shifts;  ///< every agent-shift of the schedule
  std::vector<Tour> tours;
  int idle_days = 0;               ///< working days without a shift, over all lines
  int paid_violations = 0;         ///< lines outside [min_paid, max_paid]
  std::string message;
};

/// Builds weekly lines from a schedule. The horizon must be whole days of
/// 86,400 / interval_length intervals. \throws InvalidArgument on a horizon that is not whole
/// days or on bad options.
[[nodiscard]] TourPlan build_tours(const CoverageModel& model, const Schedule& schedule,
                                   const TourOptions& options = {});

}  // namespace wfm::schedule
