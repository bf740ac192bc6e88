#pragma once
/// \file
/// The hiring plan: how many people to start in which class so that available FTE stays within
/// a tolerance of the requirement every week, at least cost. An integer programme solved by
/// branch-and-cut (COIN-OR CBC through wfm::schedule's LP/MIP layer).
///
/// Model (one row per week w, one integer x_k per hiring class k starting in week s_k):
///   available(w) = base(w) + sum_k p_k(w) x_k          p_k(w) = S(w - s_k) * prod(w - s_k) * at_work(w)
///   available(w) + overtime(w) + temps(w) + short(w) >= required(w)
///   overtime(w) <= max_overtime * available(w),  temps(w) <= max_temps(w)
///   short(w) <= gap_tolerance * required(w)                      (the FTE-gap tolerance, hard)
///   x_k = 0 or min_k <= x_k <= max_k                              (binary y_k: min_k y_k <= x_k <= max_k y_k)
/// minimising salaries (every person present, trainees included) + (hire_cost + training_cost)
/// per hire + overtime, temp and understaffing costs per FTE-week. S is the survival of
/// supply.hpp, so the model is linear in x (expected values; see supply.hpp). This is the
/// classic linear manpower-planning programme (Bartholomew, Forbes & McClean 1991, ch. 10;
/// Holt, Modigliani, Muth & Simon 1960 for the cost terms) with integer class sizes.
///
/// Weeks that no plan can cover (every class at its maximum, all overtime and temps, still
/// short by more than the tolerance: e.g. no class can be trained in time) make the status
/// `infeasible`; `message` and `uncoverable_weeks` name them, and the plan returned is the best
/// one with the tolerance lifted in those weeks (for inspection).

#include <span>
#include <string>
#include <vector>
#include <wfm/capacity/policy.hpp>
#include <wfm/capacity/supply.hpp>
#include <wfm/core/status.hpp>

namespace wfm::capacity {

/// A class of new hires that may start in `start_week`.
struct HiringClass {
  int start_week = 0;  ///< week index in [0, weeks)
  int min_size = 0;    ///< [people] if the class runs at all; >= 0
  int max_size = 0;    ///< [people] >= min_size
};

/// Money per unit (any one currency).
struct Costs {
  double salary = 0.0;         ///< [currency per FTE-week] paid to everyone present
  double hire_cost = 0.0;      ///< [currency per hire] recruiting
  double training_cost = 0.0;  ///< [currency per hire] trainer, material (salary is separate)
  double overtime = 0.0;       ///< [currency per FTE-week] of overtime
  double temp = 0.0;           ///< [currency per FTE-week] of temporary staff
  double understaffing = 0.0;  ///< [currency per FTE-week] short of the requirement
};

/// The hiring problem over `fte_required.size()` weeks.
struct HiringProblem {
  std::vector<double> fte_required{};  ///< [FTE] paid FTE required per week (requirement.hpp)
  Supply supply{};
  std::vector<HiringClass> classes{};
  Costs costs{};
  double max_overtime = 0.0;       ///< overtime at most this fraction of available FTE, in [0, 1]
  std::vector<double> max_temps{};   ///< [FTE] temps available per week (empty: none)
  double gap_tolerance = 0.05;     ///< short(w) <= this * required(w); in [0, 1]
};

/// Throws InvalidArgument naming the field on bad input.
void validate(const HiringProblem& p, const CapacityPolicy& policy = {});

/// The plan and its week-by-week consequences (vectors: one entry per week).
struct HiringPlan {
  Status status = Status::error;  ///< optimal, feasible (time limit with a plan), infeasible, ...
  std::string message{};
  std::vector<int> class_size{};       ///< [people] per class, in the order of `classes`
  SupplyProjection supply{};           ///< with the plan's hires
  std::vector<double> fte_required{};  ///< [FTE] copied from the problem
  std::vector<double> overtime{};      ///< [FTE] used per week
  std::vector<double> temps{};         ///< [FTE] used per week
  std::vector<double> fte_gap{};       ///< [FTE] required - (available + overtime + temps); > 0 short
  std::vector<double> cost_week{};     ///< [currency] the week's cost
  std::vector<int> uncoverable_weeks{};  ///< weeks no plan can cover within the tolerance
  double cost = 0.0;           ///< [currency] total
  double salary_cost = 0.0, hiring_cost = 0.0, overtime_cost = 0.0, temp_cost = 0.0,
         understaffing_cost = 0.0;  ///< [currency] the parts of `cost`
  double lower_bound = 0.0;    ///< [currency] proven lower bound on the optimal cost
  double gap = 0.0;            ///< (cost - lower_bound) / cost
};

/// The least-cost plan (branch-and-cut).
[[nodiscard]] HiringPlan plan_hiring(const HiringProblem& p, const CapacityPolicy& policy = {});

/// The cost and weekly consequences of fixed class sizes, with overtime, temps and shortage
/// filled week by week in order of unit cost (the optimal recourse: each covers one FTE for one
/// FTE). Status `feasible`, or `infeasible` naming the weeks short beyond the tolerance.
/// lower_bound and gap are left 0. Independent of the integer programme (tests compare them).
[[nodiscard]] HiringPlan evaluate_hiring(const HiringProblem& p, std::span<const int> class_size);

}  // namespace wfm::capacity
