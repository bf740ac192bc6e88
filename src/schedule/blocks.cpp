// independent_blocks() and solve_by_blocks(): a separable model solved block by block (issue 15).
#include "blocks_solve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <numeric>
#include <wfm/schedule/blocks.hpp>
#include <wfm/schedule/solver.hpp>

namespace wfm::schedule {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Share of the time limit every block is sure to get, in proportion to its columns (see
// solve_by_blocks): the LP and a dive of a block are a small part of its time share.
constexpr double kBlockFloor = 0.05;

// Seconds of process CPU time or of the wall clock (SolveOptions::cpu_time), from an origin.
double block_clock(bool cpu) {
  if (cpu) return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// covered[i]: some shift covers interval i; linked[i]: some shift covers i and i + 1 (modulo n
// when cyclic). Difference arrays over the horizon unrolled twice (a cyclic shift wraps once).
void coverage_links(const CoverageModel& m, std::vector<char>& covered, std::vector<char>& linked) {
  const int n = m.num_intervals();
  std::vector<int> dc(2 * static_cast<std::size_t>(n) + 1, 0), dl(dc.size(), 0);
  for (const ShiftTemplate& t : m.templates)
    for (int s : t.starts) {
      const int end = m.cyclic ? s + std::min(t.length, n) : std::min(s + t.length, n);
      ++dc[static_cast<std::size_t>(s)];
      --dc[static_cast<std::size_t>(end)];
      if (end - 1 > s) {
        ++dl[static_cast<std::size_t>(s)];
        --dl[static_cast<std::size_t>(end - 1)];
      }
    }
  covered.assign(static_cast<std::size_t>(n), 0);
  linked.assign(static_cast<std::size_t>(n), 0);
  int c = 0, l = 0;
  for (int i = 0; i < 2 * n; ++i) {
    c += dc[static_cast<std::size_t>(i)];
    l += dl[static_cast<std::size_t>(i)];
    if (c > 0) covered[static_cast<std::size_t>(i % n)] = 1;
    if (l > 0) linked[static_cast<std::size_t>(i % n)] = 1;
  }
  if (!m.cyclic && n > 0) linked[static_cast<std::size_t>(n - 1)] = 0;
  if (m.cyclic && n > 0 && std::any_of(m.templates.begin(), m.templates.end(), [&](const auto& t) {
        return t.length >= n;
      }))
    std::fill(linked.begin(), linked.end(), 1);
}

}  // namespace

std::vector<IntervalBlock> independent_blocks(const CoverageModel& m) {
  validate(m);
  const int n = m.num_intervals();
  std::vector<char> covered, linked;
  coverage_links(m, covered, linked);
  int first = 0;  // a cyclic horizon is scanned from just after an unlinked interval
  if (m.cyclic) {
    const auto gap = std::find(linked.begin(), linked.end(), 0);
    if (gap == linked.end()) return {};
    first = static_cast<int>(gap - linked.begin()) + 1;
  }
  std::vector<IntervalBlock> out;
  for (int k = 0; k < n;) {
    const int i = (first + k) % n;
    if (!covered[static_cast<std::size_t>(i)]) { ++k; continue; }
    IntervalBlock b{i, 1};
    while (k + b.length < n && linked[static_cast<std::size_t>((i + b.length - 1) % n)]) ++b.length;
    out.push_back(b);
    k += b.length;
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

bool separable(const CoverageModel& m) noexcept {
  if (m.min_headcount > 0 || m.max_headcount >= 0) return false;
  return std::none_of(m.templates.begin(), m.templates.end(), [](const ShiftTemplate& t) {
    return t.fixed_cost > 0.0 || t.max_agents >= 0;
  });
}

namespace detail {
namespace {

// The model restricted to block b (not cyclic; interval j is b.first + j), the templates
// without a start in it dropped; tmpl_map[k] is the original index of the block's template k.
CoverageModel block_model(const CoverageModel& m, const IntervalBlock& b, std::vector<int>& tmpl_map) {
  const int n = m.num_intervals();
  CoverageModel bm;
  bm.interval_length = m.interval_length;
  bm.cyclic = false;
  bm.cover = m.cover;
  for (int j = 0; j < b.length; ++j)
    bm.requirement.push_back(m.requirement[static_cast<std::size_t>((b.first + j) % n)]);
  tmpl_map.clear();
  for (std::size_t t = 0; t < m.templates.size(); ++t) {
    ShiftTemplate bt = m.templates[t];
    bt.starts.clear();
    for (int s : m.templates[t].starts) {
      const int j = ((s - b.first) % n + n) % n;
      if (j < b.length) bt.starts.push_back(j);
    }
    if (bt.starts.empty()) continue;
    std::sort(bt.starts.begin(), bt.starts.end());
    bm.templates.push_back(std::move(bt));
    tmpl_map.push_back(static_cast<int>(t));
  }
  return bm;
}

// The cost of the intervals outside every block: nobody can cover them (soft cover: all under).
double outside_cost(const CoverageModel& m, const std::vector<IntervalBlock>& blocks) {
  const int n = m.num_intervals();
  std::vector<char> in(static_cast<std::size_t>(n), 0);
  for (const auto& b : blocks)
    for (int j = 0; j < b.length; ++j) in[static_cast<std::size_t>((b.first + j) % n)] = 1;
  double c = 0.0;
  for (int i = 0; i < n; ++i)
    if (!in[static_cast<std::size_t>(i)]) {
      const double r = m.requirement[static_cast<std::size_t>(i)];
      if (m.cover.hard_cover && r > 0.0) return kInf;  // infeasible: the whole solve says why
      if (!m.cover.hard_cover) c += m.cover.under_cost * r;
    }
  return c;
}

std::size_t block_columns(const CoverageModel& m, const IntervalBlock& b) {
  std::vector<int> map;
  return integer_columns(block_model(m, b, map));
}

// The accumulated result of the blocks solved so far.
struct Merged {
  Schedule s;
  double lp = 0.0, lb = 0.0, cost = 0.0;
  bool all_optimal = true, any_time_limit = false, missing = false, integral = true;
  Status failure = Status::optimal;
  std::string failure_message;
};

void add_block(const CoverageModel& m, const IntervalBlock& b, const std::vector<int>& tmpl_map,
               const Schedule& r, Merged& acc) {
  if (!std::isfinite(r.cost)) {
    acc.missing = true;
    if (acc.failure == Status::optimal) {
      acc.failure = r.status;
      acc.failure_message = r.message;
    }
    return;
  }
  const int n = m.num_intervals();
  for (ShiftAssignment a : r.shifts) {
    a.template_index = tmpl_map[static_cast<std::size_t>(a.template_index)];
    a.start = (b.first + a.start) % n;
    acc.s.shifts.push_back(std::move(a));
  }
  acc.lp += r.lp_bound;
  acc.lb += r.lower_bound;
  acc.cost += r.cost;
  acc.all_optimal = acc.all_optimal && r.status == Status::optimal;
  acc.any_time_limit = acc.any_time_limit || r.status == Status::time_limit;
  acc.integral = acc.integral && r.lp_integral;
}

Schedule merged_result(const CoverageModel& m, Merged acc, double outside, std::size_t blocks,
                       const SolveOptions& o, double seconds) {
  Schedule s;
  if (acc.missing) {
    s.status = acc.failure;
    s.message = fmt::format("a block of the horizon has no schedule: {}", acc.failure_message);
    s.seconds = seconds;
    return s;
  }
  std::sort(acc.s.shifts.begin(), acc.s.shifts.end(), [](const auto& a, const auto& b) {
    return a.template_index != b.template_index ? a.template_index < b.template_index
                                                : a.start < b.start;
  });
  s.shifts = std::move(acc.s.shifts);
  evaluate(m, s);
  s.lp_bound = acc.lp + outside;
  s.lower_bound = std::min(acc.lb + outside, s.cost);
  s.lp_integral = acc.integral;
  s.gap = std::max(0.0, (s.cost - s.lower_bound) / std::max(std::abs(s.cost), 1e-12));
  s.status = acc.all_optimal || s.gap <= o.mip_gap ? Status::optimal
             : acc.any_time_limit                  ? Status::time_limit
                                                   : Status::feasible;
  s.message = fmt::format("{} independent blocks solved one after another", blocks);
  s.seconds = seconds;
  return s;
}

}  // namespace

std::optional<Schedule> solve_by_blocks(const CoverageModel& m, const SolveOptions& o) {
  if (!o.policy.decompose || !separable(m)) return std::nullopt;
  const std::vector<IntervalBlock> blocks = independent_blocks(m);
  if (blocks.size() < 2) return std::nullopt;
  const double outside = outside_cost(m, blocks);
  if (!std::isfinite(outside)) return std::nullopt;
  const auto t0 = block_clock(o.cpu_time);
  std::vector<std::size_t> cols;
  for (const auto& b : blocks) cols.push_back(block_columns(m, b));
  const std::size_t cols_total = std::accumulate(cols.begin(), cols.end(), std::size_t{0});
  std::size_t cols_left = cols_total;
  Merged acc;
  bool stopped = false;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    std::vector<int> map;
    const CoverageModel bm = block_model(m, blocks[k], map);
    SolveOptions bo = o;
    bo.policy.decompose = false;
    bo.seed = o.seed + k;
    // Time in proportion to the block's integer columns, out of what is left (blocks that
    // finish early, e.g. proven optimal, leave their time to the later ones).
    const double left = o.time_limit - (block_clock(o.cpu_time) - t0);
    const double share = static_cast<double>(cols[k]) / static_cast<double>(std::max<std::size_t>(1, cols_left));
    // A block late in an overrun run still gets a floor (its share of kBlockFloor of the limit,
    // so the whole overruns by at most that) and then only a dive: never no schedule for lack
    // of time.
    const double floor = kBlockFloor * o.time_limit * static_cast<double>(cols[k]) /
                         static_cast<double>(std::max<std::size_t>(1, cols_total));
    bo.time_limit = std::max({1e-3, floor, left * share});
    cols_left -= cols[k];
    if (stopped || left * share < floor) {  // stopped or out of time: a dive only
      bo.use_cbc = false;
      bo.lns_iterations = 0;
      bo.progress = {};
    } else if (o.progress) {
      bo.progress = [&, last = k + 1 == blocks.size()](const Progress& p) {
        Progress q = p;
        q.elapsed_s = block_clock(o.cpu_time) - t0;
        q.done = q.elapsed_s;
        q.total = o.time_limit;
        q.objective = last ? acc.cost + outside + p.objective : kInf;
        q.bound = last ? acc.lb + outside + p.bound : -kInf;
        if (!o.progress(q)) stopped = true;
        return !stopped;
      };
    }
    add_block(m, blocks[k], map, solve(bm, bo), acc);
  }
  if (acc.missing && acc.failure == Status::infeasible) return std::nullopt;
  Schedule s = merged_result(m, std::move(acc), outside, blocks.size(), o,
                             block_clock(o.cpu_time) - t0);
  if (stopped && std::isfinite(s.cost) && s.status != Status::optimal) s.status = Status::feasible;
  if (stopped && !std::isfinite(s.cost)) s.status = Status::stopped;
  return s;
}

}  // namespace detail
}  // namespace wfm::schedule
