#pragma once
/// \file
/// Forecast accuracy measures used by backtests. Inputs are paired arrays of equal length.

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

namespace wfm::forecast {

/// Weighted absolute percentage error sum|y - f| / sum y (a fraction; NaN if sum y = 0).
[[nodiscard]] inline double wape(std::span<const double> actual,
                                 std::span<const double> forecast) noexcept {
  double num = 0.0, den = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    num += std::abs(actual[i] - forecast[i]);
    den += actual[i];
  }
  return den > 0.0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

/// Mean absolute error.
[[nodiscard]] inline double mae(std::span<const double> actual,
                                std::span<const double> forecast) noexcept {
  double num = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) num += std::abs(actual[i] - forecast[i]);
  return actual.empty() ? std::numeric_limits<double>::quiet_NaN()
                        : num / static_cast<double>(actual.size());
}

/// Fraction of actuals inside [lower, upper] (bounds included).
[[nodiscard]] inline double coverage(std::span<const double> actual, std::span<const double> lower,
                                     std::span<const double> upper) noexcept {
  std::size_t in = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) in += lower[i] <= actual[i] && actual[i] <= upper[i];
  return actual.empty() ? std::numeric_limits<double>::quiet_NaN()
                        : static_cast<double>(in) / static_cast<double>(actual.size());
}

/// Mean width of the intervals [calls per interval].
[[nodiscard]] inline double mean_width(std::span<const double> lower,
                                       std::span<const double> upper) noexcept {
  double w = 0.0;
  for (std::size_t i = 0; i < lower.size(); ++i) w += upper[i] - lower[i];
  return lower.empty() ? std::numeric_limits<double>::quiet_NaN()
                       : w / static_cast<double>(lower.size());
}

}  // namespace wfm::forecast
