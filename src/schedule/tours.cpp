#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <wfm/core/error.hpp>
#include <wfm/schedule/solver.hpp>
#include <wfm/schedule/tours.hpp>

namespace wfm::schedule {

TourPlan build_tours(const CoverageModel& m, const Schedule& s, const TourOptions& o) {
  constexpr std::string_view where = "wfm::schedule::build_tours";
  validate(m);
  validate_schedule(m, s, where);
  const double per_day_f = 86400.0 / m.interval_length;
  const int per_day = static_cast<int>(std::lround(per_day_f));
  if (std::abs(per_day_f - per_day) > 1e-9 || m.num_intervals() % per_day != 0)
    detail::throw_invalid(where, "the horizon must be whole days of intervals (num_intervals)",
                          m.num_intervals());
  TourPlan plan;
  plan.days = m.num_intervals() / per_day;
  const int days = plan.days;
  if (o.working_days < 1 || o.working_days > days)
    detail::throw_invalid(where, fmt::format("working_days must be in [1, {}]", days), o.working_days);
  detail::require_nonnegative(where, "min_paid [s]", o.min_paid);
  if (!(o.max_paid >= o.min_paid)) detail::throw_invalid(where, "max_paid must be >= min_paid [s]", o.max_paid);
  // Agent-shifts per day, sorted by start.
  std::vector<std::vector<int>> by_day(static_cast<std::size_t>(days));
  for (const auto& a : s.shifts)
    for (int j = 0; j < a.agents; ++j) {
      by_day[static_cast<std::size_t>(a.start / per_day)].push_back(static_cast<int>(plan.shifts.size()));
      plan.shifts.push_back({a.template_index, a.start});
    }
  // Days-off patterns: a cyclic covering of the days by blocks of working_days.
  CoverageModel cover;
  cover.interval_length = 86400.0;
  cover.cyclic = true;
  for (const auto& d : by_day) cover.requirement.push_back(static_cast<double>(d.size()));
  ShiftTemplate line;
  line.name = "line";
  line.length = o.working_days;
  line.cost = 1.0;
  for (int d = 0; d < days; ++d) line.starts.push_back(d);
  cover.templates = {line};
  if (plan.shifts.empty()) {
    plan.status = Status::optimal;
    plan.message = "no shifts";
    return plan;
  }
  SolveOptions so;
  so.time_limit = o.time_limit;
  const Schedule lines = solve(cover, so);
  if (lines.shifts.empty()) {
    plan.status = lines.status;
    plan.message = "days-off covering not solved: " + lines.message;
    return plan;
  }
  for (const auto& a : lines.shifts)
    for (int j = 0; j < a.agents; ++j) {
      Tour t;
      t.first_day = a.start;
      t.shift.assign(static_cast<std::size_t>(days), -1);
      plan.tours.push_back(std::move(t));
    }
  // Deal each day's shifts to the lines working that day, by start time of day; with same_start,
  // lines are ordered by the start time of their previous shift so that they keep it.
  std::vector<double> pref(plan.tours.size(), 1e18);
  for (int d = 0; d < days; ++d) {
    std::vector<int> working;
    for (std::size_t l = 0; l < plan.tours.size(); ++l) {
      const int off = ((d - plan.tours[l].first_day) % days + days) % days;
      if (off < o.working_days) working.push_back(static_cast<int>(l));
    }
    auto& todo = by_day[static_cast<std::size_t>(d)];
    std::stable_sort(todo.begin(), todo.end(), [&](int a, int b) {
      return plan.shifts[static_cast<std::size_t>(a)].start < plan.shifts[static_cast<std::size_t>(b)].start;
    });
    if (o.same_start)
      std::stable_sort(working.begin(), working.end(),
                       [&](int a, int b) { return pref[static_cast<std::size_t>(a)] < pref[static_cast<std::size_t>(b)]; });
    // Lines without a preferred start go where the sorted order leaves room.
    for (std::size_t q = 0; q < working.size(); ++q) {
      const auto l = static_cast<std::size_t>(working[q]);
      if (q < todo.size()) {
        const int sh = todo[q];
        plan.tours[l].shift[static_cast<std::size_t>(d)] = sh;
        const auto& as = plan.shifts[static_cast<std::size_t>(sh)];
        const auto& t = m.templates[static_cast<std::size_t>(as.template_index)];
        plan.tours[l].paid += (t.paid_length < 0 ? t.length : t.paid_length) * m.interval_length;
        if (pref[l] > 1e17) pref[l] = as.start % per_day;
      } else {
        ++plan.idle_days;
      }
    }
  }
  for (const auto& t : plan.tours)
    if (t.paid < o.min_paid - 1e-9 || t.paid > o.max_paid + 1e-9) ++plan.paid_violations;
  plan.status = lines.status == Status::optimal && plan.paid_violations == 0
                    ? Status::optimal
                    : Status::feasible;
  plan.message = fmt::format("{} lines (LP bound {:.2f}), {} idle working days, {} lines outside the "
                             "paid-time bounds",
                             plan.tours.size(), lines.lp_bound, plan.idle_days, plan.paid_violations);
  return plan;
}

}  // namespace wfm::schedule
