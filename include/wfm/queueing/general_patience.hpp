#pragma once
/// \file
/// M/M/n+G: Erlang A with a general patience distribution (deterministic, lognormal, Weibull,
/// gamma / Erlang-k, piecewise-constant hazard, estimated from data, exponential), by the exact
/// formulas of Mandelbaum & Zeltyn.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <wfm/core/status.hpp>
#include <wfm/queueing/definitions.hpp>

namespace wfm::queueing {

/// A patience distribution: survival function G(x) = P(patience > x) and its integral
/// H(x) = int_0^x G(u) du (the mean of min(patience, x)), both in closed form.
///
/// Families: exponential, deterministic, lognormal, Weibull, gamma (Erlang-k for a whole shape
/// k: the sum of k exponential phases), and a piecewise-constant hazard rate (the
/// piecewise-exponential law; also what `from_survival` makes of a survival curve estimated
/// from data, e.g. the Kaplan-Meier curve of wfm::kpi).
struct PatienceDistribution {
  enum class Kind { exponential, deterministic, lognormal, weibull, gamma, piecewise_hazard };
  Kind kind = Kind::exponential;
  double mean = 0.0;   ///< [s]
  double shape = 1.0;  ///< lognormal: coefficient of variation; Weibull, gamma: shape k
  /// piecewise_hazard: knots t_1 < ... < t_m [s] (t_0 = 0), hazard h_i [1/s] on [t_i, t_{i+1})
  /// (hazard.size() = m + 1, the last on [t_m, inf); +inf there: nobody waits beyond t_m).
  std::vector<double> knots;
  std::vector<double> hazard;
  /// piecewise_hazard, derived: G(t_i) and H(t_i) at t_0 = 0, t_1, ..., t_m.
  std::vector<double> survival_at_knot, mean_truncated_at_knot;

  /// \throws InvalidArgument unless mean is finite and > 0.
  [[nodiscard]] static PatienceDistribution exponential(double mean);
  /// Everyone waits exactly `value` [s] at most. \throws InvalidArgument unless finite, > 0.
  [[nodiscard]] static PatienceDistribution deterministic(double value);
  /// Lognormal with this mean [s] and coefficient of variation (as wfm::simulation's).
  /// \throws InvalidArgument unless mean and cv are finite and > 0, cv <= 1e6.
  [[nodiscard]] static PatienceDistribution lognormal(double mean, double cv);
  /// Weibull with this mean [s] and shape k (k = 1: exponential).
  /// \throws InvalidArgument unless mean and k are finite and > 0.
  [[nodiscard]] static PatienceDistribution weibull(double mean, double k);
  /// Gamma with this mean [s] and shape k (scale mean / k; coefficient of variation
  /// 1 / sqrt(k)); a whole k is Erlang-k, k = 1 exponential.
  /// \throws InvalidArgument unless mean and k are finite and > 0, k <= 1e6.
  [[nodiscard]] static PatienceDistribution gamma(double mean, double k);
  /// Piecewise-constant hazard: `knots` t_1 < ... < t_m [s] (finite, > 0, increasing) and
  /// `hazard` h_0 .. h_m [1/s] (finite and >= 0, the last > 0 or +inf, so that the mean is
  /// finite). G(x) = exp(-int_0^x h). \throws InvalidArgument naming the offending entry.
  [[nodiscard]] static PatienceDistribution piecewise_hazard(std::vector<double> knots,
                                                             std::vector<double> hazard);
  /// Patience estimated from data: a survival curve S(t_j) at times 0 < t_1 < ... < t_m [s]
  /// (non-increasing, in [0, 1]; e.g. a Kaplan-Meier estimate from answered and abandoned
  /// waits, wfm::kpi::kaplan_meier). The curve is joined log-linearly between its points (a
  /// piecewise-constant hazard: the piecewise-exponential estimator, Kitchin, Langberg &
  /// Proschan 1983, "A new method for estimating life distributions from incomplete data",
  /// Statistics & Decisions 1), starting from S(0) = 1; beyond t_m the hazard is
  /// `tail_hazard` [1/s] (default, NaN: the mean hazard of the data, -log S(t_m) / t_m, i.e.
  /// an exponential tail). Where S reaches 0 at t_j, patience ends there: S stays at S(t_{j-1})
  /// on [t_{j-1}, t_j) and drops to 0 at t_j. Points beyond `max_pieces` are thinned to that
  /// many, evenly in survival (PatiencePolicy).
  /// \throws InvalidArgument on empty, unsorted, negative or out-of-range input (naming the
  ///         entry), or S(t_m) = 1 with no tail hazard given (the data say nothing of the tail).
  [[nodiscard]] static PatienceDistribution from_survival(const std::vector<double>& times,
                                                          const std::vector<double>& survival,
                                                          double tail_hazard =
                                                              std::numeric_limits<double>::quiet_NaN());

  [[nodiscard]] double survival(double x) const;      ///< G(x) = P(patience > x)
  [[nodiscard]] double mean_truncated(double x) const;  ///< H(x) = E[min(patience, x)] [s]
  /// The x with G(x) = p, for p in (0, 1) (the largest such x for deterministic: its value).
  [[nodiscard]] double survival_quantile(double p) const;
  /// Points where G or its derivative jumps (deterministic value, piecewise knots), or where
  /// a concentrated law (coefficient of variation < 0.1) nearly jumps (its median): the
  /// quadratures split there.
  [[nodiscard]] std::vector<double> breakpoints() const;
};

/// Tuning constants of PatienceDistribution.
struct PatiencePolicy {
  /// Most pieces of an estimated survival curve (each adds a quadrature piece of ~21 nodes
  /// while e is not negligible there); a Kaplan-Meier curve of 10,000 abandons is thinned to this many points, evenly
  /// spaced in survival, which moves the curve by at most 1 / max_pieces in probability.
  std::size_t max_pieces = 48;
  /// Largest gamma shape k (coefficient of variation 1 / sqrt(k) = 0.001: deterministic for
  /// every purpose; the incomplete gamma functions lose accuracy beyond).
  double max_gamma_shape = 1e6;
  /// Largest lognormal coefficient of variation (sigma = 5.3: half the callers leave within
  /// 1e-6 of the mean; beyond, cv^2 overflows on the way to sigma).
  double max_lognormal_cv = 1e6;
  /// Largest mean patience [s] (31,700 years). Beyond, e(x) stays near its maximum over a
  /// range the quadratures cannot span in double precision; such callers never abandon:
  /// Erlang C.
  double max_mean = 1e12;
  /// Weibull H(x) = mean P(1/k, (x/c)^k) is summed directly (series / continued fraction, no
  /// gamma functions; src/queueing/general_patience.cpp) for 1/k <= weibull_series_max_a and
  /// y = (x/c)^k <= weibull_series_max_y (e^-y a normal double); elsewhere by Boost's gamma_p.
  double weibull_series_max_a = 20.0;
  double weibull_series_max_y = 700.0;
};

/// Every metric of an M/M/n+G queue at one staffing level.
struct GeneralPatienceMetrics {
  double wait_probability = 0.0;  ///< P(V > 0): all agents busy on arrival
  double service_level = 1.0;     ///< at the target time, under the definition asked
  double asa_s = 0.0;             ///< ASA [s] over the contacts asked (AsaOver)
  double abandon_rate = 0.0;      ///< P(abandon)
  double queue_length = 0.0;      ///< E[contacts waiting] = lambda E[min(V, patience)]
  double occupancy = 0.0;         ///< lambda (1 - P(abandon)) AHT / n
  wfm::Status status = wfm::Status::ok;  ///< ok, or not_converged (a quadrature did not)
  std::string message;
};

/// M/M/n+G: Poisson arrivals (lambda), n agents with exponential handle times (mean AHT,
/// mu = 1 / AHT), FCFS, and patience with a general distribution (survival G, H(x) =
/// int_0^x G). Exact formulas of the virtual wait V (Baccelli & Hebuterne 1981; in the form of
/// Zeltyn & Mandelbaum 2005, "Call centers with impatient customers: many-server asymptotics
/// of the M/M/n+G queue", Queueing Systems 51, sec. 2, and Mandelbaum & Zeltyn, "The M/M/n+G
/// queue: summary of performance measures", technical note, Technion 2004/2009):
///
///   e(x) = exp(lambda H(x) - n mu x),   J = int_0^inf e(x) dx,   E = 1 / B(n - 1, a),
///   P(V = 0) = E / (E + lambda J),   V has density lambda e(x) / (E + lambda J) for x > 0,
///
/// and, with J_t = int_0^t e (all by PASTA, patience independent of V):
///
///   P(wait)            = lambda J / (E + lambda J)
///   P(abandon)         = lambda int_0^inf (1 - G(x)) e(x) dx / (E + lambda J)
///   answered within t  = [E + lambda int_0^t G(x) e(x) dx] / (E + lambda J)
///   virtual within t   = [E + lambda J_t] / (E + lambda J)
///   wait within t      = 1 - G(t) lambda (J - J_t) / (E + lambda J)
///   E[min(V, patience)]= lambda int_0^inf H(x) e(x) dx / (E + lambda J)      (ASA over all)
///   E[V; answered]     = lambda int_0^inf x G(x) e(x) dx / (E + lambda J)
///
/// (the last two by Fubini from P(W > t) = G(t) P(V > t)). Each quantity is integrated
/// directly (no differences that cancel), split at the mode x* of e (lambda G(x*) = n mu,
/// closed form per family) and at the breakpoints of the law: Gauss-Kronrod on each piece
/// (tanh-sinh where it does not converge or the integrand is not smooth), the tail beyond in
/// pieces over which e falls by ~e^-8 until a bound of the rest (e is log-concave) is
/// negligible, exp-sinh after (Boost.Math); e is scaled by its
/// maximum e(x*) and E enters through log B (so nothing overflows: lambda H can be 10^4).
/// Exponential patience reproduces Erlang A (tested). The shape matters: with the same mean,
/// a deterministic patience keeps callers in the queue longer than an exponential one (no
/// early abandons), so P(wait) is higher (see the tests for measured pairs).
///
/// Real-valued agents are interpolated linearly between whole numbers.
///
/// \throws InvalidArgument if arrival_rate < 0 or handle_time <= 0 (or not finite); agents < 0
///         or target_time < 0 (or not finite).
/// \warning agents = 0: P(wait) = P(abandon) = 1, SL = 0 (wait_within: 1 - G(t)), ASA over all
///          = mean patience, over answered = +inf. Zero arrivals: SL 1, everything else 0.
class GeneralPatience {
 public:
  GeneralPatience(double arrival_rate, double handle_time, PatienceDistribution patience);

  /// Every metric at `agents` for one target time [s], SL definition and ASA averaging.
  [[nodiscard]] GeneralPatienceMetrics metrics(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within,
      AsaOver over = AsaOver::all) const {
    return metrics(agents, target_time, d, over, kServiceLevel | kAsa | kAbandon);
  }

  // Each single metric integrates only what it needs (each quadrature costs ~2-30 us).
  [[nodiscard]] double wait_probability(double agents) const {
    return metrics(agents, 0.0, {}, {}, kNone).wait_probability;
  }
  [[nodiscard]] double service_level(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within) const {
    return metrics(agents, target_time, d, {}, kServiceLevel).service_level;
  }
  [[nodiscard]] double average_speed_of_answer(double agents, AsaOver over = AsaOver::all) const {
    return metrics(agents, 0.0, {}, over, kAsa).asa_s;
  }
  [[nodiscard]] double abandon_probability(double agents) const {
    return metrics(agents, 0.0, {}, {}, kAbandon).abandon_rate;
  }
  [[nodiscard]] double occupancy(double agents) const {
    return metrics(agents, 0.0, {}, {}, kAbandon).occupancy;
  }

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< [1/s]
  [[nodiscard]] double handle_time() const noexcept { return handle_time_; }    ///< [s]
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }  ///< [Erl]
  [[nodiscard]] const PatienceDistribution& patience() const noexcept { return patience_; }

 private:
  // which metrics to integrate (wait_probability and the limits always come)
  static constexpr unsigned kNone = 0, kServiceLevel = 1, kAsa = 2, kAbandon = 4;
  [[nodiscard]] GeneralPatienceMetrics metrics(double agents, double target_time,
                                               ServiceLevelDefinition d, AsaOver over,
                                               unsigned want) const;
  [[nodiscard]] GeneralPatienceMetrics whole(std::int64_t n, double t, ServiceLevelDefinition d,
                                             AsaOver over, unsigned want) const;
  double arrival_rate_;
  double handle_time_;
  PatienceDistribution patience_;
};

}  // namespace wfm::queueing
