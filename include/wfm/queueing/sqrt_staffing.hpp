#pragma once
/// \file
/// Square-root staffing: the Halfin-Whitt (Erlang C) and Garnett-Mandelbaum-Reiman (Erlang A)
/// QED approximations. These are **approximations** (asymptotically exact as the load grows
/// with n = a + beta sqrt(a)); use ErlangC / ErlangA for exact values. They are cheap and
/// monotone, which makes them good brackets for an exact staffing search.

#include <cmath>
#include <limits>

#include <wfm/core/error.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {

namespace detail {

inline constexpr double inv_sqrt2 = 0.70710678118654752440084436210485;
inline constexpr double inv_sqrt2pi = 0.39894228040143267793994605993438;

/// Standard normal density phi(x).
[[nodiscard]] inline double normal_pdf(double x) noexcept {
  return inv_sqrt2pi * std::exp(-0.5 * x * x);
}
/// Upper tail 1 - Phi(x), accurate in both tails (erfc).
[[nodiscard]] inline double normal_upper(double x) noexcept {
  return 0.5 * std::erfc(x * inv_sqrt2);
}
/// log(1 - Phi(x)), also where 1 - Phi(x) underflows (Laplace's continued fraction for the
/// Mills ratio, Abramowitz & Stegun 26.2.14, for x > 30).
[[nodiscard]] inline double log_normal_upper(double x) noexcept {
  if (x < 30.0) return std::log(normal_upper(x));
  // 1 - Phi(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...))))
  double cf = x;
  for (int k = 40; k >= 1; --k) cf = x + k / cf;
  return std::log(inv_sqrt2pi) - 0.5 * x * x - std::log(cf);
}
/// Hazard rate of the standard normal h(x) = phi(x) / (1 - Phi(x)) (h(x) ~ x as x -> inf).
[[nodiscard]] inline double normal_hazard(double x) noexcept {
  if (x < 30.0) return normal_pdf(x) / normal_upper(x);
  double cf = x;
  for (int k = 40; k >= 1; --k) cf = x + k / cf;
  return cf;
}

}  // namespace detail

/// Agents of square-root staffing n = load + beta sqrt(load) [Erl] (Halfin & Whitt 1981;
/// Borst, Mandelbaum & Reiman 2004). Not rounded.
/// \throws InvalidArgument if load < 0 or not finite, or beta is not finite.
[[nodiscard]] inline double square_root_staffing(double load, double beta) {
  wfm::detail::require_nonnegative("wfm::queueing::square_root_staffing", "load [Erl]", load);
  if (!std::isfinite(beta))
    wfm::detail::throw_invalid("wfm::queueing::square_root_staffing", "beta must be finite",
                               beta);
  return std::fmax(0.0, load + beta * std::sqrt(load));
}

/// The Halfin-Whitt delay function alpha(beta) = [1 + beta Phi(beta) / phi(beta)]^{-1}, the
/// QED limit of the Erlang C wait probability when n = a + beta sqrt(a) (Halfin & Whitt 1981,
/// "Heavy-traffic limits for queues with many exponential servers", Oper. Res. 29, Prop. 1).
/// An approximation; 1 for beta <= 0.
[[nodiscard]] inline double halfin_whitt_wait_probability(double beta) noexcept {
  if (!(beta > 0.0)) return 1.0;
  // beta Phi(beta) / phi(beta) = beta / h(-beta), h the normal hazard rate.
  const double ratio = beta * (1.0 - detail::normal_upper(beta)) / detail::normal_pdf(beta);
  return 1.0 / (1.0 + ratio);  // ratio = +inf for beta > ~38 gives 0
}

/// The beta > 0 with halfin_whitt_wait_probability(beta) = wait_probability (bisection to full
/// precision; alpha is strictly decreasing). An approximation's inverse.
/// \throws InvalidArgument if wait_probability is not in (0, 1).
[[nodiscard]] inline double halfin_whitt_beta(double wait_probability) {
  wfm::detail::require_open_unit("wfm::queueing::halfin_whitt_beta", "wait_probability",
                                 wait_probability);
  double lo = 0.0, hi = 1.0;
  while (halfin_whitt_wait_probability(hi) > wait_probability && hi < 64.0) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (halfin_whitt_wait_probability(mid) > wait_probability ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/// The Halfin-Whitt approximation of Erlang C (an approximation, see file comment): with
/// beta = (n - a) / sqrt(a), P(wait) ~ alpha(beta), SL(t) ~ 1 - alpha e^{-(n - a) t / AHT},
/// ASA ~ alpha AHT / (n - a). Same interface and limits as ErlangC.
class HalfinWhitt {
 public:
  HalfinWhitt(double arrival_rate, double handle_time)
      : arrival_rate_(arrival_rate), handle_time_(handle_time) {
    detail::check_traffic("wfm::queueing::HalfinWhitt", arrival_rate, handle_time);
  }
  [[nodiscard]] double beta(double agents) const {
    detail::check_agents("wfm::queueing::HalfinWhitt::beta", agents);
    const double a = load();
    return a == 0.0 ? std::numeric_limits<double>::infinity() : (agents - a) / std::sqrt(a);
  }
  [[nodiscard]] double wait_probability(double agents) const {
    detail::check_agents("wfm::queueing::HalfinWhitt::wait_probability", agents);
    const double a = load();
    if (a == 0.0) return 0.0;
    return halfin_whitt_wait_probability((agents - a) / std::sqrt(a));
  }
  [[nodiscard]] double service_level(double agents, double target_time) const {
    detail::check_target_time("wfm::queueing::HalfinWhitt::service_level", target_time);
    const double a = load(), pw = wait_probability(agents);
    if (a == 0.0) return 1.0;
    if (agents <= a) return 0.0;
    return 1.0 - pw * std::exp(-(agents - a) * target_time / handle_time_);
  }
  [[nodiscard]] double average_speed_of_answer(double agents) const {
    const double a = load(), pw = wait_probability(agents);
    if (a == 0.0) return 0.0;
    if (agents <= a) return std::numeric_limits<double>::infinity();
    return pw * handle_time_ / (agents - a);
  }
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]

 private:
  double arrival_rate_;
  double handle_time_;
};

/// The Garnett-Mandelbaum-Reiman QED approximation of Erlang A (an approximation, see file
/// comment). With beta = (n - a) / sqrt(a) (any sign), r = patience / AHT = mu / theta,
/// beta^ = beta sqrt(r) and h the standard normal hazard rate
/// (Garnett, Mandelbaum & Reiman 2002, section 4; Mandelbaum & Zeltyn 2007, section 4):
///
///   - P(wait) ~ [1 + h(beta^) / (sqrt(r) h(-beta))]^{-1};
///   - P(abandon) ~ P(wait) [h(beta^) - beta^] / sqrt(n r);
///   - P(V > t | wait) ~ (1 - Phi(beta^ + t sqrt(n mu theta))) / (1 - Phi(beta^)).
///
/// (Each follows from the exact formulas of ErlangA with the normal limits of B(n, a) and
/// A(s, z).) service_level() is the virtual_wait_within definition P(V <= t).
class GarnettMandelbaumReiman {
 public:
  GarnettMandelbaumReiman(double arrival_rate, double handle_time, double patience)
      : arrival_rate_(arrival_rate), handle_time_(handle_time), patience_(patience) {
    detail::check_traffic("wfm::queueing::GarnettMandelbaumReiman", arrival_rate, handle_time);
    wfm::detail::require_positive("wfm::queueing::GarnettMandelbaumReiman", "patience [s]",
                                  patience);
  }
  [[nodiscard]] double wait_probability(double agents) const {
    detail::check_agents("wfm::queueing::GarnettMandelbaumReiman::wait_probability", agents);
    const double a = load();
    if (a == 0.0) return 0.0;
    if (agents == 0.0) return 1.0;
    const double b = (agents - a) / std::sqrt(a), r = patience_ / handle_time_;
    const double bh = b * std::sqrt(r);
    return 1.0 / (1.0 + detail::normal_hazard(bh) / (std::sqrt(r) * detail::normal_hazard(-b)));
  }
  [[nodiscard]] double abandon_probability(double agents) const {
    const double pw = wait_probability(agents);
    const double a = load();
    if (a == 0.0) return 0.0;
    if (agents == 0.0) return 1.0;
    const double r = patience_ / handle_time_;
    const double bh = (agents - a) / std::sqrt(a) * std::sqrt(r);
    return std::fmin(1.0, pw * (detail::normal_hazard(bh) - bh) / std::sqrt(agents * r));
  }
  /// P(V <= target_time) (virtual_wait_within), target_time [s].
  [[nodiscard]] double service_level(double agents, double target_time) const {
    detail::check_target_time("wfm::queueing::GarnettMandelbaumReiman::service_level",
                              target_time);
    const double pw = wait_probability(agents);
    const double a = load();
    if (a == 0.0) return 1.0;
    if (agents == 0.0) return 0.0;
    const double mu = 1.0 / handle_time_, theta = 1.0 / patience_;
    const double bh = (agents - a) / std::sqrt(a) * std::sqrt(mu / theta);
    const double x1 = bh + target_time * std::sqrt(agents * mu * theta);
    const double tail = std::exp(detail::log_normal_upper(x1) - detail::log_normal_upper(bh));
    return std::fmin(1.0, std::fmax(0.0, 1.0 - pw * tail));
  }
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]

 private:
  double arrival_rate_;
  double handle_time_;
  double patience_;
};

}  // namespace wfm::queueing
