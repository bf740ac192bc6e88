#pragma once
/// \file
/// Scaled incomplete-gamma and Poisson terms behind Erlang B, C and A (internal).
///
/// Every Erlang quantity is a ratio of incomplete gamma functions whose numerator and
/// denominator both under- or overflow at large scale (a^n e^{-a} / n! at n = 100,000). The
/// functions here return those ratios *scaled*, so that nothing under- or overflows where the
/// answer is representable:
///
///   - H(m, w) = Gamma(m, w) e^w w^{-m}                       (scaled upper incomplete gamma)
///   - S(s, w) = gamma(s, w) s e^w w^{-s} = M(1; s + 1; w)    (scaled lower incomplete gamma)
///             = sum_{k>=0} w^k / ((s+1)(s+2)...(s+k))
///
/// Erlang B is 1 / (a H(n + 1, a)) (Jagerman 1974, the continuous extension
/// B(x, a) = a^x e^{-a} / Gamma(x + 1, a)); S is the function A(x, y) of Mandelbaum & Zeltyn
/// (2007), "Service engineering in action: the Palm/Erlang-A queue", eq. (3.4).
///
/// Accuracy comes from Boost.Math's regularized incomplete gamma functions (gamma_p, gamma_q,
/// gamma_p_derivative: Temme's uniform asymptotics for large arguments, DiDonato & Morris) where
/// their prefactor x^a e^{-x} / Gamma(a) is representable, and from a power series or Legendre's
/// continued fraction elsewhere. Valid input is assumed (checked by the public classes).

#include <cmath>
#include <limits>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/log1p.hpp>

namespace wfm::queueing::detail {

/// Boost.Math policy: work in double (no promotion to long double: faster, and the accuracy
/// stays within a few tens of ulps), and never throw: a result that under- or overflows is the
/// limit value (0 or inf), and the callers below guard every such case.
using gamma_policy = boost::math::policies::policy<
    boost::math::policies::promote_double<false>,
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::denorm_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

inline constexpr double inf = std::numeric_limits<double>::infinity();
/// Below this a Boost prefactor may be subnormal (fewer significant digits): switch method.
inline constexpr double tiny_prefactor = 1e-280;
/// Cap on series terms. Only reached in far-out corners (s > 1e9 with w / s within 1e-4 of 1);
/// the truncated sum is then still accurate to about 1e-8.
inline constexpr int max_series_terms = 2'000'000;

/// Regularized P(a, x) = gamma(a, x) / Gamma(a).
[[nodiscard]] inline double gamma_p(double a, double x) noexcept {
  return boost::math::gamma_p(a, x, gamma_policy());
}
/// Regularized Q(a, x) = Gamma(a, x) / Gamma(a).
[[nodiscard]] inline double gamma_q(double a, double x) noexcept {
  return boost::math::gamma_q(a, x, gamma_policy());
}

/// The Poisson term g(s, w) = w^s e^{-w} / Gamma(s + 1) for real s >= 0, w >= 0
/// (= d/dw P(s + 1, w), Boost's gamma_p_derivative).
[[nodiscard]] inline double poisson_term(double s, double w) noexcept {
  if (w == 0.0) return s == 0.0 ? 1.0 : 0.0;
  return boost::math::gamma_p_derivative(s + 1.0, w, gamma_policy());
}

/// log g(s, w) = s log w - w - log Gamma(s + 1), accurate also where g underflows. For s >= 10
/// Stirling's series is used in the form
///   log g = s * log1pmx((w - s) / s) - log(2 pi s) / 2 - c(s),
///   c(s) = 1/(12 s) - 1/(360 s^3) + 1/(1260 s^5) - 1/(1680 s^7)
/// (Abramowitz & Stegun 6.1.41), so no large logarithms cancel.
[[nodiscard]] inline double log_poisson_term(double s, double w) noexcept {
  if (w == 0.0) return s == 0.0 ? 0.0 : -inf;
  if (s < 10.0) return s * std::log(w) - w - std::lgamma(s + 1.0);
  const double r = 1.0 / s, r2 = r * r;
  const double c = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
  const double two_pi = 6.283185307179586476925286766559;
  return s * boost::math::log1pmx((w - s) / s, gamma_policy()) - 0.5 * std::log(two_pi * s) -
         c;
}

/// Power series S(s, w) = sum_k w^k / (s+1)_k, all terms positive (no cancellation).
[[nodiscard]] inline double lower_series(double s, double w) noexcept {
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < max_series_terms; ++k) {
    term *= w / (s + k);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

/// S(s, w) = M(1; s + 1; w) = P(s, w) / g(s, w) for s > 0, w >= 0 (Mandelbaum & Zeltyn's
/// A(s, w)). S >= 1; it overflows to +inf only when w >> s.
[[nodiscard]] inline double scaled_lower_gamma(double s, double w) noexcept {
  if (w == 0.0) return 1.0;
  if (w <= 0.5 * (s + 1.0)) return lower_series(s, w);  // terms shrink by >= 1/2 each
  const double g = poisson_term(s, w);
  if (g > tiny_prefactor) return gamma_p(s, w) / g;
  if (w < s) return lower_series(s, w);
  return std::exp(std::log(gamma_p(s, w)) - log_poisson_term(s, w));  // may be +inf
}

/// Legendre's continued fraction for H(m, w), w > m (Abramowitz & Stegun 6.5.31; evaluated by
/// the modified Lentz method, Numerical Recipes 3rd ed. section 6.2):
///   Gamma(m, w) = e^{-w} w^m / (w + 1 - m - 1 (1 - m) / (w + 3 - m - 2 (2 - m) / (w + 5 - m - ...)))
[[nodiscard]] inline double upper_fraction(double m, double w) noexcept {
  constexpr double fpmin = 1e-300;
  double b = w + 1.0 - m;
  double c = 1.0 / fpmin;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < max_series_terms; ++i) {
    const double an = -i * (i - m);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < fpmin) d = fpmin;
    c = b + an / c;
    if (std::fabs(c) < fpmin) c = fpmin;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < 1e-16) break;
  }
  return h;
}

/// H(m, w) = Gamma(m, w) e^w w^{-m} for m > 0, w > 0. Overflows to +inf only when w << m.
[[nodiscard]] inline double scaled_upper_gamma(double m, double w) noexcept {
  // gamma_p_derivative(m, w) = w^{m-1} e^{-w} / Gamma(m), so H = Q(m, w) / (w * that).
  const double d = boost::math::gamma_p_derivative(m, w, gamma_policy());
  if (d > tiny_prefactor) return gamma_q(m, w) / (w * d);
  if (w > m) return upper_fraction(m, w);  // far upper tail: the fraction converges fast
  return inf;                              // H > 1e280: Erlang B below 1e-280
}

/// R(n, a) = 1 / B(n, a) = a H(n + 1, a) = Gamma(n + 1, a) e^a a^{-n}, a > 0, n >= 0.
[[nodiscard]] inline double inverse_erlang_b(double n, double a) noexcept {
  return a * scaled_upper_gamma(n + 1.0, a);
}

/// R(n, a) - 1 = n H(n, a) (from Gamma(n + 1, a) = n Gamma(n, a) + a^n e^{-a}), computed
/// without cancellation; `r` is R(n, a) when already known.
[[nodiscard]] inline double inverse_erlang_b_minus_one(double n, double a, double r) noexcept {
  if (r >= 2.0) return r - 1.0;  // at most a factor 2 of rounding amplification
  if (n == 0.0) return 0.0;
  return n * scaled_upper_gamma(n, a);
}

/// P(a, hi) - P(a, lo) for 0 <= lo <= hi, from whichever tails avoid cancellation.
[[nodiscard]] inline double gamma_p_difference(double a, double lo, double hi) noexcept {
  if (lo >= a) return gamma_q(a, lo) - gamma_q(a, hi);
  if (hi <= a) return gamma_p(a, hi) - gamma_p(a, lo);
  return (1.0 - gamma_q(a, hi)) - gamma_p(a, lo);
}

}  // namespace wfm::queueing::detail
