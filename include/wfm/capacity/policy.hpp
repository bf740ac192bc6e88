#pragma once
/// \file
/// The tuning constants of wfm::capacity, in one place.

#include <array>
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

/// Grids and validation settings of forecast_weekly (weekly_forecast.hpp). The grids are the
/// usual ranges of the ETS parameters (FPP3 sec. 8.2: 0 < b <= a < 1 in practice, phi in
/// [0.8, 0.98] since smaller damps the trend away within weeks and larger is indistinguishable
/// from an undamped trend); they were set before any backtest.
struct WeeklyForecastPolicy {
  std::array<double, 8> alpha_grid{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8};
  std::array<double, 4> beta_grid{0.02, 0.05, 0.1, 0.2};
  std::array<double, 5> phi_grid{0.8, 0.85, 0.9, 0.95, 0.98};
  /// Weeks ahead scored from each validation origin: the 4-13 week range that capacity
  /// decisions (hiring, training) act on, from 1.
  int validation_horizon = 13;
  /// Fewest weeks a candidate is fitted on in validation; origins start at the larger of this
  /// and half the history. Fewer than `min_validation_weeks` + 1 weeks: no validation, the
  /// damped trend is used.
  int min_validation_weeks = 8;
};

}  // namespace wfm::capacity
