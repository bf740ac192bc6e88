#pragma once
// Helpers shared by the forecasting methods (not installed).
#include <cmath>
#include <cstddef>
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
