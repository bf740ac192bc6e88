#pragma once
/// \file
/// Units. Every duration in wfm is in seconds, every rate per second, load in Erlangs,
/// probabilities and service levels as fractions in [0, 1]. Volumes are calls per interval
/// and always travel with the interval length [s].

namespace wfm {

/// x minutes in seconds.
[[nodiscard]] constexpr double minutes(double x) noexcept { return 60.0 * x; }
/// x hours in seconds.
[[nodiscard]] constexpr double hours(double x) noexcept { return 3600.0 * x; }
/// x days in seconds.
[[nodiscard]] constexpr double days(double x) noexcept { return 86400.0 * x; }

/// Arrival rate [1/s] of `volume` calls arriving in an interval of `interval_length` [s].
[[nodiscard]] constexpr double arrival_rate(double volume, double interval_length) noexcept {
  return volume / interval_length;
}

}  // namespace wfm
