// Queueing models by name (model_registry.hpp).
#include <wfm/queueing/model_registry.hpp>

#include <cmath>
#include <optional>
#include <string>

#include <fmt/format.h>

#include <wfm/core/error.hpp>

namespace wfm::queueing {
namespace {
constexpr std::string_view kWhere = "wfm::queueing::make_model";

ChatConcurrency make_chat(const ModelSpec& spec, double arrival_rate, double handle_time) {
  std::vector<double> times{handle_time};
  if (!spec.handle_time_factors.empty()) {
    if (spec.handle_time_factors.front() != 1.0)
      wfm::detail::throw_invalid(kWhere, "handle_time_factors[0] must be 1 (h_1 / h_1)",
                                 spec.handle_time_factors.front());
    times.clear();
    for (double f : spec.handle_time_factors) times.push_back(handle_time * f);
  }
  return ChatConcurrency(arrival_rate, std::move(times), spec.patience);
}

PatienceDistribution make_patience(const ModelSpec& spec) {
  const std::string& law = spec.patience_distribution;
  const bool given = law == "piecewise_hazard" || law == "estimated";
  if (given != spec.patience_law.has_value())
    wfm::detail::throw_invalid(kWhere,
                               given ? "patience_distribution " + law + " needs patience_law"
                                     : "patience_law is set, so patience_distribution must "
                                       "be piecewise_hazard or estimated",
                               law);
  if (given) return *spec.patience_law;
  if (law == "exponential") return PatienceDistribution::exponential(spec.patience);
  if (law == "deterministic") return PatienceDistribution::deterministic(spec.patience);
  if (law == "lognormal") return PatienceDistribution::lognormal(spec.patience, spec.patience_shape);
  if (law == "weibull") return PatienceDistribution::weibull(spec.patience, spec.patience_shape);
  if (law == "gamma") return PatienceDistribution::gamma(spec.patience, spec.patience_shape);
  wfm::detail::throw_invalid(kWhere,
                             "patience_distribution must be exponential, deterministic, "
                             "lognormal, weibull, gamma, piecewise_hazard or estimated",
                             law);
}
}  // namespace

std::vector<std::string_view> model_names() {
  return {"erlang_c", "erlang_a", "chat", "erlang_x", "general_patience", "blending"};
}

AnyQueueModel make_model(const ModelSpec& spec, double arrival_rate, double handle_time) {
  if (spec.name == "erlang_c") return ErlangC(arrival_rate, handle_time);
  if (spec.name == "erlang_a") {
    if (std::isinf(spec.patience)) return ErlangC(arrival_rate, handle_time);
    return ErlangA(arrival_rate, handle_time, spec.patience);
  }
  if (spec.name == "chat") return make_chat(spec, arrival_rate, handle_time);
  if (spec.name == "erlang_x" && spec.redial_delay != 0.0)
    return ErlangXRetrial(arrival_rate, handle_time, spec.patience, spec.lines,
                          spec.redial_probability, spec.redial_delay);
  if (spec.name == "erlang_x")
    return ErlangX(arrival_rate, handle_time, spec.patience, spec.lines,
                   spec.redial_probability);
  if (spec.name == "general_patience")
    return GeneralPatience(arrival_rate, handle_time, make_patience(spec));
  if (spec.name == "blending")
    return Blending(arrival_rate, handle_time,
                    spec.outbound_handle_time > 0.0 ? spec.outbound_handle_time : handle_time,
                    spec.patience, spec.reserve);
  wfm::detail::throw_invalid(
      kWhere,
      "model must be one of erlang_c, erlang_a, chat, erlang_x, general_patience, blending",
      spec.name);
}

StaffingResult required_agents(const ModelSpec& spec, double arrival_rate, double handle_time,
                               const StaffingGoal& goal, const StaffingOptions& options) {
  const AnyQueueModel model = make_model(spec, arrival_rate, handle_time);
  return std::visit([&](const auto& m) { return required_agents(m, goal, options); }, model);
}

HorizonPlan plan_horizon(const ModelSpec& spec, std::span<const double> volumes,
                         std::span<const double> handle_times, double interval_length,
                         const StaffingGoal& goal, double shrinkage, const PlanOptions& options) {
  return plan_horizon(spec, volumes, handle_times, interval_length,
                      std::span<const double>(&spec.patience, 1), goal, shrinkage, options);
}

HorizonPlan plan_horizon(const ModelSpec& spec, std::span<const double> volumes,
                         std::span<const double> handle_times, double interval_length,
                         std::span<const double> patience, const StaffingGoal& goal,
                         double shrinkage,
                         const PlanOptions& options) {
  constexpr std::string_view where = "wfm::queueing::plan_horizon";
  const std::size_t n = volumes.size();
  wfm::detail::require_positive(where, "interval_length [s]", interval_length);
  if (!(shrinkage >= 0.0 && shrinkage < 1.0))
    wfm::detail::throw_invalid(where, "shrinkage must be in [0, 1)", shrinkage);
  if (handle_times.size() != n && handle_times.size() != 1)
    wfm::detail::throw_invalid(
        where, fmt::format("handle_times must hold 1 value or one per interval ({}), got {}", n,
                           handle_times.size()));
  if (patience.size() != n && patience.size() != 1)
    wfm::detail::throw_invalid(
        where, fmt::format("patience must hold 1 value or one per interval ({}), got {}", n,
                           patience.size()));
  goal.validate("wfm::queueing::plan_horizon: goal");
  options.staffing.validate("wfm::queueing::plan_horizon: options");
  for (std::size_t i = 0; i < n; ++i)
    if (!(volumes[i] >= 0.0) || !std::isfinite(volumes[i]))
      wfm::detail::throw_invalid(where, fmt::format("volumes[{}] must be finite and >= 0", i),
                                 volumes[i]);
  // Build every model first (bad parameters throw here, before any work is done).
  std::vector<std::optional<AnyQueueModel>> models(n);
  ModelSpec one = spec;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(volumes[i] > 0.0)) continue;
    one.patience = patience.size() == 1 ? patience[0] : patience[i];
    models[i] = make_model(one, volumes[i] / interval_length,
                           handle_times.size() == 1 ? handle_times[0] : handle_times[i]);
  }
  return detail::plan_each_interval(
      n, shrinkage, options, [&](std::size_t i) -> std::optional<StaffingResult> {
        if (!models[i]) return std::nullopt;  // zero volume
        return std::visit(
            [&](const auto& m) { return required_agents(m, goal, options.staffing); },
            *models[i]);
      });
}

}  // namespace wfm::queueing
