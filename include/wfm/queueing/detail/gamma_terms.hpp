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
/// Cap on series terms. Only reached in far-out corners (s > 1e9 with w / s within 1e-4 of 1);
/// the truncated sum is then still accurate to about 1e-8.
inline constexpr int max_series_terms = 2'000'000;

/// Boost's regularized incomplete gamma functions are exact to a few ulps near the centre
/// (Temme's uniform expansion, |x - a| < ~4.5 sqrt(a) for large a); in the far tails at large
/// a their prefactor x^a e^{-x} / Gamma(a) is formed by pow() and loses about a * 1e-16
/// relative (1e-9 at a = 1e7), and the tail itself may underflow. In the far tails
/// (|x - a| > max(1, 4 sqrt(a))) the scaled functions below therefore use continued
/// fractions, which converge there in < 60 steps, and an accurate log-space prefactor.
[[nodiscard]] inline bool far_tail(double a, double x) noexcept {
  const double d = std::fabs(x - a);
  return d > 1.0 && d * d > 16.0 * a;
}

/// Regularized P(a, x) = gamma(a, x) / Gamma(a) (Boost; exact away from the far tails, see far_tail()).
[[nodiscard]] inline double gamma_p(double a, double x) noexcept {
  return boost::math::gamma_p(a, x, gamma_policy());
}
/// Regularized Q(a, x) = Gamma(a, x) / Gamma(a) (Boost; exact away from the far tails, see far_tail()).
[[nodiscard]] inline double gamma_q(double a, double x) noexcept {
  return boost::math::gamma_q(a, x, gamma_policy());
}

/// log g(s, w) with g(s, w) = w^s e^{-w} / Gamma(s + 1) (the Poisson term; = d/dw P(s + 1, w)),
/// for s >= 0, w >= 0, given also log w (so that w may underflow). Accurate to a few ulps of
/// the result: for s >= 10 and w >= s / 2 Stirling's series is used in the form
///   log g = s * log1pmx((w - s) / s) - log(2 pi s) / 2 - c(s),
///   c(s) = 1/(12 s) - 1/(360 s^3) + 1/(1260 s^5) - 1/(1680 s^7)
/// (Abramowitz & Stegun 6.1.41), so no large logarithms cancel.
[[nodiscard]] inline double log_poisson_term(double s, double w, double log_w) noexcept {
  if (s == 0.0) return -w;
  if (!(log_w > -inf)) return -inf;
  if (s < 10.0 || w < 0.5 * s) return s * log_w - w - std::lgamma(s + 1.0);
  const double r = 1.0 / s, r2 = r * r;
  const double c = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
  const double two_pi = 6.283185307179586476925286766559;
  return s * boost::math::log1pmx((w - s) / s, gamma_policy()) - 0.5 * std::log(two_pi * s) -
         c;
}
[[nodiscard]] inline double log_poisson_term(double s, double w) noexcept {
  return log_poisson_term(s, w, std::log(w));
}
/// g(s, w) = w^s e^{-w} / Gamma(s + 1) (0 where it underflows).
[[nodiscard]] inline double poisson_term(double s, double w) noexcept {
  return std::exp(log_poisson_term(s, w));
}

/// Power series S(s, w) = sum_k w^k / (s+1)_k, all terms positive (no cancellation); used for
/// w <= (s + 1) / 2, where it converges at least like 2^-k.
[[nodiscard]] inline double lower_series(double s, double w) noexcept {
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < max_series_terms; ++k) {
    term *= w / (s + k);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

/// S(s, w) = s e^w w^{-s} gamma(s, w) by the continued fraction
///   gamma(s, w) = w^s e^{-w} / (s - s w / (s + 1 + w / (s + 2 - (s + 1) w / (s + 3 + 2 w /
///                 (s + 4 - (s + 2) w / (s + 5 + ...))))))
/// (Abramowitz & Stegun 6.5.22 via the Kummer function 1F1(1; s + 1; w), cf. Jones & Thron
/// 1985), evaluated by the modified Lentz method; for w < s outside Temme's region it converges
/// in < 60 steps.
[[nodiscard]] inline double lower_fraction(double s, double w) noexcept {
  constexpr double fpmin = 1e-300;
  double f = s, c = s, d = 0.0;
  for (int i = 1; i < max_series_terms; ++i) {
    const int k = i / 2;
    const double an = (i % 2 == 0) ? k * w : -(s + k) * w;
    const double bn = s + i;
    d = bn + an * d;
    if (std::fabs(d) < fpmin) d = fpmin;
    c = bn + an / c;
    if (std::fabs(c) < fpmin) c = fpmin;
    d = 1.0 / d;
    const double del = c * d;
    f *= del;
    if (std::fabs(del - 1.0) < 1e-16) break;
  }
  return s / f;
}

/// Legendre's continued fraction for H(m, w), w > m (Abramowitz & Stegun 6.5.31; evaluated by
/// the modified Lentz method, Numerical Recipes 3rd ed. section 6.2):
///   Gamma(m, w) = e^{-w} w^m / (w + 1 - m - 1 (1 - m) / (w + 3 - m - 2 (2 - m) / (w + 5 - m - ...)))
/// Outside Temme's region (w > m + 4 sqrt(m)) it converges in < 40 steps.
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

/// S(s, w) = M(1; s + 1; w) = P(s, w) / g(s, w) for s > 0, w >= 0 (Mandelbaum & Zeltyn's
/// A(s, w)). S >= 1; it overflows to +inf only when w >> s.
[[nodiscard]] inline double scaled_lower_gamma(double s, double w) noexcept {
  if (w == 0.0) return 1.0;
  if (w <= 0.5 * (s + 1.0)) return lower_series(s, w);  // terms shrink by >= 1/2 each
  if (w < s && far_tail(s, w)) return lower_fraction(s, w);
  // Near the centre (Boost exact), or w > s where P(s, w) >= ~1/2 is accurate absolutely.
  return std::exp(std::log(gamma_p(s, w)) - log_poisson_term(s, w));  // may be +inf
}

/// H(m, w) = Gamma(m, w) e^w w^{-m} for m > 0, w > 0. Overflows to +inf only when w << m.
[[nodiscard]] inline double scaled_upper_gamma(double m, double w) noexcept {
  if (w > m && far_tail(m, w)) return upper_fraction(m, w);
  // Gamma(m) e^w w^{-m} = 1 / (w g(m - 1, w)); Q(m, w) is accurate here (near the centre, or
  // w < m where Q >= ~1/2).
  return std::exp(std::log(gamma_q(m, w)) - std::log(w) - log_poisson_term(m - 1.0, w));
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

/// Q(a, x) accurate also in the far upper tail (x > a): a g(a, x) H(a, x) there.
[[nodiscard]] inline double upper_tail(double a, double x) noexcept {
  if (x > a && far_tail(a, x))
    return std::exp(std::log(a * upper_fraction(a, x)) + log_poisson_term(a, x));
  return gamma_q(a, x);
}
/// P(a, x) accurate also in the far lower tail (x < a), given log x (x may underflow):
/// g(a, x) S(a, x) there.
[[nodiscard]] inline double lower_tail(double a, double x, double log_x) noexcept {
  if (x < a && (x < 1e-300 || far_tail(a, x)))
    return std::exp(log_poisson_term(a, x, log_x) + std::log(scaled_lower_gamma(a, x)));
  return gamma_p(a, x);
}

/// P(a, hi) - P(a, lo) for 0 <= lo <= hi, from whichever tails avoid cancellation; lo is
/// also given as log_lo (lo may underflow).
[[nodiscard]] inline double gamma_p_difference(double a, double lo, double log_lo,
                                               double hi) noexcept {
  if (lo >= a) return upper_tail(a, lo) - upper_tail(a, hi);
  if (hi <= a) return lower_tail(a, hi, std::log(hi)) - lower_tail(a, lo, log_lo);
  return (1.0 - upper_tail(a, hi)) - lower_tail(a, lo, log_lo);
}

}  // namespace wfm::queueing::detail
