#pragma once
/// \file
/// Long-range weekly totals (6-18 months ahead): damped-trend exponential smoothing on the
/// weekly totals, with a Fourier yearly term when two years of history exist, holiday weeks as
/// given factors, and prediction intervals that widen with the horizon.
///
/// Method (compact, fixed before any backtest):
///  1. y_t = log(weekly total) when every total is > 0 (multiplicative effects), else the totals.
///  2. Yearly seasonality, only with >= 104 weeks: s_t = sum_k a_k sin(2 pi k t / 52.18) +
///     b_k cos(2 pi k t / 52.18), k = 1..K, fitted by least squares jointly with a linear trend
///     (the Fourier approach of Hyndman & Athanasopoulos, Forecasting: Principles and Practice,
///     3rd ed., sec. 7.4 and 12.1), and removed.
///  3. Damped additive trend on what is left (Gardner & McKenzie 1985; FPP3 sec. 8.2, eq. 8.7):
///       l_t = a y_t + (1 - a)(l_{t-1} + phi b_{t-1}),  b_t = b (l_t - l_{t-1}) + (1 - b) phi b_{t-1},
///       forecast  l_n + (phi + ... + phi^h) b_n (+ s_{n+h}),
///     a, b, phi by grid search on the one-step squared errors (policy grid below).
///  4. Prediction intervals of ETS(A,Ad,N) (Hyndman, Koehler, Ord & Snyder 2008, Forecasting with
///     Exponential Smoothing, Table 6.1, class 1): var_h = s^2 (1 + sum_{j=1}^{h-1} c_j^2),
///     c_j = a + a b phi (1 - phi^j) / (1 - phi); normal quantiles, back-transformed.
///  5. Holiday weeks ahead: the forecast (and its interval) times the factor given for that week.

#include <span>
#include <string>
#include <vector>
#include <wfm/core/status.hpp>

namespace wfm::capacity {

struct WeeklyForecastOptions {
  int horizon = 52;                  ///< weeks ahead, >= 1
  double level = 0.8;                ///< coverage of the prediction intervals, in (0, 1)
  int fourier_terms = 3;             ///< K, used only with >= 104 weeks of history
  std::vector<double> week_factor{}; ///< per week ahead (empty: 1): holidays, campaigns; > 0
};

struct WeeklyForecast {
  Status status = Status::ok;
  std::string message{};
  std::vector<double> volume{}, volume_lower{}, volume_upper{};  ///< [contacts per week]
  double alpha = 0.0, beta = 0.0, phi = 0.0;  ///< the smoothing parameters chosen
  int fourier_terms = 0;                      ///< K used (0: too little history)
  bool log_scale = false;                     ///< whether step 1 took logs
};

/// Forecast `horizon` weekly totals after `history` (>= 8 weeks, each finite and >= 0).
[[nodiscard]] WeeklyForecast forecast_weekly(std::span<const double> history,
                                             const WeeklyForecastOptions& options = {});

}  // namespace wfm::capacity
