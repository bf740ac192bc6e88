#pragma once
/// \file
/// The supply of agents week by week: tenure cohorts, attrition by tenure, new-hire training and
/// ramp-up, planned leave.
///
/// Bookkeeping is in expected values (fractional people): a cohort of n people with weekly
/// attrition rates a(0), a(1), ... by tenure keeps n * prod_{j < tau} (1 - a(j)) people in its
/// week of tenure tau (the deterministic, fluid version of the Markov manpower model of
/// Bartholomew, Forbes & McClean, "Statistical Techniques for Manpower Planning", 2nd ed. 1991,
/// ch. 2, eq. 2.1 with a single grade). Expected values make the projection linear in the class
/// sizes, which is what lets the hiring plan be an integer programme (hiring.hpp). Every week
/// w satisfies exactly (to rounding): headcount(w) - headcount(w-1) = hires(w) - leavers(w).
///
/// Timing within week w: hires of week w join at its start; everyone present during week w is
/// paid for it and works it at their productivity; leavers of week w leave at its end.
/// One head is one FTE (part-timers: give cohorts in FTE).

#include <cstddef>
#include <span>
#include <vector>

namespace wfm::capacity {

/// People who share a tenure at week 0.
struct Cohort {
  int tenure_weeks = 0;   ///< weeks since their start at week 0 (0 = start this week); >= 0
  double headcount = 0.0; ///< [FTE] >= 0
};

/// Everything about the people that does not depend on the hiring decision.
struct Supply {
  std::vector<Cohort> cohorts{};  ///< staff at week 0 by tenure
  /// Weekly attrition rate by week of tenure, each in [0, 1); the last entry holds for every
  /// later week. One entry = one constant weekly rate (1 - (1 - annual)^(1/52) from an annual
  /// rate). Not empty.
  std::vector<double> attrition{0.0};
  /// Weeks of training at the start of tenure: paid, not productive. >= 0.
  int training_weeks = 0;
  /// Productivity in the weeks after training (fractions in [0, 1]); 1 afterwards.
  std::vector<double> ramp{};
  /// Fraction of the people present on planned leave, per week (empty: none); in [0, 1].
  std::vector<double> leave{};
};

/// Weekly attrition rate at tenure `tau` [weeks]: the curve, extended by its last entry.
[[nodiscard]] inline double attrition_rate(const Supply& s, int tau) noexcept {
  const auto i = static_cast<std::size_t>(tau);
  return i < s.attrition.size() ? s.attrition[i] : s.attrition.back();
}

/// Productivity at tenure `tau`: 0 in training, the ramp curve next, then 1.
[[nodiscard]] inline double productivity(const Supply& s, int tau) noexcept {
  if (tau < s.training_weeks) return 0.0;
  const auto i = static_cast<std::size_t>(tau - s.training_weeks);
  return i < s.ramp.size() ? s.ramp[i] : 1.0;
}

/// Fraction of the people present in week w who are not on planned leave.
[[nodiscard]] inline double at_work(const Supply& s, int w) noexcept {
  const auto i = static_cast<std::size_t>(w);
  return i < s.leave.size() ? 1.0 - s.leave[i] : 1.0;
}

/// Throws InvalidArgument naming the field (e.g. "supply.attrition[3]") on bad input. `weeks`
/// is the plan's horizon; `leave` may not be longer.
void validate(const Supply& s, int weeks);

/// The week-by-week projection of a supply with given hires. Every vector has one entry per week.
struct SupplyProjection {
  std::vector<double> hires{};                ///< [FTE] starting this week
  std::vector<double> leavers{};              ///< [FTE] leaving at the end of this week
  std::vector<double> headcount{};            ///< [FTE] at the end of the week
  std::vector<double> headcount_training{};   ///< [FTE] present and in training this week
  std::vector<double> headcount_ramp{};       ///< [FTE] present and ramping up this week
  std::vector<double> headcount_tenured{};    ///< [FTE] present at full productivity this week
  std::vector<double> fte_paid{};             ///< [FTE] present this week (all paid)
  std::vector<double> fte_available{};        ///< [FTE] productive: sum productivity * at work
};

/// Projects `s` over `weeks` weeks with `hires[w]` new people starting in week w (size `weeks`,
/// each >= 0 and finite).
[[nodiscard]] SupplyProjection project_supply(const Supply& s, int weeks,
                                              std::span<const double> hires);

}  // namespace wfm::capacity
