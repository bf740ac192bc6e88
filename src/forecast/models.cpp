// The forecasting methods behind wfm::forecast::Model.
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <nlopt.hpp>
#include <numeric>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/model.hpp>

#include "detail.hpp"

namespace wfm::forecast {
namespace detail {

std::vector<char> full_days(const History& h) {
  std::array<int, 7> max_count{};
  for (int d = 0; d < h.days(); ++d)
    max_count[idx(h.weekday_of(d))] = std::max(max_count[idx(h.weekday_of(d))], h.observed_slots(d));
  std::vector<char> full(idx(h.days()), 0);
  for (int d = 0; d < h.days(); ++d)
    full[idx(d)] = h.present(d) && 10 * h.observed_slots(d) >= 9 * max_count[idx(h.weekday_of(d))];
  return full;
}

std::vector<std::vector<double>> weekday_profiles(const History& h, double half_life_weeks) {
  const int P = h.slots_per_day();
  const auto full = full_days(h);
  std::vector<std::vector<double>> num(7, std::vector<double>(idx(P), 0.0));
  std::vector<std::vector<double>> den(7, std::vector<double>(idx(P), 0.0));
  for (int d = 0; d < h.days(); ++d) {
    if (!full[idx(d)] || h.special(d) >= 0 || h.total(d) <= 0.0) continue;
    const double wt = recency(h, d, half_life_weeks) * h.weight(d);
    auto& n = num[idx(h.weekday_of(d))];
    auto& m = den[idx(h.weekday_of(d))];
    for (int s = 0; s < P; ++s) {
      const double v = h.y(d, s);
      if (std::isnan(v)) continue;
      n[idx(s)] += wt * v;
      m[idx(s)] += wt * h.total(d);
    }
  }
  std::vector<std::vector<double>> p(7);
  for (int w = 0; w < 7; ++w) {
    double sum = 0.0;
    std::vector<double> q(idx(P), 0.0);
    for (int s = 0; s < P; ++s)
      if (den[idx(w)][idx(s)] > 0.0) sum += q[idx(s)] = num[idx(w)][idx(s)] / den[idx(w)][idx(s)];
    if (sum <= 0.0) continue;
    for (double& x : q) x /= sum;
    p[idx(w)] = std::move(q);
  }
  return p;
}

/// Day-of-month effect of a weekday-adjusted daily series g over rows `days` (increasing),
/// see TopDown::fit for the method. Returns m[day of month - 1], mean 0.
std::array<double, 31> day_of_month_effect(const History& h, const std::vector<int>& days,
                                           const std::vector<double>& g) {
  std::array<double, 31> m{};
  if (days.size() < 2 || days.back() - days.front() < 112) return m;
  std::vector<double> r(days.size());
  std::size_t lo = 0, hi = 0;
  double sum = 0.0;
  for (std::size_t i = 0; i < days.size(); ++i) {  // centred +-15-day mean (two pointers)
    while (hi < days.size() && days[hi] <= days[i] + 15) sum += g[hi++];
    while (days[lo] < days[i] - 15) sum -= g[lo++];
    r[i] = g[i] - sum / static_cast<double>(hi - lo);
  }
  std::array<double, 31> num{}, den{};
  for (std::size_t i = 0; i < days.size(); ++i) {
    const int dom = static_cast<int>(civil_from_days(h.first_day() + days[i]).day) - 1;
    for (int k = -1; k <= 1; ++k) {
      const int j = (dom + k + 31) % 31;
      const double kw = k == 0 ? 1.0 : 0.5;
      num[idx(j)] += kw * r[i];
      den[idx(j)] += kw;
    }
  }
  constexpr double n0 = 2.0;  // pseudo-days of shrinkage towards no effect
  double mean = 0.0;
  for (int j = 0; j < 31; ++j) mean += m[idx(j)] = num[idx(j)] / (den[idx(j)] + n0);
  for (double& x : m) x -= mean / 31.0;
  return m;
}

SqrtMatrix sqrt_matrix(const History& h) {
  const int P = h.slots_per_day();
  const auto full = full_days(h);
  SqrtMatrix m;
  for (int d = 0; d < h.days(); ++d)
    if (full[idx(d)] && h.special(d) < 0 && h.weight(d) >= 1.0) m.rows.push_back(d);
  const int n = static_cast<int>(m.rows.size());
  m.X.resize(n, P);
  for (int i = 0; i < n; ++i)
    for (int s = 0; s < P; ++s) {
      const double v = h.y(m.rows[idx(i)], s);
      m.X(i, s) = std::isnan(v) ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(v + 0.25);
    }
  for (int w = 0; w < 7; ++w)
    for (int s = 0; s < P; ++s) {
      double sum = 0.0;
      int c = 0;
      for (int i = 0; i < n; ++i)
        if (h.weekday_of(m.rows[idx(i)]) == w && !std::isnan(m.X(i, s))) sum += m.X(i, s), ++c;
      const double fill = c > 0 ? sum / c : 0.5;
      for (int i = 0; i < n; ++i)
        if (h.weekday_of(m.rows[idx(i)]) == w && std::isnan(m.X(i, s))) m.X(i, s) = fill;
    }
  return m;
}

}  // namespace detail

namespace {

using detail::idx;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Keeps the last `weeks` weeks of the history's rows for the baselines, special days removed.
struct RecentRows {
  std::int64_t first_day = 0;  // day number of rows_[0]
  int rows = 0, slots = 0;
  std::vector<double> y;
  std::vector<double> weight;

  void take(const History& h, int weeks) {
    slots = h.slots_per_day();
    rows = std::min(h.days(), 7 * weeks);
    const int d0 = h.days() - rows;
    first_day = h.first_day() + d0;
    y.assign(idx(rows) * idx(slots), nan);
    weight.assign(idx(rows), 0.0);
    for (int r = 0; r < rows; ++r) {
      const int d = d0 + r;
      if (!h.present(d) || h.special(d) >= 0) continue;
      weight[idx(r)] = h.weight(d);
      for (int s = 0; s < slots; ++s) y[idx(r) * idx(slots) + idx(s)] = h.y(d, s);
    }
  }
  [[nodiscard]] double at(int r, int s) const { return y[idx(r) * idx(slots) + idx(s)]; }
  // Row index of the latest same-weekday row at or before the history end for day `day`.
  [[nodiscard]] int latest_same_weekday(std::int64_t day) const {
    const std::int64_t last = first_day + rows - 1;
    std::int64_t back = day > last ? (day - last + 6) / 7 : 0;
    return static_cast<int>(day - 7 * back - first_day);
  }
};

class SeasonalNaive final : public Model {
 public:
  explicit SeasonalNaive(const ModelOptions& o) : options_(o) {}
  Method method() const noexcept override { return Method::seasonal_naive; }
  int min_history_days() const noexcept override { return 7; }
  FitStatus fit(const History& h) override {
    recent_.take(h, 26);
    return {};
  }
  void predict(std::span<const DaySlot> at, std::span<double> out) const override {
    for (std::size_t i = 0; i < at.size(); ++i) {
      out[i] = 0.0;
      for (int r = recent_.latest_same_weekday(at[i].day); r >= 0; r -= 7) {
        const double v = recent_.at(r, at[i].slot);
        if (!std::isnan(v)) {
          out[i] = v;
          break;
        }
      }
    }
  }
  std::unique_ptr<Model> clone_unfitted() const override {
    return std::make_unique<SeasonalNaive>(options_);
  }

 private:
  ModelOptions options_;
  RecentRows recent_;
};

class WeeklyAverage final : public Model {
 public:
  explicit WeeklyAverage(const ModelOptions& o) : options_(o) {
    ::wfm::detail::require_positive("wfm::forecast::ModelOptions", "average_weeks",
                                    options_.average_weeks);
  }
  Method method() const noexcept override { return Method::weekly_average; }
  int min_history_days() const noexcept override { return 7; }
  FitStatus fit(const History& h) override {
    recent_.take(h, std::max(26, 2 * options_.average_weeks));
    return {};
  }
  void predict(std::span<const DaySlot> at, std::span<double> out) const override {
    for (std::size_t i = 0; i < at.size(); ++i) {
      double sum = 0.0, any = 0.0;
      int n = 0;
      for (int r = recent_.latest_same_weekday(at[i].day); r >= 0 && n < options_.average_weeks;
           r -= 7) {
        const double v = recent_.at(r, at[i].slot);
        if (std::isnan(v)) continue;
        any = v;
        if (recent_.weight[idx(r)] < 1.0) continue;  // skip outlier days
        sum += v;
        ++n;
      }
      out[i] = n > 0 ? sum / n : any;
    }
  }
  std::unique_ptr<Model> clone_unfitted() const override {
    return std::make_unique<WeeklyAverage>(options_);
  }

 private:
  ModelOptions options_;
  RecentRows recent_;
};

// The smoothing weight of a simple-exponential-smoothing level of x, from a grid. Each
// candidate alpha forecasts x[k] by the level l_i after x[0..i-1], for every origin i after a
// burn-in and k = i .. i+H-1; L_i(alpha) is the sum of the squared errors from origin i. The
// lowest total wins, except that the smoothest alpha (the smallest: the fewest effective
// parameters) whose total is within `tolerance_se` standard errors of the lowest is taken
// instead: the one-standard-error rule (Hastie, Tibshirani & Friedman, The Elements of
// Statistical Learning, 2nd ed., §7.10, after Breiman et al. 1984, §3.4.3). A flat criterion
// otherwise lets the noise of a few days pick a level that chases them. The standard error is
// that of the paired loss difference sum_i (L_i(alpha) - L_i(best)), whose terms are
// autocorrelated (overlapping H-step windows): the long-run variance with Bartlett weights
// 1 - j/H for lags j < H (Newey & West 1987, Econometrica 55:703-708, eq. 2; the h-step loss
// differential of Diebold & Mariano 1995, J. Business & Economic Statistics 13:253-263).
double level_alpha(const std::vector<double>& x, int horizon, double tolerance_se) {
  static constexpr std::array<double, 10> grid{0.02, 0.04, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.8};
  const std::size_t burn = std::min<std::size_t>(x.size() / 3, 10), H = idx(horizon);
  std::vector<std::vector<double>> loss(grid.size());  // L_i per origin i > burn
  for (std::size_t a = 0; a < grid.size(); ++a) {
    double l = x.empty() ? 0.0 : x[0];
    for (std::size_t i = 1; i < x.size(); ++i) {
      if (i > burn) {
        double sum = 0.0;
        for (std::size_t k = i; k < std::min(x.size(), i + H); ++k) sum += (x[k] - l) * (x[k] - l);
        loss[a].push_back(sum);
      }
      l += grid[a] * (x[i] - l);
    }
  }
  auto total = [&](std::size_t a) { return std::accumulate(loss[a].begin(), loss[a].end(), 0.0); };
  std::size_t best = 0;
  for (std::size_t a = 1; a < grid.size(); ++a)
    if (total(a) < total(best)) best = a;
  for (std::size_t a = 0; a < best; ++a) {
    const std::size_t m = loss[a].size();
    std::vector<double> d(m);
    for (std::size_t i = 0; i < m; ++i) d[i] = loss[a][i] - loss[best][i];
    const double mean = std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(m);
    double lrv = 0.0;  // long-run variance of d_i
    for (std::size_t j = 0; j < std::min(H, m); ++j) {
      double g = 0.0;
      for (std::size_t i = j; i < m; ++i) g += (d[i] - mean) * (d[i - j] - mean);
      g /= static_cast<double>(m);
      lrv += (j == 0 ? 1.0 : 2.0 * (1.0 - static_cast<double>(j) / static_cast<double>(H))) * g;
    }
    const double se = std::sqrt(std::max(lrv, 0.0) * static_cast<double>(m));
    if (total(a) - total(best) <= tolerance_se * se) return grid[a];
  }
  return grid[best];
}

// Top-down: log(daily total + 1) = level + weekday effect; the level follows simple exponential
// smoothing (Hyndman & Athanasopoulos, FPP3 §8.1) of the weekday-adjusted totals, with the
// smoothing weight chosen on 1..7-day-ahead squared errors with the one-standard-error rule
// (level_alpha above); weekday effects are a recency-weighted two-way (week x weekday) fit.
// The intraday shape is the recency-weighted weekday profile (detail::weekday_profiles).
// Forecast = total x profile share (the "top-down" approach of e.g. Gans, Koole & Mandelbaum
// 2003, §3).
class TopDown final : public Model {
 public:
  explicit TopDown(const ModelOptions& o) : options_(o) {
    ::wfm::detail::require_nonnegative("wfm::forecast::ModelOptions", "level_alpha_tolerance_se",
                                       options_.level_alpha_tolerance_se);
  }
  Method method() const noexcept override { return Method::top_down; }
  int min_history_days() const noexcept override { return 14; }

  FitStatus fit(const History& h) override {
    first_day_ = h.first_day();
    profile_ = detail::weekday_profiles(h, options_.half_life_weeks);
    const auto full = detail::full_days(h);
    std::vector<int> days;
    for (int d = 0; d < h.days(); ++d)
      if (full[idx(d)] && h.special(d) < 0 && h.weight(d) >= 1.0) days.push_back(d);
    effect_.fill(0.0);
    level_ = 0.0;
    if (days.empty()) return {false, 0, "no regular full day in the history"};
    std::vector<double> z(days.size()), wt(days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
      z[i] = std::log1p(h.total(days[i]));
      wt[i] = detail::recency(h, days[i], options_.half_life_weeks);
    }
    // Day-of-month effect (billing and pay cycles: e.g. Ibrahim et al. 2016, "Modeling and
    // forecasting call center arrivals: a literature survey", §3.1, calendar effects): the
    // residual of z - weekday effect about a centred one-month moving level, kernel-smoothed
    // over neighbouring days of the month and shrunk by n0 pseudo-days towards 0. Fitted
    // only on histories of 16 weeks or more (shorter ones confound it with level changes),
    // alternating with the weekday fit.
    dom_.fill(0.0);
    std::vector<int> dom(days.size());
    for (std::size_t i = 0; i < days.size(); ++i)
      dom[i] = static_cast<int>(civil_from_days(h.first_day() + days[i]).day) - 1;
    const bool use_dom = options_.day_of_month && days.back() - days.front() >= 112;
    for (int outer = 0; outer < (use_dom ? 3 : 1); ++outer) {
      // Two-way fit z = week effect + weekday effect by alternating weighted means.
      const int weeks = h.days() / 7 + 2;
      std::vector<double> a(idx(weeks), 0.0);
      auto week_of = [&](int d) { return static_cast<int>((h.first_day() + d + 3) / 7 - (h.first_day() + 3) / 7); };
      for (int it = 0; it < 12; ++it) {
        std::vector<double> an(idx(weeks), 0.0), ad(idx(weeks), 0.0);
        for (std::size_t i = 0; i < days.size(); ++i) {
          an[idx(week_of(days[i]))] += z[i] - dom_[idx(dom[i])] - effect_[idx(h.weekday_of(days[i]))];
          ad[idx(week_of(days[i]))] += 1.0;
        }
        for (int k = 0; k < weeks; ++k) a[idx(k)] = ad[idx(k)] > 0 ? an[idx(k)] / ad[idx(k)] : 0.0;
        std::array<double, 7> bn{}, bd{};
        for (std::size_t i = 0; i < days.size(); ++i) {
          bn[idx(h.weekday_of(days[i]))] += wt[i] * (z[i] - dom_[idx(dom[i])] - a[idx(week_of(days[i]))]);
          bd[idx(h.weekday_of(days[i]))] += wt[i];
        }
        double mean = 0.0;
        int seen = 0;
        for (int w = 0; w < 7; ++w)
          if (bd[idx(w)] > 0) mean += effect_[idx(w)] = bn[idx(w)] / bd[idx(w)], ++seen;
        mean /= std::max(seen, 1);
        for (int w = 0; w < 7; ++w)
          if (bd[idx(w)] > 0) effect_[idx(w)] -= mean;
      }
      if (!use_dom) break;
      std::vector<double> g(days.size());
      for (std::size_t i = 0; i < days.size(); ++i) g[i] = z[i] - effect_[idx(h.weekday_of(days[i]))];
      dom_ = detail::day_of_month_effect(h, days, g);
    }
    for (int w = 0; w < 7; ++w) seen_[idx(w)] = false;
    for (int d : days) seen_[idx(h.weekday_of(d))] = true;
    // Simple exponential smoothing of x = z - weekday effect; alpha by multi-step losses.
    std::vector<double> x(days.size());
    for (std::size_t i = 0; i < days.size(); ++i)
      x[i] = z[i] - dom_[idx(dom[i])] - effect_[idx(h.weekday_of(days[i]))];
    const double best_alpha = level_alpha(x, 7, options_.level_alpha_tolerance_se);
    double l = x[0];
    for (std::size_t i = 1; i < x.size(); ++i) l += best_alpha * (x[i] - l);
    level_ = l;
    alpha_ = best_alpha;
    return {true, 0, fmt::format("alpha={}", best_alpha)};
  }

  /// Forecast total of a regular day [calls].
  [[nodiscard]] double day_total(std::int64_t day) const {
    const int w = weekday(day * seconds_per_day);
    if (!seen_[idx(w)]) return 0.0;
    const auto dom = static_cast<std::size_t>(civil_from_days(day).day - 1);
    return std::max(0.0, std::expm1(level_ + effect_[idx(w)] + dom_[dom]));
  }
  void predict(std::span<const DaySlot> at, std::span<double> out) const override {
    for (std::size_t i = 0; i < at.size(); ++i) {
      const int w = weekday(at[i].day * seconds_per_day);
      const auto& p = profile_[idx(w)];
      out[i] = p.empty() ? 0.0 : day_total(at[i].day) * p[idx(at[i].slot)];
    }
  }
  std::unique_ptr<Model> clone_unfitted() const override {
    return std::make_unique<TopDown>(options_);
  }

 private:
  ModelOptions options_;
  std::int64_t first_day_ = 0;
  std::array<double, 7> effect_{};
  std::array<double, 31> dom_{};
  std::array<bool, 7> seen_{};
  double level_ = 0.0, alpha_ = 0.1;
  std::vector<std::vector<double>> profile_;
};

// Shen & Huang (2008), "Interday forecasting and intraday updating of call center arrivals",
// M&SOM 10(3):391-410: X (days x intervals) of square-root counts sqrt(N + 1/4) is reduced
// by an SVD X ~ sum_k beta_k f_k^T; each day-score series beta_k follows an AR(1) around
// weekday means (their §3.2 varying-mean AR), forecast forward; N^ = (sum_k beta^_k f_k)^2 - 1/4.
class Svd final : public Model {
 public:
  explicit Svd(const ModelOptions& o) : options_(o) {
    ::wfm::detail::require_positive("wfm::forecast::ModelOptions", "svd_components",
                                    options_.svd_components);
  }
  Method method() const noexcept override { return Method::svd; }
  int min_history_days() const noexcept override { return 21; }

  FitStatus fit(const History& h) override {
    const int P = h.slots_per_day();
    detail::SqrtMatrix m = detail::sqrt_matrix(h);
    rows_ = std::move(m.rows);
    const Eigen::MatrixXd& X = m.X;
    const int n = static_cast<int>(rows_.size());
    if (n < 7) return {false, 0, "fewer than 7 regular days"};
    // Recency weights as row scaling so recent days shape the basis more.
    Eigen::VectorXd rw(n);
    for (int i = 0; i < n; ++i) rw(i) = std::sqrt(detail::recency(h, rows_[idx(i)], 2.0 * options_.half_life_weeks));
    Eigen::BDCSVD<Eigen::MatrixXd> svd(rw.asDiagonal() * X, Eigen::ComputeThinV);
    K_ = std::min({options_.svd_components, n, P});
    F_ = svd.matrixV().leftCols(K_);  // P x K, orthonormal columns
    Eigen::MatrixXd B = X * F_;       // n x K day scores (unweighted projection)
    // Per component: beta_t - mu_w(t) = phi (beta_{t-1} - mu_w(t-1)) + e, by weighted LS.
    mu_.assign(idx(K_), std::array<double, 7>{});
    dom_.assign(idx(K_), std::array<double, 31>{});
    phi_.assign(idx(K_), 0.0);
    last_dev_.assign(idx(K_), 0.0);
    std::vector<double> wt(idx(n));
    for (int i = 0; i < n; ++i) wt[idx(i)] = detail::recency(h, rows_[idx(i)], options_.half_life_weeks);
    for (int k = 0; k < K_; ++k) {
      std::array<double, 7> num{}, den{};
      for (int i = 0; i < n; ++i) {
        const int w = h.weekday_of(rows_[idx(i)]);
        num[idx(w)] += wt[idx(i)] * B(i, k);
        den[idx(w)] += wt[idx(i)];
      }
      for (int w = 0; w < 7; ++w) mu_[idx(k)][idx(w)] = den[idx(w)] > 0 ? num[idx(w)] / den[idx(w)] : 0.0;
      // Day-of-month effect of the score (as in TopDown), then the weekday means again.
      dom_[idx(k)].fill(0.0);
      if (options_.day_of_month) {
        std::vector<double> g(idx(n));
        for (int i = 0; i < n; ++i) g[idx(i)] = B(i, k) - mu_[idx(k)][idx(h.weekday_of(rows_[idx(i)]))];
        dom_[idx(k)] = detail::day_of_month_effect(h, rows_, g);
        num.fill(0.0);
        den.fill(0.0);
        for (int i = 0; i < n; ++i) {
          const int w = h.weekday_of(rows_[idx(i)]);
          num[idx(w)] += wt[idx(i)] * (B(i, k) - dom_of(k, rows_[idx(i)] + h.first_day()));
          den[idx(w)] += wt[idx(i)];
        }
        for (int w = 0; w < 7; ++w) mu_[idx(k)][idx(w)] = den[idx(w)] > 0 ? num[idx(w)] / den[idx(w)] : 0.0;
      }
      auto mean_of = [&](int i) {
        return mu_[idx(k)][idx(h.weekday_of(rows_[idx(i)]))] + dom_of(k, rows_[idx(i)] + h.first_day());
      };
      double sxy = 0.0, sxx = 0.0;
      for (int i = 1; i < n; ++i) {
        const double prev = B(i - 1, k) - mean_of(i - 1);
        const double cur = B(i, k) - mean_of(i);
        sxy += wt[idx(i)] * prev * cur;
        sxx += wt[idx(i)] * prev * prev;
      }
      phi_[idx(k)] = sxx > 0 ? std::clamp(sxy / sxx, -0.99, 0.99) : 0.0;
      last_dev_[idx(k)] = B(n - 1, k) - mean_of(n - 1);
    }
    last_day_ = h.first_day() + rows_.back();
    return {};
  }

  void predict(std::span<const DaySlot> at, std::span<double> out) const override {
    for (std::size_t i = 0; i < at.size(); ++i) {
      if (K_ == 0) {
        out[i] = 0.0;
        continue;
      }
      const int w = weekday(at[i].day * seconds_per_day);
      // Steps ahead counted in weekdays that occur in the data (about one per calendar day).
      const double h = static_cast<double>(std::max<std::int64_t>(1, at[i].day - last_day_));
      double x = 0.0;
      for (int k = 0; k < K_; ++k)
        x += (mu_[idx(k)][idx(w)] + dom_of(k, at[i].day) + std::pow(phi_[idx(k)], h) * last_dev_[idx(k)]) *
             F_(at[i].slot, k);
      out[i] = std::max(0.0, x * std::abs(x) - 0.25);
    }
  }
  std::unique_ptr<Model> clone_unfitted() const override { return std::make_unique<Svd>(options_); }

 private:
  ModelOptions options_;
  std::vector<int> rows_;
  int K_ = 0;
  Eigen::MatrixXd F_;
  [[nodiscard]] double dom_of(int k, std::int64_t day) const {
    return dom_[idx(k)][civil_from_days(day).day - 1];
  }
  std::vector<std::array<double, 7>> mu_;
  std::vector<std::array<double, 31>> dom_;
  std::vector<double> phi_, last_dev_;
  std::int64_t last_day_ = 0;
};

// Double-seasonal Holt-Winters with an AR(1) error adjustment, Taylor (2003), "Short-term
// electricity demand forecasting using double seasonal exponential smoothing", JORS 54:799-805,
// additive form as in Taylor (2010), IJF 26:627-646, eqs. (1)-(4) with the AR(1) term of §2.2:
//   e_t = y_t - (l_{t-1} + d_{t-s1} + w_{t-s2})
//   l_t = l_{t-1} + alpha e_t,  d_t = d_{t-s1} + delta e_t,  w_t = w_{t-s2} + omega e_t
//   y^_t(k) = l_t + d_{t-s1+k} + w_{t-s2+k} + phi^k e_t
// s1 = slots per day, s2 = 7 s1 on the full clock grid; closed, absent, special and outlier
// positions are missing: the states carry over and e_t = 0, so the cycles never shift.
class HoltWinters final : public Model {
 public:
  explicit HoltWinters(const ModelOptions& o) : options_(o) {}
  Method method() const noexcept override { return Method::holt_winters; }
  int min_history_days() const noexcept override { return 21; }

  FitStatus fit(const History& h) override {
    P_ = h.slots_per_day();
    const int weeks = std::min(options_.hw_fit_weeks + 2, h.days() / 7);
    const int d0 = h.days() - 7 * weeks;
    const std::size_t N = idx(7 * weeks) * idx(P_);
    y_.assign(N, nan);
    for (int d = d0; d < h.days(); ++d) {
      if (!h.present(d) || h.special(d) >= 0 || h.weight(d) < 1.0) continue;
      for (int s = 0; s < P_; ++s) y_[idx(d - d0) * idx(P_) + idx(s)] = h.y(d, s);
    }
    start_day_ = h.first_day() + d0;
    // Initial states from the first two weeks: l = mean, d = slot means - l, w = rest.
    const std::size_t W = 7 * idx(P_);
    double sum = 0.0;
    int c = 0;
    for (std::size_t t = 0; t < 2 * W; ++t)
      if (!std::isnan(y_[t])) sum += y_[t], ++c;
    l0_ = c > 0 ? sum / c : 0.0;
    d0_.assign(idx(P_), 0.0);
    w0_.assign(W, 0.0);
    std::vector<double> ds(idx(P_), 0.0), dc(idx(P_), 0.0), ws(W, 0.0), wc(W, 0.0);
    for (std::size_t t = 0; t < 2 * W; ++t)
      if (!std::isnan(y_[t])) ds[t % idx(P_)] += y_[t] - l0_, dc[t % idx(P_)] += 1.0;
    for (std::size_t s = 0; s < idx(P_); ++s) d0_[s] = dc[s] > 0 ? ds[s] / dc[s] : 0.0;
    for (std::size_t t = 0; t < 2 * W; ++t)
      if (!std::isnan(y_[t])) ws[t % W] += y_[t] - l0_ - d0_[t % idx(P_)], wc[t % W] += 1.0;
    for (std::size_t j = 0; j < W; ++j) w0_[j] = wc[j] > 0 ? ws[j] / wc[j] : 0.0;

    nlopt::opt opt(nlopt::LN_BOBYQA, 4);
    opt.set_lower_bounds({0.0, 0.0, 0.0, 0.0});
    opt.set_upper_bounds({1.0, 1.0, 1.0, 0.99});
    opt.set_maxeval(options_.max_evaluations);
    opt.set_xtol_rel(1e-4);
    opt.set_ftol_rel(1e-7);
    int evals = 0;
    auto objective = [](unsigned, const double* x, double*, void* data) -> double {
      auto* self = static_cast<std::pair<HoltWinters*, int*>*>(data);
      ++*self->second;
      return self->first->run({x[0], x[1], x[2], x[3]}, false);
    };
    std::pair<HoltWinters*, int*> data{this, &evals};
    opt.set_min_objective(objective, &data);
    std::vector<double> x{0.02, 0.05, 0.05, 0.5};
    double f = 0.0;
    FitStatus status;
    try {
      const nlopt::result r = opt.optimize(x, f);
      status.converged = r != nlopt::MAXEVAL_REACHED && r != nlopt::MAXTIME_REACHED;
      status.message = fmt::format("nlopt result {}", static_cast<int>(r));
    } catch (const std::exception& e) {
      status.converged = false;
      status.message = fmt::format("nlopt failed: {}", e.what());
    }
    status.iterations = evals;
    params_ = {x[0], x[1], x[2], x[3]};
    run(params_, true);
    status.message += fmt::format(", alpha={:.4f} delta={:.4f} omega={:.4f} phi={:.4f}", x[0], x[1],
                                  x[2], x[3]);
    return status;
  }

  void predict(std::span<const DaySlot> at, std::span<double> out) const override {
    const std::size_t W = 7 * idx(P_);
    const auto T = static_cast<std::int64_t>(y_.size());  // position of the first future slot
    for (std::size_t i = 0; i < at.size(); ++i) {
      const std::int64_t t = (at[i].day - start_day_) * P_ + at[i].slot;
      const std::int64_t k = t - T + 1;  // steps ahead of the last state
      const std::size_t sd = static_cast<std::size_t>(t) % idx(P_), sw = static_cast<std::size_t>(t) % W;
      const double ar = k < 2000 ? std::pow(params_[3], static_cast<double>(k)) * e_ : 0.0;
      out[i] = std::max(0.0, l_ + d_[sd] + w_[sw] + ar);
    }
  }
  std::unique_ptr<Model> clone_unfitted() const override {
    return std::make_unique<HoltWinters>(options_);
  }

 private:
  // Runs the recursions; returns the one-step SSE after a one-week burn-in. Keeps the final
  // states when `keep`.
  double run(std::array<double, 4> p, bool keep) {
    const std::size_t W = 7 * idx(P_), S1 = idx(P_);
    std::vector<double> d = d0_, w = w0_;  // ring buffers indexed by t % s1 and t % s2
    double l = l0_, e = 0.0, sse = 0.0;
    const auto [alpha, delta, omega, phi] = p;
    for (std::size_t t = 0; t < y_.size(); ++t) {
      const double yt = y_[t];
      if (std::isnan(yt)) {
        e *= phi;  // the AR term decays through missing positions
        continue;
      }
      const double ehw = yt - (l + d[t % S1] + w[t % W]);  // Holt-Winters error
      const double err = ehw - phi * e;                      // one-step error with AR(1)
      if (t >= W) sse += err * err;
      l += alpha * ehw;
      d[t % S1] += delta * ehw;
      w[t % W] += omega * ehw;
      e = ehw;
    }
    if (keep) {
      l_ = l;
      d_ = std::move(d);
      w_ = std::move(w);
      e_ = e;
    }
    return sse;
  }

  ModelOptions options_;
  int P_ = 0;
  std::int64_t start_day_ = 0;
  std::vector<double> y_, d0_, w0_, d_, w_;
  double l0_ = 0.0, l_ = 0.0, e_ = 0.0;
  std::array<double, 4> params_{};
};

}  // namespace

std::unique_ptr<Model> make_model(Method method, const ModelOptions& options) {
  switch (method) {
    case Method::seasonal_naive: return std::make_unique<SeasonalNaive>(options);
    case Method::weekly_average: return std::make_unique<WeeklyAverage>(options);
    case Method::top_down: return std::make_unique<TopDown>(options);
    case Method::svd: return std::make_unique<Svd>(options);
    case Method::holt_winters: return std::make_unique<HoltWinters>(options);
    case Method::auto_select: break;
  }
  ::wfm::detail::throw_invalid("wfm::forecast::make_model",
                               "auto is a selection over methods: use Forecaster::fit");
}

}  // namespace wfm::forecast
