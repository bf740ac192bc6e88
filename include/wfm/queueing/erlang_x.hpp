#pragma once
/// \file
/// Erlang X: finite lines (busy signals), exponential patience and redials.

#include <cstdint>
#include <string>

#include <wfm/core/status.hpp>
#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/definitions.hpp>

namespace wfm::queueing {

/// Every metric of an Erlang X queue at one staffing level. "Per attempt" counts every call
/// attempt, fresh or redial; "per customer" counts fresh customers.
struct ErlangXMetrics {
  double effective_arrival_rate = 0.0;  ///< attempts incl. redials, lambda_eff [1/s]
  double blocking_rate = 0.0;    ///< P(an attempt finds all lines busy), per attempt
  double abandon_rate = 0.0;     ///< P(an attempt abandons in the queue), per attempt
  double wait_probability = 0.0;        ///< P(an attempt gets a line and waits), per attempt
  double service_level = 1.0;  ///< P(answered within t), per attempt (blocked = not met)
  double customer_service_level = 1.0;  ///< P(answered within t at the first attempt), per
                                        ///< fresh customer (= per attempt, by PASTA)
  double lost_rate = 0.0;  ///< P(a fresh customer finally gives up, blocked or
                                  ///< abandoned without redial), per customer
  double asa_s = 0.0;  ///< ASA [s] over admitted attempts (AsaOver)
  double queue_length = 0.0;        ///< E[attempts waiting]
  double occupancy = 0.0;                ///< E[busy agents] / agents
  int iterations = 0;  ///< chain evaluations (walks or re-weightings) on the redial fixed point
  wfm::Status status = wfm::Status::ok;  ///< ok, or not_converged (fixed point or chain)
  std::string message;
};

/// The per-attempt metrics a redial model (ErlangX, ErlangXRetrial) derives from its
/// `metrics(agents, target_time, over)`: written once, inherited by both (CRTP).
template <class Model>
class RedialModelMethods {
 public:
  /// P(answered within target_time [s]) per attempt (blocked and abandoned attempts fail).
  [[nodiscard]] double service_level(double agents, double target_time) const {
    return self().metrics(agents, target_time).service_level;
  }
  /// ASA [s] over admitted attempts: all = E[min(V, patience)]; answered = E[V | answered].
  [[nodiscard]] double average_speed_of_answer(double agents, AsaOver over = AsaOver::all) const {
    return self().metrics(agents, 0.0, over).asa_s;
  }
  /// P(an attempt abandons).
  [[nodiscard]] double abandon_probability(double agents) const {
    return self().metrics(agents, 0.0).abandon_rate;
  }
  /// P(an attempt hears a busy signal).
  [[nodiscard]] double blocking_probability(double agents) const {
    return self().metrics(agents, 0.0).blocking_rate;
  }
  [[nodiscard]] double occupancy(double agents) const {
    return self().metrics(agents, 0.0).occupancy;
  }

 private:
  [[nodiscard]] const Model& self() const noexcept { return static_cast<const Model&>(*this); }
};

/// Erlang X (G. Koole, "Call Center Optimization", MG Books 2013, the chapter on Erlang X:
/// the model behind the Erlang X calculators): Poisson fresh
/// arrivals at rate lambda, n agents with exponential handle times (mean AHT), N >= n lines
/// (an attempt that finds all N lines busy hears a busy signal), exponential patience (mean
/// `patience` = 1/theta), and a redial with probability r after a busy signal or an
/// abandonment.
///
/// For a given attempt rate x the system is the birth-death chain on k = 0 .. N (calls holding
/// a line) with birth rate x and death rate min(k, n) mu + (k - n)^+ theta, solved exactly by
/// the log-space engine (birth_death.hpp); by PASTA an attempt is blocked with probability
/// pi_N and abandons with probability theta E[Q] / x, so it is lost with probability
///
///   L(x) = pi_N + theta E[Q] / x.
///
/// Redials are folded into the arrival stream as Poisson (the standard Erlang X
/// approximation; it ignores that redials follow a loss closely): the attempt rate solves
///
///   x = lambda + r x L(x),   x in [lambda, lambda / (1 - r)],
///
/// where g(x) = lambda + r x L(x) - x is >= 0 at x = lambda and <= 0 at lambda / (1 - r)
/// (L <= 1), so the root is bracketed. It is found by Halley's method with the exact
/// derivatives of L (from the same chain solve: w_k is proportional to x^k, so
/// d pi_k / dx = pi_k (k - E[K]) / x), safeguarded by bisection inside the bracket, never by
/// plain iteration (which converges slowly, or oscillates, as r L -> 1): 2-4 chain evaluations.
/// Only the first walks the chain: as x is its only birth rate, w_k(x t) = w_k(x) t^k, so a
/// step of a few per cent re-weights the window already formed (one pass, no division) and
/// checks the engine's truncation bounds at the new rate, extending the upper end if needed
/// (src/queueing/erlang_x.cpp, tilt_chain()); a larger step, or a failed check, walks afresh.
/// A customer makes attempts until one succeeds or a loss is not redialled:
/// P(lost) = L (1 - r) / (1 - r L).
///
/// The answered-within-t service level per attempt follows the beta law of the waiting time
/// (impatient_queue_terms.hpp) over the states 0 .. N - 1 at which an attempt gets a line.
///
/// **Limits** (tested): N = n gives Erlang B (no queue); N -> inf with r = 0 gives Erlang A.
/// Redials raise the attempt rate, so blocking and abandonment grow with r.
///
/// **When the fixed point drifts** (measured): treating redials as Poisson ignores that a
/// redial follows its loss closely and meets the same congestion. ErlangXRetrial
/// (retrial.hpp) solves the exact retrial chain, with the redial delay as a second parameter
/// and the orbit as a second dimension, for small n and N. At n = 5, N = 7, 5 Erl (AHT 180 s),
/// patience 120 s, r = 0.6 the blocking per attempt is 0.1620 here, whatever the delay. With
/// redials after 1,800 s the exact chain gives 0.1660 (simulated 0.1664 +- 0.0028). After 10 s
/// it gives 0.2491 (simulated 0.2488 +- 0.0036): the fixed point is then 35 % low, and its SL
/// per attempt is too high. Use this class when the mean redial delay is long against the
/// handle time and the patience (minutes or more; the fixed point is the chain's limit for
/// slow redials), or when n is large; use ErlangXRetrial for quick redials at small n.
///
/// **Example**:
///
///     ErlangX q(/*arrival_rate=*/0.05, /*handle_time=*/180.0, /*patience=*/120.0,
///               /*lines=*/12, /*redial_probability=*/0.5);
///     ErlangXMetrics m = q.metrics(10, 20.0);  // m.blocking_rate, m.lost_rate, ...
///
/// Real-valued agents are interpolated linearly between whole numbers; agents above `lines`
/// count as `lines` (an agent without a line has nothing to do).
///
/// \throws InvalidArgument if arrival_rate < 0 or not finite, handle_time or patience <= 0 or
///         not finite, lines < 1, redial_probability outside [0, 1); if agents < 0 or not
///         finite, or target_time < 0 or not finite.
class ErlangX : public RedialModelMethods<ErlangX> {
 public:
  ErlangX(double arrival_rate, double handle_time, double patience, std::int64_t lines,
          double redial_probability, BirthDeathPolicy policy = {});

  /// Every metric at `agents` for one target time [s] and ASA averaging.
  [[nodiscard]] ErlangXMetrics metrics(double agents, double target_time,
                                       AsaOver over = AsaOver::all) const;

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< fresh [1/s]
  [[nodiscard]] double handle_time() const noexcept { return handle_time_; }    ///< [s]
  [[nodiscard]] double patience() const noexcept { return patience_; }          ///< mean [s]
  [[nodiscard]] std::int64_t lines() const noexcept { return lines_; }          ///< N
  [[nodiscard]] double redial_probability() const noexcept { return redial_; }  ///< r
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]

 private:
  [[nodiscard]] ErlangXMetrics whole(std::int64_t n, double target_time, AsaOver over) const;
  [[nodiscard]] ErlangXMetrics at_rate(std::int64_t n, double rate, double target_time,
                                       AsaOver over) const;
  [[nodiscard]] ErlangXMetrics from_chain(const BirthDeathDistribution& d, std::int64_t n,
                                          double rate, double target_time, AsaOver over) const;

  double arrival_rate_;
  double handle_time_;
  double patience_;
  std::int64_t lines_;
  double redial_;
  BirthDeathPolicy policy_;
};

}  // namespace wfm::queueing
