// The independent roster checker. It shares no code with roster.cpp: it recounts the schedule's
// agent-shifts, recomputes every time and paid time from the model, and tests the hard rules
// listed in include/wfm/schedule/roster.hpp on each agent's assignments sorted by start.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <wfm/schedule/roster.hpp>

namespace wfm::schedule {
namespace {

constexpr std::size_t kMaxProblems = 200;

struct Checker {
  const CoverageModel& m;
  const std::vector<Agent>& agents;
  double tol;
  RosterCheck out = {};
  bool complete = true;
  std::map<std::pair<int, int>, long> pool = {};                 // (template, start) -> agents left
  std::map<std::tuple<int, int, int, int>, long> break_pool = {};  // (template, start, k, offset)
  int days = 0;

  void problem(std::string text) {
    out.valid = false;
    if (out.problems.size() < kMaxProblems) out.problems.push_back(std::move(text));
  }
  void shortfall(std::string text) {
    complete = false;
    if (out.problems.size() < kMaxProblems) out.problems.push_back(std::move(text));
  }

  void count_schedule(const Schedule& s) {
    for (const ShiftAssignment& a : s.shifts) {
      pool[{a.template_index, a.start}] += a.agents;
      const ShiftTemplate& t = m.templates.at(static_cast<std::size_t>(a.template_index));
      for (std::size_t k = 0; k < a.break_agents.size(); ++k)
        for (std::size_t q = 0; q < a.break_agents[k].size(); ++q)
          break_pool[{a.template_index, a.start, static_cast<int>(k),
                      t.breaks[k].earliest_offset + static_cast<int>(q)}] += a.break_agents[k][q];
    }
  }

  /// Rules on one assignment alone; false when it cannot be interpreted further.
  bool check_one(const Agent& ag, const std::string& who, const RosterAssignment& x) {
    if (x.template_index < 0 || static_cast<std::size_t>(x.template_index) >= m.templates.size()) {
      problem(fmt::format("{}: template index {} does not exist", who, x.template_index));
      return false;
    }
    const ShiftTemplate& t = m.templates[static_cast<std::size_t>(x.template_index)];
    const double dt = m.interval_length;
    const double start_s = x.start * dt, end_s = (x.start + t.length) * dt;
    const int day = static_cast<int>(std::floor(start_s / 86400.0));
    if (std::abs(start_s - x.start_s) > tol || std::abs(end_s - x.end_s) > tol || day != x.day)
      problem(fmt::format("{}: times of the shift at interval {} do not follow from the model", who, x.start));
    const auto& c = ag.contract.templates;
    if (!c.empty() && std::find(c.begin(), c.end(), x.template_index) == c.end())
      problem(fmt::format("{}: template '{}' is not in the contract", who, t.name));
    if (!ag.availability.empty()) {
      if (day < 0 || day >= static_cast<int>(ag.availability.size())) {
        problem(fmt::format("{}: day {} outside the horizon", who, day));
      } else {
        const DayWindow& w = ag.availability[static_cast<std::size_t>(day)];
        const double from = start_s - day * 86400.0, to = end_s - day * 86400.0;
        if (w.latest_end_s <= w.earliest_start_s || from < w.earliest_start_s - tol || to > w.latest_end_s + tol)
          problem(fmt::format("{}: day {} shift {}-{} s is outside the availability", who, day, from, to));
      }
    }
    if (--pool[{x.template_index, x.start}] < 0)
      problem(fmt::format("{}: more agents work template '{}' at interval {} than the schedule has", who,
                          t.name, x.start));
    if (x.break_offsets.size() != t.breaks.size()) {
      problem(fmt::format("{}: {} break offsets for {} break windows", who, x.break_offsets.size(), t.breaks.size()));
      return true;
    }
    for (std::size_t k = 0; k < t.breaks.size(); ++k)
      if (--break_pool[{x.template_index, x.start, static_cast<int>(k), x.break_offsets[k]}] < 0)
        problem(fmt::format("{}: break {} at offset {} is not a placement the schedule has left", who, k,
                            x.break_offsets[k]));
    return true;
  }

  void check_agent(const Agent& ag, const AgentRoster& r) {
    const std::string who = fmt::format("agent '{}'", ag.id);
    if (r.agent != ag.id) problem(fmt::format("{}: the roster names '{}'", who, r.agent));
    std::vector<const RosterAssignment*> xs;
    for (const RosterAssignment& x : r.assignments)
      if (check_one(ag, who, x)) xs.push_back(&x);
    std::sort(xs.begin(), xs.end(), [](auto* a, auto* b) { return a->start_s < b->start_s; });
    const int weeks = (days + 6) / 7;
    std::vector<double> paid(static_cast<std::size_t>(weeks), 0.0);
    std::vector<int> worked(static_cast<std::size_t>(std::max(days, 1)), 0);
    double last_end = -1e300;
    for (const RosterAssignment* x : xs) {
      const ShiftTemplate& t = m.templates[static_cast<std::size_t>(x->template_index)];
      const double s0 = x->start * m.interval_length;
      const double e0 = (x->start + t.length) * m.interval_length;
      if (s0 < last_end + ag.contract.min_rest_s - tol)
        problem(fmt::format("{}: shift at {} s starts {} s after the previous end (rest {} s)", who, s0,
                            s0 - last_end, ag.contract.min_rest_s));
      last_end = std::max(last_end, e0);
      const int day = static_cast<int>(std::floor(s0 / 86400.0));
      if (day < 0 || day >= days) continue;
      if (++worked[static_cast<std::size_t>(day)] > 1) problem(fmt::format("{}: two shifts on day {}", who, day));
      paid[static_cast<std::size_t>(day / 7)] += (t.paid_length < 0 ? t.length : t.paid_length) * m.interval_length;
    }
    for (int w = 0; w < weeks; ++w) {
      int n = 0;
      for (int d = 7 * w; d < std::min(days, 7 * w + 7); ++d) n += worked[static_cast<std::size_t>(d)] > 0;
      if (n > ag.contract.max_days_per_week)
        problem(fmt::format("{}: {} days in week {} (max {})", who, n, w, ag.contract.max_days_per_week));
      const double p = paid[static_cast<std::size_t>(w)];
      if (p > ag.contract.max_week_s + tol)
        problem(fmt::format("{}: {} s paid in week {} (max {})", who, p, w, ag.contract.max_week_s));
      const double min_s = ag.contract.min_week_s * std::min(7, days - 7 * w) / 7.0;
      if (p < min_s - tol) shortfall(fmt::format("{}: {} s paid in week {} (min {})", who, p, w, min_s));
    }
    int run = 0;
    for (int d = 0; d < days; ++d) {
      run = worked[static_cast<std::size_t>(d)] > 0 ? run + 1 : 0;
      if (run > ag.contract.max_consecutive_days) {
        problem(fmt::format("{}: {} consecutive days up to day {}", who, run, d));
        break;
      }
    }
  }

  void check_leftovers(const RosterResult& r) {
    long left = 0;
    double lost = 0.0;
    for (const auto& [key, n] : pool) {
      if (n <= 0) continue;
      const ShiftTemplate& t = m.templates[static_cast<std::size_t>(key.first)];
      double on = t.length;
      for (const BreakWindow& b : t.breaks) on -= b.length;
      left += n;
      lost += static_cast<double>(n) * on * m.interval_length;
    }
    out.unassigned = static_cast<int>(left);
    out.coverage_lost_s = lost;
    if (left > 0) complete = false;
    out.consistent = static_cast<long>(r.unassigned.size()) == left &&
                     std::abs(r.coverage_lost_s - lost) <= tol * std::max(1.0, lost);
    if (!out.consistent)
      out.problems.push_back(fmt::format("the roster reports {} unassigned shifts ({} s lost), recounted {} ({} s)",
                                         r.unassigned.size(), r.coverage_lost_s, left, lost));
  }
};

}  // namespace

RosterCheck check_roster(const CoverageModel& m, const Schedule& s, const std::vector<Agent>& agents,
                         const RosterResult& r, double tol) {
  Checker c{m, agents, tol};
  c.out.valid = true;
  c.days = static_cast<int>(std::ceil(m.num_intervals() * m.interval_length / 86400.0 - 1e-9));
  c.count_schedule(s);
  if (r.agents.size() != agents.size()) {
    c.problem(fmt::format("the roster has {} agents, the input {}", r.agents.size(), agents.size()));
  } else {
    for (std::size_t i = 0; i < agents.size(); ++i) c.check_agent(agents[i], r.agents[i]);
  }
  c.check_leftovers(r);
  c.out.complete = c.out.valid && c.complete;
  return c.out;
}

}  // namespace wfm::schedule
