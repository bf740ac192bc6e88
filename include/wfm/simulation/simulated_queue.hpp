#pragma once
/// \file
/// A stationary queue evaluated by simulation, queried like wfm::queueing::ErlangC / ErlangA:
/// the same member names and arguments, so staffing code written against that interface (a
/// search for the fewest agents that meet a target) can run over a simulated model with
/// lognormal or empirical handle times and any patience distribution.
///
/// **Example**:
///
///     SimulatedQueue q(100.0 / 1800.0, Distribution::lognormal(240.0, 1.2),
///                      Distribution::exponential(120.0));
///     double sl = q.service_level(/*agents=*/16, /*target_time=*/20.0);
///
/// Every query simulates `options.replications` replications of one long interval with the
/// same seed: all staffing levels see the same calls (common random numbers), so comparisons
/// between agent counts are far less noisy than the half-widths suggest, and in practice the
/// service level does not decrease as agents are added.
///
/// \warning Each query runs a simulation (milliseconds to seconds); use evaluate() to get all
///          measures of one staffing level at once.

#include <cmath>
#include <string_view>
#include <vector>

#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/queueing/definitions.hpp>
#include <wfm/simulation/simulator.hpp>

namespace wfm::simulation {

/// How a SimulatedQueue simulates.
struct SimulatedQueueOptions {
  double horizon = 100000.0;  ///< [s] counted per replication
  double warmup = 10000.0;    ///< [s] per replication, not counted
  int replications = 10;
  std::uint64_t seed = 1;
  int threads = 0;  ///< 0 = all cores
};

class SimulatedQueue {
 public:
  /// \throws InvalidArgument for a negative or non-finite arrival rate, a bad distribution
  ///         or bad options (checked here, once).
  SimulatedQueue(double arrival_rate, Distribution handle_time,
                 Distribution patience = Distribution::none(), SimulatedQueueOptions options = {})
      : options_(options) {
    constexpr std::string_view where = "wfm::simulation::SimulatedQueue";
    wfm::detail::require_positive(where, "options.horizon [s]", options.horizon);
    if (!(options.horizon >= limits::min_interval_length))  // it becomes the interval length
      wfm::detail::throw_invalid(where, "options.horizon [s] must be >= 1 s "
                                 "(wfm::limits::min_interval_length)", options.horizon);
    if (options.horizon > limits::max_simulated_time)
      wfm::detail::throw_invalid(where,
                                 "options.horizon [s] must be <= 1e9 "
                                 "(wfm::limits::max_simulated_time)",
                                 options.horizon);
    wfm::detail::require_nonnegative(where, "options.warmup [s]", options.warmup);
    if (options.warmup > limits::max_simulated_time)
      wfm::detail::throw_invalid(where,
                                 "options.warmup [s] must be <= 1e9 "
                                 "(wfm::limits::max_simulated_time)",
                                 options.warmup);
    if (arrival_rate * (options.horizon + options.warmup) > limits::max_expected_calls)
      wfm::detail::throw_invalid(where,
                                 "arrival_rate [1/s] x (options.horizon + options.warmup) [s] "
                                 "must be <= 1e7 expected calls (wfm::limits::max_expected_calls)",
                                 arrival_rate);
    scenario_.interval_length = options.horizon;
    scenario_.arrival_rate = {arrival_rate};
    scenario_.handle_time = std::move(handle_time);
    scenario_.patience = std::move(patience);
    scenario_.staffing = std::vector<int>{0};
    validate(scenario_);
    wfm::detail::require_nonnegative("wfm::simulation::SimulatedQueue", "warmup [s]",
                                     options.warmup);
    if (options.replications < 1)
      wfm::detail::throw_invalid("wfm::simulation::SimulatedQueue", "replications must be >= 1",
                                 options.replications);
  }

  /// All measures of one staffing level for the given target times [s].
  /// \throws InvalidArgument unless agents is a whole number >= 0.
  [[nodiscard]] SimulationResult evaluate(double agents,
                                          std::vector<double> target_times = {20.0}) const {
    if (!(agents >= 0.0) || agents != std::floor(agents) || agents > 1e7)
      wfm::detail::throw_invalid("wfm::simulation::SimulatedQueue", "agents must be a whole number >= 0",
                                 agents);
    Scenario s = scenario_;
    s.staffing = std::vector<int>{static_cast<int>(agents)};
    RunOptions o;
    o.replications = options_.replications;
    o.seed = options_.seed;
    o.threads = options_.threads;
    o.warmup = options_.warmup;
    o.target_times = std::move(target_times);
    return simulate(s, o);
  }

  /// Simulated fraction of calls meeting `target_time` [s] under definition d.
  [[nodiscard]] double service_level(
      double agents, double target_time,
      queueing::ServiceLevelDefinition d = queueing::ServiceLevelDefinition::answered_within) const {
    const SimulationResult r = evaluate(agents, {target_time});
    return r.total.service_level[static_cast<std::size_t>(r.service_level_index(d, target_time))]
        .value;
  }
  /// Simulated ASA [s] over all calls or over answered calls.
  [[nodiscard]] double average_speed_of_answer(
      double agents, queueing::AsaOver over = queueing::AsaOver::all) const {
    const SimulationResult r = evaluate(agents);
    return over == queueing::AsaOver::all ? r.total.asa_s.value : r.total.asa_answered_s.value;
  }
  /// Simulated fraction of callers who abandon.
  [[nodiscard]] double abandon_probability(double agents) const {
    return evaluate(agents).total.abandon_rate.value;
  }
  /// Simulated occupancy [fraction].
  [[nodiscard]] double occupancy(double agents) const {
    return evaluate(agents).total.occupancy.value;
  }

  [[nodiscard]] double arrival_rate() const noexcept { return scenario_.arrival_rate[0]; }
  [[nodiscard]] const SimulatedQueueOptions& options() const noexcept { return options_; }

 private:
  Scenario scenario_;
  SimulatedQueueOptions options_;
};

}  // namespace wfm::simulation
