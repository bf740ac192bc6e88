#pragma once
/// \file
/// wfm's one vocabulary: every quantity a user meets has one name, used alike by the C++ result
/// structs, the pandas columns, the CSV headers and (with '-' for '_' and without the unit
/// suffix) the command-line flags. One step's output is the next step's input as it is:
/// forecast -> staff -> schedule -> simulate -> report.
///
/// Units go in the name only where they are ambiguous: `_s` marks seconds. Fractions are
/// fractions in [0, 1] everywhere (never percent). Volumes are contacts per interval and travel
/// with `interval_length_s`.
///
/// The table is data so that tests can check every program's CSV header and every DataFrame the
/// Python layer returns against it (HiGHS keeps its options the same way: one table, many faces).

#include <array>
#include <optional>
#include <string_view>

namespace wfm {

/// One entry of the vocabulary.
struct Quantity {
  std::string_view name;     ///< column, CSV header and result-struct field
  std::string_view flag;     ///< command-line flag ("" when the quantity is never a flag)
  std::string_view unit;     ///< "s", "fraction", "contacts per interval", "agents", ...
  std::string_view meaning;  ///< one line
};

/// The table. Bounds of an interval estimate are `<name>_lower` / `<name>_upper` (prediction
/// intervals of forecasts at `level`; 95 % confidence intervals of simulated means).
inline constexpr std::array vocabulary{
    // --- the interval grid
    Quantity{"timestamp", "", "ISO 8601 local time, with UTC offset when zone-aware",
             "start of the interval; rows are aligned by it, never by row order"},
    Quantity{"interval_length_s", "--interval-length", "s", "length of every interval of the grid"},
    Quantity{"time_zone", "--time-zone", "IANA name", "zone of the local times (e.g. Europe/Berlin)"},
    // --- demand
    Quantity{"queue", "--queue", "name",
             "queue (skill x site x language x channel) a row belongs to; keys many-queue frames"},
    Quantity{"channel", "", "name", "channel of a queue: phone, chat or email (plan's queues)"},
    Quantity{"volume", "", "contacts per interval", "offered contacts (history, forecast)"},
    Quantity{"level", "--level", "fraction", "coverage of a prediction interval, e.g. 0.8"},
    Quantity{"aht_s", "", "s", "average handle time: talk + hold + after-contact work"},
    Quantity{"patience_s", "--patience", "s", "mean patience of a waiting customer (inf: none)"},
    // --- goals
    Quantity{"service_level", "--service-level", "fraction",
             "share of contacts answered within target_time_s (definition: see `definition`)"},
    Quantity{"target_time_s", "--target-time", "s", "the t of 'service_level within t'"},
    Quantity{"definition", "--definition", "name",
             "service-level definition: answered_within, wait_within, virtual_wait_within, "
             "answered_given_answered"},
    Quantity{"max_asa_s", "--max-asa", "s", "goal: average speed of answer at most this"},
    Quantity{"max_abandon_rate", "--max-abandon-rate", "fraction", "goal: abandon_rate at most this"},
    Quantity{"max_occupancy", "--max-occupancy", "fraction", "goal: occupancy at most this"},
    Quantity{"shrinkage", "--shrinkage", "fraction", "share of paid time not available for contacts"},
    // --- omnichannel models (wfm::queueing: chat, Erlang X)
    Quantity{"model", "--model", "name",
             "queueing model: erlang_c, erlang_a, chat, erlang_x, general_patience, blending"},
    Quantity{"patience_distribution", "--patience-distribution", "name",
             "general_patience: law of patience (exponential, deterministic, lognormal, weibull, "
             "gamma, piecewise_hazard, estimated)"},
    Quantity{"patience_shape", "--patience-shape", "ratio",
             "general_patience: lognormal coefficient of variation, or Weibull or gamma shape k"},
    Quantity{"patience_hazard", "--patience-hazard", "1/s",
             "general_patience: hazard rate of patience from wait_s on (piecewise constant; the "
             "flag names a CSV wait_s,patience_hazard)"},
    Quantity{"patience_survival", "--patience-survival", "fraction",
             "P(patience > wait_s), e.g. Kaplan-Meier (the flag names a CSV wait_s,"
             "patience_survival: wfm-kpi writes it, wfm-staff reads it)"},
    Quantity{"at_risk", "", "contacts",
             "Kaplan-Meier: contacts still waiting at wait_s (answered or abandoned at or after it)"},
    Quantity{"handle_time_factors", "--handle-time-factors", "ratio",
             "chat: h_j / h_1, handle time at concurrency j = 1..m over aht_s (h_1)"},
    Quantity{"lines", "--lines", "count", "Erlang X: trunk lines; an attempt finding all busy is blocked"},
    Quantity{"redial_probability", "--redial-probability", "fraction",
             "Erlang X: chance that a blocked or abandoned attempt is redialled"},
    Quantity{"redial_delay_s", "--redial-delay", "s",
             "Erlang X (simulated; exact retrial chain): mean time from a busy signal or abandonment to "
             "the redial"},
    Quantity{"reserve", "--reserve", "agents",
             "blending: idle agents kept for inbound; a free agent takes outbound work only "
             "if at least this many others stay idle"},
    Quantity{"outbound_aht_s", "--outbound-aht", "s",
             "blending: mean handle time of an outbound or back-office job"},
    Quantity{"outbound_throughput", "", "1/s", "blending: outbound jobs completed per second"},
    // --- deferrable work (wfm::queueing backlog model: email, back office)
    Quantity{"deadline_s", "--deadline", "s",
             "email/back office: an item is on time if done within this of arriving"},
    Quantity{"handled", "", "contacts per interval",
             "email/back office: items done in the interval"},
    Quantity{"backlog", "", "contacts",
             "email/back office: items waiting at the end of the interval"},
    Quantity{"oldest_age_s", "", "s",
             "email/back office: age of the oldest waiting item at the end of the interval"},
    Quantity{"within_deadline", "", "fraction",
             "email/back office: share of the interval's items done within deadline_s"},
    Quantity{"within_deadline_total", "", "fraction",
             "email/back office: within_deadline over the whole horizon"},
    Quantity{"day_within_deadline", "", "fraction",
             "email/back office: within_deadline of each day's arrivals (per-day share goal)"},
    Quantity{"carried_over", "", "contacts",
             "email/back office: items still waiting at the end of the horizon"},
    Quantity{"pending", "", "contacts",
             "email/back office: of carried_over, items whose deadline is after the horizon"},
    Quantity{"cumulative_agent_time_s", "", "s",
             "email/back office: least agent time worked from the start to the end of the interval"},
    // --- staffing and coverage
    Quantity{"agents_required", "", "agents",
             "agents needed on the phones to meet the goal (net requirement)"},
    Quantity{"agents_required_gross", "", "agents",
             "agents_required / (1 - shrinkage): agents to schedule (gross requirement)"},
    Quantity{"agents", "--agents", "agents",
             "agents on the phones: a schedule's coverage net of breaks; the simulator's staffing"},
    Quantity{"under", "", "agents", "max(0, agents_required - agents): under-cover"},
    Quantity{"over", "", "agents", "max(0, agents - agents_required): over-cover"},
    // --- outcomes (analytic or simulated)
    Quantity{"asa_s", "", "s", "average speed of answer (mean wait over all offered contacts)"},
    Quantity{"asa_answered_s", "", "s", "mean wait of the answered contacts"},
    Quantity{"abandon_rate", "", "fraction", "share of offered contacts that abandon"},
    Quantity{"wait_probability", "", "fraction", "share of contacts that find no free agent (or slot)"},
    Quantity{"queue_length", "", "contacts", "mean number of contacts waiting"},
    Quantity{"mean_concurrency", "", "contacts", "chat: mean chats held by an agent holding any"},
    Quantity{"blocking_rate", "", "fraction", "Erlang X: share of attempts that find all lines busy"},
    Quantity{"lost_rate", "", "fraction",
             "Erlang X: share of fresh customers finally lost (blocked or abandoned, no redial)"},
    Quantity{"effective_arrival_rate", "", "1/s", "Erlang X: attempts per second, redials included"},
    Quantity{"customer_service_level", "", "fraction",
             "Erlang X: service_level of a fresh customer's first attempt"},
    Quantity{"mean_orbit", "", "customers",
             "Erlang X exact retrial chain: mean customers waiting to redial"},
    Quantity{"truncated_mass", "", "fraction",
             "Erlang X exact retrial chain: probability at the orbit bound (the truncation's error bound)"},
    Quantity{"occupancy", "", "fraction", "share of on-phone agent time spent handling contacts"},
    Quantity{"answered", "", "contacts per interval", "contacts answered"},
    Quantity{"abandoned", "", "contacts per interval", "contacts that abandoned"},
    Quantity{"unserved", "", "contacts per interval",
             "contacts still waiting at the end of a simulation with no agent coming back"},
    Quantity{"offered_load", "", "Erlangs",
             "time-varying: infinite-server offered load m(t), mean over the interval"},
    Quantity{"offered_load_end", "", "Erlangs", "time-varying: m(t) at the end of the interval"},
    Quantity{"method", "--method", "name", "time-varying staffing: sipp, lagged_sipp or mol"},
    Quantity{"staffing_arrival_rate", "", "1/s",
             "time-varying: the arrival rate the stationary model staffed the interval for"},
    // --- schedules
    Quantity{"template", "", "name", "shift template"},
    Quantity{"start", "", "ISO 8601 local time", "start of a shift or break"},
    Quantity{"end", "", "ISO 8601 local time", "end of a shift or break"},
    Quantity{"breaks", "", "text",
             "break placements of a shift: per break window 'offset:agents;...' (offset in "
             "intervals from the shift start), windows joined by '|'"},
    Quantity{"cost", "", "currency", "cost of a schedule or plan"},
    Quantity{"paid_hours", "", "h", "paid hours of a schedule"},
    Quantity{"lower_bound", "", "currency", "proven lower bound on the cost"},
    Quantity{"gap", "", "fraction", "(cost - lower_bound) / cost"},
    Quantity{"coverage_model", "", "JSON text",
             "a scheduling problem as wfm.schedule.parse_model_json reads it (one per queue)"},
    Quantity{"schedule", "", "JSON text", "a solved schedule as wfm.schedule.schedule_to_json writes it"},
    Quantity{"headcount", "", "agents (FTE in capacity plans)",
             "people employed: weekly lines or shifts of a plan; staff at the end of a capacity week"},
    Quantity{"line", "", "number", "weekly line of work (tour) an agent follows, from 0"},
    // --- rosters for named agents (wfm::schedule::make_roster)
    Quantity{"day", "", "index", "day of a roster's horizon, 0 = the first (blocks of 86,400 s)"},
    Quantity{"coverage_lost_s", "", "s",
             "agent time on the phones of the shifts a roster leaves unassigned"},
    Quantity{"preferences_granted", "", "count",
             "agents' preferences a roster grants (start windows per shift, days off wished)"},
    // --- forecast accuracy (rolling-origin backtests)
    Quantity{"wape", "", "fraction", "sum |actual - forecast| / sum actual over the test intervals"},
    Quantity{"daily_wape", "", "fraction", "wape of the daily totals"},
    Quantity{"mase", "", "ratio", "mean absolute error / that of the seasonal naive forecast"},
    Quantity{"coverage", "", "fraction", "share of actuals inside the prediction interval at level"},
    Quantity{"width", "", "contacts per interval", "mean width of the prediction interval"},
    Quantity{"special_wape", "", "fraction",
             "wape over the intervals of special (calendar) days of a backtest (issue 16)"},
    Quantity{"ordinary_wape", "", "fraction", "wape over the intervals of ordinary days of a backtest"},
    Quantity{"points", "", "count", "test intervals scored"},
    Quantity{"origins", "", "count", "forecast origins of a backtest"},
    Quantity{"chosen", "", "bool", "the method automatic selection picked"},
    Quantity{"fit_time_s", "", "s", "wall-clock time of a fit"},
    // --- forecast layer: events and overrides (issue 16; wfm/forecast/overrides.hpp)
    Quantity{"base_volume", "", "contacts per day",
             "explanation: mean regular (non-special) model day total of the day's Mon-Sun week"},
    Quantity{"weekday_effect", "", "ratio", "explanation: regular day total / base_volume"},
    Quantity{"day_of_month_effect", "", "ratio",
             "explanation: day-of-month factor (1 when contained in weekday_effect)"},
    Quantity{"special_effect", "", "ratio", "explanation: special-day or neighbour-day ratio (1: ordinary)"},
    Quantity{"special_source", "", "name",
             "explanation: where special_effect comes from: none, name, kind, neighbour, closed"},
    Quantity{"special_name", "", "text", "explanation: calendar name or neighbour pseudo-kind"},
    Quantity{"special_kind", "", "name", "explanation: kind of the special day (see kind)"},
    Quantity{"occurrences", "", "count", "explanation: past occurrences behind special_effect"},
    Quantity{"evidence_weight", "", "fraction",
             "explanation: n / (n + k), weight of the own mean against its parent (shrinkage)"},
    Quantity{"model_day_volume", "", "contacts per day",
             "the model's day total (base x effects), before events and overrides"},
    Quantity{"profile_source", "", "text", "explanation: intraday profile used (regular, name <n>, kind <k>)"},
    Quantity{"profile_weight", "", "fraction", "explanation: weight of the special-day shape vs the regular one"},
    // AHT components of an explanation day (issue 16 item 5; wfm/forecast/handle_time.hpp):
    // aht_level_s x aht_trend_effect x aht_weekday_effect x aht_special_effect x
    // aht_profile_effect = aht_day_s. The AHT band is aht_s_lower / aht_s_upper.
    Quantity{"aht_level_s", "", "s", "explanation: AHT level (weekday-adjusted) at the end of the history"},
    Quantity{"aht_trend_effect", "", "ratio", "explanation: damped AHT trend from the history's end to the day"},
    Quantity{"aht_weekday_effect", "", "ratio", "explanation: the weekday's AHT ratio"},
    Quantity{"aht_special_effect", "", "ratio", "explanation: special-day AHT ratio (1: ordinary, 0: closed)"},
    Quantity{"aht_special_source", "", "name",
             "explanation: where aht_special_effect comes from: none, name, kind, closed"},
    Quantity{"aht_occurrences", "", "count", "explanation: past days with AHT behind aht_special_effect"},
    Quantity{"aht_evidence_weight", "", "fraction", "explanation: n / (n + k) of aht_special_effect"},
    Quantity{"aht_profile_effect", "", "ratio",
             "explanation: volume-weighted mean of the intraday AHT shape over the day"},
    Quantity{"aht_day_s", "", "s", "explanation: the model's volume-weighted AHT of the day"},
    Quantity{"model_volume", "", "contacts per interval",
             "the statistical forecast before events and overrides (volume is after them)"},
    Quantity{"day_volume", "", "contacts per day", "volume summed over a day (after the layer)"},
    Quantity{"event", "", "text", "the events whose uplift applied (name, reason, author)"},
    Quantity{"event_factor", "", "ratio",
             "events file: expected uplift as a fraction (0.15 = 15 % more); in results the "
             "multiplier 1 + uplift applied (1: none)"},
    Quantity{"override", "", "text", "the manager's override that applied (value, reason, author)"},
    Quantity{"override_factor", "", "ratio",
             "overrides file: change as a fraction (-0.1 = 10 % lower); in explanations the "
             "multiplier day_volume / (day total after events)"},
    Quantity{"override_day_volume", "", "contacts per day",
             "override: absolute day total, spread by the intraday profile"},
    Quantity{"override_volume", "", "contacts per interval", "override: absolute interval volume"},
    Quantity{"from", "", "YYYY-MM-DD", "first local date an event or override covers"},
    Quantity{"to", "", "YYYY-MM-DD", "last local date (inclusive) an event or override covers"},
    Quantity{"time_from", "", "HH:MM", "first local time of day covered (interval starts >= it)"},
    Quantity{"time_to", "", "HH:MM", "end of the local times covered (interval starts < it)"},
    Quantity{"reason", "", "text", "why an override or event was entered"},
    Quantity{"author", "", "text", "who entered an override or event"},
    Quantity{"date", "", "YYYY-MM-DD", "a local calendar date (special days, explanations)"},
    Quantity{"name", "", "text", "name of a special day or event"},
    Quantity{"kind", "", "name",
             "special-day kind: closed, holiday, eve, intermediate, bridge or user:<name>"},

    // --- capacity planning (weeks ahead; one row per week; 1 FTE = fte_week_s of paid time)
    Quantity{"week", "", "index", "week of a capacity plan, 0 = the plan's first week"},
    Quantity{"fte_week_s", "--fte-week", "s", "paid time of one full-time equivalent per week"},
    Quantity{"agent_time_s", "", "s", "on-phone agent time required in the week at the goal"},
    Quantity{"fte_productive_required", "", "FTE", "agent_time_s / fte_week_s"},
    Quantity{"scheduling_efficiency", "--scheduling-efficiency", "factor >= 1",
             "paid hours of a schedule / required hours"},
    Quantity{"shrinkage_breaks", "--shrinkage-breaks", "fraction", "share of paid time: breaks"},
    Quantity{"shrinkage_meetings", "--shrinkage-meetings", "fraction",
             "share of paid time: meetings and coaching"},
    Quantity{"shrinkage_training", "--shrinkage-training", "fraction",
             "share of paid time: training of staff already productive"},
    Quantity{"shrinkage_absence", "--shrinkage-absence", "fraction",
             "share of paid time: sickness and unplanned absence"},
    Quantity{"shrinkage_holidays", "--shrinkage-holidays", "fraction",
             "share of paid time: holidays and vacation (when not given as planned leave)"},
    Quantity{"fte_required", "", "FTE", "paid FTE required: productive * efficiency / (1 - shrinkage)"},
    Quantity{"fte_available", "", "FTE", "productive FTE of the staff: present * productivity * not on leave"},
    Quantity{"fte_paid", "", "FTE", "FTE present and paid in the week (trainees included)"},
    Quantity{"fte_gap", "", "FTE", "fte_required - (fte_available + overtime + temps); > 0 short"},
    Quantity{"gap_tolerance", "--gap-tolerance", "fraction", "fte_gap at most this share of fte_required"},
    Quantity{"headcount_training", "", "FTE", "staff present and in training"},
    Quantity{"headcount_ramp", "", "FTE", "staff present and ramping up to full productivity"},
    Quantity{"headcount_tenured", "", "FTE", "staff present at full productivity"},
    Quantity{"tenure_weeks", "", "weeks", "weeks since a cohort started"},
    Quantity{"hires", "", "FTE", "new staff starting in the week"},
    Quantity{"leavers", "", "FTE", "staff leaving at the end of the week (expected value)"},
    Quantity{"attrition", "--attrition", "fraction per week", "weekly attrition rate (by tenure)"},
    Quantity{"training_weeks", "--training-weeks", "weeks", "paid, unproductive weeks of a new hire"},
    Quantity{"ramp", "--ramp", "fraction", "productivity of a new hire, week by week after training"},
    Quantity{"leave", "", "fraction", "share of staff on planned leave in the week"},
    Quantity{"start_week", "", "index", "week a hiring class starts"},
    Quantity{"min_size", "", "people", "smallest size of a hiring class that runs"},
    Quantity{"max_size", "", "people", "largest size of a hiring class"},
    Quantity{"class_size", "", "people", "hires of a class in the plan (0 = cancelled)"},
    Quantity{"overtime", "", "FTE", "overtime used in the week"},
    Quantity{"max_overtime", "--max-overtime", "fraction", "overtime at most this share of fte_available"},
    Quantity{"temps", "", "FTE", "temporary staff used in the week"},
    Quantity{"max_temps", "", "FTE", "temporary staff available in the week (a column of the demand)"},
    Quantity{"salary", "--salary", "currency per FTE-week", "pay of one FTE for one week"},
    Quantity{"hire_cost", "--hire-cost", "currency per hire", "recruiting cost"},
    Quantity{"training_cost", "--training-cost", "currency per hire", "trainer and material cost"},
    Quantity{"overtime_cost", "--overtime-cost", "currency per FTE-week", "cost of overtime"},
    Quantity{"temp_cost", "--temp-cost", "currency per FTE-week", "cost of temporary staff"},
    Quantity{"understaffing_cost", "--understaffing-cost", "currency per FTE-week",
             "penalty per FTE-week short of the requirement"},
    Quantity{"scenario", "", "name", "a what-if scenario of a capacity plan"},
    Quantity{"probability", "--probability", "fraction",
             "chance goal of a capacity plan: each week planned at this quantile of its forecast volume"},
    Quantity{"volume_mean", "", "contacts per week",
             "forecast volume of a week when the plan uses a quantile of it (probability)"},
    // --- run control and outcome
    Quantity{"status", "", "name", "outcome: see wfm::Status"},
    Quantity{"message", "", "text", "why, when the status is not ok/optimal"},
    Quantity{"threads", "--threads", "count", "worker threads; 0 = all cores"},
    Quantity{"seed", "--seed", "integer", "seed of every random choice; same seed, same result"},
    Quantity{"first_replication", "", "index",
             "a simulation's first replication; replication i draws from (seed, i) in any run"},
    Quantity{"time_limit_s", "--time-limit", "s", "wall-clock limit of a search"},
    Quantity{"engine", "--engine", "name",
             "LP/MIP engine of the schedule search: clp_cbc, highs or clp_highs (HiGHS: optional build)"},
    // --- measured (wfm::kpi): contact-log columns and KPIs; definitions in wfm/kpi/contacts.hpp
    Quantity{"arrival", "", "ISO 8601 local time", "when a contact arrived (contact log)"},
    Quantity{"outcome", "", "name", "answered or abandoned (contact log)"},
    Quantity{"wait_s", "", "s", "arrival to answer, or to hang-up (contact log)"},
    Quantity{"talk_s", "", "s", "talk time of an answered contact (contact log)"},
    Quantity{"hold_s", "", "s", "hold time of an answered contact (contact log)"},
    Quantity{"acw_s", "", "s", "after-contact work of an answered contact (contact log)"},
    Quantity{"customer", "", "id", "customer id, for first-contact resolution (contact log)"},
    Quantity{"transferred", "", "flag", "the contact was transferred (contact log)"},
    Quantity{"csat", "", "score", "customer-satisfaction score of a contact (contact log)"},
    Quantity{"short_abandon_s", "--short-abandon", "s",
             "abandons with a wait below this are short abandons"},
    Quantity{"short_abandoned", "", "contacts per interval",
             "abandons with wait < short_abandon_s"},
    Quantity{"abandon_rate_net", "", "fraction",
             "(abandoned - short_abandoned) / (volume - short_abandoned)"},
    Quantity{"asa_all_s", "", "s", "average wait over all offered contacts (answered or not)"},
    Quantity{"transfer_rate", "", "fraction", "share of answered contacts transferred"},
    Quantity{"fcr_window_days", "--fcr-window-days", "days",
             "first-contact resolution: no repeat contact within this window"},
    Quantity{"fcr_rate", "", "fraction",
             "share of answered contacts without a repeat contact within fcr_window_days"},
    Quantity{"fcr_count", "", "contacts per interval", "contacts fcr_rate is measured over"},
    Quantity{"csat_mean", "", "score", "mean customer-satisfaction score"},
    Quantity{"csat_count", "", "contacts per interval", "contacts with a satisfaction score"},
    Quantity{"busy_s", "", "s", "agent time spent handling contacts in the interval"},
    Quantity{"staffed_s", "", "s",
             "agent time on the phones in the interval, or summed over a horizon (occupancy's base)"},
    // --- measured (wfm::kpi): agent schedules and states -> adherence; see wfm/kpi/adherence.hpp
    Quantity{"agent", "", "id", "agent id (roster, schedule rows, state log, adherence)"},
    Quantity{"activity", "", "name",
             "scheduled activity of an agent: shift or work (on the phones), break, meeting, ..."},
    Quantity{"state", "", "name",
             "agent state of a state log: available, on_contact, acw, break, ... (missing: none)"},
    Quantity{"grace_s", "--grace", "s",
             "adherence: time after each change of scheduled activity that counts as adherent"},
    Quantity{"max_state_s", "--max-state", "s",
             "a state-log row lasts at most this; beyond it the state is missing"},
    Quantity{"scheduled_s", "", "s", "scheduled (paid) agent time"},
    Quantity{"adherent_s", "", "s",
             "scheduled time spent in the state the scheduled activity expects (grace included)"},
    Quantity{"work_scheduled_s", "", "s", "scheduled time of work activities (shift, work)"},
    Quantity{"worked_s", "", "s", "agent time in work states (available, on_contact, acw)"},
    Quantity{"adherence", "", "fraction", "adherent_s / scheduled_s"},
    Quantity{"conformance", "", "ratio",
             "worked_s / work_scheduled_s (> 1: worked more than scheduled)"},
    Quantity{"time_in_state_s", "", "s",
             "scheduled time an agent spent in `state` (measured shrinkage by category)"},
    // --- plan versus actual (wfm.kpi.plan_vs_actual): the plan's figures beside the measured ones
    Quantity{"planned_volume", "", "contacts per interval", "the plan's forecast volume"},
    Quantity{"planned_aht_s", "", "s", "the plan's forecast aht_s"},
    Quantity{"planned_service_level", "", "fraction",
             "service_level the plan expects at its staffing (analytic)"},
    Quantity{"forecast_error", "", "contacts per interval",
             "volume - planned_volume (> 0: more contacts than forecast)"},
    Quantity{"service_level_gap", "", "fraction",
             "service_level - planned_service_level (< 0: below plan)"},
};

/// The entry named `name`, or nothing.
[[nodiscard]] constexpr std::optional<Quantity> find_quantity(std::string_view name) noexcept {
  for (const Quantity& q : vocabulary)
    if (q.name == name) return q;
  return std::nullopt;
}

namespace detail {
/// "service_level_<definition>_<t>s" (t a number, e.g. "service_level_wait_within_60s"): the
/// service level of one more definition and target time, beside the main `service_level`.
[[nodiscard]] constexpr bool is_service_level_series(std::string_view c) noexcept {
  constexpr std::string_view prefix = "service_level_";
  if (!c.starts_with(prefix) || !c.ends_with("s")) return false;
  c = c.substr(prefix.size(), c.size() - prefix.size() - 1);
  for (std::string_view d : {std::string_view{"answered_within_"}, std::string_view{"wait_within_"},
                             std::string_view{"virtual_wait_within_"},
                             std::string_view{"answered_given_answered_"}}) {
    if (!c.starts_with(d) || c.size() == d.size()) continue;
    bool number = true;
    for (char ch : c.substr(d.size())) number = number && ((ch >= '0' && ch <= '9') || ch == '.');
    if (number) return true;
  }
  return false;
}
}  // namespace detail

/// Whether `column` is in the vocabulary, directly or as `<name>_lower` / `<name>_upper`, or a
/// service-level series `service_level_<definition>_<t>s` (one per extra definition and target
/// time, e.g. from a simulation reporting several).
[[nodiscard]] constexpr bool in_vocabulary(std::string_view column) noexcept {
  if (find_quantity(column) || detail::is_service_level_series(column)) return true;
  for (std::string_view suffix : {std::string_view{"_lower"}, std::string_view{"_upper"}})
    if (column.size() > suffix.size() && column.ends_with(suffix) &&
        (find_quantity(column.substr(0, column.size() - suffix.size())) ||
         detail::is_service_level_series(column.substr(0, column.size() - suffix.size()))))
      return true;
  return false;
}

}  // namespace wfm
