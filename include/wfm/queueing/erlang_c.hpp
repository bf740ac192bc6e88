#pragma once
/// \file
/// Erlang C (M/M/n, infinitely patient callers), with real-valued agents.

#include <cmath>
#include <limits>

#include <wfm/queueing/detail/gamma_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {

/// Erlang C (M/M/n) queue for fixed traffic; construct once, query many staffing levels.
///
/// With load a = lambda * AHT [Erl], n agents and B = B(n, a) the Erlang B blocking
/// probability (see ErlangB; real n through Jagerman's continuous extension), for n > a:
///
///   - P(wait) C(n, a) = n B / (n - a (1 - B)), evaluated as n / ((n - a) R + a) with
///     R = 1 / B, which has no cancellation;
///   - service level P(W <= t) = 1 - C e^{-(n - a) t / AHT} (FCFS: the conditional wait of a
///     delayed call is exponential with rate (n - a) / AHT);
///   - ASA E[W] = C AHT / (n - a);
///   - occupancy a / n.
///
/// Source: Erlang (1917); the standard M/M/c results, e.g. Gross, Shortle, Thompson & Harris,
/// "Fundamentals of Queueing Theory", 4th ed. (2008), section 2.3.
///
/// Worked example (callcentrehelper.com, "Erlang C formula - made simple"): 100 calls per
/// 30 minutes, AHT 180 s, 14 agents, 20 s target: P(wait) = 0.1741319, SL = 0.8883500.
///
///     ErlangC q(/*arrival_rate=*/100.0 / minutes(30), /*handle_time=*/180.0);
///     double sl = q.service_level(/*agents=*/14, /*target_time=*/20.0);  // 0.88835
///
/// \throws InvalidArgument if arrival_rate < 0, handle_time <= 0 or either is NaN or infinite
///         (constructor); if agents < 0 or target_time < 0, NaN or infinite (methods).
/// \warning agents <= load is an unstable queue: wait_probability() = 1, service_level() = 0,
///          average_speed_of_answer() = +inf, occupancy() = 1. Zero arrivals: wait_probability()
///          = 0, service_level() = 1, average_speed_of_answer() = 0, occupancy() = 0. These are
///          values, not errors.
class ErlangC {
 public:
  ErlangC(double arrival_rate, double handle_time)
      : arrival_rate_(arrival_rate), handle_time_(handle_time) {
    detail::check_traffic("wfm::queueing::ErlangC", arrival_rate, handle_time);
  }
  explicit ErlangC(Traffic traffic) : ErlangC(traffic.arrival_rate, traffic.handle_time) {}

  /// P(wait > 0), the Erlang C formula C(agents, load).
  [[nodiscard]] double wait_probability(double agents) const {
    detail::check_agents("wfm::queueing::ErlangC::wait_probability", agents);
    return evaluate(agents).wait;
  }

  /// P(wait <= target_time) over all arrivals = 1 - C e^{-(n - a) t / AHT}; target_time [s].
  [[nodiscard]] double service_level(double agents, double target_time) const {
    detail::check_agents("wfm::queueing::ErlangC::service_level", agents);
    detail::check_target_time("wfm::queueing::ErlangC::service_level", target_time);
    const State st = evaluate(agents);
    if (!st.stable) return st.no_wait;  // 0, or 1 for zero arrivals
    // 1 - C e^{-x} = (1 - C) - C expm1(-x): both terms >= 0, so no cancellation.
    const double x = (agents - load()) * target_time / handle_time_;
    return std::fmin(1.0, st.no_wait - st.wait * std::expm1(-x));
  }

  /// Average speed of answer E[W] = C AHT / (n - a) [s] (over all calls; all are answered).
  [[nodiscard]] double average_speed_of_answer(double agents) const {
    detail::check_agents("wfm::queueing::ErlangC::average_speed_of_answer", agents);
    const State st = evaluate(agents);
    if (!st.stable) return st.wait > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
    return st.wait * handle_time_ / (agents - load());
  }

  /// Agent occupancy = load / agents, capped at 1 (1 when unstable, 0 for zero arrivals).
  [[nodiscard]] double occupancy(double agents) const {
    detail::check_agents("wfm::queueing::ErlangC::occupancy", agents);
    const double a = load();
    if (a == 0.0) return 0.0;
    if (agents <= a) return 1.0;
    return a / agents;
  }

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< [1/s]
  [[nodiscard]] double handle_time() const noexcept { return handle_time_; }    ///< [s]
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]

 private:
  struct State {
    double wait;     // P(wait > 0)
    double no_wait;  // 1 - P(wait > 0), computed without cancellation
    bool stable;     // agents > load > 0
  };
  [[nodiscard]] State evaluate(double n) const noexcept {
    const double a = load();
    if (a == 0.0) return {0.0, 1.0, false};
    if (n <= a) return {1.0, 0.0, false};
    const double r = detail::inverse_erlang_b(n, a);  // 1 / B(n, a) >= 1
    if (!std::isfinite(r)) return {0.0, 1.0, true};   // C < 1e-280
    const double denom = (n - a) * r + a;
    const double c = n / denom;
    // 1 - C = (n - a)(R - 1) / ((n - a) R + a), with R - 1 = n H(n, a) (gamma_terms.hpp).
    const double no_wait = (n - a) * detail::inverse_erlang_b_minus_one(n, a, r) / denom;
    return {c, no_wait, true};
  }

  double arrival_rate_;
  double handle_time_;
};

}  // namespace wfm::queueing
