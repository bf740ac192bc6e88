#pragma once
// The special-day model of the Forecaster (issue 16; the formulas are documented in
// wfm/forecast/forecaster.hpp, "Special days"). Not installed.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>
#include <wfm/forecast/explanation.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/history.hpp>

namespace wfm::forecast::detail {

/// One learned effect: a name, a kind or a neighbour pseudo-kind.
struct Effect {
  std::string name;                // name, kind label or pseudo-kind
  std::string kind;                // kind label
  EffectSource source = EffectSource::none;
  double log_effect = 0.0;         // posterior mean of the log effect
  int occurrences = 0;
  double evidence_weight = 0.0;    // n / (n + k)
  std::vector<double> profile;     // special-day shape (share per slot), empty: regular
  double profile_weight = 0.0;     // weight of `profile` against the regular shape
  std::string profile_source = "regular";
};

class SpecialDayModel {
 public:
  void fit(const History& h, const SpecialDayPolicy& policy);
  /// The effect applying to day index d of `h` (also beyond the history); source none: ordinary.
  [[nodiscard]] Effect resolve(const History& h, int d) const;
  /// 0 after_long_weekend, 1 after_holiday, 2 before_holiday, -1 none (day index d).
  [[nodiscard]] int neighbour_type(const History& h, int d) const;
  /// Turns the regular forecast `reg` of a whole day (over `slots`) into the day's forecast.
  static void apply(const Effect& e, std::span<const int> slots, std::span<double> reg);
  [[nodiscard]] std::vector<SpecialDayEffect> report() const;

 private:
  [[nodiscard]] bool nonworking(const History& h, int d) const;
  [[nodiscard]] bool holiday_like(const History& h, int d) const;
  std::vector<Effect> names_;      // per (name, kind) group seen in the calendar
  std::vector<std::string> keys_;  // group keys "name\x1fkind"
  std::vector<Effect> kinds_;      // per kind label seen in the calendar
  std::array<Effect, 3> neighbours_;  // after_long_weekend, after_holiday, before_holiday
  Effect closed_;
  std::array<bool, 7> weekday_open_{};
  bool use_neighbours_ = true;
};

}  // namespace wfm::forecast::detail
