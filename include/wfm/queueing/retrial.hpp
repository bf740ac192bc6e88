#pragma once
/// \file
/// Erlang X with the exact retrial chain: redials after an exponential delay as a second
/// dimension, instead of the Poisson-redial fixed point of ErlangX (erlang_x.hpp).

#include <cstdint>

#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/erlang_x.hpp>

namespace wfm::queueing {

/// Size limits and accuracy of the exact retrial chain (one policy struct for the module part).
struct RetrialPolicy {
  /// Mass allowed at the orbit bound J: the orbit is enlarged (doubled) until P(j = J) is at
  /// most this; beyond the size limits the result says not_converged with the mass reached.
  double tail_tolerance = 1e-12;
  /// Most lines N the chain is solved for exactly (each orbit level is a dense (N+1)^2 block).
  std::int64_t max_lines = 100;
  /// Most stored matrix entries, (N+1)^2 (J+1) (a bound; 8 bytes each: 80 MB at most).
  double max_entries = 1e7;
  /// Most floating-point work, about 2 (N+1)^3 (J+1) (about a second on one core).
  double max_work = 2e9;
};

/// Every metric of ErlangXMetrics (the same names and meanings), from the exact chain, and
/// what the chain was: its orbit bound and the mass there. `iterations` counts the chain
/// solves (the orbit bound doubled until the mass at it is negligible).
struct ErlangXRetrialMetrics : ErlangXMetrics {
  double mean_orbit = 0.0;       ///< E[customers waiting to redial]
  std::int64_t orbit_bound = 0;  ///< J: the largest orbit level of the solved chain
  double truncated_mass = 0.0;   ///< P(j = J), the bound on the mass the truncation moved
  bool exact = true;  ///< false: too large for RetrialPolicy, the values are ErlangX's
};

/// Erlang X with redials after an exponential delay, solved as the exact two-dimensional
/// chain: the multiserver retrial queue with impatience and non-persistent redials (Falin &
/// Templeton (1997), "Retrial Queues", Chapman & Hall, ch. 2; Artalejo & Gomez-Corral
/// (2008), "Retrial Queueing Systems: A Computational Approach", Springer, ch. 1 and ch. 3).
/// The customer model is Erlang X's (Koole, "Call Center Optimization" 2013, the chapter on
/// Erlang X: finite lines N, exponential patience, a redial with probability r after a busy
/// signal or an abandonment); the redial delay is its `redial_delay` (mean D).
///
/// State (k, j): k = 0 .. N calls holding a line (min(k, n) in service, (k - n)^+ waiting), j
/// customers in the orbit (waiting to redial). Transitions out of (k, j):
///
///   fresh attempt         lambda        k < N: (k + 1, j);  k = N: (N, j + 1) w.p. r, else lost
///   redial                j / D         k < N: (k + 1, j - 1); k = N: stays in the orbit
///                                       w.p. r, else (N, j - 1) (gives up)
///   service completion    min(k, n) mu  (k - 1, j)
///   abandonment           (k - n)^+ th  (k - 1, j + 1) w.p. r, else (k - 1, j)
///
/// By PASTA (fresh) and the conditional PASTA of the orbit's redial stream, an attempt sees
/// state (k, j) with weight pi(k, j) (lambda + j / D); it is blocked at k = N and otherwise
/// waits as in ErlangX with k - n ahead (later attempts never overtake it), so the
/// per-attempt service level is ErlangX's beta-law sum over this attempt-weighted law of k,
/// and the per-customer one (first attempt) over the stationary law of k.
///
/// **Solution**: the chain is a level-dependent quasi-birth-death process in j, solved exactly
/// by linear level reduction (Gaver, Jacobs & Latouche (1984), "Finite birth-and-death models
/// in randomly changing environments", Adv. Appl. Prob. 16, section 2): from the top level
/// down, R_J = A0_{J-1} (-A1_J)^{-1}, R_j = A0_{j-1} (-(A1_j + R_{j+1} A2_{j+1}))^{-1}; then
/// pi_0 (A1_0 + R_1 A2_1) = 0 and pi_j = pi_{j-1} R_j (carried with a log scale per level).
/// The inverses are taken by subtraction-free (GTH-type) elimination of the M-matrices -S_j
/// with their excess rates carried apart (Grassmann, Taksar & Heyman 1985; retrial.cpp), so
/// slow redials, which make each level nearly closed, lose no accuracy (plain LU with
/// partial pivoting breaks down there: at a redial delay of 12,000 s it returned negative
/// probabilities). Cost about (N+1)^3 (J+1) operations, memory (N - n + 1)(N + 1)(J + 1)
/// numbers.
///
/// **Truncation**: the orbit is cut at J; an attempt that would join the orbit at j = J is
/// lost instead. The orbit's mean is at most r lambda D / (1 - r) (its inflow is r times the
/// lost attempts, at most r lambda / (1 - r); Little's law), so J starts at that bound plus
/// 10 standard deviations of a Poisson law with that mean, and is doubled until
/// P(j = J) <= RetrialPolicy::tail_tolerance. `truncated_mass` reports P(j = J).
///
/// **When to use which**: the fixed point (ErlangX) treats redials as a Poisson stream. It is
/// accurate when redials come long after the loss (the system has forgotten the congestion):
/// at n = 5, N = 7, 5 Erl (AHT 180 s), patience 120 s, r = 0.6, the blocking per attempt is
/// 0.1660 exact against 0.1619 for the fixed point with redials after 1,800 s (simulated
/// 0.1664 +- 0.0028). With quick redials the caller comes back into the same congestion:
/// after 10 s it is 0.2491 exact against 0.1619 (simulated 0.2488 +- 0.0036). Use this model
/// when the mean redial delay is not long against the handle time and the queue's relaxation
/// time, and n and N are small (the size limits of RetrialPolicy); otherwise ErlangX.
///
/// r = 0 is ErlangX exactly (no orbit). Real-valued agents are interpolated linearly between
/// whole numbers; agents above `lines` count as `lines`.
///
/// **Status**: ok; not_converged when the orbit bound could not be raised far enough within
/// RetrialPolicy (the values are the truncated chain's, `truncated_mass` says how much moved),
/// or when the chain is too large for the policy (the values are then ErlangX's fixed point,
/// `exact` = false, and `message` says so). Never a hang: the size checks come first.
///
/// **Example** (the drift example above):
///
///     ErlangXRetrial q(/*arrival_rate=*/5.0 / 180.0, /*handle_time=*/180.0,
///                      /*patience=*/120.0, /*lines=*/7, /*redial_probability=*/0.6,
///                      /*redial_delay=*/10.0);
///     ErlangXRetrialMetrics m = q.metrics(5, 20.0);  // m.blocking_rate = 0.2491
///
/// \throws InvalidArgument as ErlangX, and if redial_delay is not > 0 and finite.
class ErlangXRetrial : public RedialModelMethods<ErlangXRetrial> {
 public:
  ErlangXRetrial(double arrival_rate, double handle_time, double patience, std::int64_t lines,
                 double redial_probability, double redial_delay, RetrialPolicy policy = {});

  /// Every metric at `agents` for one target time [s] and ASA averaging.
  [[nodiscard]] ErlangXRetrialMetrics metrics(double agents, double target_time,
                                              AsaOver over = AsaOver::all) const;

  [[nodiscard]] double arrival_rate() const noexcept { return fixed_point_.arrival_rate(); }
  [[nodiscard]] double handle_time() const noexcept { return fixed_point_.handle_time(); }
  [[nodiscard]] double patience() const noexcept { return fixed_point_.patience(); }
  [[nodiscard]] std::int64_t lines() const noexcept { return fixed_point_.lines(); }
  [[nodiscard]] double redial_probability() const noexcept {
    return fixed_point_.redial_probability();
  }
  [[nodiscard]] double redial_delay() const noexcept { return redial_delay_; }  ///< mean [s]
  [[nodiscard]] double load() const noexcept { return fixed_point_.load(); }    ///< [Erl]

 private:
  [[nodiscard]] ErlangXRetrialMetrics whole(std::int64_t n, double target_time,
                                            AsaOver over) const;

  ErlangX fixed_point_;  // the parameters, and the fallback beyond the policy's size
  double redial_delay_;
  RetrialPolicy policy_;
};

}  // namespace wfm::queueing
