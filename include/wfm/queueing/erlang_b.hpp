#pragma once
/// \file
/// Erlang B (M/M/n/n, blocked calls cleared), with real-valued agents.

#include <wfm/queueing/detail/gamma_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {

/// Erlang B loss system for fixed traffic; construct once, query many staffing levels.
///
/// The blocking probability is Erlang's loss formula in its continuous extension to real
/// `agents` x (Jagerman 1974, "Some properties of the Erlang loss function", eq. (3)):
///
///     B(x, a) = a^x e^{-a} / Gamma(x + 1, a),
///
/// with Gamma(., .) the upper incomplete gamma function. For integer x it equals
/// (a^x / x!) / sum_{k=0..x} a^k / k!. Evaluated through scaled incomplete gamma functions
/// (never factorials), accurate to ~1e-13 relative up to 100,000 agents and Erlangs.
///
/// **Example**:
///
///     ErlangB b(/*arrival_rate=*/100.0 / 1800.0, /*handle_time=*/180.0);  // 10 Erl
///     double p = b.blocking_probability(/*agents=*/14);                   // 0.0568...
///
/// \throws InvalidArgument if arrival_rate < 0, handle_time <= 0 or either is NaN or infinite;
///         if agents < 0, NaN or infinite.
/// \warning Limits are values: agents = 0 blocks every call (1); zero arrivals never block (0).
class ErlangB {
 public:
  ErlangB(double arrival_rate, double handle_time)
      : arrival_rate_(arrival_rate), handle_time_(handle_time) {
    detail::check_traffic("wfm::queueing::ErlangB", arrival_rate, handle_time);
  }
  explicit ErlangB(Traffic traffic) : ErlangB(traffic.arrival_rate, traffic.handle_time) {}

  /// Probability that an arrival finds all `agents` busy and is lost, B(agents, load).
  [[nodiscard]] double blocking_probability(double agents) const {
    detail::check_agents("wfm::queueing::ErlangB::blocking_probability", agents);
    const double a = load();
    if (agents == 0.0) return 1.0;
    if (a == 0.0) return 0.0;
    return 1.0 / detail::inverse_erlang_b(agents, a);  // R = +inf gives 0 (B < 1e-280)
  }

  /// Carried load over agents, a (1 - B) / agents, in [0, 1] (0 for agents = 0).
  [[nodiscard]] double occupancy(double agents) const {
    detail::check_agents("wfm::queueing::ErlangB::occupancy", agents);
    const double a = load();
    if (agents == 0.0 || a == 0.0) return 0.0;
    const double r = detail::inverse_erlang_b(agents, a);
    const double one_minus_b = detail::inverse_erlang_b_minus_one(agents, a, r) / r;
    return std::fmin(1.0, a * (std::isfinite(r) ? one_minus_b : 1.0) / agents);
  }

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< [1/s]
  [[nodiscard]] double handle_time() const noexcept { return handle_time_; }    ///< [s]
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]

 private:
  double arrival_rate_;
  double handle_time_;
};

}  // namespace wfm::queueing
