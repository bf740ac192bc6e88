// Forecasting on the interval grid: local-time seasonality across clock changes.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/forecaster.hpp>

namespace wfm::forecast {
namespace {

constexpr std::string_view kWhere = "wfm::forecast::forecast_on_grid";

struct Slot {
  double volume = 0.0, aht_weighted = 0.0, aht_sum = 0.0;
  int count = 0;
};

/// The history by local time: a repeated local time (fall-back hour) gives the mean of its
/// intervals.
IntervalSeries local_series(const IntervalGrid& g, std::span<const double> volume,
                            std::span<const double> aht) {
  std::map<std::int64_t, Slot> slots;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (!g.is_open(i)) continue;
    Slot& s = slots[g.local(i)];
    s.volume += volume[i];
    if (!aht.empty()) {
      s.aht_weighted += volume[i] * aht[i];
      s.aht_sum += aht[i];
    }
    ++s.count;
  }
  std::vector<std::int64_t> ts;
  std::vector<double> v, a;
  for (const auto& [t, s] : slots) {
    ts.push_back(t);
    v.push_back(s.volume / s.count);
    if (!aht.empty()) a.push_back(s.volume > 0.0 ? s.aht_weighted / s.volume : s.aht_sum / s.count);
  }
  return make_series(ts, v, g.interval_length_s(), a, [&](std::size_t k, std::string_view col) {
    return fmt::format("history at {} ({})", format_timestamp(ts[k]), col);
  });
}

}  // namespace

ForecastResult forecast_on_grid(const IntervalGrid& history, std::span<const double> volume,
                                std::span<const double> aht_s, const IntervalGrid& target,
                                std::span<const double> levels, const SpecialDays& calendar,
                                const FitOptions& options) {
  if (volume.size() != history.size() || (!aht_s.empty() && aht_s.size() != history.size()))
    detail::throw_invalid(kWhere, fmt::format("volume ({}) and aht_s ({}, or none) need one value "
                                              "per history interval ({})",
                                              volume.size(), aht_s.size(), history.size()));
  if (target.interval_length_s() != history.interval_length_s())
    detail::throw_invalid(kWhere, "the target grid's interval length differs from the history's",
                          static_cast<double>(target.interval_length_s()));
  const IntervalSeries series = local_series(history, volume, aht_s);
  std::vector<std::int64_t> at;
  for (std::size_t i = 0; i < target.size(); ++i)
    if (target.is_open(i)) at.push_back(target.local(i));
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  if (!at.empty() && at.front() <= series.timestamps.back())
    detail::throw_invalid(kWhere,
                          fmt::format("the target grid must start after the history's last local "
                                      "time {} (a clock change exactly at the boundary repeats it)",
                                      format_timestamp(series.timestamps.back())),
                          format_timestamp(at.front()));
  const Forecaster f = Forecaster::fit(series, calendar, options);
  const ForecastResult u = at.empty() ? ForecastResult{} : f.forecast(at, levels);

  ForecastResult r;
  r.grid = target;
  r.levels.assign(levels.begin(), levels.end());
  r.timestamps = target.locals();
  const std::size_t n = target.size();
  r.volume.assign(n, 0.0);
  r.volume_lower.assign(levels.size(), std::vector<double>(n, 0.0));
  r.volume_upper.assign(levels.size(), std::vector<double>(n, 0.0));
  if (series.has_aht()) {
    r.aht_s.assign(n, 0.0);
    r.aht_s_lower.assign(levels.size(), std::vector<double>(n, 0.0));
    r.aht_s_upper.assign(levels.size(), std::vector<double>(n, 0.0));
  }
  r.explanation = u.explanation;
  for (std::size_t i = 0; i < n; ++i) {
    if (!target.is_open(i)) continue;
    const auto k = static_cast<std::size_t>(
        std::lower_bound(at.begin(), at.end(), target.local(i)) - at.begin());
    r.volume[i] = u.volume[k];
    for (std::size_t j = 0; j < levels.size(); ++j) {
      r.volume_lower[j][i] = u.volume_lower[j][k];
      r.volume_upper[j][i] = u.volume_upper[j][k];
    }
    if (series.has_aht()) {
      r.aht_s[i] = u.aht_s[k];
      for (std::size_t j = 0; j < levels.size(); ++j) {
        r.aht_s_lower[j][i] = u.aht_s_lower[j][k];
        r.aht_s_upper[j][i] = u.aht_s_upper[j][k];
      }
    }
  }
  return r;
}

}  // namespace wfm::forecast
