#pragma once
/// \file
/// Chat with concurrency: agents hold up to m chats at once, the handle time of a chat depends
/// on how many the agent holds, and customers abandon (an exact birth-death model).

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/core/status.hpp>
#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/queueing/detail/fractional_agents.hpp>
#include <wfm/queueing/detail/impatient_queue_terms.hpp>
#include <wfm/queueing/traffic.hpp>

namespace wfm::queueing {

/// Every metric of a chat queue at one staffing level.
struct ChatMetrics {
  double wait_probability = 0.0;         ///< P(all chat slots busy on arrival)
  double service_level = 1.0;            ///< SL at the target time, under the definition asked
  double asa_s = 0.0;  ///< ASA [s], over the calls asked (AsaOver)
  double abandon_rate = 0.0;      ///< P(a customer leaves before an agent answers)
  double queue_length = 0.0;        ///< E[chats waiting] [contacts]
  double occupancy = 0.0;                ///< E[chats in progress] / (agents m): slot occupancy
  double mean_concurrency = 0.0;         ///< E[chats in progress] / E[agents with >= 1 chat]
  wfm::Status status = wfm::Status::ok;  ///< ok, or not_converged (chain too long: the
                                         ///< metrics are then the fluid overload limits)
  std::string message;
};

/// Chat with concurrency as a birth-death chain: Poisson arrivals at rate lambda, n agents
/// who each hold up to m = handle_time_by_concurrency.size() chats, exponential patience with
/// mean `patience` = 1/theta, FCFS queue. A chat held by an agent with j chats in progress
/// ends at rate 1 / h_j, h_j = handle_time_by_concurrency[j - 1] (so the agent finishes chats
/// at rate j / h_j: slower per chat, faster in total); new chats go to the least-loaded agent
/// (balanced routing), so with k < n m chats in progress, q = k / n, r = k mod n, r agents hold
/// q + 1 chats and n - r hold q, and chats end at total rate
///
///   sigma_k = (n - r) q / h_q + r (q + 1) / h_{q+1},   k <= n m;
///
/// above k = c = n m every slot is busy, sigma_c = n m / h_m, and k - c customers wait, each
/// abandoning at rate theta. The state k (chats in the system) is then a birth-death chain with
/// birth rate lambda and death rate sigma_{min(k, c)} + (k - c)^+ theta: the Markov chat model
/// of Tezcan & Zhang (2014), "Routing and staffing in customer service chat systems with
/// impatient customers", Operations Research 62(4), with concurrency-dependent rates as in
/// Luo & Zhang (2013), "Staffing and control of instant messaging contact centers",
/// Operations Research 61(2). It is solved exactly by the log-space engine (birth_death.hpp);
/// the waiting-time law above c is that of Erlang A with n mu replaced by sigma_c
/// (impatient_queue_terms.hpp), so
///
///   SL (answered_within) = sum_{k<c} pi_k + sum_j pi_{c+j} s/(s+j+1) (1 - I_u(s+1, j+1)),
///   s = sigma_c / theta, u = e^{-theta t};  P(abandon) = theta E[Q] / lambda (Little).
///
/// With m = 1 this is Erlang A exactly (the test checks it to 1e-12).
///
/// **Why "AHT divided by concurrency" misleads** (the worked example, reproduced by the
/// tests): 120 chats per hour, handle times 300/420/540 s at 1/2/3 chats, mean patience 120 s,
/// goal 80 % answered within 60 s. This model needs **6 agents** (SL 0.853, 9.7 % abandon).
/// Two common shortcuts:
///   - Erlang A on "slots" at the middle handle time (420 s) gives 15 slots, 15 / 3 = **5**
///     agents; 5 agents truly give SL 0.684 with 20.9 % abandoning;
///   - Erlang C with the per-agent time per chat at full concurrency (540 / 3 = 180 s) gives
///     **8** agents, two more than needed.
///
/// **Example**:
///
///     ChatConcurrency q(/*arrival_rate=*/120.0 / 3600.0, {300.0, 420.0, 540.0}, /*patience=*/120.0);
///     double sl = q.service_level(6, 60.0);   // 0.853...
///
/// Real-valued agents are interpolated linearly between the neighbouring whole numbers (an
/// interpolation, not a model; every metric stays monotone in n).
///
/// \throws InvalidArgument if arrival_rate < 0 or not finite, handle_time_by_concurrency is
///         empty or holds a value <= 0 or not finite, patience <= 0 or not finite; if agents
///         < 0 or not finite, or target_time < 0 or not finite.
/// \warning Limits are values: zero arrivals give P(wait) = 0, SL = 1, ASA = 0; agents = 0 give
///          P(wait) = P(abandon) = 1, SL = 0 (wait_within: 1 - e^{-t/patience}), ASA over all
///          = patience, over answered = +inf, occupancy 1.
class ChatConcurrency {
 public:
  ChatConcurrency(double arrival_rate, std::vector<double> handle_time_by_concurrency,
                  double patience, BirthDeathPolicy policy = {})
      : arrival_rate_(arrival_rate),
        handle_times_(std::move(handle_time_by_concurrency)),
        patience_(patience),
        policy_(policy) {
    constexpr std::string_view where = "wfm::queueing::ChatConcurrency";
    wfm::detail::require_nonnegative(where, "arrival_rate [1/s]", arrival_rate_);
    if (handle_times_.empty())
      wfm::detail::throw_invalid(where, "handle_time_by_concurrency must hold at least 1 value");
    for (double h : handle_times_)
      wfm::detail::require_positive(where, "handle_time_by_concurrency [s]", h);
    wfm::detail::require_positive(where, "patience [s]", patience_);
    // The total rate j / h_j of one agent never falls as j grows: then sigma_k is
    // non-decreasing and the chain's ratios fall from state 0 on (earlier truncation).
    rates_monotone_ = true;
    agent_rate_.push_back(0.0);
    for (std::size_t j = 1; j <= handle_times_.size(); ++j)
      agent_rate_.push_back(static_cast<double>(j) / handle_times_[j - 1]);
    for (std::size_t j = 1; j < handle_times_.size(); ++j)
      if ((static_cast<double>(j) + 1.0) / handle_times_[j] <
          static_cast<double>(j) / handle_times_[j - 1])
        rates_monotone_ = false;
  }

  /// Every metric at `agents` for one target time [s], SL definition and ASA averaging.
  [[nodiscard]] ChatMetrics metrics(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within,
      AsaOver over = AsaOver::all) const {
    detail::check_agents("wfm::queueing::ChatConcurrency", agents);
    detail::check_target_time("wfm::queueing::ChatConcurrency", target_time);
    const double lo = std::floor(agents);
    ChatMetrics a = whole(static_cast<std::int64_t>(lo), target_time, d, over);
    const double frac = agents - lo;
    if (frac == 0.0) return a;
    const ChatMetrics b = whole(static_cast<std::int64_t>(lo) + 1, target_time, d, over);
    const double concurrency = detail::mix_agents(frac, a.mean_concurrency, b.mean_concurrency);
    a = detail::mix_agent_metrics(frac, std::move(a), b);
    a.mean_concurrency = concurrency;
    return a;
  }

  /// P(an arriving customer finds every chat slot busy and waits).
  [[nodiscard]] double wait_probability(double agents) const {
    return metrics(agents, 0.0).wait_probability;
  }
  /// Service level within target_time [s] under definition `d` (definitions.hpp).
  [[nodiscard]] double service_level(
      double agents, double target_time,
      ServiceLevelDefinition d = ServiceLevelDefinition::answered_within) const {
    return metrics(agents, target_time, d).service_level;
  }
  /// ASA [s]: over = all: E[min(V, patience)] = E[Q] / lambda; over = answered: E[V | answered].
  [[nodiscard]] double average_speed_of_answer(double agents, AsaOver over = AsaOver::all) const {
    return metrics(agents, 0.0, ServiceLevelDefinition::answered_within, over)
        .asa_s;
  }
  /// P(abandon) = theta E[Q] / lambda.
  [[nodiscard]] double abandon_probability(double agents) const {
    return metrics(agents, 0.0).abandon_rate;
  }
  /// E[chats waiting] [contacts].
  [[nodiscard]] double mean_queue_length(double agents) const {
    return metrics(agents, 0.0).queue_length;
  }
  /// Slot occupancy E[chats in progress] / (agents m).
  [[nodiscard]] double occupancy(double agents) const { return metrics(agents, 0.0).occupancy; }

  [[nodiscard]] double arrival_rate() const noexcept { return arrival_rate_; }  ///< [1/s]
  [[nodiscard]] double patience() const noexcept { return patience_; }  ///< mean [s]
  [[nodiscard]] int max_concurrency() const noexcept {  ///< m
    return static_cast<int>(handle_times_.size());
  }
  /// h_j [s] for j = 1 .. m.
  [[nodiscard]] const std::vector<double>& handle_time_by_concurrency() const noexcept {
    return handle_times_;
  }
  /// Time per chat of an agent at full concurrency, h_m / m [s]. Used (with load()) only to
  /// place the first bracket of required_agents.
  [[nodiscard]] double handle_time() const noexcept {
    return handle_times_.back() / static_cast<double>(handle_times_.size());
  }
  /// Offered load in agents at full concurrency, lambda h_m / m [Erl].
  [[nodiscard]] double load() const noexcept { return arrival_rate_ * handle_time(); }

 private:
  /// Total rate [1/s] at which chats end with k chats in progress (k <= n m), balanced routing:
  /// (n - r) a_q + r a_{q+1}, k = q n + r, a_j = j / h_j (tabulated). The band q is kept between
  /// calls, so a walk over consecutive states divides nothing.
  struct ServiceRates {
    const std::vector<double>& agent_rate;  // a_0 .. a_m
    std::int64_t n;
    bool ready = false;
    std::int64_t band_start = 0;  // q n
    double a_q = 0.0, a_next = 0.0;
    [[nodiscard]] double operator()(std::int64_t k) noexcept {
      if (!ready || k < band_start || k - band_start >= n) {
        ready = true;
        const std::int64_t q = k / n;
        band_start = q * n;
        const auto qq = static_cast<std::size_t>(q);
        a_q = agent_rate[qq];
        a_next = qq + 1 < agent_rate.size() ? agent_rate[qq + 1] : 0.0;
      }
      const std::int64_t r = k - band_start;
      return static_cast<double>(n - r) * a_q + static_cast<double>(r) * a_next;
    }
  };

  [[nodiscard]] ChatMetrics whole(std::int64_t n, double t, ServiceLevelDefinition d,
                                  AsaOver over) const {
    ChatMetrics out;
    const double x = t / patience_;
    if (arrival_rate_ == 0.0) return out;  // SL 1, ASA 0, no waiting
    if (n == 0) return nobody(d, over, x);
    const auto m = static_cast<std::int64_t>(handle_times_.size());
    const std::int64_t c = n * m;
    const double theta = 1.0 / patience_;
    ServiceRates sigma{agent_rate_, n};
    const double sigma_full = static_cast<double>(n) * agent_rate_.back();
    // captures by value: the engine's copy then holds every constant in registers
    auto ratio = [lambda = arrival_rate_, c, sigma, sigma_full, theta](std::int64_t k) mutable {
      const std::int64_t next = k + 1;
      const double death =
          next <= c ? sigma(next) : sigma_full + static_cast<double>(next - c) * theta;
      return lambda / death;
    };
    // A chain whose mode lies beyond max_states (weights rising over every state it may form:
    // the walk from state 0 would form all max_states of them, ~0.1 s, and fail) goes to the
    // fluid limit at once: same result, O(log) ratio calls (a chat queue at 1e6 times its
    // volume staffed 96 intervals in 32 s, now in milliseconds; bench/RESULTS.md, issue 12).
    if (rates_monotone_ && detail::chain_mode(ratio, policy_.max_states) >= policy_.max_states - 1)
      return fluid_limit(sigma_full, d, over, x,
                         "birth-death chain truncated at max_states = " +
                             std::to_string(policy_.max_states) +
                             " states before its tail was negligible");
    const BirthDeathDistribution dist =
        stationary_window(ratio,
                                {.last_state = -1, .monotone_from = rates_monotone_ ? 0 : c,
                                 .reference_state = c},
                                policy_);
    if (dist.status != wfm::Status::ok) return fluid_limit(sigma_full, d, over, x, dist.message);
    const double s = sigma_full / theta;
    const bool virtual_law = d == ServiceLevelDefinition::virtual_wait_within ||
                             d == ServiceLevelDefinition::wait_within;
    const detail::ImpatientQueueSums q = detail::impatient_queue_sums(
        dist, c, std::numeric_limits<std::int64_t>::max(), s, x, virtual_law);
    out.wait_probability = std::fmin(1.0, q.joins_queue);
    out.queue_length = q.mean_queue;
    out.abandon_rate = std::fmin(1.0, theta * q.mean_queue / arrival_rate_);
    const double answered = q.no_wait + q.answered_within;  // P(V <= t, answered)
    const double served = 1.0 - out.abandon_rate;
    switch (d) {
      case ServiceLevelDefinition::answered_within: out.service_level = answered; break;
      case ServiceLevelDefinition::answered_given_answered:
        out.service_level = served > 0.0 ? answered / served : 0.0;
        break;
      case ServiceLevelDefinition::virtual_wait_within:
        out.service_level = q.no_wait + q.virtual_within;
        break;
      case ServiceLevelDefinition::wait_within:  // 1 - u P(V > t) = P(V <= t) + (1 - u) P(V > t)
        out.service_level = q.no_wait + q.virtual_within - std::expm1(-x) * q.virtual_beyond;
        break;
    }
    out.service_level = std::fmin(1.0, std::fmax(0.0, out.service_level));
    out.asa_s =
        over == AsaOver::all ? q.mean_queue / arrival_rate_
                             : (served > 0.0 ? q.answered_wait * patience_ / served : 0.0);
    const double in_service = dist.capped_mean(c), busy_agents = dist.capped_mean(n);
    out.occupancy = std::fmin(1.0, in_service / static_cast<double>(c));
    out.mean_concurrency = busy_agents > 0.0 ? in_service / busy_agents : 0.0;
    return out;
  }

  [[nodiscard]] ChatMetrics nobody(ServiceLevelDefinition d, AsaOver over, double x) const {
    ChatMetrics out;
    out.wait_probability = out.abandon_rate = out.occupancy = 1.0;
    out.service_level = d == ServiceLevelDefinition::wait_within ? -std::expm1(-x) : 0.0;
    out.asa_s =
        over == AsaOver::all ? patience_ : std::numeric_limits<double>::infinity();
    out.queue_length = arrival_rate_ * patience_;
    return out;
  }

  // A chain too long for the engine is deep overload: report the fluid limits (Whitt 2006,
  // "Fluid models for multiserver queues with abandonments", Operations Research 54(1)):
  // every slot busy, P(abandon) = 1 - sigma_c / lambda, and the SL of "nobody".
  [[nodiscard]] ChatMetrics fluid_limit(double sigma_full, ServiceLevelDefinition d, AsaOver over,
                                        double x, const std::string& why) const {
    ChatMetrics out = nobody(d, over, x);
    out.abandon_rate = std::fmax(0.0, 1.0 - sigma_full / arrival_rate_);
    out.queue_length = arrival_rate_ * patience_ * out.abandon_rate;
    out.mean_concurrency = static_cast<double>(handle_times_.size());
    out.status = wfm::Status::not_converged;
    out.message = why;
    return out;
  }

  double arrival_rate_;
  std::vector<double> handle_times_;
  double patience_;
  BirthDeathPolicy policy_;
  bool rates_monotone_ = true;
  std::vector<double> agent_rate_;  ///< a_j = j / h_j, j = 0 .. m: one agent's total rate
};

}  // namespace wfm::queueing
