// The hiring integer programme (model: include/wfm/capacity/hiring.hpp) and the evaluator of
// fixed plans.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <wfm/capacity/hiring.hpp>
#include <wfm/core/error.hpp>

#include "../schedule/lp_backend.hpp"

namespace wfm::capacity {
namespace {

namespace lp = wfm::schedule::detail;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t weeks_of(const HiringProblem& p) { return p.fte_required.size(); }

double max_temps(const HiringProblem& p, std::size_t w) {
  return w < p.max_temps.size() ? p.max_temps[w] : 0.0;
}

std::vector<double> hires_by_week(const HiringProblem& p, std::span<const int> size) {
  std::vector<double> h(weeks_of(p), 0.0);
  for (std::size_t k = 0; k < p.classes.size(); ++k)
    h[static_cast<std::size_t>(p.classes[k].start_week)] += size[k];
  return h;
}

// Per-week recourse for a fixed supply: overtime, temps and shortage in order of unit cost
// (each covers one FTE-week, so the cheapest first is optimal). Shortage beyond the tolerance
// is what is left. Returns {overtime, temps, shortage}.
std::array<double, 3> recourse(const HiringProblem& p, std::size_t w, double available) {
  double deficit = std::max(0.0, p.fte_required[w] - available);
  struct Option { double cost, cap; std::size_t slot; };
  std::array<Option, 3> opts{{{p.costs.overtime, p.max_overtime * available, 0},
                              {p.costs.temp, max_temps(p, w), 1},
                              {p.costs.understaffing, p.gap_tolerance * p.fte_required[w], 2}}};
  std::stable_sort(opts.begin(), opts.end(), [](auto& a, auto& b) { return a.cost < b.cost; });
  std::array<double, 3> used{0.0, 0.0, 0.0};
  for (const Option& o : opts) {
    const double take = std::min(deficit, o.cap);
    used[o.slot] += take;
    deficit -= take;
  }
  used[2] += deficit;  // beyond the tolerance
  return used;
}

std::string week_list(const std::vector<int>& weeks) {
  if (weeks.size() <= 12) return fmt::format("{}", fmt::join(weeks, ", "));
  return fmt::format("{}, ... ({} weeks)",
                     fmt::join(weeks.begin(), weeks.begin() + 12, ", "), weeks.size());
}

}  // namespace

void validate(const HiringProblem& p, const CapacityPolicy& policy) {
  using wfm::detail::throw_invalid;
  const std::size_t n = weeks_of(p);
  if (n == 0) throw_invalid("fte_required", "needs at least one week");
  if (n > static_cast<std::size_t>(policy.max_weeks))
    throw_invalid("fte_required", fmt::format("longer than {} weeks", policy.max_weeks),
                  static_cast<double>(n));
  for (std::size_t w = 0; w < n; ++w) {
    wfm::detail::require_nonnegative(fmt::format("fte_required[{}]", w), "FTE", p.fte_required[w]);
    if (p.fte_required[w] > policy.max_fte)
      throw_invalid(fmt::format("fte_required[{}]", w),
                    fmt::format("must be <= {:g} FTE (CapacityPolicy::max_fte)", policy.max_fte),
                    p.fte_required[w]);
  }
  validate(p.supply, static_cast<int>(n));
  for (std::size_t k = 0; k < p.classes.size(); ++k) {
    const HiringClass& c = p.classes[k];
    const std::string f = fmt::format("classes[{}]", k);
    if (c.start_week < 0)
      throw_invalid(f + ".start_week", "starts before the plan (week 0)", c.start_week);
    if (static_cast<std::size_t>(c.start_week) >= n)
      throw_invalid(f + ".start_week", fmt::format("starts after the plan's last week {}", n - 1),
                    c.start_week);
    if (c.min_size < 0) throw_invalid(f + ".min_size", "must be >= 0", c.min_size);
    if (c.max_size < c.min_size)
      throw_invalid(f + ".max_size", fmt::format("must be >= min_size {}", c.min_size), c.max_size);
    if (c.max_size > policy.max_class_size)
      throw_invalid(f + ".max_size", fmt::format("must be <= {}", policy.max_class_size),
                    c.max_size);
  }
  const Costs& c = p.costs;
  for (auto [name, v] : {std::pair{"costs.salary", c.salary}, {"costs.hire_cost", c.hire_cost},
                         {"costs.training_cost", c.training_cost}, {"costs.overtime", c.overtime},
                         {"costs.temp", c.temp}, {"costs.understaffing", c.understaffing}})
    wfm::detail::require_nonnegative(name, "cost", v);
  wfm::detail::require_unit("max_overtime", "fraction of available FTE", p.max_overtime);
  wfm::detail::require_unit("gap_tolerance", "fraction of the requirement", p.gap_tolerance);
  if (p.max_temps.size() > n)
    throw_invalid("max_temps", fmt::format("has more entries than the plan's {} weeks", n),
                  static_cast<double>(p.max_temps.size()));
  for (std::size_t w = 0; w < p.max_temps.size(); ++w)
    wfm::detail::require_nonnegative(fmt::format("max_temps[{}]", w), "FTE", p.max_temps[w]);
}

HiringPlan evaluate_hiring(const HiringProblem& p, std::span<const int> class_size) {
  validate(p);
  if (class_size.size() != p.classes.size())
    wfm::detail::throw_invalid("class_size", fmt::format("needs {} entries", p.classes.size()),
                               static_cast<double>(class_size.size()));
  for (std::size_t k = 0; k < class_size.size(); ++k) {
    const HiringClass& c = p.classes[k];
    if (class_size[k] != 0 && (class_size[k] < c.min_size || class_size[k] > c.max_size))
      wfm::detail::throw_invalid(fmt::format("class_size[{}]", k),
                                 fmt::format("must be 0 or in [{}, {}]", c.min_size, c.max_size),
                                 class_size[k]);
  }
  const std::size_t n = weeks_of(p);
  HiringPlan r;
  r.class_size.assign(class_size.begin(), class_size.end());
  r.supply = project_supply(p.supply, static_cast<int>(n), hires_by_week(p, class_size));
  r.fte_required = p.fte_required;
  r.overtime.assign(n, 0.0);
  r.temps.assign(n, 0.0);
  r.fte_gap.assign(n, 0.0);
  r.cost_week.assign(n, 0.0);
  for (std::size_t w = 0; w < n; ++w) {
    const auto [ot, tmp, shortage] = recourse(p, w, r.supply.fte_available[w]);
    r.overtime[w] = ot;
    r.temps[w] = tmp;
    r.fte_gap[w] = p.fte_required[w] - r.supply.fte_available[w] - ot - tmp;
    const double salary = p.costs.salary * r.supply.fte_paid[w];
    const double hiring = (p.costs.hire_cost + p.costs.training_cost) * r.supply.hires[w];
    r.salary_cost += salary;
    r.hiring_cost += hiring;
    r.overtime_cost += p.costs.overtime * ot;
    r.temp_cost += p.costs.temp * tmp;
    r.understaffing_cost += p.costs.understaffing * shortage;
    r.cost_week[w] = salary + hiring + p.costs.overtime * ot + p.costs.temp * tmp +
                     p.costs.understaffing * shortage;
    if (shortage > p.gap_tolerance * p.fte_required[w] + CapacityPolicy{}.fte_epsilon)
      r.uncoverable_weeks.push_back(static_cast<int>(w));
  }
  r.cost = r.salary_cost + r.hiring_cost + r.overtime_cost + r.temp_cost + r.understaffing_cost;
  r.status = r.uncoverable_weeks.empty() ? Status::feasible : Status::infeasible;
  if (!r.uncoverable_weeks.empty())
    r.message = fmt::format("short of the requirement by more than the gap tolerance {} in weeks {}",
                            p.gap_tolerance, week_list(r.uncoverable_weeks));
  return r;
}

namespace {

// Columns of the integer programme.
struct Layout {
  std::vector<int> x, y;          // per class (y = -1 when min_size = 0)
  std::vector<int> ot, tmp, sh;   // per week
};

lp::SparseLp build(const HiringProblem& p, const std::vector<std::vector<double>>& prod,
                   const std::vector<std::vector<double>>& paid, const SupplyProjection& base,
                   const std::vector<char>& relaxed, Layout& L, std::vector<char>& is_int) {
  const std::size_t n = weeks_of(p), K = p.classes.size();
  lp::SparseLp m;
  std::vector<int> cover(n), otrow(n, -1);
  for (std::size_t w = 0; w < n; ++w)
    cover[w] = m.add_row(p.fte_required[w] - base.fte_available[w], kInf);
  if (p.max_overtime > 0.0)
    for (std::size_t w = 0; w < n; ++w)
      otrow[w] = m.add_row(-kInf, p.max_overtime * base.fte_available[w]);
  std::vector<std::pair<int, int>> link(K, {-1, -1});
  for (std::size_t k = 0; k < K; ++k)
    if (p.classes[k].min_size > 0) link[k] = {m.add_row(-kInf, 0.0), m.add_row(0.0, kInf)};
  for (std::size_t k = 0; k < K; ++k) {
    const double paid_weeks = std::accumulate(paid[k].begin(), paid[k].end(), 0.0);
    L.x.push_back(m.add_col(0.0, p.classes[k].max_size,
                            p.costs.hire_cost + p.costs.training_cost + p.costs.salary * paid_weeks));
    is_int.push_back(1);
    for (std::size_t w = 0; w < n; ++w) {
      if (prod[k][w] == 0.0) continue;
      m.add_entry(cover[w], prod[k][w]);
      if (otrow[w] >= 0) m.add_entry(otrow[w], -p.max_overtime * prod[k][w]);
    }
    if (link[k].first >= 0) {
      m.add_entry(link[k].first, 1.0);   // x - max y <= 0
      m.add_entry(link[k].second, 1.0);  // x - min y >= 0
    }
  }
  for (std::size_t k = 0; k < K; ++k) {
    L.y.push_back(-1);
    if (link[k].first < 0) continue;
    L.y.back() = m.add_col(0.0, 1.0, 0.0);
    is_int.push_back(1);
    m.add_entry(link[k].first, -p.classes[k].max_size);
    m.add_entry(link[k].second, -p.classes[k].min_size);
  }
  for (std::size_t w = 0; w < n; ++w) {
    L.ot.push_back(m.add_col(0.0, p.max_overtime > 0.0 ? kInf : 0.0, p.costs.overtime));
    is_int.push_back(0);
    m.add_entry(cover[w], 1.0);
    if (otrow[w] >= 0) m.add_entry(otrow[w], 1.0);
    L.tmp.push_back(m.add_col(0.0, max_temps(p, w), p.costs.temp));
    is_int.push_back(0);
    m.add_entry(cover[w], 1.0);
    L.sh.push_back(m.add_col(0.0, relaxed[w] ? kInf : p.gap_tolerance * p.fte_required[w],
                             p.costs.understaffing));
    is_int.push_back(0);
    m.add_entry(cover[w], 1.0);
  }
  return m;
}

}  // namespace

HiringPlan plan_hiring(const HiringProblem& p, const CapacityPolicy& policy) {
  validate(p, policy);
  wfm::detail::require_positive("CapacityPolicy.time_limit_s", "time limit [s]", policy.time_limit_s);
  const std::size_t n = weeks_of(p), K = p.classes.size();
  const int ni = static_cast<int>(n);
  const SupplyProjection base = project_supply(p.supply, ni, std::vector<double>(n, 0.0));
  // Per-class coefficients: the projection of one hire alone (the model is linear in hires).
  Supply alone = p.supply;
  alone.cohorts.clear();
  std::vector<std::vector<double>> prod(K), paid(K);
  for (std::size_t k = 0; k < K; ++k) {
    std::vector<double> unit(n, 0.0);
    unit[static_cast<std::size_t>(p.classes[k].start_week)] = 1.0;
    const SupplyProjection one = project_supply(alone, ni, unit);
    prod[k] = one.fte_available;
    paid[k] = one.fte_paid;
  }
  // Weeks no plan can cover: every class at its maximum and all the flexibility.
  std::vector<int> full(K);
  for (std::size_t k = 0; k < K; ++k) full[k] = p.classes[k].max_size;
  const HiringPlan most = evaluate_hiring(p, full);
  std::vector<char> relaxed(n, 0);
  for (int w : most.uncoverable_weeks) relaxed[static_cast<std::size_t>(w)] = 1;

  Layout L;
  std::vector<char> is_int;
  const lp::SparseLp m = build(p, prod, paid, base, relaxed, L, is_int);
  // No MIP start: CBC 2.10's preprocessing crashed (CglPreProcess::postProcess) when given one
  // on this model; the programmes are small and CBC finds the optimum without it.
  const lp::MipResult mip =
      lp::solve_mip_cbc(m, is_int, /*start=*/{}, policy.time_limit_s, policy.rel_gap, policy.seed);
  const double constant = p.costs.salary * std::accumulate(base.fte_paid.begin(), base.fte_paid.end(), 0.0);

  HiringPlan r;
  if (!mip.found) {
    r.status = mip.proven_infeasible ? Status::error : Status::time_limit;
    r.message = mip.proven_infeasible
                    ? "the hiring programme was reported infeasible although every week's "
                      "tolerance was relaxed where needed (a back-end failure)"
                    : fmt::format("no plan within the time limit of {} s", policy.time_limit_s);
    r.uncoverable_weeks = most.uncoverable_weeks;
    return r;
  }
  std::vector<int> size(K);
  for (std::size_t k = 0; k < K; ++k)
    size[k] = static_cast<int>(std::lround(mip.x[static_cast<std::size_t>(L.x[k])]));
  r = evaluate_hiring(p, size);
  r.lower_bound = std::min(r.cost, mip.bound + constant);
  r.gap = r.cost > 0.0 ? std::max(0.0, (r.cost - r.lower_bound) / r.cost) : 0.0;
  if (!most.uncoverable_weeks.empty()) {
    r.status = Status::infeasible;
    r.uncoverable_weeks = most.uncoverable_weeks;
    r.message = fmt::format(
        "weeks {} cannot be covered within the gap tolerance {} even with every class at its "
        "maximum size, all overtime and temps (e.g. week {}: at most {:.2f} of {:.2f} FTE; a class "
        "must start at least {} training weeks earlier); the plan shown lifts the tolerance there",
        week_list(most.uncoverable_weeks), p.gap_tolerance, most.uncoverable_weeks.front(),
        p.fte_required[static_cast<std::size_t>(most.uncoverable_weeks.front())] -
            most.fte_gap[static_cast<std::size_t>(most.uncoverable_weeks.front())],
        p.fte_required[static_cast<std::size_t>(most.uncoverable_weeks.front())],
        p.supply.training_weeks);
  } else {
    r.status = mip.proven_optimal ? Status::optimal : Status::feasible;
    if (!mip.proven_optimal)
      r.message = fmt::format("time limit {} s: gap {:.4g} not closed", policy.time_limit_s, r.gap);
  }
  return r;
}

}  // namespace wfm::capacity
