#pragma once
/// \file
/// Why a forecast day has the volume it has: the multiplicative components of each day's
/// model forecast (issue 16), filled by Forecaster::explain and ForecastResult::explanation.
///
///     model_day_volume = base_volume x weekday_effect x day_of_month_effect x special_effect
///
/// holds for every day (up to rounding): `base_volume` is the mean of the regular (non-special)
/// model forecast of the day totals of the Monday-to-Sunday week the day lies in, so
/// `weekday_effect` = (regular forecast of this day's total) / base_volume. The methods' own
/// day-of-month effect (top_down on >= 16 weeks of history) is contained in `weekday_effect`;
/// `day_of_month_effect` is then 1. `special_effect` is the special-day (or neighbour-day)
/// ratio of SpecialDayModel (see forecaster.hpp, "Special days"); 1 on ordinary days.

#include <cstdint>
#include <string>
#include <string_view>

namespace wfm::forecast {

/// Where a day's special effect comes from (the hierarchy name -> kind -> ordinary).
enum class EffectSource {
  none,       ///< an ordinary day: special_effect = 1
  name,       ///< learned from the name's own past occurrences, shrunk toward its kind
  kind,       ///< the name never occurred: the effect of its kind (shrunk toward 1)
  neighbour,  ///< a day next to a holiday (after_holiday, before_holiday, after_long_weekend)
  closed      ///< kind `closed`: the centre is closed, effect 0
};

/// "none", "name", "kind", "neighbour", "closed".
[[nodiscard]] std::string_view to_string(EffectSource s) noexcept;

/// The components of one forecast day.
struct DayExplanation {
  std::int64_t day = 0;          ///< days since 1970-01-01
  std::string date;              ///< YYYY-MM-DD
  double base_volume = 0.0;      ///< mean regular daily total of the day's week [contacts per day]
  double weekday_effect = 1.0;   ///< regular forecast of this day's total / base_volume
  double day_of_month_effect = 1.0;  ///< 1 (contained in weekday_effect; see above)
  double special_effect = 1.0;   ///< special-day or neighbour-day ratio (1: ordinary day)
  EffectSource special_source = EffectSource::none;
  std::string special_name;      ///< calendar name, or the neighbour pseudo-kind; "" if none
  std::string special_kind;      ///< kind (closed, holiday, eve, intermediate, bridge, user
                                 ///< kind name, after_holiday, ...); "" if none
  int occurrences = 0;           ///< past occurrences behind the effect (of the name or kind)
  double evidence_weight = 0.0;  ///< n / (n + k): weight of the own mean against its parent
  double model_day_volume = 0.0; ///< the model's forecast of the day's total [contacts per day]
  /// Intraday profile of the day: "regular" (the methods' own shape), "name <n>",
  /// "kind <k>" (a special-day shape mixed with the regular one, see profile_weight).
  std::string profile_source = "regular";
  double profile_weight = 0.0;   ///< weight of the special-day shape vs the regular one, [0, 1]
  /// AHT (wfm/forecast/handle_time.hpp), set when the history has AHT:
  /// aht_level_s x aht_trend_effect x aht_weekday_effect x aht_special_effect x
  /// aht_profile_effect = aht_day_s (volume-weighted over the day's forecast intervals).
  bool has_aht = false;
  double aht_level_s = 0.0;          ///< AHT level at the end of the history [s]
  double aht_trend_effect = 1.0;     ///< damped trend from the end of the history to the day
  double aht_weekday_effect = 1.0;   ///< the weekday's AHT ratio
  double aht_special_effect = 1.0;   ///< special-day AHT ratio (0: closed)
  EffectSource aht_special_source = EffectSource::none;  ///< none, name, kind or closed
  int aht_occurrences = 0;           ///< past days with AHT behind aht_special_effect
  double aht_evidence_weight = 0.0;  ///< n / (n + k) of that effect
  double aht_profile_effect = 1.0;   ///< volume-weighted mean of the intraday AHT shape
  double aht_day_s = 0.0;            ///< volume-weighted AHT of the day [s] (0: no calls)
};

}  // namespace wfm::forecast
