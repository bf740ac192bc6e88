#pragma once
/// \file
/// The tuning constants of wfm::capacity, in one place.

#include <cstdint>

namespace wfm::capacity {

/// Search settings of plan_hiring (CBC branch-and-cut on the hiring integer programme).
struct CapacityPolicy {
  /// Wall-clock limit of the branch-and-cut [s]. The bundled 52-week centre solves to proven
  /// optimality in well under a second; the limit only guards absurd inputs.
  double time_limit_s = 30.0;
  /// Relative gap (cost - lower_bound) / cost at which CBC stops and the plan is `optimal`.
  double rel_gap = 1e-6;
  /// Seed of CBC's random choices; same seed, same plan.
  std::uint64_t seed = 0;
  /// A week counts as short in `short_weeks` when available FTE falls below the requirement
  /// by more than this [FTE] (CBC's integrality and feasibility tolerances are 1e-6-1e-7).
  double fte_epsilon = 1e-5;
  /// Largest class size accepted (guards 1e16 input; the integer programme is bounded by it).
  int max_class_size = 1'000'000;
  /// Largest weekly requirement accepted [FTE]; larger is rejected as bad input (LP solvers
  /// treat bounds beyond 1e30 as infinite).
  double max_fte = 1e9;
  /// Largest horizon accepted [weeks] (about 20 years).
  int max_weeks = 1040;
};

}  // namespace wfm::capacity
