#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/grid.hpp>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {

namespace {

/// Timestamp text of the instant `utc`, which may lie at the grid's end or beyond.
std::string timestamp_at(const IntervalGrid& g, std::int64_t utc) {
  if (auto i = g.index_of(utc)) return g.timestamp(*i);
  if (!g.zone_aware()) return format_timestamp(utc);
  const std::int64_t off = g.zone().offset_at(utc);
  return format_timestamp(utc + off, off);
}

std::string break_text(const ShiftTemplate& t, const ShiftAssignment& a) {
  std::string br;
  for (std::size_t k = 0; k < a.break_agents.size(); ++k) {
    if (k) br += '|';
    bool first = true;
    for (std::size_t p = 0; p < a.break_agents[k].size(); ++p)
      if (a.break_agents[k][p] > 0) {
        br += fmt::format("{}{}:{}", first ? "" : ";",
                          t.breaks[k].earliest_offset + static_cast<int>(p), a.break_agents[k][p]);
        first = false;
      }
  }
  return br;
}

}  // namespace

std::int64_t parse_time_of_day(std::string_view text, std::string_view what) {
  const auto t = parse_timestamp(fmt::format("1970-01-01 {}", text));
  if (!t || (text.size() != 5 && text.size() != 8))
    wfm::detail::throw_invalid("wfm::schedule", fmt::format("{}: not a time of day 'HH:MM'", what),
                               text);
  return *t;
}

std::vector<int> starts_at_local_times(const IntervalGrid& grid,
                                       std::span<const std::int64_t> times_of_day_s,
                                       std::span<const int> weekdays, int length, bool cyclic) {
  constexpr std::string_view where = "wfm::schedule::starts_at_local_times";
  for (std::int64_t t : times_of_day_s)
    if (t < 0 || t >= seconds_per_day)
      wfm::detail::throw_invalid(where, "times_of_day_s must be in [0, 86400)", static_cast<double>(t));
  for (int d : weekdays)
    if (d < 0 || d > 6) wfm::detail::throw_invalid(where, "weekdays must be in 0..6 (0 = Monday)", d);
  std::vector<int> out;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const std::int64_t local = grid.local(i);
    const bool time_ok = std::find(times_of_day_s.begin(), times_of_day_s.end(),
                                   second_of_day(local)) != times_of_day_s.end();
    const bool day_ok =
        weekdays.empty() || std::find(weekdays.begin(), weekdays.end(), weekday(local)) != weekdays.end();
    const bool fits = cyclic || i + static_cast<std::size_t>(std::max(length, 0)) <= grid.size();
    if (time_ok && day_ok && fits) out.push_back(static_cast<int>(i));
  }
  return out;
}

void set_requirement(CoverageModel& model, const IntervalGrid& grid,
                     std::span<const double> agents_required) {
  constexpr std::string_view where = "wfm::schedule::set_requirement";
  if (agents_required.size() != grid.size())
    wfm::detail::throw_invalid(where, fmt::format("agents_required has {} values for a grid of {} "
                                                  "intervals",
                                                  agents_required.size(), grid.size()));
  model.interval_length = static_cast<double>(grid.interval_length_s());
  model.requirement.assign(grid.size(), 0.0);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const double v = agents_required[i];
    if (!(v >= 0.0) || !std::isfinite(v))
      wfm::detail::throw_invalid(where, fmt::format("agents_required[{}] ({}) must be finite and >= 0",
                                                    i, grid.timestamp(i)),
                                 v);
    if (grid.is_open(i)) model.requirement[i] = v;
  }
}

std::string schedule_to_csv(const CoverageModel& m, const Schedule& s, const IntervalGrid& grid) {
  constexpr std::string_view where = "wfm::schedule::schedule_to_csv";
  validate_schedule(m, s, where);
  if (grid.size() != m.requirement.size())
    wfm::detail::throw_invalid(where, fmt::format("the grid has {} intervals, the model {}",
                                                  grid.size(), m.requirement.size()));
  std::string out = "template,start,end,agents,breaks\n";
  const std::int64_t len = grid.interval_length_s();
  for (const auto& a : s.shifts) {
    const auto& t = m.templates[static_cast<std::size_t>(a.template_index)];
    const std::int64_t start = grid.utc(static_cast<std::size_t>(a.start));
    out += fmt::format("{},{},{},{},{}\n", t.name, timestamp_at(grid, start),
                       timestamp_at(grid, start + t.length * len), a.agents, break_text(t, a));
  }
  return out;
}

std::string coverage_to_csv(const CoverageModel& m, const Schedule& s, const IntervalGrid& grid) {
  validate_schedule(m, s, "wfm::schedule::coverage_to_csv");
  if (grid.size() != m.requirement.size())
    wfm::detail::throw_invalid("wfm::schedule::coverage_to_csv",
                               fmt::format("the grid has {} intervals, the model {}", grid.size(),
                                           m.requirement.size()));
  std::string out = "timestamp,agents_required,agents,under,over\n";
  auto at = [](const std::vector<double>& v, std::size_t i) { return i < v.size() ? v[i] : 0.0; };
  for (std::size_t i = 0; i < grid.size(); ++i)
    out += fmt::format("{},{},{},{},{}\n", grid.timestamp(i), m.requirement[i], at(s.coverage, i),
                       at(s.under, i), at(s.over, i));
  return out;
}

}  // namespace wfm::schedule
