#pragma once
/// \file
/// The whole capacity plan in one call (demand -> required FTE -> least-cost hiring plan) and
/// what-if scenarios side by side.

#include <string>
#include <vector>
#include <wfm/capacity/hiring.hpp>
#include <wfm/capacity/requirement.hpp>

namespace wfm::capacity {

/// Demand and factors, supply, classes and costs. `hiring.fte_required` is ignored (it comes
/// from `demand`) unless `demand.volume` is empty, in which case it is the requirement as given.
struct CapacityInput {
  RequirementInput demand{};
  HiringProblem hiring{};
};

struct CapacityPlan {
  Requirement requirement{};
  HiringPlan hiring{};  ///< status and message of the plan as a whole
};

/// Requirement, then the hiring plan on it. A requirement whose service goal cannot be met in
/// some intervals still plans (on the staffing at max_agents), with status `infeasible` and the
/// reason in `hiring.message`.
[[nodiscard]] CapacityPlan plan_capacity(const CapacityInput& in, const CapacityPolicy& policy = {});

/// A what-if: multipliers on the base input and an optional cancelled class.
struct Scenario {
  std::string name{};
  double volume_factor = 1.0;     ///< volume *= this (> 0)
  double aht_factor = 1.0;        ///< aht_s *= this (> 0)
  double attrition_factor = 1.0;  ///< every weekly attrition rate *= this (result kept < 1)
  int cancel_class = -1;          ///< index of a class that may not run; -1: none
};

/// base, volume +10 %, volume -10 %, AHT +5 %, attrition doubled, and (when the base plan runs
/// a class) its largest class cancelled. Returned for `base_plan`'s class sizes.
[[nodiscard]] std::vector<Scenario> standard_scenarios(const HiringPlan& base_plan);

/// One line of the what-if table.
struct ScenarioResult {
  std::string name{};
  Status status = Status::error;
  std::string message{};
  double fte_required_mean = 0.0;   ///< [FTE] mean over the weeks
  double hires = 0.0;               ///< [people] total of the plan
  int classes_run = 0;              ///< classes with at least one hire
  double cost = 0.0;                ///< [currency]
  double lower_bound = 0.0;         ///< [currency]
  double fte_gap_max = 0.0;         ///< [FTE] worst week (> 0: short)
  int weeks_short = 0;              ///< weeks with fte_gap > 0 (within or beyond the tolerance)
  std::vector<int> class_size{};      ///< [people] per class
};

/// Re-plans every scenario (each its own optimal hiring plan) and summarises it.
[[nodiscard]] std::vector<ScenarioResult> compare_scenarios(const CapacityInput& base,
                                                            const std::vector<Scenario>& scenarios,
                                                            const CapacityPolicy& policy = {});

}  // namespace wfm::capacity
