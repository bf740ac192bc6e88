// AHT forecasts: level x damped trend x weekday x special day x intraday shape, and a band from
// rolling-origin backtest errors (formulas and sources: wfm/forecast/handle_time.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <wfm/core/error.hpp>
#include <wfm/forecast/handle_time.hpp>

#include "detail.hpp"

namespace wfm::forecast {
namespace {

using detail::idx;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kFit = "wfm::forecast::HandleTimeModel::fit";

double median(std::vector<double> v) {
  if (v.empty()) return nan;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) return *mid;
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

// Robust variance (1.4826 MAD)^2 (Hampel 1974, JASA 69:383-393); NaN below 5 values.
double robust_variance(std::vector<double> v) {
  if (v.size() < 5) return nan;
  const double m = median(v);
  for (double& x : v) x = std::abs(x - m);
  const double s = 1.4826 * median(std::move(v));
  return s * s;
}

// Shrinkage constant k = within / between variance (Efron & Morris 1975), clamped; k_max when
// the between variance is not estimable or not positive.
double shrink_constant(double within, double between, const HandleTimePolicy& p) {
  if (!std::isfinite(within) || !std::isfinite(between) || between <= 0.0) return p.k_max;
  return std::clamp(within / between, p.k_min, p.k_max);
}

bool closed_day(const History& h, int d) {
  if (h.special(d) < 0) return false;
  const DayKind* k = h.calendar().kind_of(h.first_day() + d);
  return k != nullptr && k->kind == SpecialDayKind::closed;
}

std::string kind_label(const History& h, int d) {
  const DayKind* k = h.calendar().kind_of(h.first_day() + d);
  return k != nullptr ? k->label() : std::string("holiday");
}

// The history's AHT cells as (weight, scaled AHT): weights are calls / the most calls of any
// cell (or 1 each when no cell has calls), AHT is divided by the largest AHT, so sums of
// products cannot overflow on absurd but finite input.
struct Cells {
  double v_scale = 1.0, a_scale = 1.0;
  bool by_volume = true;
  explicit Cells(const History& h) {
    double vmax = 0.0, amax = 0.0;
    for (int d = 0; d < h.days(); ++d)
      for (int s = 0; s < h.slots_per_day(); ++s)
        if (std::isfinite(h.aht(d, s)) && !std::isnan(h.y(d, s)))
          vmax = std::max(vmax, h.y(d, s)), amax = std::max(amax, h.aht(d, s));
    by_volume = vmax > 0.0;
    v_scale = by_volume ? vmax : 1.0;
    a_scale = amax > 0.0 ? amax : 1.0;
  }
  // Weight of cell (d, s), 0 when it has no AHT or no calls.
  [[nodiscard]] double w(const History& h, int d, int s) const {
    const double v = h.y(d, s), a = h.aht(d, s);
    if (std::isnan(v) || !std::isfinite(a)) return 0.0;
    return by_volume ? v / v_scale : 1.0;
  }
  [[nodiscard]] double a(const History& h, int d, int s) const { return h.aht(d, s) / a_scale; }
};

// Volume-weighted day sums: weight and weight x scaled AHT.
struct DaySum {
  double w = 0.0, wa = 0.0;
  [[nodiscard]] double mean() const { return w > 0.0 ? wa / w : nan; }
};

std::vector<DaySum> day_sums(const History& h, const Cells& c) {
  std::vector<DaySum> out(idx(h.days()));
  for (int d = 0; d < h.days(); ++d)
    for (int s = 0; s < h.slots_per_day(); ++s) {
      const double w = c.w(h, d, s);
      if (w > 0.0) out[idx(d)].w += w, out[idx(d)].wa += w * c.a(h, d, s);
    }
  return out;
}

// A day the regular factors are learned from: present, not special, not an outlier, with AHT.
bool usable(const History& h, const std::vector<DaySum>& ds, int d) {
  return h.regular(d) && ds[idx(d)].w > 0.0;
}

// Theil-Sen slope and intercept of x on t (Sen 1968, eq. 2.3; intercept: median residual).
std::pair<double, double> theil_sen(const std::vector<double>& t, const std::vector<double>& x) {
  std::vector<double> slopes;
  for (std::size_t i = 0; i < t.size(); ++i)
    for (std::size_t j = i + 1; j < t.size(); ++j)
      if (t[j] != t[i]) slopes.push_back((x[j] - x[i]) / (t[j] - t[i]));
  const double b = slopes.empty() ? 0.0 : median(slopes);
  std::vector<double> r;
  for (std::size_t i = 0; i < t.size(); ++i) r.push_back(x[i] - b * t[i]);
  return {b, median(r)};
}

double t_weeks(const History& h, int d) { return static_cast<double>(d - (h.days() - 1)) / 7.0; }

// The days the regular factors are learned from (all days with AHT when none is usable, e.g.
// a history of special days only).
std::vector<char> usable_days(const History& h, const std::vector<DaySum>& ds) {
  std::vector<char> use(idx(h.days()), 0);
  bool any = false;
  for (int d = 0; d < h.days(); ++d) {
    use[idx(d)] = usable(h, ds, d) ? 1 : 0;
    any = any || use[idx(d)] != 0;
  }
  if (!any)
    for (int d = 0; d < h.days(); ++d) use[idx(d)] = ds[idx(d)].w > 0.0 ? 1 : 0;
  return use;
}

// The baselines: profile = recency-weighted sums per weekday x slot, shrunk toward the
// weekday's and the overall mean (credibility; Buehlmann 1967); last_4_weeks = plain sums over
// the last 28 days. Returns the log overall mean (scaled units); `shape` = AHT / that mean.
double fit_baseline(const History& h, const Cells& c, const HandleTimePolicy& p,
                    std::vector<double>& shape) {
  const int P = h.slots_per_day();
  const bool recent = p.method == HandleTimeMethod::last_4_weeks;
  std::vector<double> num(7 * idx(P), 0.0), den(7 * idx(P), 0.0);
  std::array<double, 7> wn{}, wd{};
  double on = 0.0, od = 0.0;
  for (int d = recent ? std::max(0, h.days() - 28) : 0; d < h.days(); ++d) {
    const double r = recent ? 1.0 : detail::recency(h, d, p.half_life_weeks) * h.weight(d);
    const int w = h.weekday_of(d);
    for (int s = 0; s < P; ++s) {
      const double wt = r * c.w(h, d, s);
      if (wt <= 0.0) continue;
      const double a = c.a(h, d, s);
      num[idx(w) * idx(P) + idx(s)] += wt * a, den[idx(w) * idx(P) + idx(s)] += wt;
      wn[idx(w)] += wt * a, wd[idx(w)] += wt, on += wt * a, od += wt;
    }
  }
  const double overall = od > 0.0 ? on / od : 1.0;
  const double m = recent ? 0.0 : p.pseudo_volume / c.v_scale;
  shape.assign(7 * idx(P), 1.0);
  for (int w = 0; w < 7; ++w) {
    const double aw = wd[idx(w)] + m > 0.0 ? (wn[idx(w)] + m * overall) / (wd[idx(w)] + m) : overall;
    for (int s = 0; s < P; ++s) {
      const std::size_t k = idx(w) * idx(P) + idx(s);
      shape[k] = (den[k] + m > 0.0 ? (num[k] + m * aw) / (den[k] + m) : aw) / overall;
    }
  }
  return std::log(overall);
}

// Log level at the last history day (scaled units) and log slope per week.
struct Trend {
  double log_level = 0.0, slope = 0.0;
  int weeks = 0;  // weeks behind the slope (0: none)
  [[nodiscard]] double at(const History& h, int d) const {
    return std::exp(log_level + slope * t_weeks(h, d));
  }
};

// Steps 1-2: weekday-adjusted weekly levels (provisional weekday effects, no trend) and their
// Theil-Sen line.
Trend fit_trend(const History& h, const std::vector<DaySum>& ds, const std::vector<char>& use,
                const HandleTimePolicy& p) {
  std::array<double, 7> wn{}, wd{};
  double on = 0.0, od = 0.0;
  for (int d = 0; d < h.days(); ++d)
    if (use[idx(d)]) {
      wn[idx(h.weekday_of(d))] += ds[idx(d)].wa, wd[idx(h.weekday_of(d))] += ds[idx(d)].w;
      on += ds[idx(d)].wa, od += ds[idx(d)].w;
    }
  const double overall = od > 0.0 ? on / od : 1.0;
  std::array<double, 7> e0{};
  for (int w = 0; w < 7; ++w) e0[idx(w)] = wd[idx(w)] > 0.0 ? wn[idx(w)] / wd[idx(w)] / overall : 1.0;
  std::map<int, std::array<double, 4>> weeks;  // week back -> (w a / e0, w, w t, days)
  for (int d = 0; d < h.days(); ++d) {
    const int k = (h.days() - 1 - d) / 7;
    if (!use[idx(d)] || k >= p.trend_window_weeks) continue;
    auto& x = weeks[k];
    x[0] += ds[idx(d)].wa / e0[idx(h.weekday_of(d))];
    x[1] += ds[idx(d)].w;
    x[2] += ds[idx(d)].w * t_weeks(h, d);
    x[3] += 1.0;
  }
  std::vector<double> tk, xk;
  for (const auto& [k, x] : weeks)
    if (x[3] >= 3.0 && x[0] > 0.0) tk.push_back(x[2] / x[1]), xk.push_back(std::log(x[0] / x[1]));
  if (xk.empty()) return {std::log(overall), 0.0, 0};
  if (static_cast<int>(xk.size()) < p.min_trend_weeks) return {median(xk), 0.0, 0};
  const auto [b, a] = theil_sen(tk, xk);
  return {a, b, static_cast<int>(xk.size())};
}

// Step 3: weekday effects, recency-weighted ratios to the trend line, normalised to a
// volume-weighted mean of 1. Returns the log of the normalisation (added to the level).
double fit_weekdays(const History& h, const std::vector<DaySum>& ds, const std::vector<char>& use,
                    const HandleTimePolicy& p, const Trend& t, std::array<double, 7>& e) {
  std::array<double, 7> wn{}, wd{};
  for (int d = 0; d < h.days(); ++d)
    if (use[idx(d)]) {
      const double r = detail::recency(h, d, p.half_life_weeks);
      wn[idx(h.weekday_of(d))] += r * ds[idx(d)].wa / t.at(h, d);
      wd[idx(h.weekday_of(d))] += r * ds[idx(d)].w;
    }
  double norm_n = 0.0, norm_d = 0.0;
  e.fill(1.0);
  for (int w = 0; w < 7; ++w)
    if (wd[idx(w)] > 0.0) e[idx(w)] = wn[idx(w)] / wd[idx(w)], norm_n += wn[idx(w)], norm_d += wd[idx(w)];
  const double norm = norm_d > 0.0 && norm_n > 0.0 ? norm_n / norm_d : 1.0;
  for (double& x : e) x /= norm;
  return std::log(norm);
}

// Step 4: intraday shape per weekday x slot, shrunk toward the all-weekday shape and that
// toward 1 by the pseudo volume (Buehlmann 1967).
std::vector<double> fit_shape(const History& h, const Cells& c, const std::vector<char>& use,
                              const HandleTimePolicy& p, const Trend& t,
                              const std::array<double, 7>& e) {
  const int P = h.slots_per_day();
  std::vector<double> num(7 * idx(P), 0.0), den(7 * idx(P), 0.0), qn(idx(P), 0.0), qd(idx(P), 0.0);
  for (int d = 0; d < h.days(); ++d) {
    if (!use[idx(d)]) continue;
    const int w = h.weekday_of(d);
    const double r = detail::recency(h, d, p.half_life_weeks), base = t.at(h, d) * e[idx(w)];
    for (int s = 0; s < P; ++s) {
      const double wt = r * c.w(h, d, s);
      if (wt <= 0.0) continue;
      const double x = c.a(h, d, s) / base;
      num[idx(w) * idx(P) + idx(s)] += wt * x, den[idx(w) * idx(P) + idx(s)] += wt;
      qn[idx(s)] += wt * x, qd[idx(s)] += wt;
    }
  }
  const double m = p.pseudo_volume / c.v_scale;
  std::vector<double> shape(7 * idx(P), 1.0);
  for (int s = 0; s < P; ++s) {
    const double q = qd[idx(s)] + m > 0.0 ? (qn[idx(s)] + m) / (qd[idx(s)] + m) : 1.0;
    for (int w = 0; w < 7; ++w) {
      const std::size_t k = idx(w) * idx(P) + idx(s);
      shape[k] = den[k] + m > 0.0 ? (num[k] + m * q) / (den[k] + m) : q;
    }
  }
  return shape;
}

// The hierarchy name -> kind -> 1 (Efron & Morris 1975) from the log effects y of each
// "name\x1fkind" group and of the ordinary days (the fallback noise).
void shrink_effects(const std::map<std::string, std::vector<double>>& by_name,
                    const std::vector<double>& ordinary, const HandleTimePolicy& p,
                    std::vector<HandleTimeEffect>& names_out,
                    std::vector<HandleTimeEffect>& kinds_out) {
  // Within-name variance: pooled over names seen twice, else the ordinary days' robust one.
  double ss = 0.0;
  int df = 0;
  std::map<std::string, std::vector<std::pair<double, int>>> kinds;  // kind -> (mean, n) of names
  for (const auto& [key, ys] : by_name) {
    const double mean = std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(ys.size());
    for (const double y : ys) ss += (y - mean) * (y - mean);
    df += static_cast<int>(ys.size()) - 1;
    kinds[key.substr(key.find('\x1f') + 1)].push_back({mean, static_cast<int>(ys.size())});
  }
  const double sigma = df >= 2 ? ss / df : robust_variance(ordinary);
  // Kinds around 0: tau_K^2 = max(0, mean(M_K^2 - sigma^2 / n_K)).
  std::map<std::string, std::pair<double, int>> kind_mean;
  double tau_k = 0.0;
  for (const auto& [kind, names] : kinds) {
    double sum = 0.0;
    int n = 0;
    for (const auto& [mean, cnt] : names) sum += mean * cnt, n += cnt;
    kind_mean[kind] = {sum / n, n};
    tau_k += ((sum / n) * (sum / n) - sigma / n) / static_cast<double>(kinds.size());
  }
  tau_k = std::max(tau_k, 0.0);
  // Names around their kind: moment estimate over kinds with >= 2 names, else tau_K^2.
  double between = 0.0, noise = 0.0;
  int bdf = 0, nn = 0;
  for (const auto& [kind, names] : kinds) {
    if (names.size() < 2) continue;
    for (const auto& [mean, cnt] : names) {
      const double dm = mean - kind_mean[kind].first;
      between += dm * dm, noise += sigma / cnt, ++nn;
    }
    bdf += static_cast<int>(names.size()) - 1;
  }
  const double tau = bdf > 0 ? between / bdf - noise / nn : tau_k;
  for (const auto& [kind, mn] : kind_mean) {
    const double k = shrink_constant(sigma, tau_k, p);
    const double w = mn.second / (mn.second + k);
    kinds_out.push_back({kind, kind, EffectSource::kind, mn.second, std::exp(w * mn.first), w});
  }
  const double k_name = shrink_constant(sigma, tau, p);
  for (const auto& [key, ys] : by_name) {
    const std::string kind = key.substr(key.find('\x1f') + 1);
    const double parent = std::log(std::find_if(kinds_out.begin(), kinds_out.end(), [&](const auto& e) {
                                     return e.name == kind;
                                   })->ratio);
    const auto n = static_cast<double>(ys.size());
    const double mean = std::accumulate(ys.begin(), ys.end(), 0.0) / n, w = n / (n + k_name);
    names_out.push_back({key.substr(0, key.find('\x1f')), kind, EffectSource::name,
                      static_cast<int>(ys.size()), std::exp(w * mean + (1.0 - w) * parent), w});
  }
}

}  // namespace

std::string_view to_string(HandleTimeMethod m) noexcept {
  switch (m) {
    case HandleTimeMethod::effects: return "effects";
    case HandleTimeMethod::profile: return "profile";
    case HandleTimeMethod::last_4_weeks: return "last_4_weeks";
  }
  return "effects";
}

HandleTimeMethod parse_handle_time_method(std::string_view name, std::string_view argument) {
  for (HandleTimeMethod m : {HandleTimeMethod::effects, HandleTimeMethod::profile,
                             HandleTimeMethod::last_4_weeks})
    if (name == to_string(m)) return m;
  ::wfm::detail::throw_invalid(
      argument, "must be one of effects, profile, last_4_weeks", std::string(name));
}

void validate(const HandleTimePolicy& p) {
  ::wfm::detail::require_positive(kFit, "half_life_weeks", p.half_life_weeks);
  ::wfm::detail::require_nonnegative(kFit, "pseudo_volume [calls]", p.pseudo_volume);
  if (!(p.damping >= 0.0 && p.damping <= 1.0))
    ::wfm::detail::throw_invalid(kFit, "damping must be in [0, 1]", p.damping);
  if (p.min_trend_weeks < 2 || p.min_trend_weeks > 1000)
    ::wfm::detail::throw_invalid(kFit, "min_trend_weeks must be in [2, 1000]", p.min_trend_weeks);
  if (p.trend_window_weeks < 2 || p.trend_window_weeks > 1000)
    ::wfm::detail::throw_invalid(kFit, "trend_window_weeks must be in [2, 1000]",
                                 p.trend_window_weeks);
  if (p.band_origins < 0 || p.band_origins > 1000)
    ::wfm::detail::throw_invalid(kFit, "band_origins must be in [0, 1000]", p.band_origins);
  ::wfm::detail::require_positive(kFit, "k_min", p.k_min);
  if (!(p.k_max >= p.k_min) || !std::isfinite(p.k_max))
    ::wfm::detail::throw_invalid(kFit, "k_max must be finite and >= k_min", p.k_max);
}

HandleTimeModel HandleTimeModel::fit(const History& h, const HandleTimePolicy& p) {
  if (!h.has_aht()) ::wfm::detail::throw_invalid(kFit, "the history has no AHT (aht_s)");
  validate(p);
  HandleTimeModel m;
  m.policy_ = p;
  m.fit_point(h);
  m.fit_band(h);
  return m;
}

double HandleTimeModel::shape(int weekday, int slot) const {
  return shape_[idx(weekday) * idx(slots_) + idx(slot)];
}

// The point model: level, trend, weekday, shape and special-day effects on `h`.
void HandleTimeModel::fit_point(const History& h) {
  const Cells c(h);
  const std::vector<DaySum> ds = day_sums(h, c);
  slots_ = h.slots_per_day();
  last_day_ = h.end_day() - 1;
  slope_ = 0.0;
  weekday_.fill(1.0);
  names_.clear();
  kinds_.clear();
  report_ = {};
  report_.method = std::string(to_string(policy_.method));
  if (policy_.method != HandleTimeMethod::effects) {
    log_level_ = fit_baseline(h, c, policy_, shape_) + std::log(c.a_scale);
    report_.level_s = std::exp(log_level_);
    return;
  }
  const std::vector<char> use = usable_days(h, ds);
  const Trend t = fit_trend(h, ds, use, policy_);
  slope_ = t.slope;
  log_level_ = t.log_level + fit_weekdays(h, ds, use, policy_, t, weekday_);
  shape_ = fit_shape(h, c, use, policy_, {log_level_, slope_, 0}, weekday_);
  log_level_ += std::log(c.a_scale);
  report_.level_s = std::exp(log_level_);
  report_.trend_per_week = std::expm1(slope_);
  report_.trend_weeks = t.weeks;
  report_.weekday_effect = weekday_;
  fit_special(h);
}

// 5. Special-day effects: the name -> kind -> 1 hierarchy (Efron & Morris 1975).
void HandleTimeModel::fit_special(const History& h) {
  const Cells c(h);
  const std::vector<DaySum> ds = day_sums(h, c);
  const double scale = std::exp(log_level_) / c.a_scale;  // the level in scaled units
  // y = log(day AHT / expected), expected = level x trend x weekday x shape over its own cells.
  auto y_of = [&](int d) {
    const int w = h.weekday_of(d);
    double sw = 0.0, ss = 0.0;
    for (int s = 0; s < slots_; ++s) {
      const double wt = c.w(h, d, s);
      if (wt > 0.0) sw += wt, ss += wt * shape(w, s);
    }
    const double t = static_cast<double>(d - (h.days() - 1)) / 7.0;
    const double expected = scale * std::exp(slope_ * t) * weekday_[idx(w)] * ss / sw;
    return std::log(ds[idx(d)].mean() / expected);
  };
  std::vector<double> ordinary;
  std::map<std::string, std::vector<double>> by_name;  // "name\x1fkind" -> y
  for (int d = 0; d < h.days(); ++d) {
    if (ds[idx(d)].w <= 0.0 || h.weight(d) < 1.0) continue;
    if (h.special(d) < 0) {
      ordinary.push_back(y_of(d));
    } else if (!closed_day(h, d)) {
      by_name[h.special_names()[idx(h.special(d))] + '\x1f' + kind_label(h, d)].push_back(y_of(d));
    }
  }
  shrink_effects(by_name, ordinary, policy_, names_, kinds_);
  report_.special_days = names_;
  report_.special_days.insert(report_.special_days.end(), kinds_.begin(), kinds_.end());
}

HandleTimeModel::Components HandleTimeModel::components(const History& h, std::int64_t day) const {
  Components out;
  const int d = static_cast<int>(day - h.first_day());
  if (closed_day(h, d)) {
    out.special = 0.0;
    return out;
  }
  const double t = static_cast<double>(day - last_day_) / 7.0;
  const double phi = policy_.damping;
  // Damped trend ahead: b (phi + ... + phi^t) for t weeks (Gardner & McKenzie 1985).
  const double steps = t <= 0.0 ? t : phi >= 1.0 ? t : phi * (1.0 - std::pow(phi, t)) / (1.0 - phi);
  out.trend = std::exp(slope_ * steps);
  out.weekday = weekday_[idx(h.weekday_of(d))];
  if (h.special(d) < 0) return out;
  const std::string& name = h.special_names()[idx(h.special(d))];
  const std::string kind = kind_label(h, d);
  for (const HandleTimeEffect& e : names_)
    if (e.name == name && e.kind == kind) out.effect = &e;
  for (const HandleTimeEffect& e : kinds_)
    if (out.effect == nullptr && e.kind == kind) out.effect = &e;
  if (out.effect != nullptr) out.special = out.effect->ratio;
  return out;
}

std::vector<double> HandleTimeModel::predict(const History& h, std::span<const DaySlot> at) const {
  std::vector<double> out(at.size());
  const double level = std::exp(log_level_);
  for (std::size_t i = 0; i < at.size(); ++i) {
    const Components c = components(h, at[i].day);
    const int w = h.weekday_of(static_cast<int>(at[i].day - h.first_day()));
    out[i] = std::min(level * c.trend * c.weekday * c.special * shape(w, at[i].slot),
                      std::numeric_limits<double>::max());
  }
  return out;
}

// The band's errors: refit at weekly origins, forecast the next week, r = log(actual / fc).
void HandleTimeModel::fit_band(const History& h) {
  std::vector<double> r, u;  // log errors and 1 / max(calls, 1)
  for (int o = 1; o <= policy_.band_origins; ++o) {
    const int n = h.days() - 7 * o;
    if (n < 14) break;
    const History sub = h.truncated(n);
    HandleTimeModel m;
    m.policy_ = policy_;
    m.fit_point(sub);
    std::vector<DaySlot> at;
    std::vector<double> actual, calls;
    for (int d = n; d < n + 7; ++d) {
      if (!h.present(d) || h.weight(d) < 1.0 || closed_day(h, d)) continue;
      for (int s = 0; s < h.slots_per_day(); ++s)
        if (std::isfinite(h.aht(d, s)) && h.y(d, s) > 0.0)
          at.push_back({h.first_day() + d, s}), actual.push_back(h.aht(d, s)), calls.push_back(h.y(d, s));
    }
    const std::vector<double> f = m.predict(sub, at);
    for (std::size_t i = 0; i < at.size(); ++i)
      if (f[i] > 0.0 && actual[i] > 0.0)
        r.push_back(std::log(actual[i] / f[i])), u.push_back(1.0 / std::max(calls[i], 1.0));
  }
  report_.band_points = r.size();
  if (r.size() < 2) {
    report_.band_method = "log-normal band with sd 0.2 and normal quantiles (uncalibrated: "
                          "history too short for a backtest)";
    return;
  }
  // Least squares of r^2 on (1, u): Var(r) = c0 + c1 u, both >= 0.
  double n = 0, su = 0, suu = 0, sy = 0, suy = 0;
  for (std::size_t i = 0; i < r.size(); ++i)
    n += 1, su += u[i], suu += u[i] * u[i], sy += r[i] * r[i], suy += u[i] * r[i] * r[i];
  const double det = n * suu - su * su;
  c1_ = det > 1e-12 * n * suu ? (n * suy - su * sy) / det : 0.0;
  c0_ = (sy - c1_ * su) / n;
  if (c1_ < 0.0) c1_ = 0.0, c0_ = sy / n;
  if (c0_ < 0.0) c0_ = 0.0, c1_ = suu > 0.0 ? suy / suu : 0.0;
  z_.clear();
  for (std::size_t i = 0; i < r.size(); ++i) z_.push_back(r[i] / std::sqrt(std::max(c0_ + c1_ * u[i], 1e-12)));
  std::sort(z_.begin(), z_.end());
  report_.band_c0 = c0_;
  report_.band_c1 = c1_;
  report_.band_method = fmt::format(
      "log-normal band, Var(log error) = {:.4g} + {:.4g} / calls, with {} quantiles of {} "
      "standardised backtest errors", c0_, c1_, z_.size() >= 200 ? "empirical" : "normal", z_.size());
}

void HandleTimeModel::band(std::span<const double> aht, std::span<const double> volume,
                           double level, std::span<double> lower, std::span<double> upper) const {
  constexpr std::string_view fn = "wfm::forecast::HandleTimeModel::band";
  ::wfm::detail::require_open_unit(fn, "level", level);
  if (volume.size() != aht.size() || lower.size() != aht.size() || upper.size() != aht.size())
    ::wfm::detail::throw_invalid(fn, fmt::format("aht ({}), volume ({}), lower ({}) and upper ({}) "
                                                 "differ in length", aht.size(), volume.size(),
                                                 lower.size(), upper.size()));
  auto q = [&](double p) {
    if (z_.size() < 200) return boost::math::quantile(boost::math::normal(), p);
    const double pos = p * static_cast<double>(z_.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, z_.size() - 1);
    return z_[lo] + (pos - static_cast<double>(lo)) * (z_[hi] - z_[lo]);
  };
  const double ql = q(0.5 * (1.0 - level)), qu = q(0.5 * (1.0 + level));
  for (std::size_t i = 0; i < aht.size(); ++i) {
    const double v = std::isfinite(volume[i]) ? std::max(volume[i], 1.0) : 1.0;
    const double sd = std::sqrt(c0_ + c1_ / v);
    lower[i] = aht[i] * std::exp(std::min(ql, 0.0) * sd);
    upper[i] = std::min(aht[i] * std::exp(std::max(qu, 0.0) * sd), std::numeric_limits<double>::max());
  }
}

std::vector<HandleTimeDay> HandleTimeModel::explain(const History& h, std::span<const DaySlot> at,
                                                    std::span<const double> volume) const {
  const std::vector<double> a = predict(h, at);
  std::vector<HandleTimeDay> out;
  std::map<std::int64_t, std::pair<double, double>> sums;  // day -> (sum v a, sum v)
  for (std::size_t i = 0; i < at.size(); ++i) {
    if (!sums.contains(at[i].day)) out.push_back({}), out.back().day = at[i].day;
    const double v = i < volume.size() && std::isfinite(volume[i]) ? volume[i] : 0.0;
    sums[at[i].day].first += v * a[i];
    sums[at[i].day].second += v;
  }
  for (HandleTimeDay& x : out) {
    const Components c = components(h, x.day);
    x.level_s = std::exp(log_level_);
    x.trend_effect = c.trend;
    x.weekday_effect = c.weekday;
    x.special_effect = c.special;
    x.special_source = c.special == 0.0 ? EffectSource::closed
                       : c.effect       ? c.effect->source
                                        : EffectSource::none;
    x.occurrences = c.effect ? c.effect->occurrences : 0;
    x.evidence_weight = c.effect ? c.effect->evidence_weight : 0.0;
    const auto [va, v] = sums[x.day];
    x.day_s = v > 0.0 ? va / v : 0.0;
    const double base = x.level_s * c.trend * c.weekday * c.special;
    x.profile_effect = x.day_s > 0.0 && base > 0.0 ? x.day_s / base : 1.0;
  }
  return out;
}

}  // namespace wfm::forecast
