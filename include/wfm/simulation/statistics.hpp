#pragma once
/// \file
/// Estimates over independent replications with 95 % confidence intervals.
///
/// A replication r yields, per interval, totals such as Y_r = calls answered within 20 s and
/// X_r = calls offered. The service level is estimated by the *ratio estimator*
/// R = sum Y_r / sum X_r (the long-run fraction over all calls, not the mean of per-replication
/// fractions, which is biased when volumes vary). Its standard error comes from the delta
/// method: Var(R) ~ S^2 / (n Xbar^2) with S^2 = sum (Y_r - R X_r)^2 / (n - 1)
/// (Cochran (1977), Sampling Techniques, 3rd ed., section 6.3; Asmussen & Glynn (2007),
/// Stochastic Simulation, section III.3), and the 95 % half-width is t_{0.975, n-1} times it.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

namespace wfm::simulation {

/// A point estimate and the half-width of its 95 % confidence interval:
/// the interval is [value - half_width, value + half_width].
/// With one replication the half-width is +inf (no variance estimate).
struct Estimate {
  double value = 0.0;
  double half_width = 0.0;
};

namespace detail {

/// t_{0.975, dof}: the 97.5 % quantile of Student's t (Boost.Math).
[[nodiscard]] inline double t975(std::int64_t dof) {
  if (dof <= 0) return std::numeric_limits<double>::infinity();
  const boost::math::students_t dist(static_cast<double>(dof));
  return boost::math::quantile(dist, 0.975);
}

/// Streaming sums for a ratio estimator sum Y / sum X with its delta-method variance. Values
/// are shifted by the first replication's (x, y) before squaring, so the centred sums of
/// squares do not cancel catastrophically. Deterministic: the result depends only on the order
/// in which add() is called.
class RatioAccumulator {
 public:
  void add(double x, double y) noexcept {
    if (n_ == 0) {
      kx_ = x;
      ky_ = y;
    }
    const double dx = x - kx_;
    const double dy = y - ky_;
    ++n_;
    sx_ += dx;
    sy_ += dy;
    sxx_ += dx * dx;
    syy_ += dy * dy;
    sxy_ += dx * dy;
  }
  [[nodiscard]] std::int64_t count() const noexcept { return n_; }
  [[nodiscard]] double mean_x() const noexcept { return n_ ? kx_ + sx_ / dn() : 0.0; }
  [[nodiscard]] double mean_y() const noexcept { return n_ ? ky_ + sy_ / dn() : 0.0; }

  /// R = mean_y / mean_x with its 95 % half-width. `empty_value` is returned (half-width 0)
  /// when every X is 0 (e.g. the service level of an interval without calls).
  [[nodiscard]] Estimate ratio(double t_quantile, double empty_value) const noexcept {
    const double mx = mean_x();
    if (n_ == 0 || !(mx > 0.0)) return {empty_value, 0.0};
    const double r = mean_y() / mx;
    if (n_ < 2) return {r, std::numeric_limits<double>::infinity()};
    // Centred sums: Cxx = sum (x - xbar)^2 etc., from the shifted sums.
    const double n = dn();
    const double cxx = sxx_ - sx_ * sx_ / n;
    const double cyy = syy_ - sy_ * sy_ / n;
    const double cxy = sxy_ - sx_ * sy_ / n;
    // sum (Y - R X)^2 = Cyy - 2 R Cxy + R^2 Cxx, because sum (Y - R X) = 0 at R = Ybar / Xbar.
    const double ss = std::max(0.0, cyy - 2.0 * r * cxy + r * r * cxx);
    const double se = std::sqrt(ss / (n - 1.0) / n) / mx;
    return {r, t_quantile * se};
  }

  /// The mean of Y over replications with its 95 % half-width (X unused).
  [[nodiscard]] Estimate mean(double t_quantile) const noexcept {
    if (n_ == 0) return {0.0, 0.0};
    const double my = mean_y();
    if (n_ < 2) return {my, std::numeric_limits<double>::infinity()};
    const double n = dn();
    const double cyy = std::max(0.0, syy_ - sy_ * sy_ / n);
    return {my, t_quantile * std::sqrt(cyy / (n - 1.0) / n)};
  }

 private:
  [[nodiscard]] double dn() const noexcept { return static_cast<double>(n_); }
  std::int64_t n_ = 0;
  double kx_ = 0.0, ky_ = 0.0;
  double sx_ = 0.0, sy_ = 0.0, sxx_ = 0.0, syy_ = 0.0, sxy_ = 0.0;
};

}  // namespace detail
}  // namespace wfm::simulation
