#pragma once
/// \file
/// Rosters for named agents: which agent works which shift of a Schedule on which day.
///
/// A Schedule says how many anonymous agents start each (template, start); a roster deals those
/// agent-shifts to people with contracts, availability and preferences, over one to several
/// weeks. Days are blocks of 86,400 s from the horizon start (day 0; start the horizon at
/// midnight for calendar days), weeks blocks of 7 days (week 0 = days 0..6; a last partial week
/// prorates the weekly minimum); `RosterOptions::first_weekday` says which weekday day 0 is.
/// Rules are checked inside the horizon: a cyclic model's wrap to its start is not a rest period
/// of the next cycle (roster the following weeks together to link them).
///
/// **Hard rules** (a roster never breaks them; check_roster() verifies them independently):
///  1. an agent works only templates their contract allows, inside their availability of the day
///     (start >= earliest_start_s, end <= latest_end_s, seconds from the day's midnight);
///  2. at most one shift per day (the day the shift starts);
///  3. at least `min_rest_s` between the end of one shift and the start of the next;
///  4. at most `max_days_per_week` working days and `max_week_s` paid time per week;
///  5. at most `max_consecutive_days` working days in a row (across week boundaries);
///  6. each agent-shift of the schedule goes to at most one agent;
///  7. at least `min_week_s` paid time per week (prorated by days / 7 in a last partial week).
/// Rules 1-6 hold in every returned roster. A shift no agent can take is left *unassigned* (the
/// roster loses its coverage, reported with the reason), and an agent below rule 7 is a
/// *shortfall*: then the status is `infeasible` and the message names the conflict; the partial
/// roster is still returned, never silently.
///
/// **Method.** Day by day, a minimum-cost assignment of that day's agent-shifts to the agents
/// who may legally take them (Hungarian algorithm in its shortest-augmenting-path form: Kuhn
/// 1955, "The Hungarian method for the assignment problem", Naval Res. Logist. Q. 2:83-97;
/// Jonker & Volgenant 1987, "A shortest augmenting path algorithm for dense and sparse linear
/// assignment problems", Computing 38:325-340). The costs look ahead: an agent who will lose
/// working days if not used today (little slack between the days left in the week and the days
/// the contract still allows), or who is behind their weekly minimum, is cheaper; preferences
/// and the fairness terms (nights and weekends worked so far) are added. This is the
/// decomposition by days used for nurse and call-centre rostering (Ernst, Jiang, Krishnamoorthy &
/// Sier 2004, "Staff scheduling and rostering: a review of applications, methods and models",
/// EJOR 153(1):3-27, sec. 4 "decomposition"; Burke, De Causmaecker, Vanden Berghe & Van
/// Landeghem 2004, "The state of the art of nurse rostering", J. Sched. 7:441-499). It is
/// followed by repair (ejection chains of length two for unassigned shifts and shortfalls:
/// Glover 1996, "Ejection chains, reference structures and alternating path methods for
/// traveling salesman problems", Discrete Appl. Math. 65:223-253) and a local search of moves
/// and swaps of one day's shifts between two agents that lowers the soft cost (preferences and
/// fairness) while keeping every hard rule, until the time limit or the move budget.
///
/// Rostering is per skill: one agent has one skill, so run one roster per skill's schedule with
/// the agents of that skill.
///
/// **Example**:
///
///     Agent a{.id = "ana"};
///     a.contract.max_days_per_week = 5;
///     a.contract.min_rest_s = 11 * 3600.0;
///     RosterResult r = make_roster(model, schedule, {a, ...});
///     RosterCheck c = check_roster(model, schedule, agents, r);   // c.valid

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <wfm/core/csv.hpp>
#include <wfm/core/interval_grid.hpp>
#include <wfm/core/roster.hpp>
#include <wfm/core/status.hpp>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>

namespace wfm::schedule {

/// A window of one day [s from that day's midnight]; `latest_end_s` may exceed 86,400 for a
/// shift that ends after midnight. A window with latest_end_s <= earliest_start_s is a day off.
struct DayWindow {
  double earliest_start_s = 0.0;
  double latest_end_s = 2 * 86400.0;
  [[nodiscard]] bool is_off() const noexcept { return latest_end_s <= earliest_start_s; }
};

/// An agent's contract (the hard rules 1-5, 7 above).
struct Contract {
  double min_week_s = 0.0;  ///< paid time per week at least [s], >= 0
  double max_week_s = std::numeric_limits<double>::infinity();  ///< at most [s], >= min_week_s
  int max_days_per_week = 7;     ///< in [0, 7]
  int max_consecutive_days = 7;  ///< >= 1 (a value >= the horizon's days means no limit)
  double min_rest_s = 0.0;       ///< between two shifts [s], in [0, 7 days]
  std::vector<int> templates = {};  ///< allowed template indices; empty: all templates
};

/// What an agent would like (soft; counted in preferences_granted).
struct Preferences {
  /// Preferred start, seconds from midnight: a shift starting in [from, to] grants it. The
  /// default (whole day) states no preference.
  double start_from_s = 0.0;
  double start_to_s = 86400.0;
  std::vector<int> days_off = {};  ///< days of the horizon (0-based) wished off
  [[nodiscard]] bool states_start() const noexcept {
    return start_from_s > 0.0 || start_to_s < 86400.0;
  }
};

/// A named agent.
struct Agent {
  std::string id = {};
  std::string skill = {};  ///< informative: one roster per skill (see the file comment)
  Contract contract = {};
  /// One window per day of the horizon, or empty: available every day, all day.
  std::vector<DayWindow> availability = {};
  Preferences preferences = {};
};

/// Size limits of one roster (wfm promises bounded time and memory; see wfm/core/limits.hpp).
/// Reason: the daily assignment holds a dense cost matrix of agent-shifts x (agents +
/// agent-shifts) doubles and takes O(n^2 m) steps for n agent-shifts and m columns; 2e7 cells
/// are 160 MB (e.g. 2,000 agent-shifts a day for 8,000 agents), far above a team rostered
/// together (500 agents: about 4e5 cells). Larger centres roster per skill or site.
struct RosterLimits {
  static constexpr double max_agents = 1e5;
  static constexpr double max_shifts = 1e6;      ///< agent-shifts in the schedule
  static constexpr double max_day_cells = 2e7;   ///< per day: agent-shifts x (agents + agent-shifts)
  static constexpr double max_agent_days = 1e7;  ///< agents x days of the horizon (per-agent state)
};

/// Tuning constants of the rostering heuristic: one documented policy. Costs are in "points";
/// only their ratios matter.
struct RosterPolicy {
  /// Cost of leaving a shift unassigned in the daily assignment: far above every soft term, so
  /// a shift is only left when no agent may legally take it.
  double unassigned_cost = 1e6;
  /// Points for a start outside the preferred window and for working a day wished off.
  double start_preference = 10.0;
  double day_off_wish = 20.0;
  /// Fairness: working a night shift costs `night` x (2 n + 1) for an agent with n nights so
  /// far (the increment of n^2: spreading nights evenly minimises the sum of squares); the same
  /// for the first shift of a weekend with the weekends worked so far.
  double night = 2.0;
  double weekend = 3.0;
  /// Look-ahead: an agent whose contract allows as many more days this week as are left in it
  /// (slack 0) loses capacity if idle today; the cost falls by `slack` x (1 - slack / days left).
  double slack = 30.0;
  /// Behind the weekly minimum: the cost falls by `shortfall` x (missing paid time / paid time
  /// still possible this week), up to `shortfall` when every remaining day is needed.
  double shortfall = 200.0;
  /// Soft cost of a weekly shortfall in the local search, per hour missing.
  double shortfall_per_hour = 100.0;
  /// Night: a shift with on-site time in [night_start_s, night_end_s + 86,400) of its day.
  double night_start_s = 22 * 3600.0;
  double night_end_s = 6 * 3600.0;
  /// Local-search moves tried per agent-shift of the schedule (the move budget).
  double moves_per_shift = 60.0;
};

struct RosterOptions {
  double time_limit = 10.0;   ///< [s] for the whole run (see RosterResult::status), > 0
  std::uint64_t seed = 0;     ///< same seed, same roster (when the time limit does not bind)
  bool cpu_time = false;      ///< measure time_limit in process CPU time (shared machines)
  int first_weekday = 0;      ///< weekday of day 0, 0 = Monday ... 6 = Sunday
  RosterPolicy policy = {};
};

/// One shift an agent works. Times in seconds from the horizon start; breaks as in wfm::Roster.
struct RosterAssignment {
  int day = 0;              ///< day of the horizon the shift starts on
  int template_index = 0;
  int start = 0;            ///< [interval]
  std::vector<int> break_offsets = {};  ///< per break window: offset from the start [intervals]
  double start_s = 0.0, end_s = 0.0;  ///< [s] from the horizon start
  std::vector<BreakSpan> breaks = {};
  double paid_s = 0.0;      ///< paid time [s]
};

/// An agent's part of the roster, with its fairness measures.
struct AgentRoster {
  std::string agent = {};
  std::vector<RosterAssignment> assignments = {};  ///< ordered by start
  std::vector<double> week_paid_s = {};            ///< paid time per week [s]
  int weekends_off = 0;  ///< weekends (Saturday and Sunday inside the horizon) without a shift
  int nights = 0;        ///< night shifts (RosterPolicy::night_start_s .. night_end_s)
  /// A start window counts once per shift worked, a day wished off once per day.
  int preferences_granted = 0;
  int preferences_stated = 0;
};

/// An agent-shift of the schedule that no agent works, and why.
struct UnassignedShift {
  RosterAssignment shift = {};  ///< what it would have been
  double coverage_lost_s = 0.0;  ///< agent time on the phones it would have given [s]
  std::string reason = {};       ///< counts of agents by the first rule that excludes them
};

/// An agent below the weekly minimum.
struct Shortfall {
  int agent = 0;          ///< index into the agents
  int week = 0;
  double paid_s = 0.0;    ///< paid time rostered [s]
  double min_s = 0.0;     ///< the (prorated) minimum [s]
};

/// The outcome. `status`: ok (every agent-shift assigned, every minimum met), infeasible (some
/// unassigned shift or shortfall; see `message`, `unassigned`, `shortfalls`, `conflicts`),
/// time_limit (the limit ended the daily assignment itself; later days are reported
/// unassigned). The local search stops at the time limit without changing the status.
struct RosterResult {
  Status status = Status::error;
  std::string message = {};
  std::vector<AgentRoster> agents = {};  ///< in the order of the input agents
  std::vector<UnassignedShift> unassigned = {};
  std::vector<Shortfall> shortfalls = {};
  /// Capacity conflicts found before assigning (days, weeks or templates with more shifts than
  /// the agents may work), one sentence each.
  std::vector<std::string> conflicts = {};
  int days = 0, weeks = 0;
  int shifts = 0;                    ///< agent-shifts in the schedule
  double coverage_lost_s = 0.0;      ///< on-phone agent time of the unassigned shifts [s]
  int preferences_granted = 0;
  int preferences_stated = 0;
  double soft_cost = 0.0;            ///< the local search's objective (RosterPolicy points)
  int min_weekends_off = 0, max_weekends_off = 0;  ///< fairness spread over the agents
  int min_nights = 0, max_nights = 0;
  long moves = 0;                    ///< local-search moves accepted
  double seconds = 0.0;              ///< wall time [s]
  double cpu_seconds = 0.0;          ///< process CPU time [s]
};

/// Deals the agent-shifts of `schedule` to `agents`. A horizon that is not whole days (opening
/// hours 07:00-22:00) ends with a partial day.
/// \throws InvalidArgument on a bad model, schedule, agent (naming `agents[i].field`) or option.
[[nodiscard]] RosterResult make_roster(const CoverageModel& model, const Schedule& schedule,
                                       const std::vector<Agent>& agents,
                                       const RosterOptions& options = {});

/// What check_roster() found.
struct RosterCheck {
  bool valid = false;     ///< hard rules 1-6 hold and every assignment is a shift of the schedule
  bool complete = false;  ///< additionally every agent-shift is assigned and rule 7 holds
  bool consistent = false;  ///< the result's counts (coverage lost, unassigned) match
  std::vector<std::string> problems = {};  ///< every violation found, one sentence each
  double coverage_lost_s = 0.0;  ///< recomputed [s]
  int unassigned = 0;            ///< recomputed agent-shifts without an agent
};

/// Checks every hard rule of a roster from the agents' assignments alone, written independently
/// of make_roster(): it recounts the schedule's agent-shifts per (template, start, break
/// placement), recomputes times and paid time from the model, and compares.
[[nodiscard]] RosterCheck check_roster(const CoverageModel& model, const Schedule& schedule,
                                       const std::vector<Agent>& agents,
                                       const RosterResult& roster, double tol = 1e-6);

/// Agents from a table (e.g. read_csv of the programs' --agents file), one row per agent.
/// Columns: `agent` (id, required); optional `skill`, `min_week_s`, `max_week_s`,
/// `max_days_per_week`, `max_consecutive_days`, `min_rest_s` [s], `templates` (names joined by
/// ';'; empty: all), `start_from_s`, `start_to_s` (preferred start, s from midnight), `days_off`
/// (days wished off) and `unavailable` (days the agent cannot work), days of the horizon joined
/// by ';'. Empty cells take the defaults. \throws InvalidArgument naming file, line and column.
[[nodiscard]] std::vector<Agent> agents_from_table(const CsvTable& table, const CoverageModel& model);

/// The roster as the simulator's staffing: one ShiftSpan (agents = 1) per assignment.
[[nodiscard]] Roster to_roster(const CoverageModel& model, const RosterResult& roster);

/// One CSV row per assignment, vocabulary columns: agent,template,start,end,breaks (start and end
/// as grid timestamps; breaks per window "offset:1", offsets in intervals from the shift start,
/// joined by '|', as in schedule_to_csv). \throws InvalidArgument if the grid does not fit the model.
[[nodiscard]] std::string roster_to_csv(const CoverageModel& model, const RosterResult& roster,
                                        const IntervalGrid& grid);

}  // namespace wfm::schedule
