#include <array>
#include <algorithm>
#include <cmath>
#include <limits>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/history.hpp>

namespace wfm::forecast {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> v) {
  if (v.empty()) return nan;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  const double hi = *mid;
  return 0.5 * (hi + *std::max_element(v.begin(), mid));
}

}  // namespace

History::History(const IntervalSeries& series, SpecialDays calendar, HistoryOptions options)
    : calendar_(std::move(calendar)), options_(std::move(options)) {
  if (series.timestamps.empty()) detail::throw_invalid("wfm::forecast::History", "empty series");
  detail::require_unit("wfm::forecast::History", "outlier_weight", options_.outlier_weight);
  detail::require_nonnegative("wfm::forecast::History", "outlier_threshold",
                              options_.outlier_threshold);
  interval_length_ = series.interval_length;
  anchor_ = grid_anchor(series);
  slots_ = static_cast<int>(seconds_per_day / interval_length_);
  const auto [lo, hi] = std::minmax_element(series.timestamps.begin(), series.timestamps.end());
  first_day_ = day_of(*lo);
  n_days_ = static_cast<int>(day_of(*hi) - first_day_ + 1);
  const std::size_t cells = static_cast<std::size_t>(n_days_) * static_cast<std::size_t>(slots_);
  y_.assign(cells, nan);
  if (series.has_aht()) aht_.assign(cells, nan);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const DaySlot p = locate(series.timestamps[i]);
    const std::size_t c = static_cast<std::size_t>(p.day - first_day_) * static_cast<std::size_t>(slots_) +
                          static_cast<std::size_t>(p.slot);
    y_[c] = series.values[i];
    if (series.has_aht()) aht_[c] = series.aht[i];
  }
  for (const auto& [day, name] : calendar_.days())
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.push_back(name);
  analyse();
}

int History::weekday_of(int d) const noexcept {
  return weekday((first_day_ + d) * seconds_per_day);
}

int History::special(int d) const {
  if (d >= 0 && d < n_days_) return special_[static_cast<std::size_t>(d)];
  const std::string* name = calendar_.name_of(first_day_ + d);
  if (!name) return -1;
  return static_cast<int>(std::find(names_.begin(), names_.end(), *name) - names_.begin());
}

DaySlot History::locate(std::int64_t t) const noexcept {
  return {day_of(t), static_cast<int>((second_of_day(t) - anchor_) / interval_length_)};
}

History History::truncated(int n_days) const {
  History h;
  h.interval_length_ = interval_length_;
  h.anchor_ = anchor_;
  h.first_day_ = first_day_;
  h.slots_ = slots_;
  h.n_days_ = std::clamp(n_days, 0, n_days_);
  const auto cells = static_cast<std::ptrdiff_t>(h.n_days_) * slots_;
  h.y_.assign(y_.begin(), y_.begin() + cells);
  if (!aht_.empty()) h.aht_.assign(aht_.begin(), aht_.begin() + cells);
  h.calendar_ = calendar_;
  h.options_ = options_;
  h.names_ = names_;
  h.analyse();
  return h;
}

void History::analyse() {
  const auto nd = static_cast<std::size_t>(n_days_);
  const auto P = static_cast<std::size_t>(slots_);
  count_.assign(nd, 0);
  total_.assign(nd, 0.0);
  weight_.assign(nd, 1.0);
  expected_.assign(nd, nan);
  special_.assign(nd, -1);
  open_.assign(7 * P, 0);
  outliers_.clear();
  std::vector<int> max_count(7, 0);
  for (std::size_t d = 0; d < nd; ++d) {
    const int w = weekday_of(static_cast<int>(d));
    for (std::size_t s = 0; s < P; ++s) {
      const double v = y_[d * P + s];
      if (std::isnan(v)) continue;
      ++count_[d];
      total_[d] += v;
      open_[static_cast<std::size_t>(w) * P + s] = 1;
    }
    max_count[static_cast<std::size_t>(w)] =
        std::max(max_count[static_cast<std::size_t>(w)], count_[d]);
    if (const std::string* name = calendar_.name_of(first_day_ + static_cast<std::int64_t>(d)))
      special_[d] = static_cast<int>(std::find(names_.begin(), names_.end(), *name) - names_.begin());
  }
  // A day is "full" when it has at least 90 % of its weekday's usual slots: only full,
  // non-special days define the expected total of their neighbours.
  auto full = [&](std::size_t d) {
    const int w = weekday_of(static_cast<int>(d));
    return count_[d] > 0 && 10 * count_[d] >= 9 * max_count[static_cast<std::size_t>(w)];
  };
  // Two passes: the second recomputes the expectations without the first pass's outliers, so
  // that two outliers among a day's few neighbours cannot make a normal day look abnormal.
  constexpr int window_weeks = 5;
  std::vector<char> flagged(nd, 0);
  std::vector<double> near, r(nd, nan), finite;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t d = 0; d < nd; ++d) {
      expected_[d] = nan;
      if (count_[d] == 0) continue;
      near.clear();
      for (int k = -window_weeks; k <= window_weeks; ++k) {
        const auto e = static_cast<std::ptrdiff_t>(d) + 7 * k;
        if (k == 0 || e < 0 || e >= static_cast<std::ptrdiff_t>(nd)) continue;
        const auto ue = static_cast<std::size_t>(e);
        if (full(ue) && special_[ue] < 0 && !flagged[ue]) near.push_back(total_[ue]);
      }
      if (near.size() >= 2) expected_[d] = median(near);
    }
    // Outliers: robust z-score of log(observed / expected) over regular full days, taken
    // relative to the median of the same week's other days, so that a level shift (every day
    // of a week up or down) is not an outlier but a single odd day is.
    std::vector<double> raw(nd, nan);
    for (std::size_t d = 0; d < nd; ++d)
      if (full(d) && special_[d] < 0 && std::isfinite(expected_[d]))
        raw[d] = std::log((total_[d] + 1.0) / (expected_[d] + 1.0));
    finite.clear();
    for (std::size_t d = 0; d < nd; ++d) {
      r[d] = raw[d];
      if (std::isnan(raw[d])) continue;
      near.clear();
      for (std::size_t e = d >= 3 ? d - 3 : 0; e < std::min(nd, d + 4); ++e)
        if (e != d && !std::isnan(raw[e])) near.push_back(raw[e]);
      if (near.size() >= 2) r[d] = raw[d] - median(near);
      finite.push_back(r[d]);
    }
    std::fill(flagged.begin(), flagged.end(), 0);
    if (options_.outlier_threshold <= 0.0 || finite.size() < 8) break;
    const double med = median(finite);
    for (double& x : finite) x = std::abs(x - med);
    const double global_scale = std::max(1.4826 * median(finite), 1e-3);
    // Each weekday's own robust scale where it has 8 residuals or more: a short or
    // low-volume weekday (Friday, Saturday evening) is noisier than a full day.
    std::array<double, 7> scale_of{};
    for (int w = 0; w < 7; ++w) {
      near.clear();
      for (std::size_t d = 0; d < nd; ++d)
        if (!std::isnan(r[d]) && weekday_of(static_cast<int>(d)) == w) near.push_back(std::abs(r[d] - med));
      scale_of[static_cast<std::size_t>(w)] =
          near.size() >= 8 ? std::max(1.4826 * median(near), 1e-3) : global_scale;
    }
    for (std::size_t d = 0; d < nd; ++d)
      if (!std::isnan(r[d]) &&
          std::abs(r[d] - med) > options_.outlier_threshold * scale_of[static_cast<std::size_t>(weekday_of(static_cast<int>(d)))] &&
          std::abs(r[d]) > std::log(1.25) && std::abs(raw[d]) > std::log(1.25))
        flagged[d] = 1;
  }
  for (std::size_t d = 0; d < nd; ++d)
    if (flagged[d]) {
      weight_[d] = options_.outlier_weight;
      outliers_.push_back({first_day_ + static_cast<std::int64_t>(d),
                           (total_[d] + 1.0) / (expected_[d] + 1.0),
                           options_.outlier_weight, OutlierReason::detected});
    }
  for (const std::int64_t day : options_.outlier_days) {
    const std::int64_t d = day - first_day_;
    if (d < 0 || d >= n_days_ || count_[static_cast<std::size_t>(d)] == 0) continue;
    const auto ud = static_cast<std::size_t>(d);
    if (weight_[ud] < 1.0) {  // already detected: say it was also marked
      for (auto& o : outliers_)
        if (o.day == day) o.reason = OutlierReason::marked;
      continue;
    }
    weight_[ud] = options_.outlier_weight;
    const double ratio = std::isfinite(expected_[ud]) ? (total_[ud] + 1.0) / (expected_[ud] + 1.0) : 1.0;
    outliers_.push_back({day, ratio, options_.outlier_weight, OutlierReason::marked});
  }
  std::sort(outliers_.begin(), outliers_.end(),
            [](const OutlierDay& a, const OutlierDay& b) { return a.day < b.day; });
}

}  // namespace wfm::forecast
