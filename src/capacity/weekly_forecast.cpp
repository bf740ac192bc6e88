// Long-range weekly forecasts (method and sources: include/wfm/capacity/weekly_forecast.hpp).
#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <wfm/capacity/weekly_forecast.hpp>
#include <wfm/core/error.hpp>

namespace wfm::capacity {
namespace {

constexpr double kYear = 365.25 / 7.0;  // weeks per year

double fourier(int k, double t, bool sine) {
  const double x = 2.0 * std::numbers::pi * k * t / kYear;
  return sine ? std::sin(x) : std::cos(x);
}

struct Fit {
  double alpha = 0, beta = 0, phi = 0, sse = std::numeric_limits<double>::infinity();
  double level = 0, trend = 0;
};

// Step 3 for one parameter set: one-step SSE and the final state.
Fit smooth(const std::vector<double>& y, double a, double b, double phi) {
  const std::size_t n0 = std::min<std::size_t>(8, y.size() - 1);
  Fit f{a, b, phi, 0.0, y[0], (y[n0] - y[0]) / static_cast<double>(n0)};
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

}  // namespace

WeeklyForecast forecast_weekly(std::span<const double> history, const WeeklyForecastOptions& o) {
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

  WeeklyForecast r;
  const std::size_t n = history.size();
  r.log_scale = std::all_of(history.begin(), history.end(), [](double x) { return x > 0.0; });
  std::vector<double> y(history.begin(), history.end());
  if (r.log_scale) for (double& v : y) v = std::log(v);
  // Step 2: yearly Fourier terms with a linear trend, by least squares (only the seasonal part
  // is removed; level and trend are left to the smoother).
  r.fourier_terms = n >= 104 ? o.fourier_terms : 0;
  const auto K = static_cast<Eigen::Index>(r.fourier_terms);
  Eigen::VectorXd coef = Eigen::VectorXd::Zero(2 + 2 * K);
  if (K > 0) {
    Eigen::MatrixXd X(static_cast<Eigen::Index>(n), 2 + 2 * K);
    Eigen::VectorXd Y(static_cast<Eigen::Index>(n));
    for (std::size_t t = 0; t < n; ++t) {
      const auto i = static_cast<Eigen::Index>(t);
      X(i, 0) = 1.0;
      X(i, 1) = static_cast<double>(t);
      for (Eigen::Index k = 1; k <= K; ++k) {
        X(i, 2 * k) = fourier(static_cast<int>(k), static_cast<double>(t), true);
        X(i, 2 * k + 1) = fourier(static_cast<int>(k), static_cast<double>(t), false);
      }
      Y(i) = y[t];
    }
    coef = X.colPivHouseholderQr().solve(Y);
  }
  auto season = [&](double t) {
    double s = 0.0;
    for (Eigen::Index k = 1; k <= K; ++k)
      s += coef(2 * k) * fourier(static_cast<int>(k), t, true) +
           coef(2 * k + 1) * fourier(static_cast<int>(k), t, false);
    return s;
  };
  for (std::size_t t = 0; t < n; ++t) y[t] -= season(static_cast<double>(t));
  // Step 3: the grid.
  Fit best;
  for (double a : {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8})
    for (double b : {0.0, 0.02, 0.05, 0.1, 0.2})
      for (double phi : {0.8, 0.85, 0.9, 0.95, 0.98}) {
        const Fit f = smooth(y, a, b, phi);
        if (f.sse < best.sse) best = f;
      }
  r.alpha = best.alpha;
  r.beta = best.beta;
  r.phi = best.phi;
  const double sigma2 = best.sse / static_cast<double>(std::max<std::size_t>(1, n - 1));
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + o.level / 2.0);
  double damp = 0.0, var_sum = 1.0, phi_j = 1.0;
  for (int h = 1; h <= o.horizon; ++h) {
    phi_j *= best.phi;
    damp += phi_j;  // phi + ... + phi^h
    if (h > 1) {    // Step 4: c_{h-1}
      const int j = h - 1;
      const double c = best.alpha + best.alpha * best.beta * best.phi *
                                        (1.0 - std::pow(best.phi, j)) / (1.0 - best.phi);
      var_sum += c * c;
    }
    const double mean = best.level + damp * best.trend + season(static_cast<double>(n - 1 + static_cast<std::size_t>(h)));
    const double half = z * std::sqrt(sigma2 * var_sum);
    const double f = o.week_factor.empty() ? 1.0 : o.week_factor[static_cast<std::size_t>(h - 1)];
    auto back = [&](double v) { return f * (r.log_scale ? std::exp(v) : std::max(0.0, v)); };
    r.volume.push_back(back(mean));
    r.volume_lower.push_back(back(mean - half));
    r.volume_upper.push_back(back(mean + half));
  }
  return r;
}

}  // namespace wfm::capacity
