#pragma once
/// \file
/// Agent states -> schedule adherence, conformance, exceptions and measured shrinkage.
///
/// **Inputs.** A schedule: rows (agent, start, end, activity), e.g. `shift` 08:00-16:00,
/// `break` 10:00-10:15, `meeting`, `training`. A row of a *work* activity (`shift`, `work`) is
/// paid time on the phones; any other activity nested inside it replaces it for its duration
/// (the usual WFM export: a shift with its breaks). A state log: rows (timestamp, agent, state)
/// — from `timestamp` on the agent is in `state` until the agent's next row (an ACD event log).
/// Times are local wall-clock seconds (calendar.hpp).
///
/// **Definitions** (Cleveland (2012), Call Center Management on Fast Forward, 3rd ed., ch. 9;
/// ICMI glossary). Expected state: a work activity expects any *work state* (`available`,
/// `on_contact`, `acw`); any other activity expects the state of the same name (`break` ->
/// `break`). With S = scheduled (paid) time and W = scheduled work-activity time:
/// - adherence = time in the expected state / S; the first `grace_s` seconds after each change
///   of the scheduled activity (also back to work after a break) count as adherent whatever the
///   state (grace period);
/// - conformance = time in work states (scheduled or not) / W (> 1: more worked than scheduled);
/// - shrinkage by category c = time of S spent in state c, for every state that is not a work
///   state (plus `missing`: no state known), / S; shrinkage = their sum = 1 - (work-state
///   time within S) / S: the measured `shrinkage` that wfm::queueing takes;
/// - an exception is a maximal stretch of S (after grace) in which the state differs from the
///   expected one: (agent, from, to, activity, state).
/// Per agent, per interval (the interval grid of ContactKpiOptions::interval_length_s), per day
/// and overall; staffed_s per interval (work-state time) is the occupancy base for
/// ContactKpiAccumulator::add_staffed_time.
///
/// **Messy logs: policies.** Rows in any order (sorted per agent). Two state rows of one agent
/// at the same timestamp with different states are an error naming the second row (the same
/// state twice is a harmless duplicate). A state lasts at most `max_state_s` (default 12 h):
/// beyond, the agent's state is `missing` (a lost logout), as it is before the agent's first row.
/// Overlapping schedule rows of an agent (other than activities nested in a work row), end <=
/// start, or an empty agent id are errors naming the row. State rows of agents without a
/// schedule are not errors: their time is unscheduled, and the ids are listed in
/// `unknown_agents`.

#include <cstdint>
#include <string>
#include <vector>

namespace wfm::kpi {

struct ScheduledActivity {
  std::string agent;
  std::int64_t start = 0;  ///< wall-clock timestamp [s]
  std::int64_t end = 0;    ///< exclusive
  std::string activity;
};

struct StateRecord {
  std::int64_t timestamp = 0;  ///< wall-clock timestamp [s]
  std::string agent;
  std::string state;
};

/// The tuning of adherence (one policy struct).
struct AdherenceOptions {
  double grace_s = 60.0;                  ///< [s] grace period after each scheduled start
  std::int64_t interval_length_s = 900;   ///< [s] the interval grid
  double max_state_s = 12.0 * 3600.0;     ///< [s] a state row lasts at most this
  std::vector<std::string> work_activities{"shift", "work"};
  std::vector<std::string> work_states{"available", "on_contact", "acw"};
  /// \throws InvalidArgument naming the field and the value.
  void validate() const;
};

/// Sums and ratios for one agent, interval, day, or overall.
struct AdherenceRow {
  std::string agent;           ///< per-agent rows
  std::int64_t timestamp = 0;  ///< per-interval rows: interval start; per-day rows: midnight
  double scheduled_s = 0.0;    ///< S
  double adherent_s = 0.0;
  double work_scheduled_s = 0.0;  ///< W
  double worked_s = 0.0;          ///< time in work states (= staffed_s of the interval)
  double adherence = 0.0;         ///< adherent_s / scheduled_s (0 when S = 0)
  double conformance = 0.0;       ///< worked_s / work_scheduled_s (0 when W = 0)
};

struct AdherenceException {
  std::string agent;
  std::int64_t from = 0, to = 0;
  std::string activity;  ///< scheduled
  std::string state;     ///< actual (`missing` when unknown)
};

struct ShrinkageCategory {
  std::string state;
  double seconds = 0.0;
  double shrinkage = 0.0;  ///< seconds / scheduled (paid) time
};

struct AdherenceResult {
  std::vector<AdherenceRow> agents, intervals, days;
  AdherenceRow overall;
  std::vector<AdherenceException> exceptions;  ///< by agent, then time
  std::vector<ShrinkageCategory> shrinkage_by_state;  ///< by state name
  double shrinkage = 0.0;  ///< sum over categories
  std::vector<std::string> unknown_agents;
};

/// Adherence, conformance, exceptions and shrinkage. Errors name the row as "schedule[i]" or
/// "states[i]" (0-based positions in the vectors as given). \throws InvalidArgument (see the
/// policies above).
[[nodiscard]] AdherenceResult adherence(std::vector<ScheduledActivity> schedule,
                                        std::vector<StateRecord> states,
                                        const AdherenceOptions& options = {});

}  // namespace wfm::kpi
