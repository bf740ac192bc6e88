#pragma once
/// \file
/// The one interface every forecasting method implements: fit on a History, then forecast
/// any future grid positions. Special days and prediction intervals are layered on top by
/// Forecaster (forecaster.hpp), identically for every method.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <wfm/core/error.hpp>
#include <wfm/forecast/history.hpp>

namespace wfm::forecast {

/// The forecasting methods.
enum class Method {
  seasonal_naive,  ///< same interval one week earlier (skipping absent and special days)
  weekly_average,  ///< mean of the last k same weekdays (a "weighted historical index")
  top_down,        ///< daily total (level x weekday factor) x intraday profile per day type
  svd,             ///< Shen & Huang (2008): SVD of the day x interval matrix, AR(1) day scores
  holt_winters,    ///< Taylor (2003, 2010): double-seasonal Holt-Winters with AR(1) errors
  auto_select,     ///< best single method or combination by rolling-origin backtests
};

[[nodiscard]] constexpr std::string_view to_string(Method m) noexcept {
  switch (m) {
    case Method::seasonal_naive: return "seasonal_naive";
    case Method::weekly_average: return "weekly_average";
    case Method::top_down: return "top_down";
    case Method::svd: return "svd";
    case Method::holt_winters: return "holt_winters";
    case Method::auto_select: return "auto";
  }
  return "?";
}

/// Parses a method name ("auto", "top_down", ...). \throws InvalidArgument naming `argument`.
[[nodiscard]] inline Method parse_method(std::string_view text,
                                         std::string_view argument = "method") {
  for (auto m : {Method::seasonal_naive, Method::weekly_average, Method::top_down, Method::svd,
                 Method::holt_winters, Method::auto_select})
    if (to_string(m) == text) return m;
  detail::throw_invalid(
      argument,
      "must be one of auto, top_down, svd, holt_winters, weekly_average, seasonal_naive", text);
}

/// Tuning of the individual methods. Defaults are fixed, not fitted to any particular data set.
struct ModelOptions {
  int average_weeks = 4;           ///< k of weekly_average [weeks]
  double half_life_weeks = 8.0;    ///< recency half-life of profiles and weekday factors [weeks]
  int svd_components = 5;          ///< leading singular vectors kept by svd
  bool day_of_month = true;        ///< top_down and svd learn a day-of-month effect (>= 16 weeks)
  int hw_fit_weeks = 16;           ///< holt_winters fits its parameters on the last N weeks
  int max_evaluations = 400;       ///< optimiser budget of holt_winters (NLopt)
  /// top_down's level smoothing weight is the smoothest one whose 1..7-day-ahead squared
  /// error is within this many standard errors of the lowest (the one-standard-error rule;
  /// 0: the lowest).
  double level_alpha_tolerance_se = 1.0;
};

/// The outcome of a fit: never an exception.
struct FitStatus {
  bool converged = true;  ///< false if the optimiser stopped on its budget or failed
  int iterations = 0;     ///< objective evaluations (0 for closed-form methods)
  std::string message;
};

/// A forecasting method. Fit once, predict many times; predict() is thread-safe.
class Model {
 public:
  virtual ~Model() = default;
  [[nodiscard]] virtual Method method() const noexcept = 0;
  /// Calendar days of history the method needs at least.
  [[nodiscard]] virtual int min_history_days() const noexcept = 0;
  /// Fits on `h`. Special days and outlier days of `h` are treated as missing (or
  /// down-weighted); the Forecaster handles special days in the future.
  virtual FitStatus fit(const History& h) = 0;
  /// Point forecasts [calls per interval] of a *regular* day at positions after the history.
  virtual void predict(std::span<const DaySlot> at, std::span<double> out) const = 0;
  /// A fresh, unfitted model of the same method and options.
  [[nodiscard]] virtual std::unique_ptr<Model> clone_unfitted() const = 0;
};

/// A new, unfitted model. \throws InvalidArgument for Method::auto_select (see Forecaster).
[[nodiscard]] std::unique_ptr<Model> make_model(Method method, const ModelOptions& options = {});

}  // namespace wfm::forecast
