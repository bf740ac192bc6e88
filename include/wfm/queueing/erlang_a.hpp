#pragma once
/// \file
/// Erlang A (M/M/n+M: exponentially impatient callers), with real-valued agents.

#include <cmath>
#include <limits>

#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/detail/erlang_a_terms.hpp>
#include <wfm/queueing/detail/gamma_terms.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {

/// Erlang A (Palm's M/M/n+M) queue for fixed traffic: Poisson arrivals at rate lambda,
/// exponential handle times with mean AHT = 1/mu, n agents, and callers who abandon after an
/// exponential patience with mean `patience` = 1/theta, FCFS. Always stable.
///
/// Exact closed forms, after Garnett, Mandelbaum & Reiman (2002), "Designing a call center with
/// impatient customers", MSOM 4(3), section 3, and Mandelbaum & Zeltyn (2007), "Service
/// engineering in action: the Palm/Erlang-A queue, with applications to call centers",
/// section 3 (whose notation is used): with s = n mu / theta, z = lambda / theta, a = lambda/mu,
///
///   - B = B(n, a) the Erlang B formula (see ErlangB), R = 1 / B;
///   - S = A(s, z) = s e^z z^{-s} gamma(s, z) = sum_{j>=0} z^j / (s+1)_j  (their A(x, y));
///   - pi_n = 1 / (R + S - 1), the probability that all n agents are busy and nobody waits;
///   - P(wait) = P(V > 0) = pi_n S = S B / (1 + (S - 1) B)                      (M&Z eq. 3.5);
///   - P(V > t) = pi_n s e^z z^{-s} gamma(s, z u) = P(wait) P(s, z u) / P(s, z),
///     u = e^{-theta t}, P the regularized lower incomplete gamma                 (M&Z eq. 3.8);
///   - P(V <= t, answered) = (1 - P(wait)) + pi_n s e^z z^{-s-1} [gamma(s+1, z) - gamma(s+1, z u)];
///   - P(abandon) = pi_n T, T = S - (s/z)(S - 1), i.e. P(ab | wait) = 1/(rho S) + 1 - 1/rho,
///     rho = a / n                                                                (M&Z eq. 3.6);
///   - E[Q] = lambda E[min(V, patience)] = z P(abandon) (Little; theta E[Q] = lambda P(ab)).
///
/// V is the virtual wait (of an infinitely patient caller). The formulas extend to real n.
/// They are evaluated through scaled incomplete gamma functions and series without
/// cancellation (gamma_terms.hpp), exact to ~1e-12 relative up to 100,000 agents and
/// Erlangs, in overload (n < a) too. The expected answered wait E[V | answered] has no
/// incomplete-gamma closed form and is integrated numerically (erlang_a_terms.hpp).
///
/// **Example**:
///
///     ErlangA q(/*arrival_rate=*/100.0 / 1800.0, /*handle_time=*/180.0, /*patience=*/120.0);
///     double sl = q.service_level(14, 20.0, ServiceLevelDefinition::answered_within);
///
/// `patience` = +inf gives Erlang C exactly (and, for agents <= load, the theta -> 0 limits:
/// P(wait) = 1, SL = 0, ASA = inf, P(abandon) = 1 - n / a).
///
/// \throws InvalidArgument if arrival_rate < 0, handle_time <= 0, patience <= 0, or any is NaN
///         (only patience may be +inf); if agents < 0 or target_time < 0, NaN or infinite.
/// \warning Limits are values: zero arrivals give P(wait) = 0, every SL = 1, ASA = 0,
///          occupancy 0. agents = 0 gives P(wait) = P(abandon) = 1, SL = 0 (wait_within:
///          1 - e^{-t/patience}), ASA over all = patience, ASA over answered = +inf, occupancy 1.
class ErlangA {
 public:
  /// Relative accuracy at which Erlang A is replaced by its Erlang C limit (see
  /// erlang_c_limit()), and the patience / AHT ratio from which the overload limits are used.
  static constexpr double erlang_c_limit_tolerance = 1e-13;
  static constexpr double erlang_c_limit_overload_ratio = 1e24;

  ErlangA(double arrival_rate, double handle_time, double patience)
      : arrival_rate_(arrival_rate),
        handle_time_(handle_time),
        patience_(patience),
        erlang_c_(check(arrival_rate, handle_time, patience), handle_time) {}
  ErlangA(Traffic traffic, double patience)
      : ErlangA(traffic.arrival_rate, traffic.handle_time, patience) {}

  /// P(wait > 0): the probability that an arrival finds all agents busy.
  [[nodiscard]] double wait_probability(double agents) const {
    detail::check_agents("wfm::queueing::ErlangA::wait_probability", agents);
    if (erlang_c_limit(agents)) return erlang_c_.wait_probability(agents);
    if (load() == 0.0) return 0.0;
    if (agents == 0.0) return 1.0;
    return core(agents).wait;
  }

  /// Service level for target_time [s] under definition `d` (definitions.hpp). With
  /// V the virtual wait, P the patience ~ Exp(theta), u = e^{-theta t}, W = min(V, P):
  ///
  ///   - answered_within:  P(V <= t, V <= P) = E[e^{-theta V}; V <= t]
  ///                       = (1 - P(wait)) + pi_n s e^z z^{-s-1} [gamma(s+1, z) - gamma(s+1, z u)]
  ///   - wait_within:      P(W <= t) = 1 - P(V > t, P > t) = 1 - u P(V > t)
  ///   - virtual_wait_within: P(V <= t) = 1 - P(wait) P(s, z u) / P(s, z)
  ///   - answered_given_answered: P(V <= t, V <= P) / (1 - P(abandon))
  ///
  /// (the conditional law of V given j callers ahead is a sum of Exp(n mu + k theta),
  /// k = 0..j, as in Mandelbaum & Zeltyn 2007, section 3).
  [[nodiscard]] double service_level(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within) const {
    detail::check_agents("wfm::queueing::ErlangA::service_level", agents);
    detail::check_target_time("wfm::queueing::ErlangA::service_level", target_time);
    if (erlang_c_limit(agents)) return erlang_c_.service_level(agents, target_time);
    const double a = load();
    if (a == 0.0) return 1.0;
    const double x = target_time / patience_;  // theta t
    if (agents == 0.0)
      return d == ServiceLevelDefinition::wait_within ? -std::expm1(-x) : 0.0;
    const Core c = core(agents);
    const double s = c.s, z = c.z, w = z * std::exp(-x);
    const double log_w = std::log(z) - x;  // w itself may underflow
    double answered = 0.0;     // P(V <= t, answered | wait)
    double virtual_met = 0.0;  // P(V <= t | wait) = 1 - P(s, z u) / P(s, z)
    if (c.overloaded) {
      const double p = c.p_sz;
      if (d == ServiceLevelDefinition::answered_within ||
          d == ServiceLevelDefinition::answered_given_answered) {
        answered = s / z * detail::gamma_p_difference(s + 1.0, w, log_w, z) / p;
      } else {
        virtual_met = detail::gamma_p_difference(s, w, log_w, z) / p;
      }
    } else {
      // log of g(s, z u) / g(s, z) = u^s e^{z (1 - u)} (g the Poisson term of gamma_terms.hpp)
      const double log_ratio = -s * x - z * std::expm1(-x);
      if (d == ServiceLevelDefinition::answered_within ||
          d == ServiceLevelDefinition::answered_given_answered) {
        // S(s, y) - 1 = y S(s + 1, y) / (s + 1), so the bracket becomes
        // s / (s + 1) [S(s+1, z) - u e^{log_ratio} S(s+1, z u)] / S(s, z).
        const double head = c.s1_z;
        const double tail = std::exp(log_ratio - x) * detail::scaled_lower_gamma(s + 1.0, w);
        answered = s / (s + 1.0) * (head - tail) / c.scaled;
      } else {
        const double log_rho =
            std::log(detail::scaled_lower_gamma(s, w) / c.scaled) + log_ratio;
        virtual_met = -std::expm1(log_rho);
      }
    }
    switch (d) {
      case ServiceLevelDefinition::answered_within:
        return clamp01(c.no_wait + c.wait * answered);
      case ServiceLevelDefinition::answered_given_answered: {
        const double served = answered_fraction(c);
        return served > 0.0 ? clamp01((c.no_wait + c.wait * answered) / served) : 0.0;
      }
      case ServiceLevelDefinition::virtual_wait_within:
        return clamp01(c.no_wait + c.wait * virtual_met);
      case ServiceLevelDefinition::wait_within: {
        // 1 - u P(V > t) = (1 - P(V > t)) + P(V > t)(1 - u), all terms >= 0
        const double virtual_tail = 1.0 - virtual_met;
        return clamp01(c.no_wait + c.wait * (virtual_met - virtual_tail * std::expm1(-x)));
      }
    }
    return 0.0;
  }

  /// Average speed of answer [s]. over = all: E[min(V, P)] = E[Q] / lambda = P(abandon) *
  /// patience (abandoned calls count with their time to abandon); over = answered:
  /// E[V | answered] = E[V e^{-theta V}] / (1 - P(abandon)) (numerical integral, see
  /// erlang_a_terms.hpp).
  [[nodiscard]] double average_speed_of_answer(double agents, AsaOver over = AsaOver::all) const {
    detail::check_agents("wfm::queueing::ErlangA::average_speed_of_answer", agents);
    if (erlang_c_limit(agents)) return erlang_c_.average_speed_of_answer(agents);
    const double a = load();
    if (a == 0.0) return 0.0;
    // Subnormal agents (the bad-input suite's 1e-320) count as 0: s = n mu / theta is then
    // subnormal too, and the quadrature of E[V | answered] returns NaN.
    if (agents < std::numeric_limits<double>::min())
      return over == AsaOver::all ? patience_ : std::numeric_limits<double>::infinity();
    const Core c = core(agents);
    if (over == AsaOver::all) return abandon(c) * patience_;
    const double served = answered_fraction(c);
    if (!(c.wait > 0.0)) return 0.0;
    if (!(served > 0.0)) return std::numeric_limits<double>::infinity();  // as for 0 agents
    return c.wait * detail::answered_wait_ratio(c.s, c.z) * patience_ / served;
  }

  /// P(abandon) = theta E[Q] / lambda, the fraction of arrivals who hang up before an answer.
  [[nodiscard]] double abandon_probability(double agents) const {
    detail::check_agents("wfm::queueing::ErlangA::abandon_probability", agents);
    if (erlang_c_limit(agents)) return infinite_patience_abandon(agents);
    if (load() == 0.0) return 0.0;
    if (agents == 0.0) return 1.0;
    return abandon(core(agents));
  }

  /// Mean number of callers waiting E[Q] = lambda * patience * P(abandon).
  [[nodiscard]] double mean_queue_length(double agents) const {
    detail::check_agents("wfm::queueing::ErlangA::mean_queue_length", agents);
    if (erlang_c_limit(agents)) {
      const double asa = erlang_c_.average_speed_of_answer(agents);
      return asa == 0.0 ? 0.0 : arrival_rate_ * asa;
    }
    if (load() == 0.0) return 0.0;
    const double z = arrival_rate_ * patience_;
    if (agents == 0.0) return z;
    return z * abandon(core(agents));
  }

  /// Occupancy = carried load / agents = lambda (1 - P(abandon)) AHT / n, capped at 1
  /// (0 for zero arrivals; the limit 1 for agents = 0 with arrivals).
  [[nodiscard]] double occupancy(double agents) const {
    detail::check_agents("wfm::queueing::ErlangA::occupancy", agents);
    if (erlang_c_limit(agents)) return erlang_c_.occupancy(agents);
    const double a = load();
    if (a == 0.0) return 0.0;
    if (agents == 0.0) return 1.0;
    return std::fmin(1.0, a * answered_fraction(core(agents)) / agents);
  }

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< [1/s]
  [[nodiscard]] double handle_time() const noexcept { return handle_time_; }    ///< [s]
  [[nodiscard]] double patience() const noexcept { return patience_; }  ///< mean patience [s]
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]

 private:
  // The quantities shared by all metrics at one staffing level (agents > 0, load > 0).
  struct Core {
    double n;           // agents
    double s, z;        // n mu / theta, lambda / theta
    double wait;        // P(wait) = pi_n S
    double no_wait;     // 1 - P(wait), without cancellation
    bool overloaded;    // z > s (n < a): use upper-tail forms
    double scaled;      // S(s, z) (underloaded only)
    double s1_z;        // S(s + 1, z) (underloaded only)
    double inv_scaled;  // 1 / S(s, z) (overloaded only)
    double p_sz;        // P(s, z) >= ~1/2 (overloaded only)
  };

  static double check(double arrival_rate, double handle_time, double patience) {
    detail::check_traffic("wfm::queueing::ErlangA", arrival_rate, handle_time);
    wfm::detail::require_positive_or_inf("wfm::queueing::ErlangA", "patience [s]", patience);
    return arrival_rate;
  }
  /// Whether the theta -> 0 limit is used at this staffing: always for patience = +inf, and
  /// for a finite patience so long that Erlang A equals its limit to double precision (where
  /// its incomplete-gamma arguments s = n mu / theta and z = lambda / theta would also lose
  /// all accuracy: patience ~1e200 gave P(wait) NaN).
  ///
  /// The limit: the stationary law of M/M/n+M has pi_{n+j} = pi_n prod_{k=1..j} lambda /
  /// (n mu + k theta) (Garnett, Mandelbaum & Reiman 2002, section 3), which tends to the
  /// M/M/n law pi_n (a / n)^j of Erlang C as theta -> 0 when n > a. Each factor changes by a
  /// relative k theta / (n mu), so the distribution (geometric, mean ~ 1 / (1 - rho), second
  /// moment ~ 2 / (1 - rho)^2) changes by about eps = (theta / (n mu)) / (1 - rho)^2,
  /// rho = a / n: Erlang C is used when eps < erlang_c_limit_tolerance. For n <= a (overload)
  /// the limits P(wait) = 1, SL = 0, P(abandon) = 1 - n / a are used once patience / AHT
  /// exceeds erlang_c_limit_overload_ratio (the fluid-limit queue of Whitt 2004, "Efficiency-
  /// driven heavy-traffic approximations for many-server queues with abandonments", Management
  /// Science 50(10), sits at (lambda - n mu) / theta, so the SL within t is O(t theta) and
  /// P(abandon) - (1 - n / a) is O(sqrt(theta / mu)), below 1e-12 at this ratio).
  [[nodiscard]] bool erlang_c_limit(double agents) const noexcept {
    if (std::isinf(patience_)) return true;
    const double ratio = patience_ / handle_time_;  // mu / theta
    if (ratio >= erlang_c_limit_overload_ratio) return true;
    const double a = load();
    if (!(agents > a)) return false;
    const double slack = 1.0 - a / agents;
    return 1.0 / (ratio * agents) < erlang_c_limit_tolerance * slack * slack;
  }
  [[nodiscard]] static double clamp01(double p) noexcept { return std::fmin(1.0, std::fmax(0.0, p)); }

  [[nodiscard]] double infinite_patience_abandon(double agents) const noexcept {
    const double a = load();
    return agents < a ? (a - agents) / a : 0.0;  // the theta -> 0 limit
  }

  [[nodiscard]] Core core(double n) const noexcept {
    const double a = load();
    Core c{};
    c.n = n;
    c.s = n * patience_ / handle_time_;
    c.z = arrival_rate_ * patience_;
    c.overloaded = n < a;
    const double r = detail::inverse_erlang_b(n, a);  // may be +inf (B < 1e-280)
    const double r1 = detail::inverse_erlang_b_minus_one(n, a, r);
    double q;  // (R - 1) / S, so that P(wait) = 1 / (1 + q)
    if (c.overloaded) {
      const double p = c.p_sz = detail::gamma_p(c.s, c.z);  // >= ~1/2, accurate absolutely
      c.inv_scaled = std::exp(detail::log_poisson_term(c.s, c.z) - std::log(p));
      q = r1 * c.inv_scaled;
    } else {
      c.scaled = detail::scaled_lower_gamma(c.s, c.z);
      // S(s, z) = 1 + z S(s + 1, z) / (s + 1): recover S(s + 1, z) when that is not cancelling
      c.s1_z = c.scaled >= 2.0 ? (c.scaled - 1.0) * (c.s + 1.0) / c.z
                               : detail::scaled_lower_gamma(c.s + 1.0, c.z);
      q = std::isinf(r1) ? r1 : r1 / c.scaled;
    }
    c.wait = 1.0 / (1.0 + q);
    c.no_wait = q > 1.0 ? 1.0 / (1.0 + 1.0 / q) : q / (1.0 + q);
    return c;
  }

  // 1 - P(abandon) = (1 - P(wait)) + P(wait) (s / z)(S - 1) / S
  [[nodiscard]] static double answered_fraction(const Core& c) noexcept {
    const double f = c.overloaded ? c.s / c.z * (1.0 - c.inv_scaled)
                                  : c.s / (c.s + 1.0) * c.s1_z / c.scaled;
    return clamp01(c.no_wait + c.wait * f);
  }

  // P(abandon) = P(wait) T / S (see class comment), cancellation-free in each regime.
  [[nodiscard]] double abandon(const Core& c) const noexcept {
    double t_over_s;
    if (c.overloaded) {
      const double a = load();
      t_over_s = (a - c.n) / a + c.n / a * c.inv_scaled;
    } else {
      const double closed = c.s / (c.s + 1.0) * c.s1_z / c.scaled;  // = 1 - T / S
      t_over_s = 1.0 - closed;
      // Below 1e-3 the subtraction loses more than 3 digits: sum T's positive series instead.
      if (t_over_s < 1e-3 * closed) t_over_s = detail::abandon_series(c.s, c.z) / c.scaled;
    }
    return clamp01(c.wait * t_over_s);
  }

  double arrival_rate_;
  double handle_time_;
  double patience_;
  ErlangC erlang_c_;
};

}  // namespace wfm::queueing
