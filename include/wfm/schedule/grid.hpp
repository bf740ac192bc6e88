#pragma once
/// \file
/// Schedules on the interval grid (wfm/core/interval_grid.hpp): the requirement is placed on the
/// grid by timestamp, shift starts are given as local times of day, and outputs carry
/// timestamps.
///
/// **Local start times.** A template's allowed starts may be given as wall-clock times of day
/// ("08:00"), optionally restricted to weekdays. They map to every grid interval whose *local*
/// start has that time of day, so a shift starts at 08:00 local on both sides of a clock change.
/// A time of day that a clock change skips that day gives no start that day; one that is
/// repeated gives two (both 01:30 intervals of a fall-back night).
///
/// **Schedule model JSON with local starts** (read by the programs; io.hpp reads the index form):
///
///     {"interval_length_s": 900, "time_zone": "Europe/Berlin",
///      "templates": [{"name": "F8", "length": 32, "cost": 32,
///                     "start_times": ["07:00", "08:00", "09:00"],   // local time of day
///                     "weekdays": [0, 1, 2, 3, 4],                  // 0 = Monday; absent: all
///                     "breaks": [{"length": 2, "earliest_offset": 14, "latest_offset": 18}]}]}
///
/// `start_times` replaces `starts` (interval indices); a template gives one or the other. The
/// requirement comes from a CSV with columns `timestamp,agents_required` aligned on the grid.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wfm/core/interval_grid.hpp>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {

/// Seconds since midnight of "HH:MM" or "HH:MM:SS". \throws InvalidArgument naming `what`.
[[nodiscard]] std::int64_t parse_time_of_day(std::string_view text, std::string_view what = "time");

/// Grid intervals whose local start time of day is in `times_of_day_s` (and whose local weekday,
/// 0 = Monday, is in `weekdays` unless empty), ascending. Without `cyclic`, only starts whose
/// shift of `length` intervals ends within the grid.
/// \throws InvalidArgument on a time outside [0, 86400) or a weekday outside 0..6.
[[nodiscard]] std::vector<int> starts_at_local_times(const IntervalGrid& grid,
                                                     std::span<const std::int64_t> times_of_day_s,
                                                     std::span<const int> weekdays, int length,
                                                     bool cyclic = false);

/// Sets `model.requirement` and `model.interval_length` from a requirement per grid interval;
/// closed intervals require 0 agents.
/// \throws InvalidArgument if the sizes differ or a value is negative or not finite.
void set_requirement(CoverageModel& model, const IntervalGrid& grid,
                     std::span<const double> agents_required);

/// One CSV row per (shift, agents), vocabulary columns: template,start,end,agents,breaks
/// (start/end: grid timestamps; breaks: per break window "offset:agents;..." joined by '|').
[[nodiscard]] std::string schedule_to_csv(const CoverageModel& model, const Schedule& schedule,
                                          const IntervalGrid& grid);
/// One CSV row per grid interval: timestamp,agents_required,agents,under,over.
[[nodiscard]] std::string coverage_to_csv(const CoverageModel& model, const Schedule& schedule,
                                          const IntervalGrid& grid);

}  // namespace wfm::schedule
