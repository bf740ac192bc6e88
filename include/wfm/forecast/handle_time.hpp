#pragma once
/// \file
/// Average handle time (AHT) forecasts with special-day effects, a damped trend and a
/// prediction band (issue 16, item 5). Forecaster::fit builds one when the history has AHT;
/// it can also be fitted on its own on a History.
///
/// **The model** (HandleTimeMethod::effects). The AHT of interval (day d, slot s) is
///
///     aht(d, s) = level x trend(d) x weekday[w(d)] x special(d) x shape[w(d)][s]
///
/// every factor estimated volume-weighted (an interval's AHT is the mean of its calls, so it
/// weighs by its calls), only on the history:
/// - **level and trend**: x_k = log of the volume-weighted, weekday-adjusted AHT of the regular
///   days of week k (weeks counted back from the last history day, the last
///   HandleTimePolicy::trend_window_weeks of them, each with >= 3 regular days). The slope b is
///   the Theil-Sen estimator, the median of the pairwise slopes (x_j - x_i) / (t_j - t_i)
///   (Theil 1950, Proc. KNAW 53:386-392; Sen 1968, JASA 63:1379-1389, eq. 2.3), robust to
///   outlying weeks; log level = median of x_k - b t_k (t in weeks, 0 = the last history day).
///   Inside the history trend(d) = exp(b t); ahead it is damped (Gardner & McKenzie 1985,
///   Management Science 31:1237-1246, forecast function l + (phi + ... + phi^h) b):
///   trend = exp(b phi (1 - phi^t) / (1 - phi)) for t > 0 weeks, so a trend adds at most
///   b phi / (1 - phi) to the log AHT however far ahead. Fewer than min_trend_weeks weeks: b = 0.
/// - **weekday[w]**: recency-weighted (FitOptions::aht_half_life_weeks) ratio of sums
///   sum v a / (level trend) / sum v over the regular days of weekday w, normalised so that
///   the volume-weighted mean over the weekdays is 1.
/// - **shape[w][s]**: the same ratio per slot after the weekday effect, shrunk by a pseudo
///   volume m (FitOptions::aht_pseudo_volume) toward the slot's all-weekday value and that
///   toward 1: (sum v x + m parent) / (sum v + m) (credibility weighting; Buehlmann 1967,
///   ASTIN Bulletin 4:199-207).
/// - **special(d)**: the calendar's hierarchy name -> kind -> 1 (the same calendar, names and
///   kinds as the volume's special days, series.hpp), learned from y = log(day AHT / its
///   regular expectation) of each past special day and shrunk like the volume effects
///   (normal hierarchical model, empirical Bayes; Efron & Morris 1975, JASA 70:311-319):
///   kind = n_K / (n_K + k_K) mean_K with k_K = sigma^2 / tau_K^2, tau_K^2 = max(0, mean of
///   (mean_K^2 - sigma^2 / n_K)) over kinds; name = n/(n+k) mean_name + k/(n+k) kind, with
///   k = sigma^2 / tau^2, tau^2 the moment estimate of the names' spread around their kind
///   (tau_K^2 when no kind has two names); sigma^2 the pooled within-name variance of y (the
///   ordinary days' robust variance of y when no name occurred twice); every k clamped to
///   [k_min, k_max]. A closed day has no AHT: its forecast is 0, like a closed interval. The
///   regular shape is used on special days (a day's y is measured after its shape, so an eve
///   that only has its mornings is compared with its own mornings).
///
/// **The band** at level L: from HandleTimePolicy::band_origins weekly rolling origins, the
/// model is refitted on the history up to each origin and forecasts the following week; the
/// log errors r = log(actual / forecast) of the intervals with calls are modelled as
/// Var(r) = c0 + c1 / v (a level error plus the sampling error of a mean of v calls, fitted by
/// least squares of r^2 on 1/v), and the band is aht x exp(q sqrt(c0 + c1 / max(v, 1))) with q
/// the empirical (1 -/+ L)/2 quantiles of the standardised errors (normal quantiles below
/// 200 errors), v the volume forecast; a quantile on the wrong side of 0 is taken as 0, so the
/// band always holds the point forecast. Calibrated on one-week-ahead errors; see
/// bench/RESULTS.md (issue 16, AHT) for coverage on held-out weeks.
///
/// The other methods are the pre-issue-16 profile (HandleTimeMethod::profile: recency-
/// weighted per weekday and slot, shrunk toward the weekday and the overall mean) and the
/// rule "same slot, last 4 weeks" (HandleTimeMethod::last_4_weeks), kept for comparison; both
/// get a band the same way.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/forecast/explanation.hpp>
#include <wfm/forecast/history.hpp>

namespace wfm::forecast {

/// How AHT is forecast (see the file comment).
enum class HandleTimeMethod {
  effects,      ///< level x damped trend x weekday x special day x intraday shape (default)
  profile,      ///< recency-weighted weekday x slot profile only (before issue 16)
  last_4_weeks  ///< volume-weighted mean of the same weekday and slot over the last 4 weeks
};
/// "effects", "profile", "last_4_weeks".
[[nodiscard]] std::string_view to_string(HandleTimeMethod m) noexcept;
/// \throws InvalidArgument naming `argument` on an unknown name.
[[nodiscard]] HandleTimeMethod parse_handle_time_method(std::string_view name,
                                                        std::string_view argument = "method");

/// Tuning constants of the AHT model. Forecaster::fit sets half_life_weeks, pseudo_volume,
/// k_min and k_max from FitOptions::aht_half_life_weeks, aht_pseudo_volume and
/// FitOptions::special (one place for each constant).
struct HandleTimePolicy {
  HandleTimeMethod method = HandleTimeMethod::effects;
  double half_life_weeks = 8.0;  ///< recency half-life of weekday and shape [weeks]
  double pseudo_volume = 30.0;   ///< calls of prior weight shrinking a slot's shape [calls]
  /// Damping phi of the trend per week ahead (Gardner & McKenzie 1985), in [0, 1]: 0.9 lets a
  /// trend add at most 9 weeks of its slope; 0 = no trend ahead.
  double damping = 0.9;
  int min_trend_weeks = 6;       ///< fewer usable weeks: no trend (slope 0)
  int trend_window_weeks = 26;   ///< the trend is fitted on the last this many weeks
  int band_origins = 8;          ///< weekly rolling origins whose errors make the band
  double k_min = 0.25;           ///< bounds of the special-day shrinkage constants k
  double k_max = 20.0;
};

/// Checks the policy's constants. \throws InvalidArgument naming the first one out of range.
void validate(const HandleTimePolicy& policy);

/// One learned special-day AHT effect.
struct HandleTimeEffect {
  std::string name;        ///< calendar name, or the kind for a kind's own entry
  std::string kind;        ///< kind label (closed, holiday, eve, ..., user kind)
  EffectSource source = EffectSource::none;
  int occurrences = 0;     ///< past days with AHT behind it
  double ratio = 1.0;      ///< AHT multiplier (0: closed)
  double evidence_weight = 0.0;  ///< n / (n + k)
};

/// What the AHT fit found.
struct HandleTimeReport {
  std::string method;          ///< to_string(HandleTimeMethod)
  double level_s = 0.0;        ///< volume-weighted AHT of an average regular day at the end [s]
  double trend_per_week = 0.0; ///< exp(b) - 1: relative change per week in the history
  int trend_weeks = 0;         ///< weeks behind the trend (0: none fitted)
  std::array<double, 7> weekday_effect{1, 1, 1, 1, 1, 1, 1};  ///< Monday first
  std::vector<HandleTimeEffect> special_days;
  double band_c0 = 0.0;        ///< Var(log error) = c0 + c1 / calls
  double band_c1 = 0.0;
  std::size_t band_points = 0; ///< backtest errors behind the band
  std::string band_method;     ///< how the band is made
};

/// The AHT components of one forecast day (also in DayExplanation):
/// aht_level_s x aht_trend_effect x aht_weekday_effect x aht_special_effect x
/// aht_profile_effect = aht_day_s, the volume-weighted AHT of the day's intervals.
struct HandleTimeDay {
  std::int64_t day = 0;
  double level_s = 0.0;
  double trend_effect = 1.0;
  double weekday_effect = 1.0;
  double special_effect = 1.0;
  EffectSource special_source = EffectSource::none;
  int occurrences = 0;
  double evidence_weight = 0.0;
  double profile_effect = 1.0;  ///< volume-weighted mean of the intraday shape over the day
  double day_s = 0.0;           ///< [s]; 0 on a closed day or one without forecast calls
};

class HandleTimeModel {
 public:
  /// Fits on `h` (which must have AHT). \throws InvalidArgument on a history without AHT or a
  /// policy constant out of range (naming it).
  [[nodiscard]] static HandleTimeModel fit(const History& h, const HandleTimePolicy& policy = {});

  /// AHT [s] at grid positions of `h` (also beyond the history); 0 on closed calendar days.
  [[nodiscard]] std::vector<double> predict(const History& h, std::span<const DaySlot> at) const;
  /// Band bounds at `level` in (0, 1) around `aht` (from predict), given the volume forecast of
  /// the same intervals [contacts per interval]. \throws InvalidArgument on sizes or level.
  void band(std::span<const double> aht, std::span<const double> volume, double level,
            std::span<double> lower, std::span<double> upper) const;
  /// Components of each distinct day of `at` (in order of first appearance), weighted by
  /// `volume` (the volume forecast of `at`).
  [[nodiscard]] std::vector<HandleTimeDay> explain(const History& h, std::span<const DaySlot> at,
                                                   std::span<const double> volume) const;
  [[nodiscard]] const HandleTimeReport& report() const noexcept { return report_; }

 private:
  struct Components {
    double trend = 1.0, weekday = 1.0, special = 1.0;
    const HandleTimeEffect* effect = nullptr;
  };
  void fit_point(const History& h);
  void fit_special(const History& h);
  void fit_band(const History& h);
  [[nodiscard]] Components components(const History& h, std::int64_t day) const;
  [[nodiscard]] double shape(int weekday, int slot) const;

  HandleTimePolicy policy_;
  int slots_ = 0;
  std::int64_t last_day_ = 0;            // last history day [days since 1970-01-01]
  double log_level_ = 0.0, slope_ = 0.0;  // log AHT at last_day_, log change per week
  std::array<double, 7> weekday_{1, 1, 1, 1, 1, 1, 1};
  std::vector<double> shape_;            // 7 x slots (effects); the AHT itself (other methods)
  std::vector<HandleTimeEffect> names_, kinds_;
  std::vector<double> z_;                // sorted standardised band errors
  double c0_ = 0.04, c1_ = 0.0;
  HandleTimeReport report_;
};

}  // namespace wfm::forecast
