#pragma once
// Helpers shared by the forecasting methods (not installed).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <Eigen/Dense>
#include <array>
#include <vector>
#include <wfm/forecast/history.hpp>

namespace wfm::forecast::detail {

inline std::size_t idx(int a) { return static_cast<std::size_t>(a); }

/// Recency weight of row d: 0.5^((last row - d) / (7 half_life)).
inline double recency(const History& h, int d, double half_life_weeks) {
  return std::exp2(-static_cast<double>(h.days() - 1 - d) / (7.0 * half_life_weeks));
}

/// Robust variance (1.4826 MAD)^2 (Hampel 1974, JASA 69:383-393), each median taken as the
/// upper middle element; NaN for fewer than `min_values` values.
inline double robust_variance(std::vector<double> v, std::size_t min_values) {
  if (v.size() < min_values) return std::numeric_limits<double>::quiet_NaN();
  const auto upper_median = [](std::vector<double>& x) {
    std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2), x.end());
    return x[x.size() / 2];
  };
  const double m = upper_median(v);
  for (double& x : v) x = std::abs(x - m);
  const double s = 1.4826 * upper_median(v);
  return s * s;
}

/// A "full" row: at least 90 % of the most slots seen on its weekday.
std::vector<char> full_days(const History& h);

/// Intraday profiles per weekday: p[w][s] = share of the day's calls in slot s (sums to 1 over
/// the weekday's open slots), a recency- and outlier-weighted ratio of sums over full regular
/// days. Weekdays without data get an empty vector.
std::vector<std::vector<double>> weekday_profiles(const History& h, double half_life_weeks);

/// Day-of-month effect of a weekday-adjusted daily series g over rows `days` (increasing):
/// zero unless the rows span 16 weeks or more.
std::array<double, 31> day_of_month_effect(const History& h, const std::vector<int>& days,
                                           const std::vector<double>& g);

/// Rows of the square-root day x interval matrix sqrt(N + 1/4) (Shen & Huang 2008, §2):
/// regular full days only, a missing cell filled with its weekday's column mean.
struct SqrtMatrix {
  std::vector<int> rows;  // day indices of the rows
  Eigen::MatrixXd X;      // rows.size() x slots
};
SqrtMatrix sqrt_matrix(const History& h);

}  // namespace wfm::forecast::detail
