#pragma once
/// \file
/// Integrals and series of the Erlang A (M/M/n+M) model that have no incomplete-gamma closed
/// form (internal). Notation of erlang_a.hpp: s = n mu / theta, z = lambda / theta.

#include <cmath>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <wfm/queueing/detail/gamma_terms.hpp>

namespace wfm::queueing::detail {

/// T(s, z) = sum_{j>=0} (j + 1) z^j / (s+1)_{j+1} = M(2; s + 2; z) / (s + 1), the factor with
/// P(abandon) = pi_n T and E[Q] = z pi_n T. Its closed form T = 1 + (z - s) S(s + 1, z) / (s + 1)
/// cancels badly when z << s; this positive series is the fallback there, where it converges
/// geometrically with ratio < z / s.
[[nodiscard]] inline double abandon_series(double s, double z) noexcept {
  double term = 1.0 / (s + 1.0), sum = term;
  for (int j = 0; j < max_series_terms; ++j) {
    term *= (j + 2.0) / (j + 1.0) * z / (s + j + 2.0);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

/// theta E[V 1{V <= patience}] / P(wait) = J1 / J0 with
///   J0 = int_0^inf e^{psi(x)} dx,  J1 = int_0^inf x e^{-x} e^{psi(x)} dx,
///   psi(x) = -s x + z (1 - e^{-x}).
/// Derivation: given j callers ahead, the virtual wait is theta^{-1} X with X a sum of
/// independent Exp(s + k), k = 0..j, whose density is (s)_{j+1}/j! e^{-s x}(1 - e^{-x})^j;
/// summing over the stationary queue (pi_{n+j} = pi_n z^j / (s+1)_j) gives
/// E[V e^{-theta V}] = pi_n s J1 / theta and P(wait) = pi_n s J0 (cf. Mandelbaum & Zeltyn 2007,
/// section 3). There is no incomplete-gamma closed form for J1 (it is a derivative in s), so
/// both are integrated by adaptive Gauss-Kronrod (61 points) over the support of the
/// log-concave weight e^{psi}, scaled at its mode.
/// e(d) = e^{-d} - 1 + d >= 0 without cancellation (Taylor series for |d| < 1/2).
[[nodiscard]] inline double exp_minus_linear(double d) noexcept {
  if (std::fabs(d) >= 0.5) return std::expm1(-d) + d;
  double term = 0.5 * d * d, sum = term;  // sum_{k>=2} (-d)^k / k!
  for (int k = 3; k < 30; ++k) {
    term *= -d / k;
    sum += term;
    if (std::fabs(term) <= 1e-17 * sum) break;
  }
  return sum;
}

[[nodiscard]] inline double answered_wait_ratio(double s, double z) noexcept {
  // psi relative to its mode xr: with d = x - xr and zr = z e^{-xr},
  //   psi(x) - psi(xr) = -(s - zr) d - zr e(d),
  // where s - zr = 0 in overload (xr = log(z / s)) and s - z otherwise (xr = 0); both terms
  // are <= 0, so the integrand carries only rounding-level relative error.
  const bool over = z > s;
  const double xr = over ? std::log(z / s) : 0.0;
  const double zr = over ? s : z;
  const double slope = over ? 0.0 : s - z;
  auto dpsi = [&](double x) {
    const double d = x - xr;
    return -slope * d - zr * exp_minus_linear(d);
  };
  // Support: where psi has dropped by 50 from the mode (e^{-50} ~ 2e-22).
  const double step0 = 1.0 / std::sqrt(std::fmax(zr, 1e-300));
  auto edge = [&](double dir) {
    double d = std::fmin(step0, 1.0);
    for (int i = 0; i < 2000; ++i) {
      const double x = xr + dir * d;
      if (x <= 0.0) return 0.0;
      if (dpsi(x) < -50.0) return x;
      d *= 2.0;
    }
    return xr + dir * d;
  };
  const double lo = over ? edge(-1.0) : 0.0;
  const double hi = edge(1.0);
  using gk = boost::math::quadrature::gauss_kronrod<double, 61>;
  constexpr unsigned depth = 12;
  constexpr double tol = 1e-13;
  double j0 = 0.0, j1 = 0.0;
  // Integrate over y in [0, 1] with x = xr + side * length * y: Boost 1.74's adaptive
  // Gauss-Kronrod compares an error in the unit-interval scale with a tolerance in the
  // caller's scale, so the interval is mapped to unit length (the common factor cancels).
  auto add = [&](double length, double side) {
    if (!(length > 0.0)) return;
    auto w0 = [&](double y) { return std::exp(dpsi(xr + side * length * y)) * length; };
    auto w1 = [&](double y) {
      const double x = xr + side * length * y;
      return x * std::exp(dpsi(x) - x) * length;
    };
    j0 += gk::integrate(w0, 0.0, 1.0, depth, tol);
    j1 += gk::integrate(w1, 0.0, 1.0, depth, tol);
  };
  add(xr - lo, -1.0);
  add(hi - xr, 1.0);
  return j1 / j0;
}

}  // namespace wfm::queueing::detail
