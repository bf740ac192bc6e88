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
///
/// **Special and ordinary days** (issue 16) are scored apart: a scored day is special when the
/// calendar names it, ordinary otherwise. On the same points two simple rules are scored as
/// baselines: `weekday4`, the mean of the same interval on the same weekday of the last 4
/// regular weeks before the origin (regular: present, not special, not an outlier; fewer when
/// the history has fewer), and `naive`, the same interval one week earlier (the newest
/// same-weekday day before the origin with data, whatever it was).

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
  /// Explicit origin days (days since 1970-01-01); empty: `origins` weekly origins ending
  /// `horizon_days` before the end of the history.
  std::vector<std::int64_t> origin_days;
};

/// WAPE on special and ordinary days of one backtest origin (or pooled), with the rules.
struct DayTypeScore {
  double special_wape = 0.0;   ///< the method's WAPE over special-day intervals (NaN: none)
  double ordinary_wape = 0.0;  ///< over ordinary-day intervals
  double weekday4_special_wape = 0.0, weekday4_ordinary_wape = 0.0;  ///< rule weekday4
  double naive_special_wape = 0.0, naive_ordinary_wape = 0.0;        ///< rule naive
  std::size_t special_points = 0, ordinary_points = 0;
};

/// One origin of one method.
struct OriginScore {
  std::string method;
  std::int64_t origin = 0;  ///< days since 1970-01-01
  double wape = 0.0;        ///< all scored intervals of the origin
  DayTypeScore days;
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
  DayTypeScore days;        ///< special vs ordinary days, pooled over the origins
};

struct BacktestResult {
  std::vector<BacktestRow> rows;
  std::vector<std::int64_t> origins;  ///< origin days (days since 1970-01-01)
  std::vector<OriginScore> by_origin; ///< per method and origin
};

/// Runs the backtest. \throws InvalidArgument if no origin leaves enough history.
[[nodiscard]] BacktestResult backtest(const IntervalSeries& history, const SpecialDays& calendar,
                                      const BacktestOptions& options = {});

/// The result as an aligned text table.
[[nodiscard]] std::string format_backtest(const BacktestResult& r, double level);
/// Special vs ordinary days per method and origin, with the two rules, as a text table.
[[nodiscard]] std::string format_day_types(const BacktestResult& r);

}  // namespace wfm::forecast
