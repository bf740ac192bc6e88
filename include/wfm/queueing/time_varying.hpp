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
/// under-staffs the falling side, where it cuts staff while the long calls are still in
/// service; after a sharp peak, or any staffing drop, the agents who stay all hold calls and
/// the queue builds. Worst-interval SL by the exact evaluator (goal 0.8 within 20 s,
/// answered_within, end-of-shift rule below; the cases are tests/queueing/time_varying_cases.hpp):
///
///   case                                          SIPP    lagged SIPP   MOL
///   AHT 30 min, morning ramp 0.02 -> 0.2 /s        0.546   0.038         0.746
///   sharp peak (rate x3 for one interval)          0.767   0.601         0.628
///   volume drop 0.3 -> 0.1 /s, AHT 15 min          0.666   0.730         0.804
///
/// SIPP's misses come after a cut (ramp: the falling side; peak: the interval after it, 91 -> 33
/// agents; drop: 271 -> 94). Lagged SIPP fixes a load that lags, not one that builds from a low
/// start (its rate at the start of the ramp is the pre-ramp rate); at a sharp peak lagged SIPP
/// and MOL, following a load that lags, under-staff the peak itself. MOL stays within 0.07 of
/// the goal on the ramp and the drop. The simulator agrees with each value within its
/// confidence interval (bench/RESULTS.md, issue 12: staffing drop).
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
///     the test file and on the benchmark day (bench/RESULTS.md, issue 12 sections). An
///     interval that starts with a staffing cut starts by uniformization over its first
///     TransientPolicy::cut_uniformization_span (the cut leaves a spike: see the policy).
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
/// **What each metric means** (the same definitions as the simulator's, which counts every call
/// in the interval in which it *arrived*, as an ACD reports: wfm/simulation/simulator.hpp,
/// "Measurement rules"). Arrivals are Poisson with a constant rate inside an interval, so by
/// PASTA an arrival at time s sees p(s), and the interval's arrivals see on average the
/// time-average distribution p_bar:
///   - wait_probability = sum_{k >= n} p_bar_k (share of the interval's arrivals who find all
///     agents busy); occupancy = sum min(k, n) p_bar_k / n; queue_length = sum (k - n)^+ p_bar_k
///     (time averages over the interval);
///   - abandon_rate = share of the interval's arrivals who abandon, at any time (also after
///     the interval ends); service_level = share of them answered within the goal's target
///     time (or under its definition), again wherever the answer falls.
/// Each arrival who waits is followed as a tagged caller: with j = k - n callers ahead, its
/// position moves j -> j - 1 at rate n mu + j theta (a service or an abandonment ahead) and it
/// is answered from j = 0 at rate n mu, while abandoning at rate theta (Mandelbaum & Zeltyn
/// 2007, "Service engineering in action: the Palm/Erlang-A queue", section 3; Erlang C:
/// theta = 0). With the interval's n held: P(answered | j) = n mu / (n mu + (j + 1) theta)
/// (the j + 1 moves each come before its abandonment), and P(answered within T | j) by
/// uniformization of the position chain with killing (exact to 1e-13); abandon_rate =
/// 1 - sum p_bar_k P(answered | k), service_level = sum p_bar_k P(met | k).
///
/// **Callers waiting at a boundary** are then corrected exactly for the staffing that follows
/// (at a rise of d agents the newcomers take the first d waiting callers, j -> j - d, j < d
/// answered at the boundary; at a cut the queue is unchanged and the staying agents serve it,
/// the leavers finishing the call in hand; after the horizon the last staffing holds, as in
/// the simulator):
///   - answered: interval i's callers still waiting at its end, by position, are
///     u_j = P(k(L) > n + j) - w_j(L): one caller per position of every queue longer than j,
///     minus the callers who were already waiting at the interval's start (FCFS, all ahead of
///     the interval's arrivals: with no inflow, their positions w follow the position chain
///     from w_j(0) = P(k(0) > n + j)). The correction is sum_j u_j (h_j - g_j) / (lambda L),
///     h_j = P(answered | j) under the staffing that follows (the position chain carried
///     through the later intervals) and g_j the same with n held;
///   - answered within T: only arrivals in the last T seconds can still wait at the boundary
///     with their target not yet passed. At the 3 Gauss-Legendre nodes of each piece of that
///     tail (TR-BDF2: each of its steps, p by the cubic Hermite interpolant of the step's ends
///     and slopes f = Q^T p; uniformization: pieces of <= 60 s, p exact) the arrivals' positions
///     p_{n+j}(s) are followed to the boundary and over the T - (L - s) seconds left; the
///     correction replaces what the held staffing credited them (3 nodes agree with 5 within
///     2e-9 on the test cases).
/// Either part is computed only where the staffing changes while a caller can still wait; a
/// position chain is given its closed form once no position can outlast the span (the answers
/// need j + 1 moves at rate >= n mu; Poisson tail below e^{-72}). Checks
/// (tests/queueing/time_varying_test.cpp): two identities (no abandonment after a boundary
/// where every waiting caller is answered: abandon_rate = theta queue_length / lambda; and
/// SL(L) = (SL(first L / 2) + 1) / 2 when T = L / 2), TR-BDF2 against uniformization within
/// 2e-5, and the simulator: the volume rise 0.1 -> 0.3 /s staffed by lagged SIPP (94 agents at
/// 0.3 /s, then 271; about 38 callers waiting at the boundary): P(abandon) 0.4252 exact vs
/// 0.426 +- 0.003 simulated, SL 0.072 vs 0.070 +- 0.003 (with the staffing held: 0.514 and 0.051).
/// Cost: a day of 96 x 15 min at ~1,000 agents 47 ms instead of 39 ms (bench/RESULTS.md).
///
/// **End of shift** (the rule of the simulator too: wfm/simulation/scenario.hpp). An agent
/// whose shift ends finishes the call in hand and logs off; the agents who stay keep taking
/// calls (what an ACD does: it stops routing to an agent who is logging off, never cuts a
/// call, and never holds the queue back for the staying agents). When the staffing falls from
/// n_old to n_new agents, free agents log off first and d = max(0, min(k, n_old) - n_new) busy
/// agents finish their call elsewhere. Their calls are answered already and hold no staying
/// agent's slot, so they leave the chain at the boundary: state k becomes
///
///   k' = k - max(0, min(k, n_old) - n_new)                                  (staff_cut_state)
///
/// (k <= n_new unchanged; n_new < k <= n_old -> n_new, all staying agents busy; k > n_old ->
/// k - (n_old - n_new), the queue q = k - n_old unchanged). The staying agents' calls have
/// exponential residual times (memoryless), so from k' on the one-dimensional chain is exact
/// again; a rise adds free agents (a leaving agent is never called back). Queue and service
/// level count only the staying agents; occupancy too (the simulator's also counts the
/// leavers' overtime, busy and available, so its occupancy is higher right after a cut).
/// Hand-checkable case (tests/queueing/time_varying_test.cpp): Erlang C at 2 Erl on 3 agents
/// (p_0, p_1, p_2 = 1/9, 2/9, 2/9, p_k = (4/27) (2/3)^(k-3) for k >= 3) cut to 1 agent: the
/// queue length stays 8/9 (the Erlang C mean queue) and P(k' = 1) = 2/9 + 2/9 + 4/27 = 16/27.
///
/// The earlier rules and why not: (a) the chain without the remap put contacts beyond the new
/// staffing back in the queue (pre-emption), far too pessimistic after a cut (SL 0.386 instead
/// of 0.767 after 91 -> 33, 0.021 instead of 0.666 after 271 -> 94);
/// (b) the simulator used to let the *first* agents to finish a call leave until the head
/// count was met, so after 91 -> 33 nobody took a queued call for about AHT ln(91/33) = 300 s
/// (SL 0.330 against 0.77 under the rule above): no ACD works that way.
///
/// Units: seconds, rates per second, fractions in [0, 1].

#include <algorithm>
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
  /// The work budget of one call, in units of about 0.5 ns of CPU (2e10: about 10 s): beyond
  /// it, the remaining intervals get Status::time_limit (absurd input ends in bounded time).
  /// A TR-BDF2 step costs 28 units per state of its window (14 ns measured); uniformization is
  /// charged one unit per state update of an upper estimate of its window and steps (0.1 ns
  /// measured per unit charged: it stops within ~3 s). Calibration and measurements:
  /// src/queueing/time_varying_evaluator.cpp and bench/RESULTS.md (issue 12, staffing drop).
  /// A day of 96 15-minute intervals at ~1,000 agents takes 1.7e8 units, a year 6.2e10 (~30 s):
  /// raise max_work for it.
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
  /// An interval that starts with a staffing cut (the end-of-shift remap leaves a spike at
  /// k = n_new) is advanced by uniformization over its first min(cut_uniformization_span,
  /// interval length) [s], exact to poisson_tolerance, and TR-BDF2 takes the smoothed state for
  /// the rest (0: TR-BDF2 from the cut). While a spike spreads, TR-BDF2's error estimate
  /// (Bank et al. 1985, h^3 p''') keeps its steps near 1/9 of the time since the cut (from
  /// 1/64 s: ~140 steps per interval), whereas uniformization's cost grows linearly with the
  /// span (Grassmann 1977): 5-10 s was the measured optimum (bench/RESULTS.md, issue 12).
  double cut_uniformization_span = 10.0;
  /// Follow the callers still waiting at an interval's end into the later staffing (exact; the
  /// file comment, "Callers waiting at a boundary"). false: their wait is computed with their
  /// arrival interval's staffing held (the former approximation; for comparisons only).
  bool boundary_callers = true;
};

/// How evaluate_staffing integrates the forward equations (see the file comment).
enum class TransientIntegrator {
  uniformization,  ///< exact to policy.poisson_tolerance; cost ~ (lambda + n mu) L states
  tr_bdf2,         ///< L-stable 2nd-order implicit steps under error control: fast
};

/// The state k (contacts in the system) right after the staffing falls from n_old to n_new
/// agents under the end-of-shift rule of the file comment: the calls of the busy agents who
/// log off leave the chain, k' = k - max(0, min(k, n_old) - n_new). Unchanged when
/// n_new >= n_old.
[[nodiscard]] constexpr std::int64_t staff_cut_state(std::int64_t k, std::int64_t n_old,
                                                     std::int64_t n_new) noexcept {
  const std::int64_t leaving_busy = std::min(k, n_old) - n_new;
  return leaving_busy > 0 ? k - leaving_busy : k;
}

/// Applies staff_cut_state to a distribution p[k] = P(k in system) in place (the mass of every
/// k moves to k'; the entries freed at the top become 0).
inline void apply_staff_cut(std::span<double> p, std::int64_t n_old, std::int64_t n_new) noexcept {
  if (n_new >= n_old) return;
  const auto size = static_cast<std::int64_t>(p.size());
  for (std::int64_t k = 0; k < size; ++k) {
    const std::int64_t to = staff_cut_state(k, n_old, n_new);
    if (to == k) continue;
    const double v = p[static_cast<std::size_t>(k)];
    p[static_cast<std::size_t>(k)] = 0.0;
    p[static_cast<std::size_t>(to)] += v;  // to < k: ascending k never moves mass twice
  }
}

/// Settings of evaluate_staffing.
struct EvaluationOptions {
  InitialState initial = InitialState::stationary;  ///< stationary: of the first interval
  TransientIntegrator integrator = TransientIntegrator::tr_bdf2;
  TransientPolicy policy{};
};

/// What a staffing vector achieves, interval by interval (names: wfm/core/vocabulary.hpp).
struct TimeVaryingEvaluation {
  std::vector<double> service_level;     ///< of the interval's arrivals (goal's t, definition),
                                         ///< answered in it or later
  std::vector<double> wait_probability;  ///< time-average P(all agents busy)
  std::vector<double> abandon_rate;      ///< share of the interval's arrivals that abandon (ever)
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
/// distribution carried from interval to interval and remapped where the staffing falls (the
/// end-of-shift rule of the file comment).
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
