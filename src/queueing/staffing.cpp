// plan_horizon: required agents for every interval of a horizon (Erlang C or Erlang A per
// interval), optionally spread over threads with TBB. Kept out of the header so that TBB stays a
// private dependency of the library.
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <limits>
#include <string>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>

namespace wfm::queueing {
namespace {

constexpr std::string_view kWhere = "wfm::queueing::plan_horizon";

[[noreturn]] void fail_at(std::string_view name, std::size_t i, std::string_view rule, double v) {
  wfm::detail::throw_invalid(kWhere, fmt::format("{}[{}] {}", name, i, rule), v);
}

/// One value per interval, or one for all.
double at(std::span<const double> values, std::size_t i) {
  return values.size() == 1 ? values[0] : values[i];
}

void validate(std::span<const double> volumes, std::span<const double> handle_times,
              double interval_length, std::span<const double> patience, double shrinkage) {
  const std::size_t n = volumes.size();
  wfm::detail::require_positive(kWhere, "interval_length [s]", interval_length);
  if (!(interval_length >= limits::min_interval_length))
    wfm::detail::throw_invalid(kWhere, "interval_length [s] must be >= 1 s "
                               "(wfm::limits::min_interval_length)", interval_length);
  if (!(shrinkage >= 0.0 && shrinkage < 1.0))
    wfm::detail::throw_invalid(kWhere, "shrinkage must be in [0, 1)", shrinkage);
  if (handle_times.size() != n && handle_times.size() != 1)
    wfm::detail::throw_invalid(kWhere,
                          fmt::format("handle_times must hold 1 value or one per interval ({}), "
                                      "got {} values",
                                      n, handle_times.size()));
  if (!patience.empty() && patience.size() != n && patience.size() != 1)
    wfm::detail::throw_invalid(kWhere, fmt::format("patience must be empty, 1 value or one per "
                                              "interval ({}), got {} values",
                                              n, patience.size()));
  for (std::size_t i = 0; i < n; ++i) {
    const double v = volumes[i];
    if (!(v >= 0.0) || !std::isfinite(v)) fail_at("volumes", i, "must be finite and >= 0", v);
  }
  for (std::size_t i = 0; i < handle_times.size(); ++i) {
    const double h = handle_times[i];
    const bool busy = handle_times.size() == 1 ? n > 0 : volumes[i] > 0.0;
    if (!std::isfinite(h) || h < 0.0 || (busy && !(h > 0.0)))
      fail_at("handle_times", i, "must be finite and > 0 [s] (>= 0 where volume is 0)", h);
  }
  for (std::size_t i = 0; i < patience.size(); ++i)
    if (!(patience[i] > 0.0))
      fail_at("patience", i, "must be > 0 [s] (inf: no abandonment)", patience[i]);
}

}  // namespace

HorizonPlan plan_horizon(std::span<const double> volumes, std::span<const double> handle_times,
                         double interval_length, std::span<const double> patience,
                         const StaffingGoal& goal, double shrinkage, const PlanOptions& options) {
  validate(volumes, handle_times, interval_length, patience, shrinkage);
  goal.validate("wfm::queueing::plan_horizon: goal");
  options.staffing.validate("wfm::queueing::plan_horizon: options");

  return detail::plan_each_interval(
      volumes.size(), shrinkage, options, [&](std::size_t i) -> std::optional<StaffingResult> {
        const double volume = volumes[i];
        if (volume == 0.0) return std::nullopt;  // defined limit: nobody to answer
        const double rate = volume / interval_length;  // [1/s]
        const double aht = at(handle_times, i);
        const double theta = patience.empty() ? std::numeric_limits<double>::infinity()
                                              : at(patience, i);
        return std::isinf(theta)
                   ? required_agents(ErlangC(rate, aht), goal, options.staffing)
                   : required_agents(ErlangA(rate, aht, theta), goal, options.staffing);
      });
}

HorizonPlan detail::plan_each_interval(
    std::size_t n, double shrinkage, const PlanOptions& options,
    const std::function<std::optional<StaffingResult>(std::size_t)>& solve_one) {
  HorizonPlan plan;
  plan.agents_required.assign(n, 0.0);
  plan.agents_required_gross.assign(n, 0.0);
  plan.service_level.assign(n, 1.0);
  plan.asa_s.assign(n, 0.0);
  plan.abandon_rate.assign(n, 0.0);
  plan.occupancy.assign(n, 0.0);
  plan.status.assign(n, Status::ok);

  auto solve = [&](std::size_t i) {
    const std::optional<StaffingResult> r = solve_one(i);
    if (!r) return;  // no load: 0 agents, SL 1 (the defaults above)
    plan.agents_required[i] = r->agents_required;
    plan.agents_required_gross[i] = r->agents_required / (1.0 - shrinkage);  // scheduled_agents()
    plan.service_level[i] = r->service_level;
    plan.asa_s[i] = r->asa_s;
    plan.abandon_rate[i] = r->abandon_rate;
    plan.occupancy[i] = r->occupancy;
    plan.status[i] = r->status;
  };

  if (options.threads < 0)
    wfm::detail::throw_invalid(kWhere, "options.threads must be >= 0 (0 = all cores)",
                               static_cast<double>(options.threads));
  if (options.threads != 1 && n > 1) {
    // Each interval writes only its own slots, so the result does not depend on the schedule.
    const int workers = options.threads == 0 ? tbb::this_task_arena::max_concurrency()
                                             : options.threads;
    tbb::task_arena arena(workers);
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i) solve(i);
                        });
    });
  } else {
    for (std::size_t i = 0; i < n; ++i) solve(i);
  }
  if (const std::size_t bad = plan.infeasible_count(); bad > 0) {
    plan.overall = Status::infeasible;
    plan.message = fmt::format("{} of {} intervals miss the goal even with max_agents", bad, n);
  } else if (const auto unsure = std::count(plan.status.begin(), plan.status.end(),
                                            Status::not_converged);
             unsure > 0) {
    plan.overall = Status::not_converged;
    plan.message = fmt::format("the model's metrics did not converge in {} of {} intervals",
                               unsure, n);
  }
  return plan;
}

HorizonPlan plan_horizon(std::span<const double> volumes, std::span<const double> handle_times,
                         double interval_length, double patience, const StaffingGoal& goal,
                         double shrinkage, const PlanOptions& options) {
  return plan_horizon(volumes, handle_times, interval_length, std::span<const double>(&patience, 1),
                      goal, shrinkage, options);
}

HorizonPlan plan_horizon(const IntervalGrid& grid, std::span<const double> volumes,
                         std::span<const double> handle_times, std::span<const double> patience,
                         const StaffingGoal& goal, double shrinkage, const PlanOptions& options) {
  if (volumes.size() != grid.size())
    wfm::detail::throw_invalid(kWhere, fmt::format("volumes has {} values for a grid of {} "
                                                   "intervals",
                                                   volumes.size(), grid.size()));
  std::vector<double> open_volumes(volumes.begin(), volumes.end());
  for (std::size_t i = 0; i < grid.size(); ++i)
    if (!grid.is_open(i) && std::isfinite(open_volumes[i])) open_volumes[i] = 0.0;
  HorizonPlan plan = plan_horizon(open_volumes, handle_times,
                                  static_cast<double>(grid.interval_length_s()), patience, goal,
                                  shrinkage, options);
  plan.grid = grid;
  return plan;
}

}  // namespace wfm::queueing
