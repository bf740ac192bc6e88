#pragma once
/// \file
/// Rolling-origin backtests as a user-facing tool: refit each method at weekly origins over the
/// end of the history and score the next days against what happened.
///
/// Measures (all pooled over the origins): WAPE = sum|y - f| / sum y over intervals; MASE =
/// mean over origins of MAE / (in-sample MAE of the weekly seasonal naive), Hyndman & Koehler
/// (2006) with a seasonal period of one week; daily-total WAPE; the fraction of actuals inside
/// the prediction interval at `level` and its mean width [calls per interval]. Outlier days of
/// the full history are not scored.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/forecast/forecaster.hpp>

namespace wfm::forecast {

struct BacktestOptions {
  int origins = 8;        ///< weekly origins, the last one `horizon_days` before the end
  int horizon_days = 7;   ///< days forecast from each origin
  double level = 0.8;     ///< prediction-interval level, in (0, 1)
  std::vector<Method> methods{Method::seasonal_naive, Method::weekly_average, Method::top_down,
                              Method::svd, Method::holt_winters, Method::auto_select};
  FitOptions fit;         ///< options of every fit (its `method` is overridden)
};

struct BacktestRow {
  std::string method;
  double wape = 0.0, mase = 0.0, daily_wape = 0.0;
  double coverage = 0.0;    ///< fraction inside the interval at `level`
  double width = 0.0;       ///< mean interval width [calls per interval]
  double fit_seconds = 0.0; ///< mean wall time of one fit + forecast [s]
  std::size_t points = 0;
  int origins = 0;
  std::string chosen;       ///< for auto: the method chosen at the last origin
};

struct BacktestResult {
  std::vector<BacktestRow> rows;
  std::vector<std::int64_t> origins;  ///< origin days (days since 1970-01-01)
};

/// Runs the backtest. \throws InvalidArgument if no origin leaves enough history.
[[nodiscard]] BacktestResult backtest(const IntervalSeries& history, const SpecialDays& calendar,
                                      const BacktestOptions& options = {});

/// The result as an aligned text table.
[[nodiscard]] std::string format_backtest(const BacktestResult& r, double level);

}  // namespace wfm::forecast
