#pragma once
/// \file
/// Global service level (Koole & van der Sluis 2003, "Optimal shift scheduling with a global
/// service level constraint", IIE Transactions 35(11):1049-1055): service contracts are written on
/// the whole horizon, not on every interval. Minimise cost subject to the volume-weighted service
/// level over the horizon >= `fraction`, with a floor per interval, using the Erlang C service level
/// of the scheduled agents in each interval (wfm::queueing::ErlangC).
///
/// Method: start from the cheapest schedule covering the per-interval floor (wfm::schedule::solve),
/// add the shift with the largest gain in global service level per unit cost until the target is
/// met (the greedy step of Koole & van der Sluis, optimal when the objective is multimodular), then
/// remove agents, most expensive first, while the target and the floors still hold. For
/// comparison the per-interval approach (every interval at `fraction`) is solved too.

#include <vector>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>
#include <wfm/schedule/solver.hpp>

namespace wfm::schedule {

struct GlobalServiceTarget {
  double fraction = 0.8;      ///< global service level target in [0, 1)
  double target_time = 20.0;  ///< answer within [s]
  double floor = 0.0;         ///< minimum service level in every interval with calls, [0, fraction]
};

struct GlobalServiceResult {
  Schedule schedule;                   ///< the global-SL schedule (checked like any other)
  std::vector<double> service_level;   ///< per interval, fraction
  double global_service_level = 0.0;   ///< volume-weighted over the horizon
  double min_service_level = 1.0;      ///< over intervals with calls
  Schedule per_interval;               ///< covering every interval at `fraction`
  double per_interval_global_service_level = 0.0;
  double saving = 0.0;  ///< (per_interval.cost - schedule.cost) / per_interval.cost
};

/// `model` gives the horizon and the shift templates (its requirement is ignored);
/// `arrival_rate` [1/s] per interval, `handle_time` [s]. \throws InvalidArgument on bad input.
[[nodiscard]] GlobalServiceResult solve_global_service_level(const CoverageModel& model,
                                                             const std::vector<double>& arrival_rate,
                                                             double handle_time,
                                                             const GlobalServiceTarget& target,
                                                             const SolveOptions& options = {});

}  // namespace wfm::schedule
