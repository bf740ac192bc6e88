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
/// both are integrated by Gauss-Kronrod (31 points, on geometric pieces) over the support of the
/// log-concave weight e^{psi}, scaled at its mode.
/// e(d) = e^{-d} - 1 + d >= 0 without cancellation (Taylor series for |d| < 1/8; beyond, the
/// direct form loses at most a factor ~30 of rounding, relative).
[[nodiscard]] inline double exp_minus_linear(double d) noexcept {
  if (std::fabs(d) >= 0.125) return std::expm1(-d) + d;
  double term = 0.5 * d * d, sum = term;  // sum_{k>=2} (-d)^k / k!
  for (int k = 3; k < 30; ++k) {
    term *= -d / k;
    sum += term;
    if (std::fabs(term) <= 1e-17 * sum) break;
  }
  return sum;
}

/// int exp(phi(x) - phi(mode)) dx over x >= 0 for a concave phi with its maximum at `mode`:
/// over the range where phi has dropped by less than 50 (e^{-50} ~ 2e-22), in geometric pieces
/// each mapped to a unit interval (Boost 1.74's adaptive Gauss-Kronrod compares an error in
/// the unit-interval scale with a tolerance in the caller's scale, so the mapping keeps the two
/// consistent).
template <class Phi>
[[nodiscard]] double integrate_log_concave(const Phi& phi, double mode, double width) noexcept {
  using gk = boost::math::quadrature::gauss_kronrod<double, 31>;
  const double top = phi(mode);
  // The integrand is <= 1 and about 1 over `width` around the mode, so the integral is at
  // least ~width / e: an estimated absolute error of 1e-13 width per piece is ample (Boost's
  // estimate is pessimistic: the actual error is near rounding level).
  const double abs_tol = 1e-13 * width;
  double total = 0.0;
  for (double side : {-1.0, 1.0}) {
    // length of this side: double a step until phi has dropped by 50 (or x reaches 0)
    double length = width;
    if (side < 0.0 && mode <= 0.0) continue;
    for (int i = 0; i < 2100; ++i) {
      const double x = mode + side * length;
      if (x <= 0.0) {
        length = mode;
        break;
      }
      if (phi(x) - top < -50.0) break;
      length *= 2.0;
    }
    // Geometric pieces [width 4^(k-1), width 4^k] from the mode outwards, so that features on
    // every scale between `width` and `length` (the e^{-x} kernel, the slope) are resolved;
    // a piece is halved (up to 8 times) while its Gauss-Kronrod error estimate exceeds abs_tol.
    auto piece = [&](auto& self, double a0, double span, int depth) -> double {
      auto f = [&](double y) { return std::exp(phi(mode + side * (a0 + span * y)) - top) * span; };
      double err = 0.0;
      const double r = gk::integrate(f, 0.0, 1.0, 0, 0.0, &err);
      if (err <= abs_tol || depth == 0) return r;
      return self(self, a0, 0.5 * span, depth - 1) + self(self, a0 + 0.5 * span, 0.5 * span,
                                                          depth - 1);
    };
    double from = 0.0;
    for (double to = std::fmin(width, length); from < length; to = std::fmin(4.0 * to, length)) {
      total += piece(piece, from, to - from, 8);
      from = to;
    }
  }
  return total;
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
  auto phi0 = [&](double x) {
    const double d = x - xr;
    return -slope * d - zr * exp_minus_linear(d);
  };
  auto phi1 = [&](double x) { return std::log(x) - x + phi0(x); };
  // Mode of phi1 (concave): phi1'(x) = 1/x - 1 - slope + zr expm1(-(x - xr)) = 0, bisection.
  auto dphi1 = [&](double x) { return 1.0 / x - 1.0 - slope + zr * std::expm1(-(x - xr)); };
  double lo = 0.0, hi = std::fmax(xr, 1.0);
  while (dphi1(hi) > 0.0) hi *= 2.0;
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (lo + hi);
    (dphi1(mid) > 0.0 ? lo : hi) = mid;
  }
  const double x1 = 0.5 * (lo + hi);
  // Widths: 1 / sqrt(-phi'') at the modes (a first step; the support search doubles it).
  const double w0 = 1.0 / std::sqrt(std::fmax(zr, 1e-300));
  const double w1 = 1.0 / std::sqrt(1.0 / (x1 * x1) + zr * std::exp(-(x1 - xr)));
  const double j0 = integrate_log_concave(phi0, xr, std::fmin(w0, 1.0));
  const double j1 = integrate_log_concave(phi1, x1, std::fmin(w1, 0.5 * x1));
  return std::exp(phi1(x1)) * j1 / j0;  // phi0(xr) = 0
}

}  // namespace wfm::queueing::detail
