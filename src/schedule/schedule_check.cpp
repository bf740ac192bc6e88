// check_schedule(): an independent recomputation of a schedule's coverage and cost (issue 15).
//
// Shares no evaluation code with the solver, the formulation or evaluate() (result.cpp): the
// schedule is expanded agent by agent (each agent gets one placement per break, taken in order
// from break_agents), each agent's presence is marked interval by interval on a difference
// array, and the cost is summed per agent. Every placement is checked against its break window
// and every start against its template's list, so a corrupted schedule is reported, never
// trusted.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {
namespace {

// Coverage under construction: +1 / -1 at the ends of each present span (difference array over
// the horizon, twice as long for cyclic wrap), folded at the end.
class Presence {
 public:
  Presence(int n, bool cyclic) : n_(n), cyclic_(cyclic), diff_(2 * static_cast<std::size_t>(n) + 1, 0.0) {}
  // Agent present on [from, to) in horizon intervals (to may pass n: wraps when cyclic, else cut).
  void add(int from, int to, double agents) {
    if (!cyclic_) to = std::min(to, n_);
    if (from >= to) return;
    diff_[static_cast<std::size_t>(from)] += agents;
    diff_[static_cast<std::size_t>(std::min(to, 2 * n_))] -= agents;
  }
  [[nodiscard]] std::vector<double> fold() const {
    std::vector<double> cov(static_cast<std::size_t>(n_), 0.0);
    double run = 0.0;
    for (int i = 0; i < 2 * n_; ++i) {
      run += diff_[static_cast<std::size_t>(i)];
      cov[static_cast<std::size_t>(i % n_)] += run;
    }
    return cov;
  }

 private:
  int n_;
  bool cyclic_;
  std::vector<double> diff_;
};

// Structural check of one assignment; empty when it fits the model.
std::string assignment_problem(const CoverageModel& m, const ShiftAssignment& a, std::size_t idx) {
  if (a.template_index < 0 || a.template_index >= static_cast<int>(m.templates.size()))
    return fmt::format("shifts[{}]: template {} does not exist", idx, a.template_index);
  const ShiftTemplate& t = m.templates[static_cast<std::size_t>(a.template_index)];
  if (std::find(t.starts.begin(), t.starts.end(), a.start) == t.starts.end())
    return fmt::format("shifts[{}]: start {} is not an allowed start of template '{}'", idx,
                       a.start, t.name);
  if (a.agents < 1) return fmt::format("shifts[{}]: {} agents (must be >= 1)", idx, a.agents);
  if (a.break_agents.size() != t.breaks.size())
    return fmt::format("shifts[{}]: {} break lists for {} breaks", idx, a.break_agents.size(),
                       t.breaks.size());
  for (std::size_t k = 0; k < t.breaks.size(); ++k) {
    const auto& list = a.break_agents[k];
    const BreakWindow& w = t.breaks[k];
    long total = 0;
    for (std::size_t p = 0; p < list.size(); ++p) {
      if (list[p] < 0) return fmt::format("shifts[{}].break_agents[{}][{}] < 0", idx, k, p);
      if (list[p] > 0 && static_cast<int>(p) > w.latest_offset - w.earliest_offset)
        return fmt::format("shifts[{}]: break {} taken at offset {}, outside its window [{}, {}]",
                           idx, k, w.earliest_offset + static_cast<int>(p), w.earliest_offset,
                           w.latest_offset);
      total += list[p];
    }
    if (static_cast<int>(list.size()) != w.placements())
      return fmt::format("shifts[{}]: break {} lists {} placements, its window has {}", idx, k,
                         list.size(), w.placements());
    if (total != a.agents)
      return fmt::format("shifts[{}]: break {} placed for {} agents; placements must sum to "
                         "agents ({})", idx, k, total, a.agents);
  }
  return {};
}

// Adds the agents of one (valid) assignment to `cover`, one agent at a time: on site from the
// start for the template length, absent during the break placement each agent was given.
void add_agents(const ShiftTemplate& t, const ShiftAssignment& a, Presence& cover) {
  std::vector<std::size_t> pos(t.breaks.size(), 0);
  std::vector<int> left(t.breaks.size(), 0);
  for (std::size_t k = 0; k < t.breaks.size(); ++k) left[k] = a.break_agents[k][0];
  for (int agent = 0; agent < a.agents; ++agent) {
    cover.add(a.start, a.start + t.length, 1.0);
    for (std::size_t k = 0; k < t.breaks.size(); ++k) {
      while (left[k] == 0) left[k] = a.break_agents[k][++pos[k]];
      --left[k];
      const int from = a.start + t.breaks[k].earliest_offset + static_cast<int>(pos[k]);
      cover.add(from, from + t.breaks[k].length, -1.0);
    }
  }
}

// Template and headcount limits; empty when they hold.
std::string limit_problem(const CoverageModel& m, const Schedule& s) {
  std::map<std::pair<int, int>, long> at_start;
  std::map<int, long> of_template;
  long head = 0;
  for (const auto& a : s.shifts) {
    at_start[{a.template_index, a.start}] += a.agents;
    of_template[a.template_index] += a.agents;
    head += a.agents;
  }
  for (const auto& [key, n] : at_start) {
    const auto& t = m.templates[static_cast<std::size_t>(key.first)];
    if (t.max_agents_per_start >= 0 && n > t.max_agents_per_start)
      return fmt::format("template '{}' start {}: {} agents > max_agents_per_start {}", t.name,
                         key.second, n, t.max_agents_per_start);
  }
  for (const auto& [ti, n] : of_template) {
    const auto& t = m.templates[static_cast<std::size_t>(ti)];
    if (t.max_agents >= 0 && n > t.max_agents)
      return fmt::format("template '{}': {} agents > max_agents {}", t.name, n, t.max_agents);
  }
  if (head < m.min_headcount || (m.max_headcount >= 0 && head > m.max_headcount))
    return fmt::format("headcount {} outside [{}, {}]", head, m.min_headcount, m.max_headcount);
  return {};
}

bool close(double a, double b, double tol) {
  return std::abs(a - b) <= tol * std::max({1.0, std::abs(a), std::abs(b)});
}

// The first field of `s` that differs from the recomputation `r`; empty when all agree.
std::string mismatch(const Schedule& s, const CheckReport& r, double tol) {
  if (!close(s.cost, r.cost, tol))
    return fmt::format("reported cost {} differs from the recomputed cost {}", s.cost, r.cost);
  if (!close(s.shift_cost, r.shift_cost, tol) || !close(s.fixed_cost, r.fixed_cost, tol) ||
      !close(s.penalty_cost, r.penalty_cost, tol))
    return fmt::format("reported cost parts (shifts {}, fixed {}, penalties {}) differ from the "
                       "recomputed ones ({}, {}, {})",
                       s.shift_cost, s.fixed_cost, s.penalty_cost, r.shift_cost, r.fixed_cost,
                       r.penalty_cost);
  if (s.headcount != r.headcount)
    return fmt::format("reported headcount {} differs from {}", s.headcount, r.headcount);
  if (s.coverage.size() != r.coverage.size())
    return fmt::format("reported coverage has {} intervals, the model {}", s.coverage.size(),
                       r.coverage.size());
  for (std::size_t i = 0; i < r.coverage.size(); ++i)
    if (!close(s.coverage[i], r.coverage[i], tol) ||
        (i < s.under.size() && !close(s.under[i], r.under[i], tol)) ||
        (i < s.over.size() && !close(s.over[i], r.over[i], tol)))
      return fmt::format("reported coverage at interval {} is {}, recomputed {}", i,
                         s.coverage[i], r.coverage[i]);
  return {};
}

}  // namespace

CheckReport check_schedule(const CoverageModel& m, const Schedule& s, double tol) {
  CheckReport r;
  for (std::size_t idx = 0; idx < s.shifts.size(); ++idx)
    if (std::string p = assignment_problem(m, s.shifts[idx], idx); !p.empty()) {
      r.message = std::move(p);
      return r;
    }
  const int n = m.num_intervals();
  Presence cover(n, m.cyclic);
  std::set<int> used;
  for (const auto& a : s.shifts) {
    const ShiftTemplate& t = m.templates[static_cast<std::size_t>(a.template_index)];
    add_agents(t, a, cover);
    for (int agent = 0; agent < a.agents; ++agent) r.shift_cost += t.cost;
    r.headcount += a.agents;
    used.insert(a.template_index);
  }
  for (int ti : used) r.fixed_cost += m.templates[static_cast<std::size_t>(ti)].fixed_cost;
  r.coverage = cover.fold();
  r.under.assign(r.coverage.size(), 0.0);
  r.over.assign(r.coverage.size(), 0.0);
  std::string cover_problem;
  for (std::size_t i = 0; i < r.coverage.size(); ++i) {
    const double need = m.requirement[i];
    r.under[i] = std::max(0.0, need - r.coverage[i]);
    r.over[i] = std::max(0.0, r.coverage[i] - need);
    if (!m.cover.hard_cover) r.penalty_cost += m.cover.under_cost * r.under[i];
    r.penalty_cost += m.cover.over_cost * r.over[i];
    // Hard cover: whole agents, so a fractional requirement needs its ceiling.
    if (m.cover.hard_cover && cover_problem.empty() && r.coverage[i] < std::ceil(need - 1e-9))
      cover_problem = fmt::format("hard cover violated at interval {}: coverage {} < requirement {}",
                                  i, r.coverage[i], need);
  }
  r.cost = r.shift_cost + r.fixed_cost + r.penalty_cost;
  r.message = limit_problem(m, s);
  if (r.message.empty()) r.message = cover_problem;
  r.valid = r.message.empty();
  const std::string diff = mismatch(s, r, tol);
  r.consistent = diff.empty();
  if (r.message.empty()) r.message = diff;
  return r;
}

}  // namespace wfm::schedule
