#pragma once
/// \file
/// Queueing models by name: one factory that builds the model of one interval's traffic from a
/// model name and its parameters, and staffing (one interval or a whole horizon) through it.
/// The command-line programs (`wfm-staff --model NAME`) and the Python planner call this, so a
/// new model is added here once rather than in every program.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <wfm/queueing/blending.hpp>
#include <wfm/queueing/chat_concurrency.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/erlang_x.hpp>
#include <wfm/queueing/general_patience.hpp>
#include <wfm/queueing/retrial.hpp>
#include <wfm/queueing/staffing.hpp>

namespace wfm::queueing {

/// A model and its parameters, apart from the traffic (arrival rate and AHT per interval).
struct ModelSpec {
  /// "erlang_c", "erlang_a", "chat", "erlang_x", "general_patience" or "blending" (see
  /// model_names()).
  std::string name = "erlang_a";
  /// Mean patience [s] (erlang_a, chat, erlang_x); +inf: none (erlang_a then is erlang_c;
  /// chat and erlang_x need a finite patience).
  double patience = std::numeric_limits<double>::infinity();
  /// chat: handle time at concurrency j relative to concurrency 1, h_j / h_1, j = 1 .. m (the
  /// first is 1). The interval's AHT is h_1. Empty: one chat per agent.
  std::vector<double> handle_time_factors{};
  /// erlang_x: trunk lines N >= 1.
  std::int64_t lines = 0;
  /// erlang_x: probability of a redial after a busy signal or an abandonment, in [0, 1).
  double redial_probability = 0.0;
  /// erlang_x: mean redial delay [s]; 0: redials as a Poisson stream (ErlangX's fixed point),
  /// > 0: the exact retrial chain with this delay (ErlangXRetrial, retrial.hpp; small n).
  double redial_delay = 0.0;
  /// general_patience: the law of patience, "exponential", "deterministic", "lognormal",
  /// "weibull" or "gamma" with mean `patience`; or "piecewise_hazard" or "estimated" (a
  /// survival curve from data), whose law is `patience_law` itself (its own mean; `patience`
  /// is then unused).
  std::string patience_distribution = "exponential";
  /// general_patience: lognormal coefficient of variation, or Weibull or gamma shape k (else
  /// unused).
  double patience_shape = 1.0;
  /// general_patience with patience_distribution "piecewise_hazard" or "estimated": the law,
  /// built by PatienceDistribution::piecewise_hazard or ::from_survival (required there, and
  /// only there).
  std::optional<PatienceDistribution> patience_law{};
  /// blending: agents kept idle for inbound (reserve s >= 0); the required agents are then
  /// the least n meeting the inbound goal at this reserve (Blending, best_threshold()).
  std::int64_t reserve = 0;
  /// blending: handle time of an outbound (or back-office) job [s]; 0: the inbound AHT.
  double outbound_handle_time = 0.0;
};

/// Any model of the registry.
using AnyQueueModel =
    std::variant<ErlangC, ErlangA, ChatConcurrency, ErlangX, GeneralPatience, Blending,
                 ErlangXRetrial>;

/// The names make_model() knows, in a stable order.
[[nodiscard]] std::vector<std::string_view> model_names();

/// Builds `spec`'s model for traffic of `arrival_rate` [1/s] and AHT `handle_time` [s].
/// \throws InvalidArgument for an unknown name (listing the known ones) or bad parameters.
[[nodiscard]] AnyQueueModel make_model(const ModelSpec& spec, double arrival_rate,
                                       double handle_time);

/// required_agents() of the model `spec` builds for this traffic.
[[nodiscard]] StaffingResult required_agents(const ModelSpec& spec, double arrival_rate,
                                             double handle_time, const StaffingGoal& goal,
                                             const StaffingOptions& options = {});

/// plan_horizon() for any model of the registry: volumes [contacts per interval], AHT [s]
/// (one or one per interval), interval_length [s]; the same result and rules as
/// plan_horizon(volumes, handle_times, interval_length, patience, goal, ...).
[[nodiscard]] HorizonPlan plan_horizon(const ModelSpec& spec, std::span<const double> volumes,
                                       std::span<const double> handle_times,
                                       double interval_length, const StaffingGoal& goal,
                                       double shrinkage = 0.0, const PlanOptions& options = {});

/// The same with a mean patience [s] per interval (`patience`: 1 value or one per interval;
/// +inf: none), which replaces `spec.patience` (the rest of `spec` applies to every interval).
/// \throws InvalidArgument if a patience is not > 0, or a model needs a finite one.
[[nodiscard]] HorizonPlan plan_horizon(const ModelSpec& spec, std::span<const double> volumes,
                                       std::span<const double> handle_times,
                                       double interval_length, std::span<const double> patience,
                                       const StaffingGoal& goal, double shrinkage = 0.0,
                                       const PlanOptions& options = {});

}  // namespace wfm::queueing
