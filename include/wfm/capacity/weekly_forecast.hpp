#pragma once
/// \file
/// Long-range weekly totals (6-18 months ahead): exponential smoothing on calendar-adjusted
/// weekly totals, chosen among the naive, simple and damped-trend models by rolling-origin
/// validation inside the fit, with a Fourier yearly term when two years of history exist,
/// holiday weeks as calendar factors, and prediction intervals that widen with the horizon.
///
/// Method:
///  1. Calendar adjustment (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, 3rd
///     ed., sec. 3.1, "calendar adjustments"): x_t = history_t / c_t with c_t the week's calendar
///     factor (the share of a normal week's volume its open days carry: 4/5 for a weekday centre
///     closed one day; 1 when not given). Forecasts are multiplied back by the factor of the
///     week ahead (`week_factor`), so a known holiday ahead lowers that week and a holiday in the
///     history does not read as a level shift or a trend.
///  2. y_t = log(x_t) when every total is > 0 (multiplicative effects), else x_t.
///  3. Yearly seasonality, only with >= 104 weeks: s_t = sum_k a_k sin(2 pi k t / 52.18) +
///     b_k cos(2 pi k t / 52.18), k = 1..K, fitted by least squares jointly with a linear trend
///     (FPP3 sec. 7.4 and 12.1), and removed.
///  4. Three candidate models on what is left, each the ETS recursion of FPP3 sec. 8.2, eq. 8.7
///     (Gardner & McKenzie 1985) with its own parameter space:
///       l_t = a y_t + (1 - a)(l_{t-1} + phi b_{t-1}),  b_t = b (l_t - l_{t-1}) + (1 - b) phi b_{t-1},
///       forecast  l_n + (phi + ... + phi^h) b_n (+ s_{n+h});
///     naive (a = 1, no trend: ETS(A,N,N) at a = 1, the random walk), simple (a on a grid, no
///     trend: ETS(A,N,N)) and damped trend (a, b, phi on a grid: ETS(A,Ad,N)); parameters by least
///     one-step squared error.
///  5. Model choice by rolling-origin validation (time-series cross-validation, Tashman 2000,
///     Int. J. Forecasting 16:437-450; FPP3 sec. 5.10): from every origin in the second half of
///     the history each candidate is refitted on the weeks before it and scored by the mean
///     absolute error 1..validation_horizon weeks ahead; the lowest score wins (ties: the simpler
///     model). The naive is a candidate, so the choice falls back to it when nothing beats it.
///  6. Prediction intervals of the chosen model (Hyndman, Koehler, Ord & Snyder 2008,
///     Forecasting with Exponential Smoothing, Table 6.1, class 1):
///     var_h = s^2 (1 + sum_{j=1}^{h-1} c_j^2), c_j = a + a b phi (1 - phi^j) / (1 - phi)
///     (c_j = a without trend), s^2 the one-step error variance; normal quantiles,
///     back-transformed and multiplied by the week's factor.

#include <span>
#include <string>
#include <string_view>
#include <vector>
#include <wfm/capacity/policy.hpp>
#include <wfm/core/status.hpp>

namespace wfm::capacity {

/// The candidate models of step 4; `automatic` chooses among them (step 5).
enum class WeeklyModel { automatic, naive, simple, damped_trend };

/// "automatic", "naive", "simple", "damped_trend".
[[nodiscard]] std::string_view to_string(WeeklyModel m) noexcept;
/// Inverse of to_string; throws InvalidArgument naming `field`.
[[nodiscard]] WeeklyModel weekly_model_from_string(std::string_view name, std::string_view field);

struct WeeklyForecastOptions {
  int horizon = 52;                  ///< weeks ahead, >= 1
  double level = 0.8;                ///< coverage of the prediction intervals, in (0, 1)
  int fourier_terms = 3;             ///< K, used only with >= 104 weeks of history
  std::vector<double> week_factor{}; ///< calendar factor per week ahead (empty: 1): holidays, campaigns; > 0
  /// Calendar factor per week of history (empty: 1), on the same scale as `week_factor` (e.g.
  /// open days' share of a normal week); > 0.
  std::vector<double> history_factor{};
  WeeklyModel model = WeeklyModel::automatic;  ///< a fixed model skips step 5
};

struct WeeklyForecast {
  Status status = Status::ok;
  std::string message{};
  std::vector<double> volume{}, volume_lower{}, volume_upper{};  ///< [contacts per week]
  WeeklyModel model = WeeklyModel::damped_trend;  ///< the model used
  double alpha = 0.0, beta = 0.0, phi = 0.0;  ///< its smoothing parameters
  /// Step 5's score of each candidate (naive, simple, damped trend; mean absolute error on the
  /// scale of step 2; empty when the model was fixed or the history too short to validate).
  std::vector<double> validation_error{};
  int fourier_terms = 0;                      ///< K used (0: too little history)
  bool log_scale = false;                     ///< whether step 2 took logs
};

/// Forecast `horizon` weekly totals after `history` (>= 8 weeks, each finite and >= 0).
[[nodiscard]] WeeklyForecast forecast_weekly(std::span<const double> history,
                                             const WeeklyForecastOptions& options = {},
                                             const WeeklyForecastPolicy& policy = {});

/// The volume that a week's demand stays at or below with probability `probability`, read off
/// the forecast's interval [lower, upper] at coverage `level` (a chance goal: plan against this
/// quantile instead of the mean). The forecast distribution of step 6 is normal on the log scale,
/// so sigma = (log upper - log lower) / (2 z) with z the (1 + level)/2 normal quantile, and the
/// quantile is exp(log volume + z_p sigma), z_p the `probability` normal quantile (the lognormal
/// quantile; Hyndman et al. 2008, sec. 6.1). When lower is 0 (totals not on the log scale) the
/// same is done on the linear scale, floored at 0. probability 0.5 gives `volume` back.
/// Throws InvalidArgument naming `field` when lower <= volume <= upper fails or a level or
/// probability is outside (0, 1).
[[nodiscard]] double volume_quantile(double volume, double lower, double upper, double level,
                                     double probability, std::string_view field = "volume");

}  // namespace wfm::capacity
