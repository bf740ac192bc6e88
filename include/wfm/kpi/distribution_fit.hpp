#pragma once
/// \file
/// Handle-time distribution measured from a log: a lognormal fit with its goodness of fit, or
/// the empirical sample for wfm::simulation::Distribution::empirical.
///
/// Lognormal maximum likelihood: mu = mean(ln h), sigma^2 = mean((ln h - mu)^2) (Johnson, Kotz &
/// Balakrishnan (1994), Continuous Univariate Distributions vol. 1, 2nd ed., ch. 14, eq. 14.29);
/// mean = exp(mu + sigma^2/2), cv = sqrt(exp(sigma^2) - 1) (ibid., eq. 14.8) — the (mean, cv)
/// that wfm::simulation::Distribution::lognormal takes.
///
/// Goodness of fit: the Kolmogorov-Smirnov statistic D = sup_x |F_n(x) - F(x)| against the fitted
/// lognormal, with the asymptotic p-value Q_KS((sqrt(n) + 0.12 + 0.11/sqrt(n)) D),
/// Q_KS(x) = 2 sum_{k>=1} (-1)^{k-1} e^{-2 k^2 x^2} (Stephens (1970), JRSS B 32, table 1;
/// Press et al. (2007), Numerical Recipes 3rd ed., eq. 14.3.17-14.3.18). Because mu and sigma are
/// fitted to the same data, this p-value is conservative (too large): Lilliefors (1967), JASA 62.
/// With millions of contacts any real log rejects an exact lognormal; read D as the effect size
/// (the largest CDF gap).

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <wfm/core/status.hpp>

namespace wfm::kpi {

struct LognormalFit {
  double mu = 0.0;              ///< mean of ln h
  double sigma = 0.0;           ///< standard deviation of ln h (MLE, divisor n)
  double mean_s = 0.0;          ///< [s] exp(mu + sigma^2 / 2)
  double cv = 0.0;              ///< sqrt(exp(sigma^2) - 1)
  double sample_mean_s = 0.0;   ///< [s] the plain mean of the sample (= aht_s)
  std::size_t count = 0;        ///< positive handle times fitted
  std::size_t zero_count = 0;   ///< handle times of 0 (excluded from the fit; policy)
  double ks_statistic = 0.0;    ///< D
  double ks_p_value = 1.0;      ///< asymptotic, conservative (see the file comment)
  std::size_t ks_sample = 0;    ///< size of the sample D was computed on
  Status status = Status::ok;   ///< not_converged with fewer than 2 positive values
  std::string message;
};

/// Fits a lognormal to handle times [s]. \throws InvalidArgument on a negative or non-finite
/// value (naming its index).
[[nodiscard]] LognormalFit fit_lognormal(std::span<const double> handle_times_s);

/// D of a sample against the lognormal (mu, sigma); sorts `sample`.
[[nodiscard]] double ks_statistic_lognormal(std::vector<double>& sample, double mu, double sigma);

/// Q_KS with Stephens' small-sample correction: the p-value of D for a sample of n.
[[nodiscard]] double ks_p_value(double d, std::size_t n);

}  // namespace wfm::kpi
