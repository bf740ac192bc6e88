#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/backtest.hpp>
#include <wfm/forecast/metrics.hpp>

namespace wfm::forecast {

BacktestResult backtest(const IntervalSeries& series, const SpecialDays& calendar,
                        const BacktestOptions& options) {
  constexpr std::string_view fn = "wfm::forecast::backtest";
  ::wfm::detail::require_positive(fn, "origins", options.origins);
  ::wfm::detail::require_positive(fn, "horizon_days", options.horizon_days);
  ::wfm::detail::require_open_unit(fn, "level", options.level);
  const History full(series, calendar, options.fit.history);
  BacktestResult result;
  const std::int64_t end = full.end_day();
  for (int o = options.origins; o >= 1; --o) {
    const std::int64_t origin = end - static_cast<std::int64_t>(o) * options.horizon_days;
    if (origin - full.first_day() >= 14) result.origins.push_back(origin);
  }
  if (result.origins.empty())
    ::wfm::detail::throw_invalid(fn, "the history is too short for any backtest origin");
  const double level = options.level;
  for (const Method m : options.methods) {
    BacktestRow row;
    row.method = std::string(to_string(m));
    std::vector<double> ya, fa, la, ua;
    double mase_sum = 0.0, seconds = 0.0;
    int mase_n = 0, fits = 0;
    std::map<std::int64_t, std::pair<double, double>> days;
    for (const std::int64_t origin : result.origins) {
      // Training part: timestamps before the origin day.
      IntervalSeries train;
      train.interval_length = series.interval_length;
      std::vector<std::int64_t> at;
      std::vector<double> y;
      for (std::size_t i = 0; i < series.size(); ++i) {
        const std::int64_t d = day_of(series.timestamps[i]);
        if (d < origin) {
          train.timestamps.push_back(series.timestamps[i]);
          train.values.push_back(series.values[i]);
          if (series.has_aht()) train.aht.push_back(series.aht[i]);
        } else if (d < origin + options.horizon_days &&
                   full.weight(static_cast<int>(d - full.first_day())) >= 1.0) {
          at.push_back(series.timestamps[i]);
          y.push_back(series.values[i]);
        }
      }
      if (at.empty() || train.timestamps.empty()) continue;
      FitOptions fo = options.fit;
      fo.method = m;
      fo.progress = nullptr;
      if (options.fit.progress) {
        const std::string msg =
            fmt::format("backtest {} from {}", to_string(m), format_date(origin * seconds_per_day));
        Progress p;
        p.step = msg;
        (void)options.fit.progress(p);
      }
      const auto t0 = std::chrono::steady_clock::now();
      ForecastResult r;
      try {
        const Forecaster f = Forecaster::fit(train, calendar, fo);
        r = f.forecast(at, std::vector<double>{level});
        row.chosen = f.report().method;
      } catch (const InvalidArgument&) {
        continue;  // too short for this method at this origin
      }
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      ++fits;
      // MASE scale: in-sample weekly seasonal naive MAE of the training part.
      const History th(train, calendar, options.fit.history);
      double s = 0.0;
      std::size_t n = 0;
      for (int d = 7; d < th.days(); ++d)
        for (int k = 0; k < th.slots_per_day(); ++k) {
          const double a = th.y(d, k), b = th.y(d - 7, k);
          if (!std::isnan(a) && !std::isnan(b)) s += std::abs(a - b), ++n;
        }
      if (n > 0 && s > 0) mase_sum += mae(y, r.volume) / (s / static_cast<double>(n)), ++mase_n;
      for (std::size_t i = 0; i < at.size(); ++i) {
        days[day_of(at[i])].first += y[i];
        days[day_of(at[i])].second += r.volume[i];
      }
      ya.insert(ya.end(), y.begin(), y.end());
      fa.insert(fa.end(), r.volume.begin(), r.volume.end());
      la.insert(la.end(), r.volume_lower[0].begin(), r.volume_lower[0].end());
      ua.insert(ua.end(), r.volume_upper[0].begin(), r.volume_upper[0].end());
    }
    row.origins = fits;
    row.points = ya.size();
    row.wape = wape(ya, fa);
    row.mase = mase_n > 0 ? mase_sum / mase_n : std::nan("");
    double num = 0.0, den = 0.0;
    for (const auto& [d, p] : days) num += std::abs(p.first - p.second), den += p.first;
    row.daily_wape = den > 0 ? num / den : std::nan("");
    row.coverage = coverage(ya, la, ua);
    row.width = mean_width(la, ua);
    row.fit_seconds = fits > 0 ? seconds / fits : std::nan("");
    result.rows.push_back(std::move(row));
  }
  return result;
}

std::string format_backtest(const BacktestResult& r, double level) {
  std::string out = fmt::format("{:<16} {:>7} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7}  {}\n", "method",
                                "wape", "mase", "day_wape", fmt::format("cov{:.0f}", 100 * level),
                                "width", "fit_s", "points", "chosen");
  for (const auto& row : r.rows)
    out += fmt::format("{:<16} {:>7.4f} {:>7.3f} {:>9.4f} {:>9.3f} {:>9.2f} {:>8.3f} {:>7}  {}\n",
                       row.method, row.wape, row.mase, row.daily_wape, row.coverage, row.width,
                       row.fit_seconds, row.points, row.method == "auto" ? row.chosen : "");
  return out;
}

}  // namespace wfm::forecast
