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
[[nodiscard]] inline double answered_wait_ratio(double s, double z) noexcept {
  // Mode of psi and psi relative to it, written without cancellation of large terms.
  const double xr = z > s ? std::log(z / s) : 0.0;
  const double zr = z * std::exp(-xr);  // = s when z > s
  auto dpsi = [&](double x) {
    const double d = x - xr;
    return -s * d - zr * std::expm1(-d);
  };
  // Support: where psi has dropped by 50 from the mode (e^{-50} ~ 2e-22).
  const double curv = std::fmax(zr, 1e-300);  // -psi''(xr) = z e^{-xr}
  const double step0 = 1.0 / std::sqrt(curv);
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
  const double lo = xr > 0.0 ? edge(-1.0) : 0.0;
  const double hi = edge(1.0);
  using gk = boost::math::quadrature::gauss_kronrod<double, 61>;
  auto w0 = [&](double x) { return std::exp(dpsi(x)); };
  auto w1 = [&](double x) { return x * std::exp(dpsi(x) - x); };
  constexpr unsigned depth = 20;
  constexpr double tol = 1e-14;
  double j0 = 0.0, j1 = 0.0;
  if (lo < xr) {
    j0 += gk::integrate(w0, lo, xr, depth, tol);
    j1 += gk::integrate(w1, lo, xr, depth, tol);
  }
  j0 += gk::integrate(w0, xr, hi, depth, tol);
  j1 += gk::integrate(w1, xr, hi, depth, tol);
  return j1 / j0;
}

}  // namespace wfm::queueing::detail
