#pragma once
/// \file
/// Patience from censored waits. A caller who abandoned after waiting w has patience w (an
/// *event*); a caller answered after waiting w had patience of at least w (*right-censored*).
/// Averaging only the abandoned waits underestimates patience badly (the patient callers are
/// the ones answered); both estimators below use every wait.
///
/// - Exponential MLE (the model of Erlang A, M/M/n+M): with A abandons and total waiting time
///   sum_i w_i over all callers, theta_hat = A / sum_i w_i and the mean patience is
///   1 / theta_hat = sum_i w_i / A (Lawless (2003), Statistical Models and Methods for Lifetime
///   Data, 2nd ed., section 2.2.1, eq. 2.2.2 with censoring; the same relation
///   P(abandon) = theta E[W] holds for Erlang A: Mandelbaum & Zeltyn (2007), Oper. Res. 55(5),
///   section 2). This is the `patience_s` that wfm::queueing::ErlangA takes.
/// - Kaplan-Meier (Kaplan & Meier (1958), JASA 53, eq. 2): S(t) = prod_{t_j <= t} (1 - d_j/n_j)
///   over distinct event times t_j, d_j events at t_j, n_j callers with wait >= t_j (censored
///   waits tied with an event count as at risk). Distribution-free; its restricted mean
///   int_0^{t_max} S(t) dt underestimates the mean when the largest wait is censored.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <wfm/core/status.hpp>

namespace wfm::kpi {

/// The Kaplan-Meier estimate of the patience survival function S(t) = P(patience > t).
struct KaplanMeier {
  std::vector<double> time;      ///< [s] distinct event times, increasing
  std::vector<double> survival;  ///< S just after each time
  std::vector<double> at_risk;   ///< n_j
  std::vector<double> events;    ///< d_j
  double restricted_mean_s = 0.0;  ///< [s] int_0^{largest wait} S(t) dt
  double median_s = std::numeric_limits<double>::infinity();  ///< [s] inf while S stays > 0.5
  double largest_wait_s = 0.0;   ///< [s] the end of the restricted mean's range

  /// S(t): 1 before the first event; the last value after the last event.
  [[nodiscard]] double at(double t) const noexcept;
};

/// A patience estimate for Erlang A.
struct PatienceEstimate {
  double patience_s = std::numeric_limits<double>::infinity();  ///< [s] exponential MLE
  double abandoned = 0.0;     ///< events
  double censored = 0.0;      ///< answered callers (censored)
  double total_wait_s = 0.0;  ///< [s] exposure: the sum of all waits
  KaplanMeier kaplan_meier;
  Status status = Status::ok;  ///< not_converged when there is no abandon (patience_s = inf)
  std::string message;
};

/// Kaplan-Meier from exact waits. `abandoned[i]` != 0 marks an event. \throws InvalidArgument
/// on different lengths or a negative or non-finite wait (naming its index).
[[nodiscard]] KaplanMeier kaplan_meier(std::span<const double> waits_s,
                                       std::span<const std::uint8_t> abandoned);

/// Kaplan-Meier from grouped data: at time[j], events[j] abandons and censored[j] answered
/// waits (times increasing). Used by the streaming summaries (waits grouped to whole seconds).
[[nodiscard]] KaplanMeier kaplan_meier_grouped(std::span<const double> time,
                                               std::span<const double> events,
                                               std::span<const double> censored);

/// Both estimators from exact waits. \throws as kaplan_meier().
[[nodiscard]] PatienceEstimate estimate_patience(std::span<const double> waits_s,
                                                 std::span<const std::uint8_t> abandoned);

}  // namespace wfm::kpi
