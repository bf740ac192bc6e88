// Long-range weekly forecasts (method and sources: include/wfm/capacity/weekly_forecast.hpp).
#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <wfm/capacity/weekly_forecast.hpp>
#include <wfm/core/error.hpp>

namespace wfm::capacity {
namespace {

constexpr double kYear = 365.25 / 7.0;  // weeks per year
constexpr std::array<WeeklyModel, 3> kCandidates{WeeklyModel::naive, WeeklyModel::simple,
                                                 WeeklyModel::damped_trend};

double fourier(int k, double t, bool sine) {
  const double x = 2.0 * std::numbers::pi * k * t / kYear;
  return sine ? std::sin(x) : std::cos(x);
}

struct Fit {
  double alpha = 1, beta = 0, phi = 1, sse = std::numeric_limits<double>::infinity();
  double level = 0, trend = 0;
};

// Step 4 for one parameter set: one-step SSE and the final state. Without trend (b = 0) the
// trend starts and stays at 0.
Fit smooth(std::span<const double> y, double a, double b, double phi) {
  const std::size_t n0 = std::min<std::size_t>(8, y.size() - 1);
  const double trend0 = b > 0.0 && n0 > 0 ? (y[n0] - y[0]) / static_cast<double>(n0) : 0.0;
  Fit f{a, b, phi, 0.0, y[0], trend0};
  for (std::size_t t = 1; t < y.size(); ++t) {
    const double pred = f.level + phi * f.trend;
    const double e = y[t] - pred;
    f.sse += e * e;
    const double level = a * y[t] + (1.0 - a) * pred;
    f.trend = b * (level - f.level) + (1.0 - b) * phi * f.trend;
    f.level = level;
  }
  return f;
}

// Step 4: the model's parameters by least one-step squared error over its grid.
Fit fit_model(std::span<const double> y, WeeklyModel m, const WeeklyForecastPolicy& p) {
  if (m == WeeklyModel::naive) return smooth(y, 1.0, 0.0, 1.0);
  Fit best;
  for (double a : p.alpha_grid) {
    if (m == WeeklyModel::simple) {
      const Fit f = smooth(y, a, 0.0, 1.0);
      if (f.sse < best.sse) best = f;
      continue;
    }
    for (double b : p.beta_grid)
      for (double phi : p.phi_grid) {
        const Fit f = smooth(y, a, b, phi);
        if (f.sse < best.sse) best = f;
      }
  }
  return best;
}

// l_n + (phi + ... + phi^h) b_n
double point(const Fit& f, int h) {
  double damp = 0.0, phi_j = 1.0;
  for (int j = 1; j <= h; ++j) {
    phi_j *= f.phi;
    damp += phi_j;
  }
  return f.level + damp * f.trend;
}

// Step 5: mean absolute error 1..H weeks ahead from every origin in the second half.
double validation_error(std::span<const double> y, WeeklyModel m, const WeeklyForecastPolicy& p) {
  const std::size_t n = y.size();
  const std::size_t first = std::max<std::size_t>(static_cast<std::size_t>(p.min_validation_weeks), n / 2);
  double err = 0.0;
  std::size_t count = 0;
  for (std::size_t o = first; o < n; ++o) {
    const Fit f = fit_model(y.first(o), m, p);
    const std::size_t hmax = std::min<std::size_t>(static_cast<std::size_t>(p.validation_horizon), n - o);
    for (std::size_t h = 1; h <= hmax; ++h, ++count)
      err += std::abs(y[o + h - 1] - point(f, static_cast<int>(h)));
  }
  return count > 0 ? err / static_cast<double>(count) : std::numeric_limits<double>::infinity();
}

void validate_options(std::span<const double> history, const WeeklyForecastOptions& o) {
  using wfm::detail::throw_invalid;
  if (history.size() < 8) throw_invalid("history", "needs at least 8 weeks", static_cast<double>(history.size()));
  for (std::size_t t = 0; t < history.size(); ++t)
    wfm::detail::require_nonnegative(fmt::format("history[{}]", t), "weekly total", history[t]);
  if (o.horizon < 1 || o.horizon > 520) throw_invalid("horizon", "must be in [1, 520] weeks", o.horizon);
  wfm::detail::require_open_unit("level", "coverage", o.level);
  if (o.fourier_terms < 0 || o.fourier_terms > 10) throw_invalid("fourier_terms", "must be in [0, 10]", o.fourier_terms);
  if (!o.week_factor.empty() && o.week_factor.size() != static_cast<std::size_t>(o.horizon))
    throw_invalid("week_factor", fmt::format("needs {} entries (one per week ahead)", o.horizon),
                  static_cast<double>(o.week_factor.size()));
  for (std::size_t h = 0; h < o.week_factor.size(); ++h)
    wfm::detail::require_positive(fmt::format("week_factor[{}]", h), "factor", o.week_factor[h]);
  if (!o.history_factor.empty() && o.history_factor.size() != history.size())
    throw_invalid("history_factor", fmt::format("needs {} entries (one per week of history)", history.size()),
                  static_cast<double>(o.history_factor.size()));
  for (std::size_t t = 0; t < o.history_factor.size(); ++t)
    wfm::detail::require_positive(fmt::format("history_factor[{}]", t), "factor", o.history_factor[t]);
}

// Step 3: least-squares Fourier coefficients (with a linear trend), or zeros when K = 0.
Eigen::VectorXd fit_season(const std::vector<double>& y, Eigen::Index K) {
  Eigen::VectorXd coef = Eigen::VectorXd::Zero(2 + 2 * K);
  if (K == 0) return coef;
  const auto n = static_cast<Eigen::Index>(y.size());
  Eigen::MatrixXd X(n, 2 + 2 * K);
  Eigen::VectorXd Y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto t = static_cast<double>(i);
    X(i, 0) = 1.0;
    X(i, 1) = t;
    for (Eigen::Index k = 1; k <= K; ++k) {
      X(i, 2 * k) = fourier(static_cast<int>(k), t, true);
      X(i, 2 * k + 1) = fourier(static_cast<int>(k), t, false);
    }
    Y(i) = y[static_cast<std::size_t>(i)];
  }
  return X.colPivHouseholderQr().solve(Y);
}

double season(const Eigen::VectorXd& coef, double t) {
  double s = 0.0;
  for (Eigen::Index k = 1; 2 * k + 1 < coef.size(); ++k)
    s += coef(2 * k) * fourier(static_cast<int>(k), t, true) +
         coef(2 * k + 1) * fourier(static_cast<int>(k), t, false);
  return s;
}

}  // namespace

std::string_view to_string(WeeklyModel m) noexcept {
  switch (m) {
    case WeeklyModel::automatic: return "automatic";
    case WeeklyModel::naive: return "naive";
    case WeeklyModel::simple: return "simple";
    case WeeklyModel::damped_trend: return "damped_trend";
  }
  return "automatic";
}

WeeklyModel weekly_model_from_string(std::string_view name, std::string_view field) {
  for (WeeklyModel m : {WeeklyModel::automatic, WeeklyModel::naive, WeeklyModel::simple,
                        WeeklyModel::damped_trend})
    if (to_string(m) == name) return m;
  wfm::detail::throw_invalid(field, fmt::format("'{}' is not automatic, naive, simple or damped_trend", name));
}

WeeklyForecast forecast_weekly(std::span<const double> history, const WeeklyForecastOptions& o,
                               const WeeklyForecastPolicy& policy) {
  validate_options(history, o);
  WeeklyForecast r;
  const std::size_t n = history.size();
  std::vector<double> y(history.begin(), history.end());
  for (std::size_t t = 0; t < o.history_factor.size(); ++t) y[t] /= o.history_factor[t];  // step 1
  r.log_scale = std::all_of(y.begin(), y.end(), [](double x) { return x > 0.0; });
  if (r.log_scale) for (double& v : y) v = std::log(v);  // step 2
  r.fourier_terms = n >= 104 ? o.fourier_terms : 0;     // step 3
  const Eigen::VectorXd coef = fit_season(y, static_cast<Eigen::Index>(r.fourier_terms));
  for (std::size_t t = 0; t < n; ++t) y[t] -= season(coef, static_cast<double>(t));
  r.model = o.model == WeeklyModel::automatic ? WeeklyModel::damped_trend : o.model;
  if (o.model == WeeklyModel::automatic && n > static_cast<std::size_t>(policy.min_validation_weeks)) {
    double best = std::numeric_limits<double>::infinity();  // step 5
    for (WeeklyModel m : kCandidates) {
      r.validation_error.push_back(validation_error(y, m, policy));
      if (r.validation_error.back() < best) {
        best = r.validation_error.back();
        r.model = m;
      }
    }
  }
  const Fit fit = fit_model(y, r.model, policy);
  r.alpha = fit.alpha;
  r.beta = fit.beta;
  r.phi = fit.phi;
  const double sigma2 = fit.sse / static_cast<double>(std::max<std::size_t>(1, n - 1));
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + o.level / 2.0);
  double var_sum = 1.0;
  for (int h = 1; h <= o.horizon; ++h) {
    if (h > 1) {  // step 6: c_{h-1}
      const int j = h - 1;
      const double c = fit.beta > 0.0 ? fit.alpha + fit.alpha * fit.beta * fit.phi *
                                                        (1.0 - std::pow(fit.phi, j)) / (1.0 - fit.phi)
                                      : fit.alpha;
      var_sum += c * c;
    }
    const double mean = point(fit, h) + season(coef, static_cast<double>(n - 1 + static_cast<std::size_t>(h)));
    const double half = z * std::sqrt(sigma2 * var_sum);
    const double f = o.week_factor.empty() ? 1.0 : o.week_factor[static_cast<std::size_t>(h - 1)];
    auto back = [&](double v) { return f * (r.log_scale ? std::exp(v) : std::max(0.0, v)); };
    r.volume.push_back(back(mean));
    r.volume_lower.push_back(back(mean - half));
    r.volume_upper.push_back(back(mean + half));
  }
  return r;
}

double volume_quantile(double volume, double lower, double upper, double level,
                       double probability, std::string_view field) {
  wfm::detail::require_open_unit("level", "coverage", level);
  wfm::detail::require_open_unit("probability", "chance of meeting the requirement", probability);
  if (!(0.0 <= lower && lower <= volume && volume <= upper && std::isfinite(upper)))
    wfm::detail::throw_invalid(field, fmt::format("needs 0 <= lower ({}) <= volume <= upper ({})", lower, upper), volume);
  const boost::math::normal normal;
  const double z = boost::math::quantile(normal, 0.5 + level / 2.0);
  const double zp = boost::math::quantile(normal, probability);
  if (lower > 0.0) return volume * std::exp(zp * std::log(upper / lower) / (2.0 * z));
  return std::max(0.0, volume + zp * (upper - lower) / (2.0 * z));
}

}  // namespace wfm::capacity
