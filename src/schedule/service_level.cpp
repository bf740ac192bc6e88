#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <wfm/core/error.hpp>
#include <wfm/core/limits.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/schedule/service_level.hpp>

namespace wfm::schedule {
namespace {

// Service level of k agents in each interval, tabulated lazily.
class SlTable {
 public:
  SlTable(const std::vector<double>& rate, double aht, double t) : rate_(rate), aht_(aht), t_(t) {
    table_.resize(rate.size());
  }
  double operator()(std::size_t i, int k) {
    if (rate_[i] <= 0.0) return 1.0;
    if (k < 0) k = 0;
    auto& row = table_[i];
    if (static_cast<std::size_t>(k) >= row.size()) {
      const queueing::ErlangC q(rate_[i], aht_);
      for (auto j = row.size(); j <= static_cast<std::size_t>(k); ++j)
        row.push_back(q.service_level(static_cast<double>(j), t_));
    }
    return row[static_cast<std::size_t>(k)];
  }
  // Fewest agents with service level >= f.
  int min_agents(std::size_t i, double f) {
    int k = 0;
    while ((*this)(i, k) < f - 1e-12) ++k;
    return k;
  }

 private:
  const std::vector<double>& rate_;
  double aht_, t_;
  std::vector<std::vector<double>> table_;
};

// An agent: template, start and one placement per break (as offsets index p).
struct Agent {
  int tmpl, start;
  std::vector<int> placement;
};

void add_agent(const CoverageModel& m, const Agent& a, std::vector<int>& cov, int delta) {
  const int n = m.num_intervals();
  const auto& t = m.templates[static_cast<std::size_t>(a.tmpl)];
  auto span = [&](int first, int len, int d) {
    for (int o = 0; o < len; ++o) {
      int i = first + o;
      if (i >= n) {
        if (!m.cyclic) break;
        i %= n;
      }
      cov[static_cast<std::size_t>(i)] += d;
    }
  };
  span(a.start, t.length, delta);
  for (std::size_t k = 0; k < t.breaks.size(); ++k)
    span(a.start + t.breaks[k].earliest_offset + a.placement[k], t.breaks[k].length, -delta);
}

// One Agent per agent of a schedule; the j-th agent takes the j-th placement of the expanded
// list of each break.
std::vector<Agent> expand(const Schedule& schedule) {
  std::vector<Agent> agents;
  for (const auto& a : schedule.shifts)
    for (int j = 0; j < a.agents; ++j) {
      Agent ag{a.template_index, a.start, {}};
      for (const auto& ba : a.break_agents) {
        int acc = 0, p = 0;
        for (; p < static_cast<int>(ba.size()); ++p) {
          acc += ba[static_cast<std::size_t>(p)];
          if (acc > j) break;
        }
        ag.placement.push_back(std::min(p, static_cast<int>(ba.size()) - 1));
      }
      agents.push_back(std::move(ag));
    }
  return agents;
}

// The agents as a Schedule of `m` (shifts grouped by template and start).
Schedule to_schedule(const CoverageModel& m, std::vector<Agent> agents) {
  Schedule s;
  std::sort(agents.begin(), agents.end(), [](const Agent& a, const Agent& b) {
    return std::tie(a.tmpl, a.start, a.placement) < std::tie(b.tmpl, b.start, b.placement);
  });
  for (const auto& a : agents) {
    if (!s.shifts.empty() && s.shifts.back().template_index == a.tmpl && s.shifts.back().start == a.start) {
      auto& sa = s.shifts.back();
      ++sa.agents;
      for (std::size_t k = 0; k < a.placement.size(); ++k) ++sa.break_agents[k][static_cast<std::size_t>(a.placement[k])];
      continue;
    }
    ShiftAssignment sa{a.tmpl, a.start, 1, {}};
    const auto& t = m.templates[static_cast<std::size_t>(a.tmpl)];
    for (std::size_t k = 0; k < t.breaks.size(); ++k) {
      sa.break_agents.emplace_back(static_cast<std::size_t>(t.breaks[k].placements()), 0);
      ++sa.break_agents[k][static_cast<std::size_t>(a.placement[k])];
    }
    s.shifts.push_back(std::move(sa));
  }
  return s;
}

}  // namespace

GlobalServiceResult solve_global_service_level(const CoverageModel& model,
                                               const std::vector<double>& rate, double aht,
                                               const GlobalServiceTarget& target,
                                               const SolveOptions& options) {
  constexpr std::string_view where = "wfm::schedule::solve_global_service_level";
  CoverageModel m = model;
  const std::size_t n = rate.size();
  if (n != model.requirement.size())
    detail::throw_invalid(where, fmt::format("arrival_rate must have one value per interval ({})",
                                             model.requirement.size()),
                          static_cast<double>(n));
  for (std::size_t i = 0; i < n; ++i) detail::require_nonnegative(where, fmt::format("arrival_rate[{}]", i), rate[i]);
  detail::require_positive(where, "handle_time [s]", aht);
  for (std::size_t i = 0; i < n; ++i)
    if (rate[i] * aht > limits::max_requirement)
      detail::throw_invalid(where,
                            fmt::format("arrival_rate[{}] x handle_time is an offered load above "
                                        "{:g} Erlangs (wfm::limits::max_requirement)",
                                        i, limits::max_requirement),
                            rate[i]);
  detail::require_nonnegative(where, "target.target_time [s]", target.target_time);
  if (!(target.fraction >= 0.0 && target.fraction < 1.0))
    detail::throw_invalid(where, "target.fraction must be in [0, 1)", target.fraction);
  if (!(target.floor >= 0.0 && target.floor <= target.fraction))
    detail::throw_invalid(where, "target.floor must be in [0, fraction]", target.floor);
  m.cover = CoverRules{};
  validate(m);
  SlTable sl(rate, aht, target.target_time);
  double volume = 0.0;
  for (double r : rate) volume += r;
  auto global = [&](const std::vector<int>& cov) {
    if (volume <= 0.0) return 1.0;
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += rate[i] * sl(i, cov[i]);
    return s / volume;
  };
  GlobalServiceResult res;
  SolveOptions half = options;
  half.time_limit = options.time_limit / 2;
  // Per-interval approach: every interval at `fraction`.
  for (std::size_t i = 0; i < n; ++i) m.requirement[i] = sl.min_agents(i, target.fraction);
  res.per_interval = solve(m, half);
  {
    std::vector<int> cov(n);
    for (std::size_t i = 0; i < n; ++i) cov[i] = static_cast<int>(std::lround(i < res.per_interval.coverage.size() ? res.per_interval.coverage[i] : 0.0));
    res.per_interval_global_service_level = global(cov);
  }
  // Start: the cheapest schedule meeting the floors. The floor is raised to the stable
  // staffing (more agents than the offered load): below it Erlang C's SL is 0 whatever is
  // added until the interval turns stable, so the greedy gain of every single shift would be 0
  // and the search would stop at once (the cause of "infeasible" with the default floor 0).
  std::vector<int> floor_req(n);
  for (std::size_t i = 0; i < n; ++i) floor_req[i] = sl.min_agents(i, target.floor);
  for (std::size_t i = 0; i < n; ++i)
    m.requirement[i] = std::max(floor_req[i], sl.min_agents(i, 1e-9));
  const Schedule base = solve(m, half);
  for (std::size_t i = 0; i < n; ++i) m.requirement[i] = floor_req[i];
  std::vector<Agent> agents = expand(base);
  std::vector<int> cov(n, 0);
  for (const auto& a : agents) add_agent(m, a, cov, 1);
  // Greedy: add the shift (breaks in the middle of their windows) of best gain per cost.
  std::vector<Agent> candidates;
  for (std::size_t t = 0; t < m.templates.size(); ++t)
    for (int s : m.templates[t].starts) {
      Agent a{static_cast<int>(t), s, {}};
      for (const auto& b : m.templates[t].breaks) a.placement.push_back((b.latest_offset - b.earliest_offset) / 2);
      candidates.push_back(std::move(a));
    }
  double g = global(cov);
  for (int guard = 0; g < target.fraction && guard < 100000; ++guard) {
    int best = -1;
    double best_ratio = 0.0;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      std::vector<int> after = cov;
      add_agent(m, candidates[c], after, 1);
      const double gain = global(after) - g;
      const double cost = std::max(m.templates[static_cast<std::size_t>(candidates[c].tmpl)].cost, 1e-9);
      if (gain / cost > best_ratio) { best_ratio = gain / cost; best = static_cast<int>(c); }
    }
    if (best < 0) break;
    agents.push_back(candidates[static_cast<std::size_t>(best)]);
    add_agent(m, agents.back(), cov, 1);
    g = global(cov);
  }
  auto drop = [&](std::vector<Agent>& set, std::vector<int>& c) {
    // Remove agents, most expensive first, while the target and the floors hold.
    std::stable_sort(set.begin(), set.end(), [&](const Agent& a, const Agent& b) {
      return m.templates[static_cast<std::size_t>(a.tmpl)].cost > m.templates[static_cast<std::size_t>(b.tmpl)].cost;
    });
    for (std::size_t q = 0; q < set.size();) {
      add_agent(m, set[q], c, -1);
      bool ok = global(c) >= target.fraction;
      for (std::size_t i = 0; ok && i < n; ++i) ok = c[i] >= floor_req[i];
      if (ok) {
        set.erase(set.begin() + static_cast<std::ptrdiff_t>(q));
      } else {
        add_agent(m, set[q], c, 1);
        ++q;
      }
    }
  };
  drop(agents, cov);
  Schedule s = to_schedule(m, agents);
  evaluate(m, s);
  g = global(cov);
  // The per-interval schedule meets `fraction` in every interval, hence globally, and every
  // floor (floor <= fraction): it is a candidate too. Thinned by the same drop step, it can
  // only get cheaper; the cheaper of the two feasible schedules is returned.
  if (res.per_interval.status == Status::optimal ||
      res.per_interval.status == Status::feasible ||
      (res.per_interval.status == Status::time_limit && !res.per_interval.shifts.empty())) {
    std::vector<Agent> alt = expand(res.per_interval);
    std::vector<int> alt_cov(n, 0);
    for (const auto& a : alt) add_agent(m, a, alt_cov, 1);
    if (global(alt_cov) >= target.fraction) {
      drop(alt, alt_cov);
      Schedule t = to_schedule(m, alt);
      evaluate(m, t);
      if (g < target.fraction || t.cost < s.cost) {
        s = std::move(t);
        cov = std::move(alt_cov);
        g = global(cov);
      }
    }
  }
  evaluate(m, s);
  s.status = g >= target.fraction ? Status::feasible : Status::infeasible;
  s.lower_bound = 0.0;
  s.lp_bound = 0.0;
  s.gap = 1.0;
  s.message = "global service level: greedy add + drop (Koole & van der Sluis 2003); no bound";
  res.schedule = std::move(s);
  res.service_level.resize(n);
  res.min_service_level = 1.0;
  for (std::size_t i = 0; i < n; ++i) {
    res.service_level[i] = sl(i, cov[i]);
    if (rate[i] > 0) res.min_service_level = std::min(res.min_service_level, res.service_level[i]);
  }
  res.global_service_level = global(cov);
  if (res.per_interval.cost > 0 && std::isfinite(res.per_interval.cost))
    res.saving = (res.per_interval.cost - res.schedule.cost) / res.per_interval.cost;
  return res;
}

}  // namespace wfm::schedule
