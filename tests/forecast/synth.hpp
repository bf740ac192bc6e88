#pragma once
// Generated series with known structure for the forecast tests: Poisson (or negative
// binomial) counts around mean(day, slot) = level x weekday factor x profile(slot).
#include <cmath>
#include <cstdint>
#include <functional>
#include <pcg_random.hpp>
#include <random>
#include <vector>
#include <wfm/core/calendar.hpp>
#include <wfm/forecast/series.hpp>

namespace wfm::test {

struct SynthSpec {
  std::int64_t first_day = wfm::days_from_civil(2024, 1, 1);  // a Monday
  int days = 70;
  std::int64_t interval_length = 1800;  // [s]
  int open_slot = 16, close_slot = 40;  // 08:00-20:00 for 30-min slots
  bool weekends = false;                // Saturday/Sunday open?
  double level = 2000.0;                // calls on an average weekday
  std::vector<int> absent_days;         // day indices with no rows
  double dispersion = 0.0;              // 0: Poisson; c > 0: NB with Var = mu + c mu^2
  bool noise = true;
  std::uint64_t seed = 42;
};

inline double synth_weekday_factor(int w) {
  static const double f[7] = {1.25, 1.05, 1.0, 0.95, 0.85, 0.6, 0.5};
  return f[w];
}

// Smooth bimodal intraday shape over the open slots (sums to 1).
inline std::vector<double> synth_profile(const SynthSpec& s) {
  const int P = static_cast<int>(86400 / s.interval_length);
  std::vector<double> p(static_cast<std::size_t>(P), 0.0);
  double sum = 0.0;
  for (int k = s.open_slot; k < s.close_slot; ++k) {
    const double x = (k - s.open_slot + 0.5) / (s.close_slot - s.open_slot);
    const double v = 0.3 + std::exp(-std::pow((x - 0.3) / 0.15, 2)) + 0.8 * std::exp(-std::pow((x - 0.7) / 0.15, 2));
    p[static_cast<std::size_t>(k)] = v;
    sum += v;
  }
  for (double& v : p) v /= sum;
  return p;
}

/// Mean calls of (day index, slot); 0 when closed.
inline double synth_mean(const SynthSpec& s, int d, int slot) {
  const int w = wfm::weekday((s.first_day + d) * 86400);
  if (!s.weekends && w >= 5) return 0.0;
  return s.level * synth_weekday_factor(w) * synth_profile(s)[static_cast<std::size_t>(slot)];
}

inline wfm::forecast::IntervalSeries synth_series(
    const SynthSpec& s, const std::function<double(int, int)>& multiplier = {}) {
  pcg64 rng(s.seed);
  wfm::forecast::IntervalSeries out;
  out.interval_length = s.interval_length;
  const auto profile = synth_profile(s);
  for (int d = 0; d < s.days; ++d) {
    bool absent = false;
    for (int a : s.absent_days) absent = absent || a == d;
    const int w = wfm::weekday((s.first_day + d) * 86400);
    if (absent || (!s.weekends && w >= 5)) continue;
    for (int k = s.open_slot; k < s.close_slot; ++k) {
      double mu = synth_mean(s, d, k);
      if (multiplier) mu *= multiplier(d, k);
      double y = mu;
      if (s.noise) {
        double lam = mu;
        if (s.dispersion > 0.0) {  // Poisson-gamma mixture: Var = mu + c mu^2
          std::gamma_distribution<double> g(1.0 / s.dispersion, s.dispersion);
          lam = mu * g(rng);
        }
        y = static_cast<double>(std::poisson_distribution<long>(lam)(rng));
      }
      out.timestamps.push_back((s.first_day + d) * 86400 + k * s.interval_length);
      out.values.push_back(y);
    }
  }
  return out;
}

/// The open timestamps of days [from, to) (day indices relative to first_day).
inline std::vector<std::int64_t> synth_targets(const SynthSpec& s, int from, int to) {
  std::vector<std::int64_t> at;
  for (int d = from; d < to; ++d) {
    const int w = wfm::weekday((s.first_day + d) * 86400);
    if (!s.weekends && w >= 5) continue;
    for (int k = s.open_slot; k < s.close_slot; ++k)
      at.push_back((s.first_day + d) * 86400 + k * s.interval_length);
  }
  return at;
}

}  // namespace wfm::test
