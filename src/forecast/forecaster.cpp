// Forecaster: special days, automatic selection and combination, calibrated intervals, AHT,
// intraday updating and the batch API.
#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <boost/math/distributions/normal.hpp>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/metrics.hpp>

#include "detail.hpp"
#include "special.hpp"

namespace wfm::forecast {
namespace {

using detail::idx;

void say(const FitOptions& o, std::string_view msg) {
  if (!o.progress) return;
  Progress p;
  p.step = msg;
  (void)o.progress(p);  // fitting is not interruptible (see FitOptions::progress)
}

using detail::SpecialDayModel;

// The members' mean regular forecast at `pos`.
void regular_forecast(std::span<const Model* const> members, std::span<const DaySlot> pos,
                      std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
  std::vector<double> tmp(pos.size());
  for (const Model* m : members) {
    m->predict(pos, tmp);
    for (std::size_t i = 0; i < pos.size(); ++i) out[i] += tmp[i] / static_cast<double>(members.size());
  }
}

// The slots forecast for a whole day: the weekday's open slots and the requested ones.
std::vector<int> day_slots(const History& h, int d, std::span<const DaySlot> at,
                           std::span<const std::size_t> where) {
  std::vector<int> slots;
  const int w = h.weekday_of(d);
  for (int s = 0; s < h.slots_per_day(); ++s) {
    bool wanted = h.open(w, s);
    for (const std::size_t i : where) wanted = wanted || at[i].slot == s;
    if (wanted) slots.push_back(s);
  }
  return slots;
}

// Mean of the members' regular forecasts, then the special-day or neighbour-day effect.
void predict_with(const History& h, std::span<const Model* const> members,
                  const SpecialDayModel& special, std::span<const DaySlot> at,
                  std::span<double> out) {
  regular_forecast(members, at, out);
  std::map<std::int64_t, std::vector<std::size_t>> by_day;
  for (std::size_t i = 0; i < at.size(); ++i) by_day[at[i].day].push_back(i);
  for (const auto& [day, where] : by_day) {
    const int d = static_cast<int>(day - h.first_day());
    const detail::Effect e = special.resolve(h, d);
    if (e.source == EffectSource::none) continue;
    if (e.source == EffectSource::neighbour) {  // a scale of the regular day, its own shape
      for (const std::size_t i : where) out[i] *= std::exp(e.log_effect);
      continue;
    }
    const std::vector<int> slots = day_slots(h, d, at, where);
    std::vector<DaySlot> pos;
    for (const int s : slots) pos.push_back({day, s});
    std::vector<double> reg(pos.size());
    regular_forecast(members, pos, reg);
    SpecialDayModel::apply(e, slots, reg);
    for (const std::size_t i : where)
      out[i] = reg[idx(static_cast<int>(std::lower_bound(slots.begin(), slots.end(), at[i].slot) - slots.begin()))];
  }
}

// ---- Prediction intervals -----------------------------------------------------------------
struct Calibration {
  // Below this mean the Poisson part of the variance is floored, so that a forecast of ~0 for
  // an interval that then sees a few calls does not give an unbounded standardised error.
  static constexpr double min_mean = 0.5;
  double c = 0.02;
  std::vector<double> z;  // sorted standardised errors
  std::size_t points = 0;

  void fit(std::span<const double> y, std::span<const double> mu) {
    points = y.size();
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      num += (y[i] - mu[i]) * (y[i] - mu[i]) - mu[i];
      den += mu[i] * mu[i];
    }
    // Method of moments for Var = mu + c mu^2 (negative binomial, NB2 parametrisation:
    // Cameron & Trivedi 2013, Regression Analysis of Count Data, §3.2).
    c = den > 0.0 ? std::clamp(num / den, 0.0, 4.0) : 0.02;
    z.clear();
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double sd = std::sqrt(std::max(mu[i], min_mean) + c * mu[i] * mu[i]);
      z.push_back((y[i] - mu[i]) / sd);
    }
    std::sort(z.begin(), z.end());
  }
  [[nodiscard]] bool empirical() const { return z.size() >= 200; }
  [[nodiscard]] double quantile(double p) const {
    if (!empirical()) return boost::math::quantile(boost::math::normal(), p);
    const double pos = p * static_cast<double>(z.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, z.size() - 1);
    return z[lo] + (pos - static_cast<double>(lo)) * (z[hi] - z[lo]);
  }
};

struct Candidate {
  std::string name;
  std::vector<Method> members;
};

}  // namespace

struct Forecaster::State {
  IntervalSeries series;
  History history;
  FitOptions options;
  std::vector<std::unique_ptr<Model>> members;
  SpecialDayModel special;
  Calibration calibration;
  bool has_aht = false;
  HandleTimeModel aht;  // fitted when has_aht (wfm/forecast/handle_time.hpp)
  Eigen::MatrixXd basis;  // intraday update basis (slots x K)
  double lambda = 1.0;
  // Extra squared relative error of the daily level h weeks ahead beyond one week (index h-1).
  std::vector<double> extra_c;
  FitReport report;

  State(IntervalSeries s, History h, FitOptions o)
      : series(std::move(s)), history(std::move(h)), options(std::move(o)) {}

  [[nodiscard]] std::vector<const Model*> member_ptrs() const {
    std::vector<const Model*> p;
    for (const auto& m : members) p.push_back(m.get());
    return p;
  }
  void predict(std::span<const DaySlot> at, std::span<double> out) const {
    const auto p = member_ptrs();
    predict_with(history, p, special, at, out);
  }
};

namespace {

// Which rows of `h` are scored in a backtest from origin row o: present, not outliers.
std::vector<DaySlot> targets(const History& h, int o, int horizon, std::vector<double>& actual) {
  std::vector<DaySlot> at;
  actual.clear();
  for (int d = o; d < std::min(h.days(), o + horizon); ++d) {
    if (!h.present(d) || h.weight(d) < 1.0) continue;
    for (int s = 0; s < h.slots_per_day(); ++s)
      if (!std::isnan(h.y(d, s))) {
        at.push_back({h.first_day() + d, s});
        actual.push_back(h.y(d, s));
      }
  }
  return at;
}

// In-sample MAE of the weekly seasonal naive (the MASE scale; Hyndman & Koehler 2006, §3.4,
// with the seasonal period of one week).
double naive_scale(const History& h) {
  double sum = 0.0;
  std::size_t n = 0;
  for (int d = 7; d < h.days(); ++d)
    for (int s = 0; s < h.slots_per_day(); ++s) {
      const double a = h.y(d, s), b = h.y(d - 7, s);
      if (std::isnan(a) || std::isnan(b)) continue;
      sum += std::abs(a - b);
      ++n;
    }
  return n > 0 ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

double daily_wape(std::span<const DaySlot> at, std::span<const double> y, std::span<const double> f) {
  std::map<std::int64_t, std::pair<double, double>> days;
  for (std::size_t i = 0; i < at.size(); ++i) {
    days[at[i].day].first += y[i];
    days[at[i].day].second += f[i];
  }
  double num = 0.0, den = 0.0;
  for (const auto& [d, p] : days) num += std::abs(p.first - p.second), den += p.first;
  return den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN();
}

// Intervals further ahead than the one-week backtests: the daily level's error grows with the
// horizon. Its variance v(h) is measured on the history as the robust (MAD) variance of
// log(daily total) minus the mean log total of the same weekday over `level_weeks` weeks ending
// h weeks earlier; v(h) - v(1) is added to c for targets h weeks ahead (h capped at
// `max_weeks_ahead` or what the history allows). HorizonGrowthPolicy holds the numbers.
void fit_horizon_growth(const History& h, const HorizonGrowthPolicy& p, Forecaster::State& st) {
  const auto full = detail::full_days(h);
  const auto usable = [&](int d) { return full[idx(d)] && h.regular(d) && h.total(d) > 0.0; };
  double v1 = std::numeric_limits<double>::quiet_NaN();
  for (int wk = 1; wk <= p.max_weeks_ahead; ++wk) {
    std::vector<double> e;
    for (int d = 7 * (wk + p.level_weeks - 1); d < h.days(); ++d) {
      if (!usable(d)) continue;
      double sum = 0.0;
      int n = 0;
      for (int k = 0; k < p.level_weeks; ++k) {
        const int b = d - 7 * (wk + k);
        if (b >= 0 && usable(b)) sum += std::log(h.total(b)), ++n;
      }
      if (n >= p.min_level_days) e.push_back(std::log(h.total(d)) - sum / n);
    }
    const double v = detail::robust_variance(std::move(e), p.min_errors);
    if (!std::isfinite(v)) break;
    if (wk == 1) v1 = v;
    st.extra_c.push_back(std::max(0.0, v - v1));
  }
}

// Intraday updating basis and penalty (Shen & Huang 2008, §4).
void fit_intraday(const History& h, const FitOptions& options, Forecaster::State& st) {
  detail::SqrtMatrix m = detail::sqrt_matrix(h);
  const int n = static_cast<int>(m.rows.size());
  if (n >= 7) {
    Eigen::BDCSVD<Eigen::MatrixXd> svd(m.X, Eigen::ComputeThinV);
    const int K = std::min({options.model.svd_components, n, h.slots_per_day()});
    st.basis = svd.matrixV().leftCols(K);
  }
  st.lambda = options.intraday_lambda >= 0 ? options.intraday_lambda : 1.0;
  if (options.intraday_lambda < 0 && n >= 14) {
    // Choose lambda on the last days: prior = mean of up to 4 previous same-weekday rows,
    // observed = the first third of the day's open slots.
    const std::array<double, 9> grid{0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0};
    std::array<double, 9> sse{};
    const Eigen::MatrixXd& F = st.basis;
    for (int i = std::max(7, n - 30); i < n; ++i) {
      const int w = h.weekday_of(m.rows[idx(i)]);
      Eigen::VectorXd prior = Eigen::VectorXd::Zero(h.slots_per_day());
      int c = 0;
      for (int j = i - 1; j >= 0 && c < 4; --j)
        if (h.weekday_of(m.rows[idx(j)]) == w) prior += m.X.row(j).transpose(), ++c;
      if (c == 0) continue;
      prior /= c;
      std::vector<int> open;
      for (int s = 0; s < h.slots_per_day(); ++s)
        if (h.open(w, s)) open.push_back(s);
      const std::size_t cut = open.size() / 3;
      if (cut < 2 || cut >= open.size()) continue;
      Eigen::MatrixXd Fe(static_cast<Eigen::Index>(cut), F.cols());
      Eigen::VectorXd xe(static_cast<Eigen::Index>(cut));
      for (std::size_t k = 0; k < cut; ++k) {
        Fe.row(static_cast<Eigen::Index>(k)) = F.row(open[k]);
        xe(static_cast<Eigen::Index>(k)) = m.X(i, open[k]);
      }
      const Eigen::VectorXd bp = F.transpose() * prior;
      for (std::size_t g = 0; g < grid.size(); ++g) {
        const Eigen::MatrixXd A = Fe.transpose() * Fe + grid[g] * Eigen::MatrixXd::Identity(F.cols(), F.cols());
        const Eigen::VectorXd b = A.ldlt().solve(Fe.transpose() * xe + grid[g] * bp);
        for (std::size_t k = cut; k < open.size(); ++k) {
          const double x = prior(open[k]) + F.row(open[k]).dot(b - bp);
          const double yk = m.X(i, open[k]);
          const double diff = (x * x) - (yk * yk);
          sse[g] += diff * diff;
        }
      }
    }
    st.lambda = grid[idx(static_cast<int>(std::min_element(sse.begin(), sse.end()) - sse.begin()))];
  }
  st.report.intraday_lambda = st.lambda;
}

/// The methods fitted on the whole history, and the backtest errors that calibrate the
/// prediction intervals.
struct Selection {
  std::vector<Method> methods;
  std::vector<std::size_t> chosen{0};  ///< members of the forecast (indices into methods)
  std::vector<double> cal_y, cal_f;    ///< backtest actuals and forecasts of the choice
};

/// Rolling-origin backtests of every candidate at every origin (in parallel), then the choice:
/// lowest backtest WAPE, a combination preferred within 2 %.
Selection select_methods(const History& h, const FitOptions& options, std::vector<Method> methods,
                         int origins, FitReport& rep) {
  const Method method = options.method;
  Selection out;
  // Rolling-origin backtests: every candidate fitted at every origin (in parallel).
  std::vector<History> hist;
  std::vector<SpecialDayModel> sp(idx(origins));
  std::vector<std::vector<DaySlot>> at(idx(origins));
  std::vector<std::vector<double>> actual(idx(origins));
  std::vector<double> scale(idx(origins));
  for (int o = 0; o < origins; ++o) hist.push_back(h.truncated(h.days() - 7 * (origins - o)));
  std::vector<std::vector<std::vector<double>>> fc(idx(origins), std::vector<std::vector<double>>(methods.size()));
  if (origins > 0) {
    say(options, fmt::format("backtesting {} method(s) on {} weekly origin(s)", methods.size(), origins));
    tbb::parallel_for(0, origins, [&](int o) {
      sp[idx(o)].fit(hist[idx(o)], options.special);
      at[idx(o)] = targets(h, hist[idx(o)].days(), options.horizon_days, actual[idx(o)]);
      scale[idx(o)] = naive_scale(hist[idx(o)]);
    });
    tbb::parallel_for(0, origins * static_cast<int>(methods.size()), [&](int task) {
      const int o = task / static_cast<int>(methods.size());
      const auto c = idx(task % static_cast<int>(methods.size()));
      auto m = make_model(methods[c], options.model);
      (void)m->fit(hist[idx(o)]);
      const Model* mp = m.get();
      fc[idx(o)][c].resize(at[idx(o)].size());
      predict_with(hist[idx(o)], std::span<const Model* const>(&mp, 1), sp[idx(o)], at[idx(o)],
                   fc[idx(o)][c]);
    });
  }
  // Scores of single methods and of combinations (equal-weight means).
  auto score = [&](const std::vector<std::size_t>& members, std::vector<double>* y_all,
                   std::vector<double>* f_all) {
    MethodScore ms;
    std::vector<double> ya, fa;
    double mase = 0.0, dw_num = 0.0, dw_den = 0.0;
    int mase_n = 0;
    for (int o = 0; o < origins; ++o) {
      const auto& y = actual[idx(o)];
      std::vector<double> f(y.size(), 0.0);
      for (const std::size_t c : members)
        for (std::size_t i = 0; i < y.size(); ++i) f[i] += fc[idx(o)][c][i] / static_cast<double>(members.size());
      const double dw = daily_wape(at[idx(o)], y, f);
      const double tot = std::accumulate(y.begin(), y.end(), 0.0);
      if (std::isfinite(dw)) dw_num += dw * tot, dw_den += tot;
      if (std::isfinite(scale[idx(o)]) && scale[idx(o)] > 0 && !y.empty())
        mase += mae(y, f) / scale[idx(o)], ++mase_n;
      ya.insert(ya.end(), y.begin(), y.end());
      fa.insert(fa.end(), f.begin(), f.end());
    }
    ms.wape = wape(ya, fa);
    ms.daily_wape = dw_den > 0 ? dw_num / dw_den : std::numeric_limits<double>::quiet_NaN();
    ms.mase = mase_n > 0 ? mase / mase_n : std::numeric_limits<double>::quiet_NaN();
    ms.points = ya.size();
    if (y_all) *y_all = std::move(ya);
    if (f_all) *f_all = std::move(fa);
    return ms;
  };
  if (origins > 0) {
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t c = 0; c < methods.size(); ++c) {
      MethodScore ms = score({c}, nullptr, nullptr);
      ms.method = std::string(to_string(methods[c]));
      rep.backtest.push_back(ms);
      ranked.emplace_back(std::isfinite(ms.wape) ? ms.wape : 1e300, c);
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::vector<std::size_t>> cands;
    for (const auto& r : ranked) cands.push_back({r.second});
    if (method == Method::auto_select && options.combine)
      for (std::size_t k = 2; k <= std::min<std::size_t>(3, ranked.size()); ++k) {
        std::vector<std::size_t> set;
        for (std::size_t j = 0; j < k; ++j) set.push_back(ranked[j].second);
        MethodScore ms = score(set, nullptr, nullptr);
        for (std::size_t j = 0; j < k; ++j) ms.method += (j ? "+" : "") + std::string(to_string(methods[set[j]]));
        rep.backtest.push_back(ms);
        cands.push_back(set);
      }
    // Lowest backtest WAPE wins; a combination within 2 % (relative) of the best single
    // method is preferred to it, since equal-weight combinations are the more robust choice
    // out of sample (Clemen 1989, "Combining forecasts: a review", IJF 5:559-583).
    double best = std::numeric_limits<double>::infinity();
    for (const auto& set : cands) {
      const double wv = score(set, nullptr, nullptr).wape;
      const double margin = set.size() > 1 && out.chosen.size() == 1 ? 0.02 * best : 0.0;
      if (wv < best + margin - 1e-12) best = std::min(best, wv), out.chosen = set;
    }
    (void)score(out.chosen, &out.cal_y, &out.cal_f);
  } else if (method == Method::auto_select) {
    out.methods = {Method::top_down};
    out.chosen = {0};
    rep.message += "history too short for backtests: top_down out.chosen without selection. ";
  }
  if (out.methods.empty()) out.methods = std::move(methods);
  return out;
}

}  // namespace

Forecaster Forecaster::fit(const IntervalSeries& input, const SpecialDays& calendar,
                           const FitOptions& options) {
  constexpr std::string_view fn = "wfm::forecast::Forecaster::fit";
  if (input.timestamps.empty()) ::wfm::detail::throw_invalid(fn, "the history is empty");
  // Validated at the edge (sorted, unique, on the grid, volumes >= 0), whoever built it.
  const IntervalSeries series =
      make_series(input.timestamps, input.values, input.interval_length, input.aht);
  if (options.backtest_origins < 0)
    ::wfm::detail::throw_invalid(fn, "backtest_origins must be >= 0", options.backtest_origins);
  ::wfm::detail::require_positive(fn, "horizon_days", options.horizon_days);
  ::wfm::detail::require_positive(fn, "special.effect_sd_scale", options.special.effect_sd_scale);
  ::wfm::detail::require_positive(fn, "special.holiday_prior_ratio", options.special.holiday_prior_ratio);
  ::wfm::detail::require_positive(fn, "aht_half_life_weeks", options.aht_half_life_weeks);
  ::wfm::detail::require_positive(fn, "half_life_weeks", options.model.half_life_weeks);
  // Upper bounds: a window beyond ~20 years of weeks (or components beyond a day of 1-minute
  // slots) only allocates memory; 187008266 weeks failed deep inside with "vector too large".
  if (options.model.average_weeks < 1 || options.model.average_weeks > 1000)
    ::wfm::detail::throw_invalid(fn, "average_weeks must be in [1, 1000]",
                                 options.model.average_weeks);
  if (options.model.svd_components < 1 || options.model.svd_components > 1440)
    ::wfm::detail::throw_invalid(fn, "svd_components must be in [1, 1440]",
                                 options.model.svd_components);
  if (options.backtest_origins > 1000)
    ::wfm::detail::throw_invalid(fn, "backtest_origins must be <= 1000", options.backtest_origins);
  ::wfm::detail::require_nonnegative(fn, "aht_pseudo_volume [calls]", options.aht_pseudo_volume);
  if (std::isnan(options.intraday_lambda) || std::isinf(options.intraday_lambda))
    ::wfm::detail::throw_invalid(fn, "intraday_lambda must be finite (< 0: chosen on the history)",
                                 options.intraday_lambda);
  const HorizonGrowthPolicy& g = options.horizon_growth;
  if (g.max_weeks_ahead < 1 || g.max_weeks_ahead > 1000)
    ::wfm::detail::throw_invalid(fn, "horizon_growth.max_weeks_ahead must be in [1, 1000]",
                                 g.max_weeks_ahead);
  if (g.level_weeks < 1 || g.level_weeks > 1000)
    ::wfm::detail::throw_invalid(fn, "horizon_growth.level_weeks must be in [1, 1000]",
                                 g.level_weeks);
  if (g.min_level_days < 1 || g.min_level_days > g.level_weeks)
    ::wfm::detail::throw_invalid(fn, "horizon_growth.min_level_days must be in [1, level_weeks]",
                                 g.min_level_days);
  if (g.min_errors < 2)
    ::wfm::detail::throw_invalid(fn, "horizon_growth.min_errors must be >= 2",
                                 static_cast<double>(g.min_errors));
  validate(options.handle_time);  // checked up front, with or without AHT in the history
  History h(series, calendar, options.history);
  auto st = std::make_shared<State>(series, h, options);
  FitReport& rep = st->report;
  const Method method = options.method;
  const int min_days = method == Method::auto_select ? 14 : make_model(method, options.model)->min_history_days();
  if (h.days() < min_days)
    ::wfm::detail::throw_invalid(
        fn, fmt::format("the history spans {} day(s) ({} to {}); method '{}' needs at least {}",
                        h.days(), format_date(h.first_day() * seconds_per_day),
                        format_date((h.end_day() - 1) * seconds_per_day), to_string(method),
                        min_days));
  std::vector<Method> methods;
  if (method == Method::auto_select) {
    for (Method m : {Method::seasonal_naive, Method::weekly_average, Method::top_down,
                     Method::svd, Method::holt_winters})
      if (make_model(m, options.model)->min_history_days() <= h.days() - 7) methods.push_back(m);
  } else {
    methods.push_back(method);
  }
  if (method == Method::auto_select &&
      std::find(methods.begin(), methods.end(), Method::top_down) == methods.end())
    methods.clear();  // shorter than 3 weeks: no selection, top_down (documented fallback)
  int need = 0;
  for (Method m : methods) need = std::max(need, make_model(m, options.model)->min_history_days());
  int origins = 0;
  while (!methods.empty() && origins < options.backtest_origins &&
         h.days() - 7 * (origins + 1) >= need)
    ++origins;
  rep.backtest_origins = origins;

  Selection sel = select_methods(h, options, std::move(methods), origins, rep);
  methods = std::move(sel.methods);
  const std::vector<std::size_t>& chosen = sel.chosen;
  const std::vector<double>& cal_y = sel.cal_y;
  const std::vector<double>& cal_f = sel.cal_f;
  // The final fit on the whole history.
  for (std::size_t j = 0; j < chosen.size(); ++j) {
    if (j > 0) rep.method += '+';
    rep.method += to_string(methods[chosen[j]]);
    st->members.push_back(make_model(methods[chosen[j]], options.model));
  }
  say(options, fmt::format("fitting {} on {} days", rep.method, h.days()));
  for (auto& m : st->members) {
    const FitStatus fs = m->fit(h);
    if (!fs.converged) rep.status = Status::not_converged;
    rep.iterations += fs.iterations;
    if (!fs.message.empty()) rep.message += fmt::format("{}: {}. ", to_string(m->method()), fs.message);
  }
  st->special.fit(h, options.special);
  rep.special_days = st->special.report();
  rep.outliers = h.outliers();
  if (cal_y.size() > 0) {
    st->calibration.fit(cal_y, cal_f);
    rep.interval_method = fmt::format(
        "negative binomial variance mu + c mu^2 with {} quantiles of {} standardised backtest "
        "errors ({} origins)",
        st->calibration.empirical() ? "empirical" : "normal", cal_y.size(), origins);
  } else {
    rep.interval_method =
        "negative binomial variance mu + 0.02 mu^2 with normal quantiles (uncalibrated: "
        "history too short for a backtest)";
  }
  rep.dispersion = st->calibration.c;
  fit_horizon_growth(h, options.horizon_growth, *st);
  rep.calibration_points = st->calibration.points;
  if (series.has_aht()) {
    st->has_aht = true;
    HandleTimePolicy p = options.handle_time;
    p.half_life_weeks = options.aht_half_life_weeks;
    p.pseudo_volume = options.aht_pseudo_volume;
    p.k_min = options.special.k_min;
    p.k_max = options.special.k_max;
    st->aht = HandleTimeModel::fit(h, p);
    rep.handle_time = st->aht.report();
  }
  fit_intraday(h, options, *st);
  say(options, fmt::format("fitted {}", rep.method));
  return Forecaster(std::move(st));
}

const FitReport& Forecaster::report() const noexcept { return state_->report; }
const IntervalSeries& Forecaster::history() const noexcept { return state_->series; }

std::vector<double> Forecaster::predict(std::span<const std::int64_t> at) const {
  validate_targets(at, state_->series);
  std::vector<DaySlot> pos(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) pos[i] = state_->history.locate(at[i]);
  std::vector<double> out(at.size());
  state_->predict(pos, out);
  return out;
}

ForecastResult Forecaster::forecast(std::span<const std::int64_t> at,
                                    std::span<const double> levels) const {
  for (const double l : levels)
    ::wfm::detail::require_open_unit("wfm::forecast::Forecaster::forecast", "level", l);
  ForecastResult r;
  r.timestamps.assign(at.begin(), at.end());
  r.volume = predict(at);
  r.levels.assign(levels.begin(), levels.end());
  const Calibration& cal = state_->calibration;
  for (const double l : levels) {
    const double ql = cal.quantile(0.5 * (1.0 - l)), qu = cal.quantile(0.5 * (1.0 + l));
    std::vector<double> lo(at.size()), hi(at.size());
    const std::int64_t last_day = day_of(state_->series.timestamps.back());
    const auto& extra = state_->extra_c;
    for (std::size_t i = 0; i < at.size(); ++i) {
      const double mu = r.volume[i];
      const std::int64_t weeks = (day_of(at[i]) - last_day + 6) / 7;  // 1 = the first week
      const double c = cal.c + (extra.empty() ? 0.0
                                              : extra[static_cast<std::size_t>(std::clamp<std::int64_t>(
                                                    weeks - 1, 0, static_cast<std::int64_t>(extra.size()) - 1))]);
      const double sd = std::sqrt(std::max(mu, Calibration::min_mean) + c * mu * mu);
      lo[i] = std::max(0.0, mu + ql * sd);
      hi[i] = std::max(lo[i], mu + qu * sd);
    }
    r.volume_lower.push_back(std::move(lo));
    r.volume_upper.push_back(std::move(hi));
  }
  r.explanation = explain(at);
  if (state_->has_aht) {  // AHT and its band (wfm/forecast/handle_time.hpp)
    std::vector<DaySlot> pos(at.size());
    for (std::size_t i = 0; i < at.size(); ++i) pos[i] = state_->history.locate(at[i]);
    r.aht_s = state_->aht.predict(state_->history, pos);
    for (const double l : levels) {
      std::vector<double> lo(at.size()), hi(at.size());
      state_->aht.band(r.aht_s, r.volume, l, lo, hi);
      r.aht_s_lower.push_back(std::move(lo));
      r.aht_s_upper.push_back(std::move(hi));
    }
  }
  return r;
}

std::string_view to_string(EffectSource s) noexcept {
  switch (s) {
    case EffectSource::none: return "none";
    case EffectSource::name: return "name";
    case EffectSource::kind: return "kind";
    case EffectSource::neighbour: return "neighbour";
    case EffectSource::closed: return "closed";
  }
  return "none";
}

namespace {
// The AHT components of each explained day, weighted by the model's volume forecast.
template <class VolumeFn>
void add_aht(const HandleTimeModel& m, const History& h, std::span<const DaySlot> pos,
             std::vector<DayExplanation>& days, VolumeFn volume) {
  std::vector<double> v(pos.size());
  volume(std::span<double>(v));
  const std::vector<HandleTimeDay> a = m.explain(h, pos, v);
  for (std::size_t k = 0; k < days.size() && k < a.size(); ++k) {
    DayExplanation& x = days[k];
    x.has_aht = true;
    x.aht_level_s = a[k].level_s;
    x.aht_trend_effect = a[k].trend_effect;
    x.aht_weekday_effect = a[k].weekday_effect;
    x.aht_special_effect = a[k].special_effect;
    x.aht_special_source = a[k].special_source;
    x.aht_occurrences = a[k].occurrences;
    x.aht_evidence_weight = a[k].evidence_weight;
    x.aht_profile_effect = a[k].profile_effect;
    x.aht_day_s = a[k].day_s;
  }
}
}  // namespace

std::vector<DayExplanation> Forecaster::explain(std::span<const std::int64_t> at) const {
  validate_targets(at, state_->series);
  const History& h = state_->history;
  const auto members = state_->member_ptrs();
  std::vector<DaySlot> pos(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) pos[i] = h.locate(at[i]);
  // Regular total of day index d over its whole-day slots (the requested ones included).
  auto regular_total = [&](int d, std::span<const std::size_t> where, std::vector<int>& slots) {
    slots = day_slots(h, d, pos, where);
    std::vector<DaySlot> p;
    for (const int s : slots) p.push_back({h.first_day() + d, s});
    std::vector<double> reg(p.size());
    regular_forecast(members, p, reg);
    return reg;
  };
  std::vector<DayExplanation> out;
  std::vector<std::int64_t> order;
  std::map<std::int64_t, std::vector<std::size_t>> by_day;
  for (std::size_t i = 0; i < pos.size(); ++i) {
    if (!by_day.contains(pos[i].day)) order.push_back(pos[i].day);
    by_day[pos[i].day].push_back(i);
  }
  for (const std::int64_t day : order) {
    const int d = static_cast<int>(day - h.first_day());
    std::vector<int> slots;
    std::vector<double> reg = regular_total(d, by_day[day], slots);
    const double regular = std::accumulate(reg.begin(), reg.end(), 0.0);
    // Level: the regular totals of the Monday-to-Sunday week of the day, divided by 7.
    double week = 0.0;
    for (int j = d - h.weekday_of(d); j < d - h.weekday_of(d) + 7; ++j) {
      std::vector<int> sl;
      const std::vector<double> r = j == d ? reg : regular_total(j, {}, sl);
      week += std::accumulate(r.begin(), r.end(), 0.0);
    }
    const detail::Effect e = state_->special.resolve(h, d);
    SpecialDayModel::apply(e, slots, reg);
    DayExplanation x;
    x.day = day;
    x.date = format_date(day * seconds_per_day);
    x.base_volume = week / 7.0;
    x.weekday_effect = x.base_volume > 0.0 ? regular / x.base_volume : 0.0;
    x.model_day_volume = std::accumulate(reg.begin(), reg.end(), 0.0);
    x.special_effect = e.source == EffectSource::closed ? 0.0
                       : regular > 0.0                 ? x.model_day_volume / regular
                                                       : std::exp(e.log_effect);
    x.special_source = e.source;
    x.special_name = e.name;
    x.special_kind = e.kind;
    x.occurrences = e.occurrences;
    x.evidence_weight = e.evidence_weight;
    const bool shaped = e.source == EffectSource::name || e.source == EffectSource::kind;
    x.profile_source = shaped && e.profile_weight > 0.0 ? e.profile_source : "regular";
    x.profile_weight = shaped ? e.profile_weight : 0.0;
    out.push_back(std::move(x));
  }
  if (state_->has_aht) add_aht(state_->aht, h, pos, out, [&](std::span<double> v) { state_->predict(pos, v); });
  return out;
}

std::vector<double> Forecaster::update_intraday(std::span<const std::int64_t> observed_at,
                                                std::span<const double> observed,
                                                std::span<const std::int64_t> at) const {
  constexpr std::string_view fn = "wfm::forecast::Forecaster::update_intraday";
  if (observed_at.size() != observed.size())
    ::wfm::detail::throw_invalid(fn, fmt::format("observed has {} values for {} timestamps",
                                                 observed.size(), observed_at.size()));
  validate_targets(observed_at, state_->series);
  validate_targets(at, state_->series);
  const History& h = state_->history;
  std::int64_t day = 0;
  bool first = true;
  for (const std::int64_t t : observed_at) {
    if (!first && day_of(t) != day) ::wfm::detail::throw_invalid(fn, "observed_at must lie on one day");
    day = day_of(t), first = false;
  }
  for (const std::int64_t t : at) {
    if (!first && day_of(t) != day)
      ::wfm::detail::throw_invalid(fn, "at must lie on the same day as observed_at");
    day = day_of(t), first = false;
  }
  for (std::size_t i = 0; i < observed.size(); ++i)
    ::wfm::detail::require_nonnegative(fn, fmt::format("observed[{}]", i), observed[i]);
  std::vector<double> prior = predict(at);
  const Eigen::MatrixXd& F = state_->basis;
  if (observed.empty() || F.cols() == 0) return prior;
  // Prior scores from the whole day's prior forecast (sqrt scale), then penalised LS:
  // beta = (Fe'Fe + lambda I)^-1 (Fe' xe + lambda beta_prior)  (Shen & Huang 2008, eq. 9).
  const int P = h.slots_per_day();
  std::vector<DaySlot> all(idx(P));
  for (int s = 0; s < P; ++s) all[idx(s)] = {day, s};
  std::vector<double> full(idx(P));
  state_->predict(all, full);
  Eigen::VectorXd xp(P);
  for (int s = 0; s < P; ++s) xp(s) = std::sqrt(full[idx(s)] + 0.25);
  const Eigen::VectorXd bp = F.transpose() * xp;
  const auto ne = static_cast<Eigen::Index>(observed.size());
  Eigen::MatrixXd Fe(ne, F.cols());
  Eigen::VectorXd xe(ne);
  for (Eigen::Index k = 0; k < ne; ++k) {
    const int s = h.locate(observed_at[idx(static_cast<int>(k))]).slot;
    Fe.row(k) = F.row(s);
    xe(k) = std::sqrt(observed[idx(static_cast<int>(k))] + 0.25) - xp(s) + Fe.row(k).dot(bp);
  }
  const double lambda = state_->lambda;
  const Eigen::MatrixXd A = Fe.transpose() * Fe + lambda * Eigen::MatrixXd::Identity(F.cols(), F.cols());
  const Eigen::VectorXd b = A.ldlt().solve(Fe.transpose() * xe + lambda * bp);
  std::vector<double> out(at.size());
  for (std::size_t i = 0; i < at.size(); ++i) {
    const int s = h.locate(at[i]).slot;
    const double x = xp(s) + F.row(s).dot(b - bp);
    out[i] = std::max(0.0, x * std::abs(x) - 0.25);
  }
  return out;
}

BatchResult forecast_batch(std::span<const BatchItem> items, std::span<const double> levels,
                           const FitOptions& options, int threads) {
  BatchResult r;
  r.results.resize(items.size());
  r.reports.resize(items.size());
  r.errors.resize(items.size());
  FitOptions quiet = options;
  quiet.progress = nullptr;
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, items.size(), [&](std::size_t i) {
      try {
        const Forecaster f = Forecaster::fit(items[i].history, items[i].calendar, quiet);
        r.results[i] = f.forecast(items[i].at, levels);
        r.reports[i] = f.report();
      } catch (const std::exception& e) {
        r.errors[i] = e.what();
      }
    });
  });
  return r;
}

}  // namespace wfm::forecast
