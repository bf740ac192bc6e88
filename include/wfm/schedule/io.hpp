#pragma once
/// \file
/// Reading models and writing schedules.
///
/// Model JSON (the format of the shared `cc` instances, with optional extra fields):
///
///     { "name": "...", "interval_minutes": 15 (or "interval_length_s": 900), "cyclic": false,
///       "demand": [...] (or "requirement"), "hard_cover": true, "under_cost": 0, "over_cost": 0,
///       "min_headcount": 0, "max_headcount": -1,
///       "shift_templates": [ { "name": "F8", "length": 34, "paid": 32, "cost": 32.0,
///           "starts": [28, 29, ...] (or {"from": 28, "to": 60, "step": 1}),
///           "breaks": [ {"length": 2, "earliest_offset": 14, "latest_offset": 20} ],
///           "max_agents": -1, "max_agents_per_start": -1, "fixed_cost": 0 } ] }
///
/// Minimum-shift-design `.dzn` files (Musliu, Schaerf & Slany 2004 benchmark, MiniZinc data):
/// one template per distinct shift (start of day, length) allowed by a shift type, starting on
/// every day, with fixed cost `weightShiftInstances`; soft cover with penalties
/// `weightUnderCover * interval` and `weightOverCover * interval` [per agent-interval]; cyclic
/// week. This is the objective F1-F3 of the benchmark (F4 is zero in its reference solutions).

#include <string>
#include <string_view>
#include <vector>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {

/// Parses a model from JSON text; `source` names it in errors. \throws InvalidArgument naming the
/// source and the field.
[[nodiscard]] CoverageModel parse_model_json(std::string_view text, const std::string& source);
/// Reads a model JSON file.
[[nodiscard]] CoverageModel read_model_json(const std::string& path);

/// Parses a minimum-shift-design instance (MiniZinc `.dzn` data).
[[nodiscard]] CoverageModel parse_msd_dzn(std::string_view text, const std::string& source);
/// Reads a minimum-shift-design `.dzn` file.
[[nodiscard]] CoverageModel read_msd_dzn(const std::string& path);

/// Reads a requirement per interval from a CSV column (`agents` by default, in file order).
[[nodiscard]] std::vector<double> read_requirement_csv(const std::string& path,
                                                       const std::string& column = "agents");

/// The schedule as JSON: status, cost, bounds, gap, the shifts with break placements and the
/// per-interval coverage.
[[nodiscard]] std::string schedule_to_json(const CoverageModel& model, const Schedule& schedule);
/// schedule_to_csv(model, schedule, grid) of grid.hpp on a naive grid from 1970-01-01 00:00
/// (timestamps read as elapsed time): template,start,end,agents,breaks.
[[nodiscard]] std::string schedule_to_csv(const CoverageModel& model, const Schedule& schedule);
/// coverage_to_csv(model, schedule, grid) of grid.hpp on a naive grid from 1970-01-01 00:00:
/// timestamp,agents_required,agents,under,over.
[[nodiscard]] std::string coverage_to_csv(const CoverageModel& model, const Schedule& schedule);

}  // namespace wfm::schedule
