// Supply projection: expected-value cohort bookkeeping (see include/wfm/capacity/supply.hpp).
#include <fmt/format.h>

#include <cmath>
#include <utility>
#include <wfm/capacity/supply.hpp>
#include <wfm/core/error.hpp>

namespace wfm::capacity {

void validate(const Supply& s, int weeks) {
  using wfm::detail::throw_invalid;
  for (std::size_t i = 0; i < s.cohorts.size(); ++i) {
    if (s.cohorts[i].tenure_weeks < 0)
      throw_invalid(fmt::format("supply.cohorts[{}].tenure_weeks", i), "must be >= 0",
                    s.cohorts[i].tenure_weeks);
    wfm::detail::require_nonnegative(fmt::format("supply.cohorts[{}].headcount", i), "headcount",
                                     s.cohorts[i].headcount);
  }
  if (s.attrition.empty())
    throw_invalid("supply.attrition", "needs at least one weekly rate (a constant rate)");
  for (std::size_t i = 0; i < s.attrition.size(); ++i)
    if (!(s.attrition[i] >= 0.0 && s.attrition[i] < 1.0))
      throw_invalid(fmt::format("supply.attrition[{}]", i),
                    "weekly attrition rate must be in [0, 1)", s.attrition[i]);
  if (s.training_weeks < 0) throw_invalid("supply.training_weeks", "must be >= 0", s.training_weeks);
  if (s.training_weeks > 520)
    throw_invalid("supply.training_weeks", "must be at most 520 (ten years)", s.training_weeks);
  for (std::size_t i = 0; i < s.ramp.size(); ++i)
    wfm::detail::require_unit(fmt::format("supply.ramp[{}]", i),
                              "productivity (a fraction, not percent)", s.ramp[i]);
  if (s.ramp.size() > 520) throw_invalid("supply.ramp", "longer than 520 weeks", static_cast<double>(s.ramp.size()));
  if (s.leave.size() > static_cast<std::size_t>(weeks))
    throw_invalid("supply.leave", fmt::format("has more entries than the plan's {} weeks", weeks),
                  static_cast<double>(s.leave.size()));
  for (std::size_t i = 0; i < s.leave.size(); ++i)
    wfm::detail::require_unit(fmt::format("supply.leave[{}]", i), "fraction on leave", s.leave[i]);
}

SupplyProjection project_supply(const Supply& s, int weeks, std::span<const double> hires) {
  validate(s, weeks);
  if (weeks < 0) wfm::detail::throw_invalid("project_supply: weeks", "must be >= 0", weeks);
  const auto n = static_cast<std::size_t>(weeks);
  if (hires.size() != n)
    wfm::detail::throw_invalid("project_supply: hires", fmt::format("needs {} entries", n),
                               static_cast<double>(hires.size()));
  for (std::size_t w = 0; w < n; ++w)
    wfm::detail::require_nonnegative(fmt::format("project_supply: hires[{}]", w), "hires", hires[w]);
  // Each group: (tenure at week 0, people present now). A hire of week w has tenure -w at week 0.
  std::vector<std::pair<int, double>> groups;
  for (const Cohort& c : s.cohorts) groups.emplace_back(c.tenure_weeks, c.headcount);
  SupplyProjection p;
  for (auto* v : {&p.hires, &p.leavers, &p.headcount, &p.headcount_training, &p.headcount_ramp,
                  &p.headcount_tenured, &p.fte_paid, &p.fte_available})
    v->assign(n, 0.0);
  for (std::size_t w = 0; w < n; ++w) {
    const int wi = static_cast<int>(w);
    if (hires[w] > 0.0) groups.emplace_back(-wi, hires[w]);
    p.hires[w] = hires[w];
    for (auto& [tenure0, people] : groups) {
      const int tau = tenure0 + wi;
      const double prod = productivity(s, tau);
      if (tau < s.training_weeks) p.headcount_training[w] += people;
      else if (prod < 1.0 || tau - s.training_weeks < static_cast<int>(s.ramp.size()))
        p.headcount_ramp[w] += people;
      else p.headcount_tenured[w] += people;
      p.fte_paid[w] += people;
      p.fte_available[w] += people * prod * at_work(s, wi);
      const double gone = people * attrition_rate(s, tau);
      p.leavers[w] += gone;
      people -= gone;
    }
    p.headcount[w] = p.fte_paid[w] - p.leavers[w];
  }
  return p;
}

}  // namespace wfm::capacity
