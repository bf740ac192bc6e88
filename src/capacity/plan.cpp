// The capacity plan end to end and what-if scenarios (include/wfm/capacity/plan.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <wfm/capacity/plan.hpp>
#include <wfm/core/error.hpp>

namespace wfm::capacity {

CapacityPlan plan_capacity(const CapacityInput& in, const CapacityPolicy& policy) {
  CapacityPlan out;
  HiringProblem p = in.hiring;
  if (!in.demand.volume.empty()) {
    out.requirement = required_fte(in.demand);
    p.fte_required = out.requirement.fte_required;
  } else {
    out.requirement = required_fte_from_productive(
        std::vector<double>(p.fte_required.size(), 0.0), in.demand);
    out.requirement.fte_required = p.fte_required;  // given as is
    out.requirement.message = "fte_required given; no demand conversion";
  }
  out.hiring = plan_hiring(p, policy);
  if (out.requirement.status != Status::ok) {  // the goal itself cannot be met somewhere
    out.hiring.message += (out.hiring.message.empty() ? "" : "; ") +
                          std::string("requirement: ") + out.requirement.message +
                          " (the plan covers the staffing at max_agents there)";
    if (has_result(out.hiring.status)) out.hiring.status = Status::infeasible;
  }
  return out;
}

std::vector<Scenario> standard_scenarios(const HiringPlan& base_plan) {
  std::vector<Scenario> s{{.name = "base"},
                          {.name = "volume +10%", .volume_factor = 1.1},
                          {.name = "volume -10%", .volume_factor = 0.9},
                          {.name = "aht +5%", .aht_factor = 1.05},
                          {.name = "attrition x2", .attrition_factor = 2.0}};
  const auto& size = base_plan.class_size;
  if (!size.empty() && *std::max_element(size.begin(), size.end()) > 0) {
    const auto k = std::max_element(size.begin(), size.end()) - size.begin();
    s.push_back({.name = fmt::format("class {} cancelled", k), .cancel_class = static_cast<int>(k)});
  }
  return s;
}

namespace {

CapacityInput apply(const CapacityInput& base, const Scenario& s) {
  CapacityInput in = base;
  for (double& v : in.demand.volume) v *= s.volume_factor;
  for (double& h : in.demand.aht_s) h *= s.aht_factor;
  if (in.demand.volume.empty())  // requirement given directly: volume scales it
    for (double& f : in.hiring.fte_required) f *= s.volume_factor * s.aht_factor;
  for (double& a : in.hiring.supply.attrition) a = std::min(a * s.attrition_factor, 0.999);
  if (s.cancel_class >= 0) {
    if (static_cast<std::size_t>(s.cancel_class) >= in.hiring.classes.size())
      wfm::detail::throw_invalid(fmt::format("scenario '{}': cancel_class", s.name),
                                 "no such class", s.cancel_class);
    in.hiring.classes[static_cast<std::size_t>(s.cancel_class)].min_size = 0;
    in.hiring.classes[static_cast<std::size_t>(s.cancel_class)].max_size = 0;
  }
  return in;
}

}  // namespace

std::vector<ScenarioResult> compare_scenarios(const CapacityInput& base,
                                              const std::vector<Scenario>& scenarios,
                                              const CapacityPolicy& policy) {
  std::vector<ScenarioResult> out;
  for (const Scenario& s : scenarios) {
    for (auto [field, v] : {std::pair{"volume_factor", s.volume_factor}, {"aht_factor", s.aht_factor},
                            {"attrition_factor", s.attrition_factor}})
      wfm::detail::require_positive(fmt::format("scenario '{}': {}", s.name, field), field, v);
    const CapacityPlan plan = plan_capacity(apply(base, s), policy);
    const HiringPlan& h = plan.hiring;
    ScenarioResult r{.name = s.name, .status = h.status, .message = h.message,
                     .cost = h.cost, .lower_bound = h.lower_bound, .class_size = h.class_size};
    const auto& req = plan.requirement.fte_required;
    if (!req.empty())
      r.fte_required_mean = std::accumulate(req.begin(), req.end(), 0.0) / static_cast<double>(req.size());
    r.hires = std::accumulate(h.class_size.begin(), h.class_size.end(), 0.0);
    r.classes_run = static_cast<int>(std::count_if(h.class_size.begin(), h.class_size.end(),
                                                   [](int x) { return x > 0; }));
    for (double g : h.fte_gap) {
      r.fte_gap_max = std::max(r.fte_gap_max, g);
      r.weeks_short += g > 1e-6;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace wfm::capacity
