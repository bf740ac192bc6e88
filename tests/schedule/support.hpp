#pragma once
// Helpers shared by the schedule tests: small generated models and an independent brute force.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <pcg_random.hpp>
#include <vector>
#include <wfm/schedule/schedule.hpp>

#include "support/catch.hpp"

namespace wfm::test {

/// Every returned schedule goes through the independent checker, and its bounds are ordered.
inline void require_checked(const schedule::CoverageModel& m, const schedule::Schedule& s) {
  INFO(s.message);
  REQUIRE_FALSE(s.shifts.empty());
  const schedule::CheckReport r = schedule::check_schedule(m, s);
  INFO(r.message);
  REQUIRE(r.valid);
  REQUIRE(r.consistent);
  REQUIRE(s.lower_bound <= s.cost + 1e-9);
  REQUIRE(s.lp_bound <= s.lower_bound + 1e-9);
}

/// Every shift template with starts every `step` intervals that fit (non-cyclic) or all (cyclic).
inline schedule::ShiftTemplate make_template(const char* name, int length, double cost, int n,
                                             bool cyclic, int step = 1) {
  schedule::ShiftTemplate t;
  t.name = name;
  t.length = length;
  t.cost = cost;
  for (int s = 0; s < n; s += step)
    if (cyclic || s + length <= n) t.starts.push_back(s);
  if (!cyclic && t.starts.back() != n - length) t.starts.push_back(n - length);  // cover the end
  return t;
}

/// Exhaustive optimum over explicit columns (start x break combination), each used 0..max_count
/// times. Written independently of the solver: coverage and cost are recomputed here.
inline double brute_force_optimum(const schedule::CoverageModel& m, int max_count) {
  struct Col { int tmpl; std::vector<int> present; double cost; };
  const int n = m.num_intervals();
  std::vector<Col> cols;
  for (std::size_t t = 0; t < m.templates.size(); ++t) {
    const auto& st = m.templates[t];
    std::vector<std::vector<int>> combos{{}};
    for (const auto& b : st.breaks) {
      std::vector<std::vector<int>> next;
      for (const auto& c : combos)
        for (int p = b.earliest_offset; p <= b.latest_offset; ++p) {
          auto d = c;
          d.push_back(p);
          next.push_back(d);
        }
      combos = next;
    }
    for (int s : st.starts)
      for (const auto& c : combos) {
        std::vector<int> present(static_cast<std::size_t>(n), 0);
        for (int o = 0; o < st.length; ++o) {
          bool on_break = false;
          for (std::size_t k = 0; k < c.size(); ++k)
            on_break = on_break || (o >= c[k] && o < c[k] + st.breaks[k].length);
          const int i = s + o;
          if (on_break || (!m.cyclic && i >= n)) continue;
          present[static_cast<std::size_t>(i % n)] = 1;
        }
        cols.push_back({static_cast<int>(t), present, st.cost});
      }
  }
  std::vector<int> count(cols.size(), 0);
  double best = std::numeric_limits<double>::infinity();
  std::function<void(std::size_t)> rec = [&](std::size_t j) {
    if (j == cols.size()) {
      std::vector<double> cov(static_cast<std::size_t>(n), 0.0);
      double cost = 0.0;
      std::vector<int> used(m.templates.size(), 0);
      int head = 0;
      for (std::size_t q = 0; q < cols.size(); ++q) {
        if (!count[q]) continue;
        cost += count[q] * cols[q].cost;
        used[static_cast<std::size_t>(cols[q].tmpl)] += count[q];
        head += count[q];
        for (int i = 0; i < n; ++i) cov[static_cast<std::size_t>(i)] += count[q] * cols[q].present[static_cast<std::size_t>(i)];
      }
      if (head < m.min_headcount || (m.max_headcount >= 0 && head > m.max_headcount)) return;
      for (std::size_t t = 0; t < used.size(); ++t) {
        if (used[t] && m.templates[t].fixed_cost > 0) cost += m.templates[t].fixed_cost;
        if (m.templates[t].max_agents >= 0 && used[t] > m.templates[t].max_agents) return;
      }
      for (int i = 0; i < n; ++i) {
        const double r = m.requirement[static_cast<std::size_t>(i)], c = cov[static_cast<std::size_t>(i)];
        if (m.cover.hard_cover && c < std::ceil(r - 1e-9)) return;
        if (!m.cover.hard_cover) cost += m.cover.under_cost * std::max(0.0, r - c);
        cost += m.cover.over_cost * std::max(0.0, c - r);
      }
      best = std::min(best, cost);
      return;
    }
    for (int k = 0; k <= max_count; ++k) {
      count[j] = k;
      rec(j + 1);
    }
    count[j] = 0;
  };
  rec(0);
  return best;
}

/// A random small model: n intervals, requirement 0..max_r.
inline schedule::CoverageModel random_small_model(std::uint64_t seed, bool cyclic, bool hard,
                                                  bool breaks, int n = 8, int max_r = 2) {
  pcg32 rng(seed);
  schedule::CoverageModel m;
  m.cyclic = cyclic;
  m.requirement.resize(static_cast<std::size_t>(n));
  for (auto& r : m.requirement) r = static_cast<double>(rng(static_cast<std::uint32_t>(max_r + 1)));
  auto a = make_template("A", 5, 5.0, n, cyclic, 2);
  if (breaks) a.breaks = {{.length = 1, .earliest_offset = 1, .latest_offset = 2}};
  auto b = make_template("B", 3, 3.3, n, cyclic, 3);
  m.templates = {a, b};
  m.cover.hard_cover = hard;
  m.cover.under_cost = 4.0;
  m.cover.over_cost = hard ? 0.5 : 1.0;
  return m;
}

}  // namespace wfm::test
