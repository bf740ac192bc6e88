#pragma once
/// \file
/// Call blending: one pool of agents shared by inbound calls and an endless supply of outbound
/// (or back-office) work, with a reserve of idle agents kept for inbound (an exact Markov model).

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/core/status.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/detail/fractional_agents.hpp>
#include <wfm/queueing/staffing.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {

/// Tuning constants of the blending model.
struct BlendingPolicy {
  /// The queue of every level is cut where a chain that dominates it (see Blending) leaves a
  /// tail below this fraction of the total mass.
  double tail_tolerance = 1e-17;
  /// Level window (unequal handle times; blending.hpp, "level window"): the first top level
  /// lies this many standard deviations of the M/M/inf inbound count above the mean outbound
  /// level; the window doubles while the mass estimated beyond its top exceeds
  /// window_tolerance (a posteriori, relative to the total).
  double window_sigmas = 9.0;
  double window_tolerance = 1e-17;
  /// Test reference only: every level 0 .. n - r and the queue cut of the chain with death
  /// n min(mu_in, mu_out) + theta q (the method before the level window; slower).
  bool full_chain = false;
  /// Most states of the two-dimensional chain (8 bytes each); beyond: Status::not_converged.
  std::int64_t max_states = 20'000'000;
  /// Uniformization (service level when the two handle times differ) stops once the Poisson
  /// weights left out are below this; the tagged call's smallest starting entries and rows
  /// (from the back) are dropped up to this x P(wait) in all, and so are the rows of calls so
  /// far back that a Poisson bound on their chance to be answered within the target is below
  /// this (each moves the SL by at most this x P(wait)); each step visits only the levels
  /// that can hold mass. (The reference, full_uniformization, drops entries below this x
  /// P(wait) / (their number).)
  double uniformization_tolerance = 1e-15;
  /// Most work of the uniformization, in state updates (steps x states of the tagged call's
  /// chain; 1e9 is about a second); beyond: Status::not_converged (bounded time at absurd input).
  std::int64_t max_work = 1'000'000'000;
  /// Test reference only: the service level by the plain banded uniformization of every row
  /// of the tagged call's chain (the method before the row pruning of blending.cpp's
  /// answered_by(); slower, same tolerance).
  bool full_uniformization = false;
};

/// Every metric of a blended pool at one staffing level (names: wfm/core/vocabulary.hpp).
struct BlendingMetrics {
  double wait_probability = 0.0;  ///< P(an inbound call finds no idle agent)
  double service_level = 1.0;     ///< inbound SL at the target time, definition asked
  double asa_s = 0.0;             ///< inbound ASA [s], over the calls asked (AsaOver)
  double abandon_rate = 0.0;      ///< P(an inbound call abandons)
  double queue_length = 0.0;      ///< E[inbound calls waiting]
  double occupancy = 0.0;         ///< E[busy agents, inbound or outbound] / agents
  double inbound_occupancy = 0.0; ///< E[agents on inbound calls] / agents
  double outbound_throughput = 0.0;  ///< outbound jobs completed per second [1/s]
  double tail_bound = 0.0;        ///< mass neglected by the truncation of the queue, relative
  wfm::Status status = wfm::Status::ok;  ///< ok, or not_converged / infeasible (see message)
  std::string message;
};

namespace detail {
/// The model's parameters in rates (internal).
struct BlendingRates {
  std::int64_t agents = 0;   ///< n
  std::int64_t reserve = 0;  ///< r = min(s, n)
  double arrival = 0.0;      ///< lambda
  double inbound = 0.0;      ///< mu_in
  double outbound = 0.0;     ///< mu_out
  double abandon = 0.0;      ///< theta (0: no patience)
};
/// Every metric at a whole number of agents >= 1 with lambda > 0 (src/queueing/blending.cpp).
[[nodiscard]] BlendingMetrics blending_metrics(const BlendingRates& rates, double target_time,
                                               ServiceLevelDefinition d, AsaOver over,
                                               const BlendingPolicy& policy);
}  // namespace detail

/// Call blending after Bhulai & Koole (2003), "A queueing model for call blending in call
/// centers", IEEE Transactions on Automatic Control 48(8), 1434-1438: n agents; inbound calls
/// arrive Poisson(lambda), take Exp(mu_in) (`handle_time` = 1/mu_in) and, if `patience` is
/// finite, abandon the queue after Exp(theta), theta = 1/patience; outbound jobs are always
/// available and take Exp(mu_out) (`outbound_handle_time` = 1/mu_out). Threshold policy with
/// reserve s (the paper's optimal policy shape, section III): an agent who becomes free
/// takes the head of the inbound queue if there is one; else takes an outbound job if at
/// least s other agents would stay idle; else stays idle. Outbound jobs are never pre-empted.
/// s = n is a pure inbound pool (Erlang C / Erlang A exactly); s = 0 sends every free agent
/// to outbound work when no call waits.
///
/// **What the paper assumes, and which case is fast.** Bhulai & Koole (2003) prove this
/// threshold policy optimal when inbound and outbound jobs have the *same* service-time
/// distribution (exponential, mu_in = mu_out), and call it a very good approximation otherwise
/// (abstract; the same split as Gans & Zhou 2003, "A call-routing problem with service-level
/// constraints", Operations Research 51(2), 255-271: with equal mean service times the optimal
/// policy costs about an M/M/c normalising constant, with unequal ones a linear program in
/// O(c^3) variables). wfm evaluates the threshold policy in both cases, but only the paper's
/// equal-rate case collapses to one dimension (z = x + y, below): a birth-death chain, ~2-4 us
/// per service level at 100-1,000 agents (BM_blending_service_level/{100,1000}/0), within the
/// issue's 10 us. With mu_in != mu_out a completion's rate depends on how many busy agents are
/// outbound, so the state needs both coordinates: a two-dimensional chain whose states with
/// mass above 1e-17 number 367 levels x 284 = 104,228 at 1,000 agents (reserve 20, patience
/// 120 s, outbound 600 s vs inbound 240 s), and whose SL is a uniformization of ~5.5 million
/// state updates: ~3.9 ms, about 400 x the 10 us target, which this extension does not meet
/// (bench/RESULTS.md, issue 12).
///
/// **State space.** (x, y): x inbound calls in the system, y outbound jobs in service. With
/// r = min(s, n) the recurrent states are y = 0 .. n - r and i = x - (n - r - y) >= 0: i < r
/// means r - i agents idle, i >= r means i - r calls waiting. In these coordinates every
/// level y has the same shape and (derived here from the policy):
///   - an arrival moves i -> i + 1 (rate lambda);
///   - an inbound completion (rate mu_in (n - r - y + min(i, r))) moves i -> i - 1, except at
///     i = 0 (exactly r idle) where the freed agent starts outbound: (0, y) -> (0, y + 1);
///   - an outbound completion (rate mu_out y) moves (i, y) -> (i - 1, y - 1) for i >= 1 (the
///     agent answers a waiting call or stays idle) and is a self-loop at i = 0 (restart);
///   - an abandonment (rate theta (i - r)^+) moves i -> i - 1.
///
/// **mu_in = mu_out**: then only z = x + y matters (every busy agent completes at rate mu,
/// and a queued call waits for the next of n completions), and z >= n - r is a birth-death
/// chain with birth lambda and death mu min(z, n) + theta (z - n)^+: Erlang A (or C)
/// restricted to z >= n - r. It is solved by the log-space engine and every waiting-time
/// metric is Erlang A's given the queue length (impatient_queue_terms.hpp).
///
/// **mu_in != mu_out**: the level structure above is solved exactly (up to the queue
/// truncation and the level window, below): the only move up from level y is (0, y) -> (0, y + 1), so the
/// stationary vector of level y + 1 is pi(0, y) mu_in (n - r - y) g_{y+1}, with g_{y+1} the
/// expected time spent in each state of levels > y per visit started at (0, y + 1) (a
/// censored-chain argument, e.g. Latouche & Ramaswami 1999, "Introduction to matrix analytic
/// methods", section 10.2, linear level reduction). Each g_y solves a tridiagonal system with
/// one full row, O(width) operations, so the levels 0 .. top cost O((top + 1)(r + Q)) for a
/// queue cut at Q, never a dense solve.
///
/// **Level window** (what is exact, what is truncated). The mass in y sits near
/// n - r - lambda / mu_in (y is n - r minus the inbound agents busy, about the M/M/inf count
/// Poisson(lambda / mu_in)): at 1,000 agents (the benchmark; mean ~100, sd ~25) the levels
/// above 1e-17 are y = 0 .. ~320 of 0 .. 980. Only the levels 0 .. top are solved, top first set BlendingPolicy::
/// window_sigmas = 9 standard deviations (sqrt(lambda / mu_in)) above that mean, plus 16. The
/// level recursion runs from the top down and needs, at the top, the law of the state where a
/// visit above re-enters it; the window takes it to be (0, top) (the move up becomes a
/// self-loop): a proper CTMC on the window that differs from the true chain only in the
/// transitions out of (0, top), i.e. an augmented truncation (Seneta 1981, "Non-negative
/// matrices and Markov chains", 2nd ed., chapter 7, truncations of infinite stochastic
/// matrices; here the chain is finite and the window ends as the whole chain, so convergence
/// is trivial). **Not proven**: a bound on the error at a given top. What is
/// checked, a posteriori: the mass beyond the top, estimated as a geometric tail from the last
/// two level sums (m_top max(1, rho / (1 - rho)), rho = m_top / m_{top-1}), must be below
/// window_tolerance = 1e-17 of the total, else the window doubles (top -> 2 top + 16) and the
/// chain is solved again (the whole chain at the end, which is exact). The test "the level
/// window matches the whole chain" compares every metric with the whole chain (n = 12 .. 1,000,
/// reserve 0 .. 200, with and without patience, mu_out below and above mu_in) to 1e-12
/// (measured <= 7.3e-14 in the SL, <= 6.3e-13 elsewhere; at 10,000 agents, reserve 200: 1.9e-15
/// in the SL, 1.3e-14 elsewhere; reserve 0: 1.5e-12 in the SL over ~900 uniformization steps).
/// The inbound queue is cut where the birth-death chain with death c + theta q has a tail below
/// 1e-17, c = min over the window's levels of the total completion rate mu_in (n - y) + mu_out y
/// (every agent is busy once a call waits, so this chain dominates the queue of every level of
/// the window: proven for the windowed chain; BlendingPolicy::full_chain keeps the older
/// c = n min(mu_in, mu_out) over every level). Without patience and lambda >= c that chain does
/// not exist: the cut then follows the slowest geometric decay of a level's queue (an estimate,
/// not a bound), the mass left at the cut is checked after the solve, and the cut doubles
/// while that mass is above 1e-14 (status not_converged only if max_states stops it; before,
/// 1,000 agents with outbound 600 s and no patience ended there). `tail_bound` reports the queue's tail plus the estimate beyond the top. The levels below the
/// mass are kept (the recursion runs down to level 0 anyway; they are a few % of the window).
///
/// The service level of a waiting call then follows the tagged call
/// through (calls ahead, outbound in service) by uniformization (Tijms 2003, "A first course
/// in stochastic models", section 4.5), exact to 1e-15: every event moves the tagged call
/// one place up (no outbound job starts while it waits), so a call j places back needs j + 1
/// events of total rate at most R_j = max_y (mu_in (n - y) + mu_out y) + theta j, and rows
/// with P(Poisson(R_j t) >= j + 1) <= 1e-15 are left out, as are, after step m of K, the
/// rows beyond K - 2 - m, and the smallest starting mass (whole rows from the back, then
/// single entries), at most 1e-15 x P(wait) in all (src/queueing/blending.cpp,
/// answered_by()). The ASA over answered calls by a recursion over the calls ahead. With no patience the pool is stable iff
/// lambda < n mu_in.
///
/// Metrics: P(wait) = sum over i >= r (PASTA); ASA over all = E[queue] / lambda and
/// P(abandon) = theta E[queue] / lambda (Little); outbound throughput = mu_out E[y];
/// occupancy = 1 - E[idle] / n, where idle = (r - i)^+. With equal rates the throughput is
/// mu (E[busy] - lambda (1 - P(abandon)) / mu) (Little on the inbound work).
///
/// Real-valued agents are interpolated linearly between neighbouring whole numbers.
///
/// **Example**:
///
///     Blending b(/*arrival_rate=*/0.05, /*handle_time=*/180.0, /*outbound_handle_time=*/300.0,
///                /*patience=*/INFINITY, /*reserve=*/2);
///     BlendingMetrics m = b.metrics(/*agents=*/12, /*target_time=*/20.0);
///
/// \throws InvalidArgument if arrival_rate < 0 or not finite, a handle time <= 0 or not
///         finite, patience <= 0 or NaN, reserve < 0; if agents < 0 or not finite or
///         target_time < 0 or not finite.
/// \warning Limits are values: no arrivals give SL 1, ASA 0 and n - r agents on outbound;
///          0 agents give P(wait) = 1, SL 0 (wait_within: 1 - e^{-t/patience}), ASA over all =
///          patience (+inf without), throughput 0, occupancy 1; with no patience and
///          lambda >= n mu_in the queue is unstable: P(wait) = 1, SL 0, ASA +inf, throughput
///          0, occupancy 1, status infeasible.
class Blending {
 public:
  Blending(double arrival_rate, double handle_time, double outbound_handle_time, double patience,
           std::int64_t reserve, BlendingPolicy policy = {})
      : arrival_rate_(arrival_rate),
        handle_time_(handle_time),
        outbound_handle_time_(outbound_handle_time),
        patience_(patience),
        reserve_(reserve),
        policy_(policy) {
    constexpr std::string_view where = "wfm::queueing::Blending";
    wfm::detail::require_nonnegative(where, "arrival_rate [1/s]", arrival_rate_);
    wfm::detail::require_positive(where, "handle_time [s]", handle_time_);
    wfm::detail::require_positive(where, "outbound_handle_time [s]", outbound_handle_time_);
    if (!(patience_ > 0.0)) wfm::detail::throw_invalid(where, "patience [s] must be > 0", patience_);
    if (reserve_ < 0)
      wfm::detail::throw_invalid(where, "reserve must be >= 0", static_cast<double>(reserve_));
  }

  /// Every metric at `agents` for one target time [s], SL definition and ASA averaging.
  [[nodiscard]] BlendingMetrics metrics(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within,
      AsaOver over = AsaOver::all) const {
    detail::check_agents("wfm::queueing::Blending", agents);
    detail::check_target_time("wfm::queueing::Blending", target_time);
    if (agents >= static_cast<double>(policy_.max_states)) {  // the chain has >= n states
      BlendingMetrics too_big;
      too_big.status = wfm::Status::not_converged;
      too_big.message = "agents beyond BlendingPolicy::max_states: the chain is too large";
      return too_big;
    }
    const double lo = std::floor(agents);
    BlendingMetrics a = whole(static_cast<std::int64_t>(lo), target_time, d, over);
    const double frac = agents - lo;
    if (frac == 0.0) return a;
    const BlendingMetrics b = whole(static_cast<std::int64_t>(lo) + 1, target_time, d, over);
    const double inbound = detail::mix_agents(frac, a.inbound_occupancy, b.inbound_occupancy);
    const double outbound = detail::mix_agents(frac, a.outbound_throughput, b.outbound_throughput);
    a = detail::mix_agent_metrics(frac, std::move(a), b);
    a.inbound_occupancy = inbound;
    a.outbound_throughput = outbound;
    return a;
  }

  /// P(an inbound call waits).
  [[nodiscard]] double wait_probability(double agents) const {
    return metrics(agents, 0.0).wait_probability;
  }
  /// Inbound service level within target_time [s] under definition `d` (definitions.hpp).
  [[nodiscard]] double service_level(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within) const {
    return metrics(agents, target_time, d).service_level;
  }
  /// Inbound ASA [s] over all calls (E[queue] / lambda) or over the answered ones.
  [[nodiscard]] double average_speed_of_answer(double agents, AsaOver over = AsaOver::all) const {
    return metrics(agents, 0.0, ServiceLevelDefinition::answered_within, over).asa_s;
  }
  /// P(an inbound call abandons).
  [[nodiscard]] double abandon_probability(double agents) const {
    return metrics(agents, 0.0).abandon_rate;
  }
  /// Occupancy of the pool, inbound and outbound work together.
  [[nodiscard]] double occupancy(double agents) const { return metrics(agents, 0.0).occupancy; }
  /// Outbound jobs completed per second [1/s].
  [[nodiscard]] double outbound_throughput(double agents) const {
    return metrics(agents, 0.0).outbound_throughput;
  }

  /// The same pool with another reserve.
  [[nodiscard]] Blending with_reserve(std::int64_t reserve) const {
    return Blending(arrival_rate_, handle_time_, outbound_handle_time_, patience_, reserve, policy_);
  }

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< [1/s]
  [[nodiscard]] double handle_time() const noexcept { return handle_time_; }    ///< inbound [s]
  [[nodiscard]] double outbound_handle_time() const noexcept { return outbound_handle_time_; }
  [[nodiscard]] double patience() const noexcept { return patience_; }  ///< mean [s], inf: none
  [[nodiscard]] std::int64_t reserve() const noexcept { return reserve_; }  ///< s
  /// Inbound offered load lambda / mu_in [Erl] (places the first staffing bracket).
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time_; }

 private:
  [[nodiscard]] BlendingMetrics whole(std::int64_t n, double t, ServiceLevelDefinition d,
                                      AsaOver over) const {
    BlendingMetrics out;
    const std::int64_t r = std::min(reserve_, n);
    if (n == 0) return nobody(d, over, t);
    if (arrival_rate_ == 0.0) {  // no inbound: n - r agents on outbound for ever
      out.outbound_throughput = static_cast<double>(n - r) / outbound_handle_time_;
      out.occupancy = static_cast<double>(n - r) / static_cast<double>(n);
      return out;
    }
    const detail::BlendingRates rates{n, r, arrival_rate_, 1.0 / handle_time_,
                                      1.0 / outbound_handle_time_,
                                      std::isinf(patience_) ? 0.0 : 1.0 / patience_};
    if (rates.abandon == 0.0 && !(arrival_rate_ < static_cast<double>(n) * rates.inbound))
      return unstable(d, over, t);
    BlendingMetrics m = detail::blending_metrics(rates, t, d, over, policy_);
    // Rates of 1e-200 or 1e200 per second can break the level solves down; never a silent NaN.
    if ((std::isnan(m.wait_probability) || std::isnan(m.asa_s) ||
         std::isnan(m.outbound_throughput) || m.wait_probability > 1.0 + 1e-12) &&
        m.status == wfm::Status::ok) {
      m.status = wfm::Status::not_converged;
      m.message = "the chain's solution broke down at these extreme rates";
    }
    return m;
  }

  [[nodiscard]] BlendingMetrics nobody(ServiceLevelDefinition d, AsaOver over, double t) const {
    BlendingMetrics out;
    out.wait_probability = out.abandon_rate = out.occupancy = 1.0;
    out.service_level = d == ServiceLevelDefinition::wait_within && !std::isinf(patience_)
                            ? -std::expm1(-t / patience_)
                            : 0.0;
    out.asa_s = over == AsaOver::all ? patience_ : std::numeric_limits<double>::infinity();
    out.queue_length = arrival_rate_ * patience_;
    if (arrival_rate_ == 0.0) out = BlendingMetrics{};
    return out;
  }

  [[nodiscard]] BlendingMetrics unstable(ServiceLevelDefinition d, AsaOver over, double t) const {
    BlendingMetrics out = nobody(d, over, t);
    out.abandon_rate = 0.0;
    out.inbound_occupancy = 1.0;
    out.queue_length = out.asa_s = std::numeric_limits<double>::infinity();
    out.status = wfm::Status::infeasible;
    out.message = "inbound queue unstable: arrival_rate x handle_time >= agents with no patience";
    return out;
  }

  double arrival_rate_;
  double handle_time_;
  double outbound_handle_time_;
  double patience_;
  std::int64_t reserve_;
  BlendingPolicy policy_;
};

/// The reserve chosen for a goal, and the pool's metrics with it.
struct ThresholdChoice {
  std::int64_t reserve = 0;  ///< s
  BlendingMetrics metrics;   ///< at `reserve`
  wfm::Status status = wfm::Status::ok;  ///< ok, or infeasible: even s = n misses the goal
  std::string message;
  int evaluations = 0;       ///< reserves evaluated
};

/// The threshold with the largest outbound throughput whose inbound metrics meet `goal` (any
/// of service level, ASA, abandonment; occupancy criteria are ignored, since outbound work
/// fills the pool on purpose) at `agents` (a whole number). The throughput falls and every
/// inbound metric improves as the reserve grows, so this is the least reserve that meets the
/// goal, found by bisection over s = 0 .. n (O(log n) evaluations). If even s = n (no outbound)
/// misses the goal: status infeasible with the metrics at s = n.
[[nodiscard]] ThresholdChoice best_threshold(const Blending& model, std::int64_t agents,
                                             const StaffingGoal& goal);

}  // namespace wfm::queueing
