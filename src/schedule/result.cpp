#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {
namespace {

constexpr std::string_view kWhere = "wfm::schedule::Schedule";

// Adds `delta` agents to the intervals [first, first + len) of the horizon (wrapping when cyclic,
// clipped otherwise).
void add_span(std::vector<double>& cov, bool cyclic, int first, int len, double delta) {
  const int n = static_cast<int>(cov.size());
  for (int o = 0; o < len; ++o) {
    int i = first + o;
    if (i >= n) {
      if (!cyclic) break;
      i %= n;
    }
    cov[static_cast<std::size_t>(i)] += delta;
  }
}

}  // namespace

void evaluate(const CoverageModel& m, Schedule& s) {
  const int n = m.num_intervals();
  std::vector<double> cov(static_cast<std::size_t>(n), 0.0);
  double shift_cost = 0.0, paid = 0.0;
  int headcount = 0;
  std::vector<char> used(m.templates.size(), 0);
  for (std::size_t a = 0; a < s.shifts.size(); ++a) {
    const ShiftAssignment& sa = s.shifts[a];
    const std::string f = fmt::format("shifts[{}]", a);
    if (sa.template_index < 0 || static_cast<std::size_t>(sa.template_index) >= m.templates.size())
      detail::throw_invalid(kWhere, f + ".template_index is not a template", sa.template_index);
    const ShiftTemplate& t = m.templates[static_cast<std::size_t>(sa.template_index)];
    if (!std::binary_search(t.starts.begin(), t.starts.end(), sa.start))
      detail::throw_invalid(kWhere, f + ".start is not an allowed start of its template", sa.start);
    if (sa.agents < 1) detail::throw_invalid(kWhere, f + ".agents must be >= 1", sa.agents);
    if (static_cast<double>(headcount) + sa.agents > limits::max_total_requirement)
      detail::throw_invalid(kWhere,
                            fmt::format("{}.agents brings the headcount above {:g} "
                                        "(wfm::limits::max_total_requirement)",
                                        f, limits::max_total_requirement),
                            sa.agents);
    if (sa.break_agents.size() != t.breaks.size())
      detail::throw_invalid(kWhere, f + ".break_agents must have one entry per break",
                            static_cast<double>(sa.break_agents.size()));
    add_span(cov, m.cyclic, sa.start, t.length, sa.agents);
    for (std::size_t k = 0; k < t.breaks.size(); ++k) {
      const BreakWindow& b = t.breaks[k];
      const auto& ba = sa.break_agents[k];
      if (ba.size() != static_cast<std::size_t>(b.placements()))
        detail::throw_invalid(kWhere,
                              fmt::format("{}.break_agents[{}] must have {} placements", f, k,
                                          b.placements()),
                              static_cast<double>(ba.size()));
      int sum = 0;
      for (std::size_t p = 0; p < ba.size(); ++p) {
        if (ba[p] < 0)
          detail::throw_invalid(kWhere, fmt::format("{}.break_agents[{}][{}] must be >= 0", f, k, p),
                                ba[p]);
        sum += ba[p];
        if (ba[p] > 0)
          add_span(cov, m.cyclic, sa.start + b.earliest_offset + static_cast<int>(p), b.length,
                   -ba[p]);
      }
      if (sum != sa.agents)
        detail::throw_invalid(
            kWhere, fmt::format("{}.break_agents[{}] must sum to agents ({})", f, k, sa.agents), sum);
    }
    shift_cost += t.cost * sa.agents;
    paid += (t.paid_length < 0 ? t.length : t.paid_length) * sa.agents;
    headcount += sa.agents;
    used[static_cast<std::size_t>(sa.template_index)] = 1;
  }
  s.coverage = cov;
  s.under.assign(cov.size(), 0.0);
  s.over.assign(cov.size(), 0.0);
  double su = 0.0, so = 0.0;
  for (std::size_t i = 0; i < cov.size(); ++i) {
    const double d = cov[i] - m.requirement[i];
    if (d < 0) s.under[i] = -d; else s.over[i] = d;
    su += s.under[i];
    so += s.over[i];
  }
  double fixed = 0.0;
  for (std::size_t t = 0; t < used.size(); ++t)
    if (used[t]) fixed += m.templates[t].fixed_cost;
  s.shift_cost = shift_cost;
  s.fixed_cost = fixed;
  s.penalty_cost = (m.cover.hard_cover ? 0.0 : m.cover.under_cost * su) + m.cover.over_cost * so;
  s.cost = s.shift_cost + s.fixed_cost + s.penalty_cost;
  s.headcount = headcount;
  s.paid_intervals = paid;
  s.paid_hours = paid * m.interval_length / 3600.0;
}

// check_schedule() is in schedule_check.cpp: independent of evaluate() (issue 15).

void validate_schedule(const CoverageModel& m, const Schedule& s, std::string_view where) {
  Schedule copy;
  copy.shifts = s.shifts;
  try {
    evaluate(m, copy);  // checks every assignment against the model
  } catch (const InvalidArgument& e) {
    // evaluate() names the field relative to the schedule; say who was called.
    const std::string what = e.what();
    const std::string prefix = std::string(kWhere) + ": ";
    detail::throw_invalid(where, "schedule does not belong to the model: " +
                                     (what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what));
  }
  const auto n = m.requirement.size();
  for (const auto& [name, v] : {std::pair<const char*, const std::vector<double>*>{"coverage", &s.coverage},
                                {"under", &s.under},
                                {"over", &s.over}})
    if (!v->empty() && v->size() != n)
      detail::throw_invalid(where,
                            fmt::format("schedule.{} must be empty or have one value per interval "
                                        "of the model ({})",
                                        name, n),
                            static_cast<double>(v->size()));
}

Roster to_roster(const CoverageModel& m, const Schedule& s) {
  validate_schedule(m, s, "wfm::schedule::to_roster");
  Roster roster;
  const double dt = m.interval_length;
  const int n = m.num_intervals();
  roster.horizon_length = n * dt;
  roster.cyclic = m.cyclic;
  for (const auto& sa : s.shifts) {
    const ShiftTemplate& t = m.templates[static_cast<std::size_t>(sa.template_index)];
    // Agent j takes, for every break k, the j-th placement of the list expanded from
    // break_agents[k]; breaks are independent, so any pairing is a valid combination.
    std::map<std::vector<int>, int> combos;
    std::vector<std::size_t> pos(t.breaks.size(), 0), used(t.breaks.size(), 0);
    for (int j = 0; j < sa.agents; ++j) {
      std::vector<int> combo(t.breaks.size());
      for (std::size_t k = 0; k < t.breaks.size(); ++k) {
        const auto& ba = sa.break_agents[k];
        while (pos[k] < ba.size() && used[k] >= static_cast<std::size_t>(ba[pos[k]])) {
          ++pos[k];
          used[k] = 0;
        }
        combo[k] = static_cast<int>(pos[k]);
        ++used[k];
      }
      ++combos[combo];
    }
    for (const auto& [combo, agents] : combos) {
      ShiftSpan span;
      span.start = sa.start * dt;
      span.end = (sa.start + t.length) * dt;
      if (!m.cyclic) span.end = std::min(span.end, roster.horizon_length);
      span.agents = agents;
      for (std::size_t k = 0; k < t.breaks.size(); ++k) {
        const double bs = (sa.start + t.breaks[k].earliest_offset + combo[k]) * dt;
        if (!m.cyclic && bs >= roster.horizon_length) continue;
        double len = t.breaks[k].length * dt;
        if (!m.cyclic) len = std::min(len, roster.horizon_length - bs);
        span.breaks.push_back({bs, len});
      }
      roster.shifts.push_back(std::move(span));
    }
  }
  return roster;
}

}  // namespace wfm::schedule
