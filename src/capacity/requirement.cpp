// Demand -> paid FTE (include/wfm/capacity/requirement.hpp).
#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <wfm/capacity/requirement.hpp>
#include <wfm/core/error.hpp>

namespace wfm::capacity {
namespace {

double per_week(const std::vector<double>& v, std::size_t w) {
  return v.size() == 1 ? v[0] : v[w];
}

}  // namespace

void validate(const RequirementInput& in) {
  using wfm::detail::throw_invalid;
  const std::size_t n = in.volume.size();
  for (std::size_t w = 0; w < n; ++w)
    wfm::detail::require_nonnegative(fmt::format("volume[{}]", w), "contacts per week", in.volume[w]);
  if (in.aht_s.size() != 1 && in.aht_s.size() != n)
    throw_invalid("aht_s", fmt::format("needs 1 or {} entries (one per week)", n),
                  static_cast<double>(in.aht_s.size()));
  for (std::size_t w = 0; w < in.aht_s.size(); ++w)
    wfm::detail::require_positive(fmt::format("aht_s[{}]", w), "handle time [s]", in.aht_s[w]);
  if (in.profile.empty()) throw_invalid("profile", "needs at least one interval");
  double sum = 0.0;
  for (std::size_t i = 0; i < in.profile.size(); ++i) {
    wfm::detail::require_nonnegative(fmt::format("profile[{}]", i), "share", in.profile[i]);
    sum += in.profile[i];
  }
  if (std::abs(sum - 1.0) > 1e-6) throw_invalid("profile", "shares must sum to 1", sum);
  wfm::detail::require_positive("interval_length_s", "interval length [s]", in.interval_length_s);
  wfm::detail::require_positive_or_inf("patience_s", "mean patience [s]", in.patience_s);
  in.goal.validate("goal");
  if (!(in.scheduling_efficiency >= 1.0 && in.scheduling_efficiency < 100.0))
    throw_invalid("scheduling_efficiency", "paid / required hours must be in [1, 100)",
                  in.scheduling_efficiency);
  wfm::detail::require_positive("fte_week_s", "paid time of one FTE per week [s]", in.fte_week_s);
  for (std::size_t c = 0; c < in.shrinkage.size(); ++c) {
    const auto& f = in.shrinkage[c].fraction;
    const std::string field = fmt::format("shrinkage[{}] ({})", c, in.shrinkage[c].name);
    if (f.size() != 1 && f.size() != n)
      throw_invalid(field, fmt::format("needs 1 or {} fractions", n), static_cast<double>(f.size()));
    for (double x : f)
      if (!(x >= 0.0 && x < 1.0)) throw_invalid(field, "fraction must be in [0, 1)", x);
  }
  for (std::size_t w = 0; w < n; ++w) {
    double total = 0.0;
    for (const auto& c : in.shrinkage) total += per_week(c.fraction, w);
    if (!(total < 1.0))
      throw_invalid(fmt::format("shrinkage (week {})", w), "categories sum to 1 or more", total);
  }
}

Requirement required_fte_from_productive(const std::vector<double>& productive,
                                         const RequirementInput& f) {
  const std::size_t n = productive.size();
  Requirement r;
  r.fte_productive_required = productive;
  r.scheduling_efficiency = f.scheduling_efficiency;
  r.shrinkage.assign(n, 0.0);
  r.fte_required.assign(n, 0.0);
  for (const auto& c : f.shrinkage) {
    r.shrinkage_names.push_back(c.name);
    std::vector<double> col(n);
    for (std::size_t w = 0; w < n; ++w) col[w] = per_week(c.fraction, w);
    r.shrinkage_by_category.push_back(std::move(col));
  }
  for (std::size_t w = 0; w < n; ++w) {
    for (const auto& col : r.shrinkage_by_category) r.shrinkage[w] += col[w];
    // Step 5 of the header (rostered staff factor).
    r.fte_required[w] = productive[w] * f.scheduling_efficiency / (1.0 - r.shrinkage[w]);
  }
  if (r.agent_time_s.empty())
    for (double p : productive) r.agent_time_s.push_back(p * f.fte_week_s);
  return r;
}

Requirement required_fte(const RequirementInput& in) {
  validate(in);
  const std::size_t n = in.volume.size(), m = in.profile.size();
  std::vector<double> vol(n * m), aht(n * m);
  for (std::size_t w = 0; w < n; ++w)
    for (std::size_t i = 0; i < m; ++i) {
      vol[w * m + i] = in.volume[w] * in.profile[i];
      aht[w * m + i] = per_week(in.aht_s, w);
    }
  const auto plan = wfm::queueing::plan_horizon(vol, aht, in.interval_length_s, in.patience_s,
                                                in.goal);
  std::vector<double> productive(n, 0.0), seconds(n, 0.0);
  std::size_t infeasible = 0;
  for (std::size_t w = 0; w < n; ++w) {
    for (std::size_t i = 0; i < m; ++i) {
      seconds[w] += plan.agents_required[w * m + i] * in.interval_length_s;  // step 2
      infeasible += plan.status[w * m + i] != wfm::Status::ok;
    }
    productive[w] = seconds[w] / in.fte_week_s;  // step 3
  }
  Requirement r = required_fte_from_productive(productive, in);
  r.agent_time_s = std::move(seconds);
  if (infeasible > 0) {
    r.status = Status::infeasible;
    r.message = fmt::format("{} intervals cannot meet the service goal within max_agents",
                            infeasible);
  }
  return r;
}

}  // namespace wfm::capacity
