// plan_search(): the rules that turn a SearchPolicy into the plan for one instance.
#include <algorithm>
#include <cmath>
#include <wfm/core/error.hpp>
#include <wfm/schedule/search_policy.hpp>

namespace wfm::schedule {

std::size_t integer_columns(const CoverageModel& m) noexcept {
  std::size_t cols = 0;
  for (const ShiftTemplate& t : m.templates) {
    std::size_t per_start = 1;
    for (const BreakWindow& b : t.breaks) per_start += static_cast<std::size_t>(std::max(0, b.placements()));
    cols += per_start * t.starts.size() + (t.fixed_cost > 0.0 ? 1 : 0);
  }
  return cols;
}

void validate(const SearchPolicy& p) {
  constexpr std::string_view w = "wfm::schedule::SearchPolicy";
  using wfm::detail::require_nonnegative, wfm::detail::require_positive, wfm::detail::require_unit;
  require_nonnegative(w, "cbc_columns_per_second", p.cbc_columns_per_second);
  require_unit(w, "first_dive_share", p.first_dive_share);
  require_positive(w, "lp_work_per_second", p.lp_work_per_second);
  if (!(p.first_dive_backstop >= 1.0))
    wfm::detail::throw_invalid(w, "first_dive_backstop must be >= 1", p.first_dive_backstop);
  require_unit(w, "early_cbc_fraction", p.early_cbc_fraction);
  require_unit(w, "early_cbc_share", p.early_cbc_share);
  require_unit(w, "early_cbc_share_acyclic", p.early_cbc_share_acyclic);
  require_unit(w, "early_cbc_share_fixed_cost", p.early_cbc_share_fixed_cost);
  require_unit(w, "final_cbc_share_fixed_cost", p.final_cbc_share_fixed_cost);
  require_unit(w, "template_search_share", p.template_search_share);
  require_positive(w, "cbc_round_period", p.cbc_round_period);
  require_positive(w, "dive_window_shifts", p.dive_window_shifts);
  require_positive(w, "cbc_window_shifts", p.cbc_window_shifts);
  require_positive(w, "max_window_share", p.max_window_share);
  require_unit(w, "max_window_share", p.max_window_share);
  require_positive(w, "sub_mip_rounds", p.sub_mip_rounds);
  require_positive(w, "min_sub_mip_seconds", p.min_sub_mip_seconds);
  require_positive(w, "max_sub_mip_seconds [s]", p.max_sub_mip_seconds);
  if (p.max_sub_mip_seconds < p.min_sub_mip_seconds)
    wfm::detail::throw_invalid(w, "max_sub_mip_seconds must be >= min_sub_mip_seconds",
                               p.max_sub_mip_seconds);
  require_nonnegative(w, "min_seconds_for_cbc [s]", p.min_seconds_for_cbc);
  require_positive(w, "stall_sweeps", p.stall_sweeps);
  if (!(p.stall_probability > 0.0 && p.stall_probability < 1.0))
    wfm::detail::throw_invalid(w, "stall_probability must be in (0, 1)", p.stall_probability);
  require_unit(w, "stall_cbc_share", p.stall_cbc_share);
  if (!(p.stall_window_growth >= 1.0))
    wfm::detail::throw_invalid(w, "stall_window_growth must be >= 1", p.stall_window_growth);
  if (p.move_passes < 0) wfm::detail::throw_invalid(w, "move_passes must be >= 0", p.move_passes);
  if (p.template_swap_neighbours < 0)
    wfm::detail::throw_invalid(w, "template_swap_neighbours must be >= 0", p.template_swap_neighbours);
  if (p.step_cover_rounds < 0)
    wfm::detail::throw_invalid(w, "step_cover_rounds must be >= 0", p.step_cover_rounds);
  require_nonnegative(w, "step_cover_share", p.step_cover_share);
  require_unit(w, "step_cover_share", p.step_cover_share);
  require_nonnegative(w, "step_cover_min_gain", p.step_cover_min_gain);
}

double window_narrowing(const CoverageModel& m, const SearchPolicy& p, const SearchPlan& plan,
                        double window_cap) {
  // A CBC sub-MIP handles about cbc_columns_per_second x sub_mip_seconds integer columns in its
  // limit, and a window of w intervals frees about w x (integer columns / intervals) of them.
  const double per_interval =
      static_cast<double>(plan.integer_columns) / std::max(1, m.num_intervals());
  if (p.cbc_columns_per_second <= 0.0 || per_interval <= 0.0) return 1.0;
  const double fits = p.cbc_columns_per_second * plan.sub_mip_seconds / per_interval;
  const double cbc_width = std::min(window_cap, p.cbc_window_shifts * plan.longest_shift);
  return std::clamp(std::max(fits, static_cast<double>(plan.shortest_shift)) / cbc_width, 0.0, 1.0);
}

long long first_dive_iterations(const SearchPolicy& p, std::size_t lp_nonzeros,
                                double time_limit) {
  const double work = p.first_dive_share * time_limit * p.lp_work_per_second;
  const double iterations = work / static_cast<double>(std::max<std::size_t>(1, lp_nonzeros));
  return static_cast<long long>(std::min(iterations, 1e15));
}

SearchPlan plan_search(const CoverageModel& m, const SearchPolicy& p, double time_limit,
                       bool use_cbc, std::size_t fractional_columns) {
  validate(p);
  SearchPlan plan;
  plan.integer_columns = integer_columns(m);
  plan.longest_shift = 1;
  plan.shortest_shift = 0;
  for (const ShiftTemplate& t : m.templates) {
    plan.longest_shift = std::max(plan.longest_shift, t.length);
    plan.shortest_shift = plan.shortest_shift == 0 ? t.length : std::min(plan.shortest_shift, t.length);
    plan.fixed_costs = plan.fixed_costs || t.fixed_cost > 0.0;
  }
  plan.shortest_shift = std::max(1, plan.shortest_shift);
  const auto cols = static_cast<double>(plan.integer_columns);
  const double cbc_capacity = p.cbc_columns_per_second * time_limit;  // columns CBC handles
  const bool small = cols <= p.early_cbc_fraction * cbc_capacity;
  // A cyclic week's covering matrix has circular ones (not an interval matrix): its LP is far
  // more fractional and CBC's branching far weaker there (no schedule of the 24/7 cc weeks in
  // 120 s alone), so whole-model CBC only on small cyclic models.
  const bool fits = m.cyclic ? small : cols <= cbc_capacity;
  // A nearly integral root LP of a cyclic week (SearchPolicy::cbc_fractional_columns): CBC's
  // tree branches on the few fractional columns, whatever the model's size. Acyclic models keep
  // the size rule (their blocks' short limits: the early CBC run cost f18 0.3-0.7 points).
  plan.near_integral = use_cbc && m.cyclic && p.cbc_fractional_columns > 0 &&
                       fractional_columns <= p.cbc_fractional_columns;
  plan.cbc_whole_model = use_cbc && (fits || plan.near_integral);
  const bool acyclic_whole = use_cbc && fits && !m.cyclic;
  const bool acyclic_hard = acyclic_whole && m.cover.hard_cover;
  plan.early_cbc = use_cbc && (small || plan.fixed_costs || acyclic_whole || plan.near_integral);
  plan.early_cbc_share = !plan.early_cbc    ? 0.0
                         : plan.fixed_costs ? p.early_cbc_share_fixed_cost
                         : acyclic_hard     ? std::max(p.early_cbc_share, p.early_cbc_share_acyclic)
                                            : p.early_cbc_share;
  // Other models: the LNS runs to the end unless it stalls (SearchPolicy::stall_sweeps).
  plan.lns_share = use_cbc && plan.fixed_costs ? 1.0 - p.final_cbc_share_fixed_cost : 1.0;
  const double window_cap = std::max(2.0, p.max_window_share * m.num_intervals());
  auto window = [&](double shifts) {
    return std::max(2, static_cast<int>(std::lround(std::min(window_cap, shifts * plan.longest_shift))));
  };
  plan.sub_mip_seconds = std::clamp(time_limit / p.sub_mip_rounds, p.min_sub_mip_seconds,
                                    p.max_sub_mip_seconds);
  // Cyclic weeks only (measured there; the one-day blocks of opening-hours weeks keep theirs).
  const double narrow = use_cbc && m.cyclic ? window_narrowing(m, p, plan, window_cap) : 1.0;
  plan.dive_window = window(p.dive_window_shifts * narrow);
  plan.cbc_window = window(p.cbc_window_shifts * narrow);
  plan.window_cap = static_cast<int>(std::lround(window_cap));
  const int period = use_cbc ? std::max(1, p.cbc_round_period) : 1;
  const double mean_width =
      use_cbc ? ((period - 1) * plan.dive_window + plan.cbc_window) / static_cast<double>(period)
              : plan.dive_window;
  plan.sweep_rounds = std::max(1, static_cast<int>(std::ceil(m.num_intervals() / mean_width)));
  plan.window_lead = plan.shortest_shift / 2;
  plan.move_reach = plan.shortest_shift / 2;
  return plan;
}

}  // namespace wfm::schedule
