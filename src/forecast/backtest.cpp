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
namespace {

// The two simple rules of backtest.hpp at `at` (whose days are on or after the origin, which
// is the end of `th`): weekday4 and naive.
void simple_rules(const History& th, std::span<const std::int64_t> at, std::vector<double>& weekday4,
                  std::vector<double>& naive) {
  weekday4.assign(at.size(), 0.0);
  naive.assign(at.size(), 0.0);
  for (std::size_t i = 0; i < at.size(); ++i) {
    const DaySlot p = th.locate(at[i]);
    const int w = th.weekday_of(static_cast<int>(p.day - th.first_day()));
    int n = 0;
    bool have_naive = false;
    double sum = 0.0;
    for (int d = th.days() - 1; d >= 0 && (n < 4 || !have_naive); --d) {
      if (th.weekday_of(d) != w || !th.present(d)) continue;
      const double v = th.y(d, p.slot);
      if (!have_naive) naive[i] = std::isnan(v) ? 0.0 : v, have_naive = true;
      if (n < 4 && th.regular(d)) sum += std::isnan(v) ? 0.0 : v, ++n;
    }
    weekday4[i] = n > 0 ? sum / n : 0.0;
  }
}

// Accumulates |y - f| and y per day type.
struct Split {
  double err[2]{}, act[2]{};  // 0 ordinary, 1 special
  std::size_t n[2]{};
  void add(bool special, double y, double f) {
    err[special] += std::abs(y - f), act[special] += y, ++n[special];
  }
  [[nodiscard]] double wape(bool special) const {
    return act[special] > 0 ? err[special] / act[special] : std::nan("");
  }
};

DayTypeScore day_type_score(const Split& m, const Split& w4, const Split& nv) {
  DayTypeScore s;
  s.special_wape = m.wape(true);
  s.ordinary_wape = m.wape(false);
  s.weekday4_special_wape = w4.wape(true);
  s.weekday4_ordinary_wape = w4.wape(false);
  s.naive_special_wape = nv.wape(true);
  s.naive_ordinary_wape = nv.wape(false);
  s.special_points = m.n[1];
  s.ordinary_points = m.n[0];
  return s;
}

}  // namespace

BacktestResult backtest(const IntervalSeries& series, const SpecialDays& calendar,
                        const BacktestOptions& options) {
  constexpr std::string_view fn = "wfm::forecast::backtest";
  ::wfm::detail::require_positive(fn, "origins", options.origins);
  ::wfm::detail::require_positive(fn, "horizon_days", options.horizon_days);
  ::wfm::detail::require_open_unit(fn, "level", options.level);
  const History full(series, calendar, options.fit.history);
  BacktestResult result;
  const std::int64_t end = full.end_day();
  for (int o = options.origins; o >= 1 && options.origin_days.empty(); --o) {
    const std::int64_t origin = end - static_cast<std::int64_t>(o) * options.horizon_days;
    if (origin - full.first_day() >= 14) result.origins.push_back(origin);
  }
  for (const std::int64_t origin : options.origin_days)
    if (origin - full.first_day() >= 14 && origin < end) result.origins.push_back(origin);
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
    Split all_m, all_w4, all_nv;
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
      std::vector<double> w4, nv;
      simple_rules(th, at, w4, nv);
      Split sm, sw, sn;
      for (std::size_t i = 0; i < at.size(); ++i) {
        const bool special = calendar.name_of(day_of(at[i])) != nullptr;
        sm.add(special, y[i], r.volume[i]), sw.add(special, y[i], w4[i]), sn.add(special, y[i], nv[i]);
        all_m.add(special, y[i], r.volume[i]), all_w4.add(special, y[i], w4[i]), all_nv.add(special, y[i], nv[i]);
      }
      result.by_origin.push_back({row.method, origin, wape(y, r.volume), day_type_score(sm, sw, sn)});
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
    row.days = day_type_score(all_m, all_w4, all_nv);
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

std::string format_day_types(const BacktestResult& r) {
  std::string out = fmt::format("{:<16} {:<10} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "method",
                                "origin", "wape", "spec_wape", "spec_wk4", "spec_nv", "ord_wape",
                                "ord_wk4", "spec_pts");
  for (const auto& o : r.by_origin)
    out += fmt::format("{:<16} {:<10} {:>7.4f} {:>9.4f} {:>9.4f} {:>9.4f} {:>9.4f} {:>9.4f} {:>9}\n",
                       o.method, format_date(o.origin * seconds_per_day), o.wape,
                       o.days.special_wape, o.days.weekday4_special_wape,
                       o.days.naive_special_wape, o.days.ordinary_wape,
                       o.days.weekday4_ordinary_wape, o.days.special_points);
  return out;
}

}  // namespace wfm::forecast
