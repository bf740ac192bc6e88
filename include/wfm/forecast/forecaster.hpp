#pragma once
/// \file
/// Forecaster: fit a method (or pick one automatically) on an interval series, then forecast
/// any future open intervals with prediction intervals and, where the history has it, AHT.
///
/// **Example**:
///
///     auto h = wfm::forecast::read_history_csv("history.csv");
///     auto f = wfm::forecast::Forecaster::fit(h, wfm::forecast::read_special_days_csv("d.csv"));
///     auto r = f.forecast(next_week_timestamps, std::vector<double>{0.8});
///     // r.volume[i] calls in the interval starting at r.timestamps[i]; r.volume_lower[0][i] ...
///
/// **Special days** (issue 16). Every method forecasts regular days; a special day is then
/// forecast as (regular forecast of that day's total) x (its effect) with its intraday shape.
/// Each calendar day has a name and a kind (series.hpp: closed, holiday, eve, intermediate,
/// bridge, user kinds). An occurrence's log effect is x = log((observed + 1) / (expected + 1))
/// of its daily total (expected = median of the neighbouring same weekdays). Effects form a
/// hierarchy name -> kind -> ordinary (log effect 0), each level shrunk toward its parent by its
/// evidence (normal hierarchical model, empirical Bayes; Efron & Morris 1975, JASA 70:311-319,
/// eq. 1.4; Gelman et al., Bayesian Data Analysis, 3rd ed., §5.4-5.5):
///   name:  theta = n/(n+k) mean_x + k/(n+k) theta_kind,  k = sigma^2 / tau^2
///   kind:  theta_kind = J/(J+k_K) (precision-weighted mean of its names' means),
///          k_K = J / (tau_K^2 sum_g 1/(tau^2 + sigma^2/n_g))
/// with sigma^2 the pooled within-name variance (the ordinary days' robust variance of x when
/// no name occurred twice), tau^2 the between-name variance within kinds and tau_K^2 that of
/// the kinds around 0, both taken at the medians of their joint posterior, computed on a grid
/// under half-Cauchy priors of scale SpecialDayPolicy::effect_sd_scale (BDA §5.4 eq. 5.21;
/// Gelman 2006, Bayesian Analysis 1:515-533): a handful of names and kinds gives no usable
/// point estimate of a variance. Every k is clamped to [SpecialDayPolicy::k_min, k_max]. A
/// name without past occurrences gets its kind's effect (never another kind's); a kind without
/// any gets its prior: SpecialDayPolicy::holiday_prior_ratio for a holiday, else 1 (an
/// ordinary day); kind `closed`
/// is forecast as 0. The intraday shape is the name's (else the kind's) mean profile mixed with
/// the regular one with weight n/(n+k_s), k_s the moment ratio of within to between squared
/// profile distances (clamped like k). **Neighbour days** (not special themselves) get pseudo-kinds, learned the same
/// way (moment estimates, shrunk toward 1): `after_long_weekend` (the first open day after >= 2 consecutive
/// non-working days, at least one a closed/holiday calendar day; non-working = closed/holiday
/// or a weekday never open in the history), `after_holiday` (the day after a closed/holiday
/// day), `before_holiday` (the day before one); they scale the regular forecast. The report
/// lists every name, kind and neighbour effect with its evidence; Forecaster::explain gives the
/// components of each forecast day.
///
/// **Outliers.** Days whose total deviates from the expected by more than
/// HistoryOptions::outlier_threshold robust standard deviations, and days the user marks, get
/// weight HistoryOptions::outlier_weight (0.05) in every fit and are not scored in backtests;
/// the report lists them.
///
/// **Prediction intervals** come from rolling-origin backtests on the history itself
/// (FitOptions::backtest_origins weekly origins, horizon one week): a negative-binomial
/// variance Var = mu + c mu^2 is fitted to the backtest errors by moments (c = sum((y - mu)^2
/// - mu) / sum mu^2), and the interval at level L is mu + q z sqrt(mu + c mu^2), with q the
/// empirical (1 -/+ L)/2 quantiles of the standardised backtest errors (normal quantiles when
/// fewer than 200 errors exist), clipped at 0. Calibrated by construction on the history's
/// recent weeks; see bench/RESULTS.md for coverage on held-out weeks. Targets h > 1 weeks
/// ahead add v(h) - v(1) to c, where v(h) is the robust variance, measured on the history, of
/// a daily total's log error when predicted from its weekday's 4 weeks ending h weeks earlier.
///
/// **AHT** (issue 16): where the history has AHT, wfm/forecast/handle_time.hpp forecasts it
/// (level x damped trend x weekday x special day x intraday shape) with a prediction band at the
/// same levels (ForecastResult::aht_s_lower / aht_s_upper) and adds its components to the
/// explanation.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/core/interval_grid.hpp>
#include <wfm/core/status.hpp>
#include <wfm/forecast/explanation.hpp>
#include <wfm/forecast/handle_time.hpp>
#include <wfm/forecast/history.hpp>
#include <wfm/forecast/model.hpp>
#include <wfm/forecast/series.hpp>

namespace wfm::forecast {

/// Tuning constants of the special-day model (see "Special days" above). The shrinkage
/// constants k themselves are estimated from the data; these only bound them.
struct SpecialDayPolicy {
  /// Bounds of every shrinkage constant k = within-group variance / between-group variance
  /// (in occurrences): k_min keeps one occurrence from counting as certain (n = 1 gets at most
  /// weight 1 / (1 + k_min)); k_max keeps a level with much evidence from being ignored.
  double k_min = 0.25;
  double k_max = 20.0;
  /// Scale of the half-Cauchy prior on the standard deviations of log effects (names around
  /// their kind, kinds around ordinary), which are integrated over their posterior instead of
  /// being estimated from a handful of names and kinds (Gelman 2006, Bayesian Analysis
  /// 1:515-533, §5.2, weakly informative: the scale "a bit above" the expected spread). 1 is a
  /// factor e between a name and its kind, or a kind and ordinary, as the prior median. Not
  /// fitted to any series.
  double effect_sd_scale = 1.0;
  /// Effect of kind `holiday` while no holiday has been observed: a public holiday keeps part
  /// of the customers away, and 0.5 is halfway between closed (0) and ordinary (1), the least
  /// committal value between the two ends. Every other kind without history is ordinary (1:
  /// eves, intermediate and bridge days go either way); `closed` is 0 by definition. Not
  /// fitted to any series; 1 restores "else ordinary". Must be > 0.
  double holiday_prior_ratio = 0.5;
  bool neighbours = true;  ///< learn after_holiday / before_holiday / after_long_weekend effects
};

/// Everything Forecaster::fit can be told.
/// How the prediction band widens for targets beyond the one-week backtests (forecaster.cpp,
/// fit_horizon_growth): the daily level's log error h weeks ahead is measured on the history
/// against the mean log total of the same weekday over `level_weeks` weeks ending h weeks
/// earlier; its robust (MAD) variance minus that at h = 1 widens the band at h.
struct HorizonGrowthPolicy {
  int max_weeks_ahead = 12;   ///< growth measured up to this horizon [weeks]; constant beyond
  int level_weeks = 4;        ///< weeks averaged into the reference level
  int min_level_days = 2;     ///< usable same-weekday days needed for a reference level
  std::size_t min_errors = 10;  ///< errors needed for a variance at one horizon; else it stops
};

struct FitOptions {
  SpecialDayPolicy special;  ///< special-day shrinkage bounds (issue 16)
  Method method = Method::auto_select;
  ModelOptions model;
  HistoryOptions history;
  int backtest_origins = 8;  ///< weekly rolling origins for selection and interval calibration
  int horizon_days = 7;      ///< horizon of those backtests [days]
  bool combine = true;       ///< auto may choose the mean of the best 2 or 3 methods
  double aht_half_life_weeks = 8.0;  ///< recency half-life of the AHT profile [weeks]
  double aht_pseudo_volume = 30.0;   ///< calls of prior weight shrinking a slot's AHT [calls]
  /// The AHT model (wfm/forecast/handle_time.hpp): method, trend damping, band origins. Its
  /// half-life, pseudo volume and shrinkage bounds come from the two fields above and `special`.
  HandleTimePolicy handle_time;
  double intraday_lambda = -1.0;     ///< Shen & Huang penalty; < 0 chooses it on the history
  HorizonGrowthPolicy horizon_growth;  ///< the band beyond one week ahead
  /// Optional progress messages: Progress::step holds the phase ("fitting top_down on 56 days",
  /// "backtest svd from 2026-01-05"). Fitting is not interruptible: the return value is ignored.
  ProgressCallback progress;
};

/// One row of the per-method error table of the automatic selection.
struct MethodScore {
  std::string method;   ///< "top_down", or a combination "top_down+svd"
  double wape = 0.0;        ///< interval-level WAPE (fraction)
  double daily_wape = 0.0;  ///< WAPE of daily totals (fraction)
  double mase = 0.0;        ///< MAE / in-sample MAE of the weekly seasonal naive
  std::size_t points = 0;   ///< scored intervals
};

/// How a special-day name is forecast.
struct SpecialDayEffect {
  std::string name;
  int occurrences = 0;  ///< past occurrences with data
  double ratio = 1.0;   ///< daily total / regular expectation
  std::string source;   ///< "learned", "pooled ...", or "like weekday ..." (see above)
};

/// What the fit did: never an exception for an outcome.
struct FitReport {
  std::string method;       ///< the method (or combination) used
  /// Status::ok, or Status::not_converged if any member's optimiser stopped on its budget
  /// (the fit is then the best found; `message` says which).
  Status status = Status::ok;
  int iterations = 0;       ///< optimiser evaluations, summed over members
  std::string message;      ///< notes (fallbacks, reduced backtests)
  std::vector<MethodScore> backtest;  ///< per-method error table (empty if no backtest ran)
  int backtest_origins = 0;           ///< origins actually used
  std::vector<OutlierDay> outliers;   ///< down-weighted days
  std::vector<SpecialDayEffect> special_days;
  std::string interval_method;        ///< how the prediction intervals are made
  double dispersion = 0.0;            ///< c of Var = mu + c mu^2
  std::size_t calibration_points = 0; ///< backtest errors behind the intervals
  double intraday_lambda = 0.0;       ///< Shen & Huang penalty used by update_intraday
  HandleTimeReport handle_time;       ///< the AHT fit (empty method: the history has no AHT)
};

/// Point forecasts, prediction intervals and AHT at the requested timestamps.
/// Field names are those of wfm/core/vocabulary.hpp.
struct ForecastResult {
  std::vector<std::int64_t> timestamps;  ///< as requested [s, wall clock]
  std::vector<double> volume;            ///< point forecast [contacts per interval]
  std::vector<double> levels;            ///< nominal coverage of each interval, in (0, 1)
  /// volume_lower[j][i]: lower bound of the prediction interval at levels[j] [contacts]
  std::vector<std::vector<double>> volume_lower;
  std::vector<std::vector<double>> volume_upper;  ///< volume_upper[j][i]
  std::vector<double> aht_s;  ///< [s]; empty when the history has no AHT
  /// aht_s_lower[j][i]: lower bound of the AHT prediction band at levels[j] [s] (handle_time.hpp);
  /// empty when the history has no AHT.
  std::vector<std::vector<double>> aht_s_lower;
  std::vector<std::vector<double>> aht_s_upper;  ///< aht_s_upper[j][i] [s]
  /// The grid of the forecast (forecast_on_grid): one entry per grid interval, 0 where closed.
  IntervalGrid grid;
  /// One entry per distinct day of `timestamps`, in order: why the day has its volume
  /// (wfm/forecast/explanation.hpp). Filled by Forecaster::forecast.
  std::vector<DayExplanation> explanation;
};

class Forecaster {
 public:
  /// Fits on `history`. \throws InvalidArgument if the history is too short for the method
  /// (seasonal_naive/weekly_average 7 days, top_down/auto 14, svd/holt_winters 21).
  [[nodiscard]] static Forecaster fit(const IntervalSeries& history,
                                      const SpecialDays& calendar = {},
                                      const FitOptions& options = {});

  /// Point forecasts [calls per interval]. \throws InvalidArgument (see validate_targets).
  [[nodiscard]] std::vector<double> predict(std::span<const std::int64_t> at) const;
  /// Forecasts with intervals at each level in (0, 1). \throws InvalidArgument.
  [[nodiscard]] ForecastResult forecast(std::span<const std::int64_t> at,
                                        std::span<const double> levels) const;
  /// Intraday reforecast (Shen & Huang 2008, §4 penalised least squares): given the observed
  /// volumes of the first intervals of a day, re-forecast the intervals `at` of the same day.
  /// The prior is this Forecaster's forecast of the day. \throws InvalidArgument if
  /// `observed_at` and `at` are not on one day after the history or the sizes differ.
  [[nodiscard]] std::vector<double> update_intraday(std::span<const std::int64_t> observed_at,
                                                    std::span<const double> observed,
                                                    std::span<const std::int64_t> at) const;

  /// The components of the model forecast of each distinct day of `at` (in order of first
  /// appearance): level x weekday x day-of-month x special effect = the day's total over its
  /// open intervals. \throws InvalidArgument (see validate_targets).
  [[nodiscard]] std::vector<DayExplanation> explain(std::span<const std::int64_t> at) const;

  [[nodiscard]] const FitReport& report() const noexcept;
  [[nodiscard]] const IntervalSeries& history() const noexcept;

  struct State;

 private:
  explicit Forecaster(std::shared_ptr<const State> s) : state_(std::move(s)) {}
  std::shared_ptr<const State> state_;
};

/// One series of a batch.
struct BatchItem {
  IntervalSeries history;
  SpecialDays calendar;
  std::vector<std::int64_t> at;  ///< timestamps to forecast
};

/// Forecasts many series in parallel threads (`threads` 0 = all cores). Each result is what
/// Forecaster::fit(history, calendar, options).forecast(at, levels) gives; a series that
/// fails carries its error message in `errors[i]` and an empty result.
struct BatchResult {
  std::vector<ForecastResult> results;
  std::vector<FitReport> reports;
  std::vector<std::string> errors;  ///< empty string for success
};
[[nodiscard]] BatchResult forecast_batch(std::span<const BatchItem> items,
                                         std::span<const double> levels,
                                         const FitOptions& options = {}, int threads = 0);

/// Forecasts on a grid from a history on a grid (wfm/core/interval_grid.hpp).
///
/// Seasonality is local: the history is fitted on the local times of its open intervals. On a
/// fall-back day the repeated local hour holds two intervals with equal local times; the fit
/// sees their mean (volume; AHT weighted by volume), so the slot keeps its usual level. On the
/// target grid both intervals of a repeated hour get that slot's forecast (the hour happens
/// twice), and a skipped hour simply has no intervals. Closed target intervals get 0 (volume,
/// bounds, AHT).
///
/// \param history   the history's grid; `volume` and `aht_s` (empty: none) have one value per
///                  interval (closed ones are ignored)
/// \param target    the intervals to forecast, usually history.following(n); same interval
///                  length, and its first open local time after the history's last
/// \throws InvalidArgument on mismatched sizes or lengths, a bad history (see make_series), or
///         targets not after the history.
[[nodiscard]] ForecastResult forecast_on_grid(const IntervalGrid& history,
                                              std::span<const double> volume,
                                              std::span<const double> aht_s,
                                              const IntervalGrid& target,
                                              std::span<const double> levels,
                                              const SpecialDays& calendar = {},
                                              const FitOptions& options = {});

}  // namespace wfm::forecast
