// Adherence, conformance, exceptions and shrinkage from agent states (see
// include/wfm/kpi/adherence.hpp for the definitions and the policies).
#include <wfm/kpi/adherence.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

namespace wfm::kpi {
namespace {

struct Piece {  // one stretch of an agent's schedule with its activity
  std::int64_t start, end, activity_start;
  const std::string* activity;
  bool work;
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// The pieces of one agent's schedule: non-work rows override the work rows they lie in.
std::vector<Piece> schedule_pieces(const std::vector<ScheduledActivity>& rows,
                                   const std::vector<std::size_t>& idx,
                                   const AdherenceOptions& o) {
  std::vector<std::size_t> work, other;
  for (std::size_t i : idx)
    (contains(o.work_activities, rows[i].activity) ? work : other).push_back(i);
  const auto by_start = [&](std::size_t a, std::size_t b) { return rows[a].start < rows[b].start; };
  for (auto* v : {&work, &other}) {
    std::sort(v->begin(), v->end(), by_start);
    for (std::size_t k = 1; k < v->size(); ++k)
      if (rows[(*v)[k]].start < rows[(*v)[k - 1]].end)
        detail::throw_invalid(fmt::format("schedule[{}]", (*v)[k]),
                              fmt::format("overlaps schedule[{}] of agent '{}'", (*v)[k - 1],
                                          rows[(*v)[k]].agent));
  }
  std::vector<std::int64_t> cuts;
  for (std::size_t i : idx) {
    cuts.push_back(rows[i].start);
    cuts.push_back(rows[i].end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<Piece> out;
  std::size_t w = 0, x = 0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const std::int64_t a = cuts[k], b = cuts[k + 1];
    while (w < work.size() && rows[work[w]].end <= a) ++w;
    while (x < other.size() && rows[other[x]].end <= a) ++x;
    const ScheduledActivity* r = nullptr;
    if (x < other.size() && rows[other[x]].start <= a) r = &rows[other[x]];
    else if (w < work.size() && rows[work[w]].start <= a) r = &rows[work[w]];
    if (r == nullptr) continue;
    const bool is_work = contains(o.work_activities, r->activity);
    // The grace period runs from each change of the scheduled activity (incl. back to work
    // after a break); a piece continuing the same row keeps its start.
    const bool same = !out.empty() && out.back().end == a && out.back().activity == &r->activity;
    out.push_back({a, b, same ? out.back().activity_start : a, &r->activity, is_work});
  }
  return out;
}

struct Sums {
  std::map<std::int64_t, AdherenceRow> intervals, days;
  std::map<std::string, double> shrink;
};

void add_to(AdherenceRow& r, double len, bool scheduled, bool work_activity, bool adherent,
            bool work_state) {
  if (scheduled) r.scheduled_s += len;
  if (scheduled && adherent) r.adherent_s += len;
  if (work_activity) r.work_scheduled_s += len;
  if (work_state) r.worked_s += len;
}

void finish_row(AdherenceRow& r) {
  r.adherence = r.scheduled_s > 0.0 ? r.adherent_s / r.scheduled_s : 0.0;
  r.conformance = r.work_scheduled_s > 0.0 ? r.worked_s / r.work_scheduled_s : 0.0;
}

}  // namespace

void AdherenceOptions::validate() const {
  constexpr std::string_view w = "wfm::kpi::AdherenceOptions";
  detail::require_nonnegative(w, "grace_s", grace_s);
  if (interval_length_s < 1 || interval_length_s > seconds_per_day)
    detail::throw_invalid(w, "interval_length_s must be whole seconds in [1, 86400]",
                          static_cast<double>(interval_length_s));
  detail::require_positive(w, "max_state_s", max_state_s);
}

AdherenceResult adherence(std::vector<ScheduledActivity> schedule, std::vector<StateRecord> states,
                          const AdherenceOptions& o) {
  o.validate();
  std::map<std::string, std::vector<std::size_t>> sched_of, states_of;
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const ScheduledActivity& r = schedule[i];
    const std::string where = fmt::format("schedule[{}]", i);
    if (r.agent.empty()) detail::throw_invalid(where, "the agent id is empty");
    if (r.end <= r.start)
      detail::throw_invalid(where, fmt::format("end {} is not after start {}",
                                               format_timestamp(r.end), format_timestamp(r.start)));
    sched_of[r.agent].push_back(i);
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i].agent.empty())
      detail::throw_invalid(fmt::format("states[{}]", i), "the agent id is empty");
    states_of[states[i].agent].push_back(i);
  }
  AdherenceResult out;
  Sums sums;
  const std::string missing = "missing";
  const auto max_state = static_cast<std::int64_t>(std::ceil(o.max_state_s));
  const auto grace = static_cast<std::int64_t>(std::ceil(o.grace_s));
  std::map<std::string, bool> agents;
  for (const auto& [a, v] : sched_of) agents[a] = true;
  for (const auto& [a, v] : states_of)
    if (!agents.count(a)) {
      agents[a] = false;
      out.unknown_agents.push_back(a);
    }
  for (const auto& [agent, scheduled] : agents) {
    const std::vector<Piece> pieces =
        scheduled ? schedule_pieces(schedule, sched_of[agent], o) : std::vector<Piece>{};
    std::vector<std::size_t> st = states_of[agent];
    std::stable_sort(st.begin(), st.end(), [&](std::size_t a, std::size_t b) {
      return states[a].timestamp < states[b].timestamp;
    });
    std::vector<std::size_t> uniq;  // duplicates removed; conflicts are errors
    for (std::size_t i : st) {
      if (!uniq.empty() && states[uniq.back()].timestamp == states[i].timestamp) {
        if (states[uniq.back()].state != states[i].state)
          detail::throw_invalid(
              fmt::format("states[{}]", i),
              fmt::format("agent '{}' has two states at {}: '{}' (states[{}]) and '{}'", agent,
                          format_timestamp(states[i].timestamp), states[uniq.back()].state,
                          uniq.back(), states[i].state));
        continue;
      }
      uniq.push_back(i);
    }
    // State k lasts until the agent's next row, at most max_state_s; the last row lasts until
    // the end of the agent's schedule (zero length for an agent without one).
    const std::int64_t sched_end = pieces.empty() ? std::numeric_limits<std::int64_t>::min()
                                                  : pieces.back().end;
    std::vector<std::int64_t> state_end(uniq.size());
    for (std::size_t k = 0; k < uniq.size(); ++k) {
      const std::int64_t t = states[uniq[k]].timestamp;
      const std::int64_t next =
          k + 1 < uniq.size() ? states[uniq[k + 1]].timestamp : std::max(t, sched_end);
      state_end[k] = std::min(next, t + max_state);
    }
    // Breakpoints: schedule pieces, grace ends, state changes and expiries.
    std::vector<std::int64_t> cuts;
    for (const Piece& p : pieces) {
      cuts.insert(cuts.end(), {p.start, p.end});
      if (p.activity_start + grace < p.end && p.activity_start + grace > p.start)
        cuts.push_back(p.activity_start + grace);
    }
    for (std::size_t k = 0; k < uniq.size(); ++k)
      cuts.insert(cuts.end(), {states[uniq[k]].timestamp, state_end[k]});
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    AdherenceRow row;
    row.agent = agent;
    std::size_t pi = 0, si = 0;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const std::int64_t a = cuts[k], b = cuts[k + 1];
      while (pi < pieces.size() && pieces[pi].end <= a) ++pi;
      while (si + 1 < uniq.size() && states[uniq[si + 1]].timestamp <= a) ++si;
      const Piece* p = pi < pieces.size() && pieces[pi].start <= a ? &pieces[pi] : nullptr;
      const bool known =
          !uniq.empty() && states[uniq[si]].timestamp <= a && a < state_end[si];
      const std::string* state = known ? &states[uniq[si]].state : &missing;
      const bool work_state = state != &missing && contains(o.work_states, *state);
      if (p == nullptr && !work_state) continue;
      const bool in_grace = p != nullptr && a < p->activity_start + grace;
      const bool adherent =
          p != nullptr && (in_grace || (p->work ? work_state : *state == *p->activity));
      const bool work_activity = p != nullptr && p->work;
      const auto len = static_cast<double>(b - a);
      add_to(row, len, p != nullptr, work_activity, adherent, work_state);
      // Split over the interval grid and days.
      for (std::int64_t t = a; t < b;) {
        const std::int64_t ki = floor_div(t, o.interval_length_s);
        const std::int64_t stop = std::min(b, (ki + 1) * o.interval_length_s);
        const auto piece = static_cast<double>(stop - t);
        add_to(sums.intervals[ki * o.interval_length_s], piece, p != nullptr, work_activity,
               adherent, work_state);
        add_to(sums.days[day_of(t) * seconds_per_day], piece, p != nullptr, work_activity,
               adherent, work_state);
        t = stop;
      }
      if (p != nullptr && !work_state) sums.shrink[*state] += len;
      if (p != nullptr && !adherent) {
        AdherenceException* e = out.exceptions.empty() ? nullptr : &out.exceptions.back();
        if (e != nullptr && e->agent == agent && e->to == a && e->activity == *p->activity &&
            e->state == *state)
          e->to = b;
        else
          out.exceptions.push_back({agent, a, b, *p->activity, *state});
      }
    }
    finish_row(row);
    out.overall.scheduled_s += row.scheduled_s;
    out.overall.adherent_s += row.adherent_s;
    out.overall.work_scheduled_s += row.work_scheduled_s;
    out.overall.worked_s += row.worked_s;
    out.agents.push_back(std::move(row));
  }
  finish_row(out.overall);
  for (auto& [t, r] : sums.intervals) {
    r.timestamp = t;
    finish_row(r);
    out.intervals.push_back(r);
  }
  for (auto& [t, r] : sums.days) {
    r.timestamp = t;
    finish_row(r);
    out.days.push_back(r);
  }
  for (const auto& [state, sec] : sums.shrink) {
    const double f = out.overall.scheduled_s > 0.0 ? sec / out.overall.scheduled_s : 0.0;
    out.shrinkage_by_state.push_back({state, sec, f});
    out.shrinkage += f;
  }
  return out;
}

}  // namespace wfm::kpi
