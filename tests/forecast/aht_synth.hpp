#pragma once
// A generated history with AHT of known structure (issue 16, item 5), for the AHT tests and
// bench/forecast_aht.cpp: the real series in ../shared/data/forecasting have no handle times
// (see its README), so the model is checked on a history whose truth is known:
//   aht(d, s) = base x exp(trend t_weeks(d)) x weekday[w] x special(d) x shape(s) x noise,
// noise = the mean of the interval's calls, each lognormal with coefficient of variation cv
// (log-normal approximation of the mean of v calls: sd of log = cv / sqrt(v)).
// Volumes come from synth.hpp (Poisson around level x weekday x profile), special days scale
// them too. The calendar: 8 holidays with different names (kind holiday, AHT x 1.30, volume
// x 0.5), 8 eves (kind eve, AHT x 0.85, volume x 0.7), a monthly billing run (one name, kind
// user:billing run, AHT x 1.20, volume x 1.4), one closed day (no rows).
#include <array>
#include <cmath>
#include <pcg_random.hpp>
#include <random>
#include <string>
#include <vector>
#include <wfm/forecast/series.hpp>

#include "synth.hpp"

namespace wfm::test {

struct AhtTruth {
  double base = 300.0;           // [s]
  double trend = 0.01;           // log change per week
  std::array<double, 7> weekday{1.08, 1.0, 0.98, 0.97, 1.03, 1.0, 1.0};
  double holiday = 1.30, eve = 0.85, billing = 1.20;
  double cv = 0.8;               // per-call coefficient of variation
  int closed_day = 45;
};

inline SynthSpec aht_spec(int days = 182) {
  SynthSpec s;
  s.days = days;
  s.absent_days = {AhtTruth{}.closed_day};
  return s;
}

// Calendar day index -> (name, kind label) of the generated calendar ("" when ordinary).
inline std::pair<std::string, std::string> aht_special(int d) {
  for (int k = 0; k < 9; ++k) {
    if (d == 10 + 21 * k) return {"Holiday " + std::to_string(k), "holiday"};
    if (d == 9 + 21 * k) return {"Eve " + std::to_string(k), "eve"};
    if (d == 1 + 28 * k) return {"Billing run", "user:billing run"};
  }
  if (d == AhtTruth{}.closed_day) return {"Strike", "closed"};
  return {"", ""};
}

inline double aht_special_factor(const AhtTruth& t, int d, bool volume) {
  const std::string kind = aht_special(d).second;
  if (kind == "holiday") return volume ? 0.5 : t.holiday;
  if (kind == "eve") return volume ? 0.7 : t.eve;
  if (kind == "user:billing run") return volume ? 1.4 : t.billing;
  return 1.0;
}

inline double aht_shape(int slot) { return 1.0 + 0.15 * std::sin(0.4 * slot); }

/// True AHT of (day index, slot) [s].
inline double aht_true(const AhtTruth& t, const SynthSpec& s, int d, int slot) {
  const int w = wfm::weekday((s.first_day + d) * 86400);
  return t.base * std::exp(t.trend * d / 7.0) * t.weekday[static_cast<std::size_t>(w)] *
         aht_special_factor(t, d, false) * aht_shape(slot);
}

inline wfm::forecast::SpecialDays aht_calendar(const SynthSpec& s, int days) {
  wfm::forecast::SpecialDays c;
  for (int d = 0; d < days; ++d) {
    const auto [name, kind] = aht_special(d);
    if (!name.empty()) c.add(s.first_day + d, name, *wfm::forecast::parse_day_kind(kind));
  }
  return c;
}

/// The history (volume and AHT) of days [0, s.days).
inline wfm::forecast::IntervalSeries aht_series(const SynthSpec& s, const AhtTruth& t = {},
                                                std::uint64_t seed = 7) {
  wfm::forecast::IntervalSeries out =
      synth_series(s, [&](int d, int) { return aht_special_factor(t, d, true); });
  pcg64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  const double s2 = std::log1p(t.cv * t.cv);  // log-variance of one call
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t day = out.timestamps[i] / 86400;
    const int d = static_cast<int>(day - s.first_day);
    const int slot = static_cast<int>((out.timestamps[i] % 86400) / s.interval_length);
    const double v = std::max(out.values[i], 1.0), sd = std::sqrt(s2 / v);
    out.aht.push_back(aht_true(t, s, d, slot) * std::exp(sd * z(rng) - 0.5 * sd * sd));
  }
  return out;
}

}  // namespace wfm::test
