#pragma once
/// \file
/// Offered traffic and the input checks shared by the queueing models.

#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include <wfm/core/error.hpp>

namespace wfm::queueing {

/// Offered traffic for one interval. Times in seconds, rates per second.
struct Traffic {
  double arrival_rate = 0.0;  ///< lambda [1/s]
  double handle_time = 0.0;   ///< mean handle time (AHT) [s]
  /// Offered load a = lambda * AHT [Erl].
  [[nodiscard]] constexpr double load() const noexcept { return arrival_rate * handle_time; }
};

/// Offered load [Erl] of `volume` calls per `interval_length` [s] with mean handle time
/// `handle_time` [s].
[[nodiscard]] constexpr double offered_load(double volume, double interval_length,
                                            double handle_time) noexcept {
  return volume / interval_length * handle_time;
}

/// Utilisation rho = load / agents (may exceed 1; +inf for agents = 0 and load > 0).
[[nodiscard]] inline double utilisation(double load, double agents) noexcept {
  if (load == 0.0) return 0.0;
  return agents > 0.0 ? load / agents : std::numeric_limits<double>::infinity();
}

namespace detail {

/// arrival_rate >= 0 and finite, handle_time > 0 and finite.
inline void check_traffic(std::string_view where, double arrival_rate, double handle_time) {
  wfm::detail::require_nonnegative(where, "arrival_rate [1/s]", arrival_rate);
  wfm::detail::require_positive(where, "handle_time [s]", handle_time);
  // The load a = arrival_rate x handle_time [Erl] must itself be a finite double (1e308 x 180
  // overflows to inf and every formula would return NaN).
  if (!std::isfinite(arrival_rate * handle_time))
    wfm::detail::throw_invalid(where, "arrival_rate [1/s] x handle_time [s] (the load) overflows",
                               arrival_rate);
}
/// agents >= 0 and finite (real-valued agents are the continuous extension).
inline void check_agents(std::string_view where, double agents) {
  wfm::detail::require_nonnegative(where, "agents", agents);
}
/// target_time >= 0 and finite.
inline void check_target_time(std::string_view where, double target_time) {
  wfm::detail::require_nonnegative(where, "target_time [s]", target_time);
}

}  // namespace detail
}  // namespace wfm::queueing
