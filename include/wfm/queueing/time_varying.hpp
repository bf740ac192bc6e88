#pragma once
/// \file
/// Time-varying load: the infinite-server offered load of piecewise-constant arrivals, three
/// ways to staff a day whose load moves (SIPP, lagged SIPP, modified offered load), and an
/// exact evaluator of a given staffing vector through the time-varying birth-death equations.
///
/// **Offered load** (M_t/G/inf, Eick, Massey & Whitt 1993, "The physics of the M_t/G/inf
/// queue", Operations Research 41(4), Theorem 1): the mean number of busy servers of an
/// infinite-server queue is m(t) = E[ integral_{t-S}^{t} lambda(u) du ], S a service time.
/// For exponential service (rate mu = 1 / AHT) it solves m'(t) = lambda(t) - mu m(t), so on an
/// interval [t_i, t_i + L) with constant rate lambda_i (a_i = lambda_i / mu):
///
///   m(t_i + s)  = a_i + (m(t_i) - a_i) e^{-mu s},                          (closed form)
///   mean over the interval = a_i + (m(t_i) - a_i) (1 - e^{-mu L}) / (mu L).
///
/// For a deterministic service time D, m(t) = integral_{t-D}^{t} lambda(u) du, and its mean
/// over an interval is integral lambda(u) w(u) du with w(u) the length of
/// {t in interval : u <= t <= u + D}, piecewise linear in u (integrated exactly).
///
/// **Staffing methods** (each staffs every interval with the stationary Erlang A / C model,
/// through required_agents and the usual StaffingGoal, at an arrival rate that differs):
///   - SIPP: the interval's own mean rate lambda_i (stationary independent period by period);
///   - lagged SIPP: the mean rate over the interval shifted back by one AHT, lambda averaged
///     over [t_i - AHT, t_i + L - AHT] (Green, Kolesar & Soares 2001, "Improving the SIPP
///     approach for staffing service systems that have cyclic demands", Operations Research
///     49(4), section 3);
///   - MOL: the modified offered load (Jennings, Mandelbaum, Massey & Whitt 1996, "Server
///     staffing to meet time-varying demand", Management Science 42(10), section 3): the
///     stationary model at offered load m(t), i.e. at arrival rate mu m(t) with the same AHT and
///     patience; here m(t) is the mean of the exponential-service offered load over the
///     interval.
///
/// **When SIPP misses** (tests/queueing/time_varying_test.cpp and bench/RESULTS.md, section
/// "issue 12: time-varying load", give the numbers): SIPP assumes each interval reaches its
/// steady state at once. With long handle times (AHT 30 min on 15-min intervals) the load lags
/// the arrivals by about one AHT, so SIPP over-staffs the rising side of a peak and
/// under-staffs the falling side; a sharp peak (volume doubling for one interval) meets a queue
/// that is still building; a staffing drop leaves the calls of the removed agents in the
/// system. Worst-interval SL by the exact evaluator (goal 0.8 within 20 s, answered_within;
/// the cases are tests/queueing/time_varying_cases.hpp):
///
///   case                                          SIPP    lagged SIPP   MOL
///   AHT 30 min, morning ramp 0.02 -> 0.2 /s        0.003   0.016         0.731
///   sharp peak (rate x3 for one interval)          0.386   0.602         0.628
///   volume drop 0.3 -> 0.1 /s, AHT 15 min          0.021   0.148         0.723
///
/// Lagged SIPP fixes a load that lags, not one that builds from a low start (its rate at the
/// start of the ramp is the pre-ramp rate) nor the backlog after a drop; MOL, which follows the
/// offered load itself, stays within 0.08 of the goal in every interval of the three cases
/// (by the evaluator; after the drop the simulator gives MOL 0.672, see Approximations).
///
/// **Evaluator**: the chain of Erlang A (M/M/n+M; Erlang C: patience = +inf) with the
/// interval's arrival rate and agents, state k = contacts in the system, integrated through the
/// Kolmogorov forward equations p'(t) = p(t) Q_i interval by interval, the distribution carried
/// over. Two integrators (EvaluationOptions::integrator):
///
///   - **tr_bdf2** (the default): TR-BDF2 steps of 1 s at each interval start, then chosen by
///     the method's local error estimate (at most 3e-5 per step in L1, steps up to 120 s)
///     (Bank et al. 1985, IEEE Trans. CAD 4(4); recommended
///     for stiff Markov chains by Reibman & Trivedi 1988, "Numerical transient analysis of
///     Markov models", Computers & OR 15(1)): L-stable, second order, each stage one
///     tridiagonal solve over the states that hold mass, and the steady state is an exact
///     fixed point. Chosen as the default for speed: the chain is stiff (exit rates ~2 lambda,
///     10^4 times the interval's inverse at 1,000 agents), so explicit or uniformization steps
///     number lambda L per interval while the implicit steps number some 30-50. Its error
///     against uniformization is below 2e-5 in SL, P(wait) and P(abandon) on every case of
///     the test file and on the benchmark day (bench/RESULTS.md, issue 12 sections).
///   - **uniformization** (exact to 1e-13, the reference): (Jensen 1953, "Markoff chains as
///     an aid in the study of Markoff processes", Skandinavisk Aktuarietidskrift 36;
///     Grassmann 1977, "Transient solutions in Markovian queueing systems", Computers &
///     Operations Research 4(1)): with Lambda >= every exit rate and P = I + Q / Lambda,
///
///       p(t) = sum_m Pois(Lambda t; m) p(0) P^m,
///       integral_0^L p(t) dt = (1 / Lambda) sum_m P(Pois(Lambda L) > m) p(0) P^m,
///
///     every term non-negative (no cancellation, unconditionally stable), the error the
///     neglected Poisson mass; the Poisson weights are formed from their mode outwards (Fox &
///     Glynn 1988, "Computing Poisson probabilities", CACM 31(4)) so e^{-Lambda L} never
///     underflows. Cost ~ (lambda + n mu) L steps per interval.
///
/// Both work on a moving window of states: a state leaves it when its probability falls below
/// 1e-18 (the dropped mass is reported in `mass_lost`).
///
/// Per interval (arrivals are Poisson with a constant rate inside it, so by PASTA an arrival
/// sees the time-average distribution p_bar of the interval):
///   - wait_probability = sum_{k >= n} p_bar_k; occupancy = sum min(k, n) p_bar_k / n;
///     queue_length = sum (k - n)^+ p_bar_k;
///   - abandon_rate = 1 - sum p_bar_k P(answered | k), P(answered | j = k - n waiting ahead) =
///     n mu / (n mu + (j + 1) theta) (each of the j + 1 departures ahead of the tagged caller,
///     at rate n mu + i theta, must come before its own abandonment at rate theta);
///   - service_level = sum p_bar_k P(met | k), the conditional law of the wait given j ahead
///     being the sum of Exp(n mu + i theta), i = 0..j (Mandelbaum & Zeltyn 2007, "Service
///     engineering in action: the Palm/Erlang-A queue", section 3; Erlang C: theta = 0),
///     P(answered within T | j) computed by uniformization of that pure-death chain with
///     killing at rate theta (exact to 1e-13).
///
/// **Approximations** (documented, not hidden): (1) the wait of a caller is computed with the
/// staffing of the interval of arrival held fixed (a caller arriving just before a staffing
/// change is served at the old rate: at a peak whose staffing falls 91 -> 33 at its end,
/// P(abandon) of the peak's callers 0.0093 exact vs 0.0131 +- 0.0022 simulated); (2) when the staffing falls, the chain has only the
/// number in the system, so contacts beyond the new number of agents go back to the queue
/// (pre-emption) instead of being finished by the leaving agents (the simulator's policy, the
/// real one: no pre-emption, the number busy exceeds the new staffing until those contacts
/// end). The pre-empted contacts then abandon or are served in turn, so the evaluator is
/// optimistic in the interval right after a drop, by an amount that grows with AHT /
/// patience. Measured against the simulator (400 replications): with a drop of 91 -> 33
/// agents (AHT 300 s, patience 180 s) SL 0.386 exact vs 0.330 +- 0.016 simulated; the
/// drop case below under SIPP (271 -> 94 agents, AHT 900 s, patience 300 s) 0.021 vs 0.000
/// and 0.553 vs 0.289 +- 0.023 an interval later; under MOL (271 -> 206 -> 135) 0.723 vs
/// 0.672 +- 0.010. Where staffing is constant or rises the evaluator agrees with the
/// simulator within its confidence intervals (tests/queueing/time_varying_test.cpp).
/// Which leaving rule is simulated matters more than the pre-emption: the simulator's classic
/// loop sends idle agents off at once and then lets the *first* agents to finish a call leave
/// until the head count is met (`pending_leaves_` in src/simulation/simulator.cpp), so after
/// 91 -> 33 nobody takes a queued call until 58 calls have ended (about AHT ln(91/33) = 300 s):
/// hence 0.330. Under the other rule, where the agents whose shift ends are the ones who
/// finish their call and go while the 33 who stay keep answering, the 1-D chain is exact after
/// mapping k -> k - max(0, min(k, n_old) - n_new) at the drop (the leavers' calls leave the
/// chain); measured with that map: 0.767 at 91 -> 33 and 0.666 after 271 -> 94, i.e. the two
/// rules differ far more than the evaluator differs from either. The exact chain for the
/// simulator's rule has a second dimension (surplus e = busy - n, queue q) only while e > 0:
/// e falls at rate (n + e) mu, q moves by arrivals and abandonment alone, independently, and
/// e = 0 joins the 1-D chain at k = n + q. Not implemented yet (issue 12).
///
/// Units: seconds, rates per second, fractions in [0, 1].

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/core/status.hpp>
#include <wfm/queueing/staffing.hpp>

namespace wfm::queueing {

/// Service-time law of the infinite-server offered load.
enum class ServiceDistribution {
  exponential,    ///< mean AHT, exponential (closed form per interval)
  deterministic,  ///< every contact takes exactly AHT
};

/// What happened before the first interval.
enum class InitialState {
  stationary,  ///< the first interval's rate (and staffing) held for ever: its steady state
  empty,       ///< nobody in the system at time 0
};

/// The infinite-server offered load per interval [Erlangs].
struct OfferedLoad {
  std::vector<double> offered_load;      ///< mean of m(t) over the interval [Erl]
  std::vector<double> offered_load_end;  ///< m(t) at the end of the interval [Erl]
};

/// The infinite-server offered load m(t) of piecewise-constant arrivals (exact; see the file
/// comment for the formulas).
///
/// \param arrival_rates   [1/s] per interval, finite, >= 0
/// \param interval_length [s] > 0
/// \param handle_time     AHT [s] > 0, finite
/// \param service         exponential or deterministic service times
/// \param start           stationary: the first rate before time 0 (m(0) = lambda_0 AHT);
///                        empty: m(0) = 0
/// \throws InvalidArgument naming the first bad argument.
[[nodiscard]] OfferedLoad offered_load(std::span<const double> arrival_rates,
                                       double interval_length, double handle_time,
                                       ServiceDistribution service = ServiceDistribution::exponential,
                                       InitialState start = InitialState::stationary);

/// How staff_time_varying picks the arrival rate each interval is staffed for.
enum class StaffingMethod {
  sipp,         ///< the interval's own rate
  lagged_sipp,  ///< the rate averaged over the interval shifted back by one AHT
  mol,          ///< mu times the mean infinite-server offered load (modified offered load)
};
[[nodiscard]] constexpr std::string_view to_string(StaffingMethod m) noexcept {
  switch (m) {
    case StaffingMethod::sipp: return "sipp";
    case StaffingMethod::lagged_sipp: return "lagged_sipp";
    case StaffingMethod::mol: return "mol";
  }
  return "?";
}
/// Parses "sipp", "lagged_sipp" or "mol". \throws InvalidArgument naming `argument`.
[[nodiscard]] StaffingMethod parse_staffing_method(std::string_view text,
                                                   std::string_view argument = "method");

/// A time-varying staffing: the rate each interval was staffed for, and the per-interval plan
/// (agents, the *stationary* prediction at that rate, status per interval).
struct TimeVaryingStaffing {
  StaffingMethod method = StaffingMethod::sipp;
  std::vector<double> staffing_arrival_rate;  ///< [1/s] the rate the model was evaluated at
  HorizonPlan plan;                           ///< agents_required, predicted metrics, status
};

/// Agents per interval by SIPP, lagged SIPP or MOL under `goal` (Erlang A with the mean
/// `patience` [s]; +inf: Erlang C). Every interval is solved by required_agents, so its status
/// is ok or infeasible within options.staffing.max_agents.
/// \throws InvalidArgument naming the first bad argument.
[[nodiscard]] TimeVaryingStaffing staff_time_varying(std::span<const double> arrival_rates,
                                                     double interval_length, double handle_time,
                                                     double patience, const StaffingGoal& goal,
                                                     StaffingMethod method,
                                                     const PlanOptions& options = {});

/// Tuning constants of the time-varying evaluator (one policy for the module's transient chains).
struct TransientPolicy {
  /// Poisson mass neglected per uniformization (per interval and per conditional-wait table).
  double poisson_tolerance = 1e-13;
  /// A state leaves the window once its probability is below this (the mass is reported).
  double window_tolerance = 1e-18;
  /// Most states of the chain; beyond: Status::not_converged for the interval.
  std::int64_t max_states = 2'000'000;
  /// Most state updates (states x uniformization steps) in one call, about 10 s of work:
  /// beyond, the remaining intervals get Status::time_limit (absurd input ends in bounded time).
  double max_work = 2e10;
  /// TR-BDF2 steps (TransientIntegrator::tr_bdf2) lie on the ladder implicit_first_step x
  /// implicit_growth^j [s], capped at implicit_step [s]; each interval starts at the first rung
  /// (the load and staffing jump there), and the local error estimate moves one rung down (step
  /// redone) above `implicit_tolerance` (L1 norm of the distribution's error per step) and one
  /// rung up well below it (src/queueing/time_varying_evaluator.cpp).
  double implicit_first_step = 1.0;
  double implicit_growth = 2.0;
  double implicit_step = 120.0;
  double implicit_tolerance = 3e-5;
};

/// How evaluate_staffing integrates the forward equations (see the file comment).
enum class TransientIntegrator {
  uniformization,  ///< exact to policy.poisson_tolerance; cost ~ (lambda + n mu) L states
  tr_bdf2,         ///< L-stable 2nd-order implicit steps under error control: fast
};

/// Settings of evaluate_staffing.
struct EvaluationOptions {
  InitialState initial = InitialState::stationary;  ///< stationary: of the first interval
  TransientIntegrator integrator = TransientIntegrator::tr_bdf2;
  TransientPolicy policy{};
};

/// What a staffing vector achieves, interval by interval (names: wfm/core/vocabulary.hpp).
struct TimeVaryingEvaluation {
  std::vector<double> service_level;     ///< of the interval's arrivals (goal's t, definition)
  std::vector<double> wait_probability;  ///< time-average P(all agents busy)
  std::vector<double> abandon_rate;      ///< share of the interval's arrivals that abandon
  std::vector<double> occupancy;         ///< time-average busy agents / agents
  std::vector<double> queue_length;      ///< time-average contacts waiting
  std::vector<Status> status;            ///< ok, not_converged (max_states), time_limit
  Status overall = Status::ok;
  std::string message;
  double mass_lost = 0.0;  ///< probability dropped by the window (<= 1e-12 or so in practice)
  std::vector<double> final_distribution;  ///< P(k in system) at the end of the horizon

  [[nodiscard]] std::size_t size() const noexcept { return service_level.size(); }
};

/// The exact per-interval metrics of `agents` (whole numbers >= 0, one per interval) under
/// Erlang A (patience [s]; +inf: Erlang C) with piecewise-constant arrival rates, the state
/// distribution carried from interval to interval (see the file comment: uniformization).
/// The goal supplies the target time and the service-level definition (its criteria are not
/// checked here). An unstable Erlang C start (agents <= load) starts empty instead (message).
/// \throws InvalidArgument naming the first bad argument (interval_length must lie in
///         [1, 1e6] s: wfm/core/limits.hpp, max_transient_interval_length).
[[nodiscard]] TimeVaryingEvaluation evaluate_staffing(std::span<const double> arrival_rates,
                                                      double interval_length, double handle_time,
                                                      double patience,
                                                      std::span<const double> agents,
                                                      const StaffingGoal& goal,
                                                      const EvaluationOptions& options = {});

}  // namespace wfm::queueing
