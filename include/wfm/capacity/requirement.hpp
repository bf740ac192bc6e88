#pragma once
/// \file
/// From weekly demand to paid FTE required, with every factor reported.
///
/// For week w with volume V(w) [contacts per week] and AHT h(w) [s]:
///  1. the week is spread over the intervals of a representative week by `profile` (fractions
///     summing to 1) and each interval is staffed at the service goal with the queueing models
///     (wfm::queueing::plan_horizon: Erlang C, or Erlang A with patience);
///  2. on-phone hours: A(w) = sum_i agents_i * interval_length  [s];
///  3. productive FTE: P(w) = A(w) / fte_week_s;
///  4. scheduled FTE: P(w) * scheduling_efficiency (paid hours of a real schedule / required
///     hours, >= 1: shifts cannot follow the curve exactly);
///  5. paid FTE: fte_required(w) = P(w) * scheduling_efficiency / (1 - shrinkage(w)), with
///     shrinkage(w) the SUM of its categories (each a share of paid time). This is the usual
///     "rostered staff factor" arithmetic (B. Cleveland, Call Center Management on Fast Forward,
///     3rd ed. 2012, ch. 6; G. Koole, Call Center Optimization, 2013, sec. 7.2), with shrinkage
///     categories additive as shares of paid time (the multiplicative alternative
///     prod (1 - s_c) understates shrinkage when categories overlap no time).

#include <limits>
#include <string>
#include <utility>
#include <vector>
#include <wfm/core/status.hpp>
#include <wfm/queueing/staffing.hpp>

namespace wfm::capacity {

/// One shrinkage category: a share of paid time, constant or one value per week.
struct ShrinkageCategory {
  std::string name{};              ///< breaks, meetings, training, absence, holidays, ...
  std::vector<double> fraction{};  ///< one value (every week) or one per week; each in [0, 1)
};

/// A category given in hours per FTE per week: fraction = seconds / fte_week_s.
[[nodiscard]] inline ShrinkageCategory shrinkage_from_seconds(std::string name,
                                                              double seconds_per_fte_week,
                                                              double fte_week_s) {
  return {std::move(name), {seconds_per_fte_week / fte_week_s}};
}

/// Demand and the conversion factors.
struct RequirementInput {
  std::vector<double> volume{};  ///< [contacts per week], one per week
  std::vector<double> aht_s{};   ///< [s] one per week, or one value for every week
  /// Share of a week's contacts in each interval of the representative week (>= 0, sums to 1;
  /// e.g. 672 entries for 15-minute intervals, 24/7; closed intervals simply absent).
  std::vector<double> profile{};
  double interval_length_s = 900.0;  ///< [s] of the profile's intervals
  double patience_s = std::numeric_limits<double>::infinity();  ///< [s] inf: Erlang C
  wfm::queueing::StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  std::vector<ShrinkageCategory> shrinkage{};  ///< categories; their sum must stay below 1
  double scheduling_efficiency = 1.0;        ///< paid / required hours of a schedule, >= 1
  double fte_week_s = 37.5 * 3600.0;         ///< [s] paid time of one FTE per week
};

/// Per week (vectors) and the factors, each visible.
struct Requirement {
  Status status = Status::ok;  ///< ok, or infeasible when some interval's goal cannot be met
  std::string message{};
  std::vector<double> agent_time_s{};            ///< [s] on-phone time required, A(w)
  std::vector<double> fte_productive_required{};  ///< [FTE] P(w)
  std::vector<std::vector<double>> shrinkage_by_category{};  ///< [category][week] fractions
  std::vector<std::string> shrinkage_names{};     ///< category names, same order
  std::vector<double> shrinkage{};                ///< [fraction] total per week
  double scheduling_efficiency = 1.0;           ///< the factor used
  std::vector<double> fte_required{};             ///< [FTE] paid FTE required
};

/// Throws InvalidArgument naming the field.
void validate(const RequirementInput& in);

/// Paid FTE required per week (queueing per interval, then efficiency and shrinkage).
[[nodiscard]] Requirement required_fte(const RequirementInput& in);

/// Steps 3-5 only, from productive FTE given per week (e.g. from another model).
[[nodiscard]] Requirement required_fte_from_productive(const std::vector<double>& productive,
                                                       const RequirementInput& factors);

}  // namespace wfm::capacity
