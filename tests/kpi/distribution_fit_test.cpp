#include <wfm/kpi/distribution_fit.hpp>

#include <cmath>
#include <random>
#include <vector>

#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::kpi;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("lognormal fit by hand", "[kpi][distribution_fit]") {
  // ln h = 1, 2, 3: mu = 2, sigma^2 = 2/3 (MLE, divisor n). KS: the largest gap is at e^1:
  // 1/3 - Phi(-1/sqrt(2/3)) = 1/3 - Phi(-1.2247449) = 1/3 - 0.1103357 (standard normal table;
  // Abramowitz & Stegun 26.2) = 0.2229976.
  const std::vector<double> h{std::exp(3.0), std::exp(1.0), std::exp(2.0), 0.0};
  const LognormalFit f = fit_lognormal(h);
  CHECK_THAT(f.mu, WithinRel(2.0, 1e-14));
  CHECK_THAT(f.sigma, WithinRel(std::sqrt(2.0 / 3.0), 1e-14));
  CHECK_THAT(f.mean_s, WithinRel(std::exp(2.0 + 1.0 / 3.0), 1e-14));
  CHECK(f.count == 3);
  CHECK(f.zero_count == 1);  // a zero handle time is kept out of the fit (policy)
  CHECK_THAT(f.ks_statistic, WithinAbs(0.2229976, 1e-6));
  CHECK_THROWS_AS(fit_lognormal(std::vector<double>{1.0, -2.0}), wfm::InvalidArgument);
  CHECK(fit_lognormal(std::vector<double>{5.0}).status == wfm::Status::not_converged);
}

TEST_CASE("KS p-value: Kolmogorov distribution values", "[kpi][distribution_fit]") {
  // Q_KS(x) = 1 - K(x): K(1.0) = 0.7300, K(1.36) = 0.9505, K(1.63) = 0.9902 (Smirnov (1948),
  // Ann. Math. Stat. 19, table of the limiting distribution). n = 1e10 makes Stephens'
  // correction negligible.
  const double n = 1e10;
  CHECK_THAT(ks_p_value(1.0 / std::sqrt(n), 10000000000ull), WithinAbs(0.2700, 5e-4));
  CHECK_THAT(ks_p_value(1.36 / std::sqrt(n), 10000000000ull), WithinAbs(0.0495, 5e-4));
  CHECK_THAT(ks_p_value(1.63 / std::sqrt(n), 10000000000ull), WithinAbs(0.0098, 5e-4));
  CHECK(ks_p_value(0.0, 100) == 1.0);
}

TEST_CASE("lognormal fit recovers a lognormal and accepts it", "[kpi][distribution_fit]") {
  std::mt19937_64 g(7);
  std::lognormal_distribution<double> ln(5.0, 0.8);
  std::vector<double> h(20000);
  for (double& x : h) x = ln(g);
  const LognormalFit f = fit_lognormal(h);
  CHECK_THAT(f.mu, WithinAbs(5.0, 0.03));      // SE 0.8 / sqrt(20000) = 0.006
  CHECK_THAT(f.sigma, WithinAbs(0.8, 0.02));   // SE 0.8 / sqrt(40000) = 0.004
  CHECK(f.ks_p_value > 0.001);                 // a true lognormal is not rejected
  std::exponential_distribution<double> ex(1.0 / 180.0);
  for (double& x : h) x = ex(g);
  CHECK(fit_lognormal(h).ks_p_value < 1e-6);   // an exponential is
}
