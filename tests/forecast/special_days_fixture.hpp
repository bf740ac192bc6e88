#pragma once
// A synthetic history with known special-day effects by name and kind (issue 16 tests).
#include <map>
#include <string>
#include <vector>
#include <wfm/forecast/series.hpp>

#include "synth.hpp"

namespace wfm::test {

struct KnownEffect {
  std::string name;  // with the kind in parentheses
  double ratio;      // true daily total / ordinary
  std::vector<int> days;
};

// 20 weeks from Monday 2024-01-01, weekdays 08:00-20:00, Poisson counts around 2000 a day.
// Holidays (kind holiday) at 0.25, 0.35 and (one occurrence) 0.6; intermediate days at 0.8 and
// 0.85 with all their calls in the morning (slots < 28); one eve at 0.6. Day indices: 0 =
// Monday; day 140 is the Monday after the history.
inline SynthSpec special_spec() {
  SynthSpec spec;
  spec.days = 140;
  return spec;
}

inline std::vector<KnownEffect> known_effects() {
  return {{"H1 (holiday)", 0.25, {9, 51, 93}},
          {"H2 (holiday)", 0.35, {16, 72}},
          {"H4 (holiday)", 0.6, {107}},
          {"I1 (intermediate)", 0.8, {23, 24, 79}},
          {"I2 (intermediate)", 0.85, {100, 101}},
          {"E1 (eve)", 0.6, {30, 86}}};
}

inline double morning_share(const SynthSpec& s) {
  const auto p = synth_profile(s);
  double m = 0.0;
  for (int k = 0; k < 28; ++k) m += p[static_cast<std::size_t>(k)];
  return m;
}

inline forecast::IntervalSeries special_series(const SynthSpec& spec) {
  std::map<int, std::pair<double, bool>> day_effect;  // ratio, morning only
  for (const auto& e : known_effects())
    for (const int d : e.days) day_effect[d] = {e.ratio, e.name.find("intermediate") != std::string::npos};
  const double ms = morning_share(spec);
  return synth_series(spec, [day_effect, ms](int d, int k) {
    const auto it = day_effect.find(d);
    if (it == day_effect.end()) return 1.0;
    if (!it->second.second) return it->second.first;
    return k < 28 ? it->second.first / ms : 0.0;
  });
}

inline forecast::SpecialDays special_calendar(const SynthSpec& spec) {
  forecast::SpecialDays cal;
  for (const auto& e : known_effects())
    for (const int d : e.days) cal.add(spec.first_day + d, e.name);
  cal.add(spec.first_day + 142, "I3 (intermediate)");  // Wednesday, never seen
  cal.add(spec.first_day + 143, "H3 (holiday)");       // Thursday, never seen
  cal.add(spec.first_day + 144, "I1 (intermediate)");  // Friday, seen 3 times
  cal.add(spec.first_day + 149, "H4 (holiday)");       // Wednesday, seen once
  return cal;
}

}  // namespace wfm::test
