// Lognormal fit and Kolmogorov-Smirnov statistic (see include/wfm/kpi/distribution_fit.hpp).
#include <wfm/kpi/distribution_fit.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include <wfm/core/error.hpp>

namespace wfm::kpi {

double ks_p_value(double d, std::size_t n) {
  if (n == 0) return 1.0;
  const double sn = std::sqrt(static_cast<double>(n));
  const double x = (sn + 0.12 + 0.11 / sn) * d;  // Stephens (1970) correction
  if (x < 0.2) return 1.0;  // the series converges slowly there and Q_KS(x) = 1 to 1e-9
  double q = 0.0, sign = 1.0;
  for (int k = 1; k <= 100; ++k) {  // Q_KS(x) = 2 sum (-1)^{k-1} exp(-2 k^2 x^2) (NR eq. 14.3.7)
    const double term = std::exp(-2.0 * k * k * x * x);
    q += sign * term;
    sign = -sign;
    if (term < 1e-16) break;
  }
  return std::clamp(2.0 * q, 0.0, 1.0);
}

double ks_statistic_lognormal(std::vector<double>& sample, double mu, double sigma) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    // Lognormal CDF: Phi((ln x - mu) / sigma) (Johnson, Kotz & Balakrishnan 1994, eq. 14.2').
    const double f = sigma > 0.0
                         ? 0.5 * std::erfc(-(std::log(sample[i]) - mu) / (sigma * std::sqrt(2.0)))
                         : (std::log(sample[i]) >= mu ? 1.0 : 0.0);
    d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return d;
}

LognormalFit fit_lognormal(std::span<const double> h) {
  LognormalFit fit;
  double mean = 0.0, m2 = 0.0, sum = 0.0;
  std::vector<double> positive;
  positive.reserve(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (!(h[i] >= 0.0) || !std::isfinite(h[i]))
      detail::throw_invalid(fmt::format("wfm::kpi::fit_lognormal: handle_times_s[{}]", i),
                            "must be finite and >= 0", h[i]);
    sum += h[i];
    if (h[i] == 0.0) {
      ++fit.zero_count;
      continue;
    }
    positive.push_back(h[i]);
    const double x = std::log(h[i]);  // Welford's running mean and sum of squares
    const double delta = x - mean;
    mean += delta / static_cast<double>(positive.size());
    m2 += delta * (x - mean);
  }
  fit.count = positive.size();
  fit.sample_mean_s = h.empty() ? 0.0 : sum / static_cast<double>(h.size());
  if (fit.count < 2) {
    fit.status = Status::not_converged;
    fit.message = "fewer than 2 positive handle times";
    return fit;
  }
  fit.mu = mean;
  fit.sigma = std::sqrt(m2 / static_cast<double>(fit.count));
  fit.mean_s = std::exp(fit.mu + 0.5 * fit.sigma * fit.sigma);
  fit.cv = std::sqrt(std::expm1(fit.sigma * fit.sigma));
  fit.ks_statistic = ks_statistic_lognormal(positive, fit.mu, fit.sigma);
  fit.ks_sample = positive.size();
  fit.ks_p_value = ks_p_value(fit.ks_statistic, fit.ks_sample);
  return fit;
}

}  // namespace wfm::kpi
