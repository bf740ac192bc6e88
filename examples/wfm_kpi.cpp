// wfm-kpi: measured KPIs per interval from a contact log (wfm::kpi), streamed; adherence,
// conformance and measured shrinkage from agent schedules and states.
//
//   wfm-kpi --contacts examples/data/kpi_contacts.csv --agents examples/data/kpi_agents.csv
//           --target-time 20 --output kpi.csv --summary kpi.json
//   wfm-kpi --schedule examples/data/kpi_schedule.csv --states examples/data/kpi_states.csv
//           --adherence adherence.csv --adherence-agents agents.csv --exceptions exceptions.csv
//           --shrinkage-by-state shrinkage.csv --summary kpi.json
//
// Contact log columns (see include/wfm/kpi/io.hpp): arrival, outcome (answered|abandoned),
// wait_s, and optionally talk_s, hold_s, acw_s, customer, transferred, csat, queue. Output: one
// row per interval keyed by timestamp, columns named by the vocabulary (volume, aht_s, asa_s,
// service_level_<definition>_<t>s, abandon_rate, patience_s, occupancy, ...): ready for
// wfm-forecast (volume, aht_s), wfm-staff (patience_s) and wfm-simulate. The summary (JSON): the
// whole log's KPIs, the patience estimate (exponential MLE and Kaplan-Meier) and the
// handle-time lognormal fit with its Kolmogorov-Smirnov statistic. --patience-survival FILE: the
// Kaplan-Meier curve of patience (wait_s,patience_survival,at_risk,abandoned), which
// wfm-staff --model general_patience --patience-distribution estimated reads as it is.
// Agent schedule (agent,start,end,activity) and state log (timestamp,agent,state), see
// include/wfm/kpi/io.hpp and adherence.hpp: adherence and conformance per interval
// (--adherence; without --contacts it defaults to --output), per agent, per day, the exceptions
// and the measured shrinkage by state; with --contacts and no --agents, the work-state time of
// the state log is the occupancy base (staffed_s).
// Plan versus actual (include/wfm/kpi/plan_vs_actual.hpp): --plan staffing.csv (or wfm-plan's
// output folder) with --contacts writes per plan interval the planned and measured volume, AHT,
// agents and service level (the first --definition at the first --target-time), the forecast
// error and the SL gap to --plan-vs-actual (default plan_vs_actual.csv); WAPE and the
// volume-weighted service levels go to standard error and the summary.
// Exit codes (wfm::exit_code): 0 done, 1 an output could not be written, 2 bad input or flags
// (the message names the file, line and column). Outputs are written all together or not at
// all (wfm/core/output.hpp).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <wfm/core/error.hpp>
#include <wfm/core/output.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/calendar.hpp>
#include <wfm/core/status.hpp>
#include <wfm/kpi/kpi.hpp>

#include "cli_common.hpp"

namespace k = wfm::kpi;

namespace {

// JSON has no infinity: +inf (patience without abandons) is written as null.
nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json summary_json(const k::ContactKpis& r) {
  const k::IntervalKpis& o = r.overall;
  nlohmann::json overall = {
      {"volume", o.volume}, {"answered", o.answered}, {"abandoned", o.abandoned},
      {"short_abandoned", o.short_abandoned}, {"abandon_rate", o.abandon_rate},
      {"abandon_rate_net", o.abandon_rate_net}, {"aht_s", o.aht_s}, {"asa_s", o.asa_s},
      {"asa_all_s", o.asa_all_s}, {"transfer_rate", o.transfer_rate}, {"fcr_rate", o.fcr_rate},
      {"fcr_count", o.fcr_count}, {"csat_mean", o.csat_mean}, {"csat_count", o.csat_count},
      {"patience_s", num(o.patience_s)}, {"busy_s", o.busy_s}};
  if (r.has_occupancy) {
    overall["staffed_s"] = o.staffed_s;
    overall["occupancy"] = o.occupancy;
  }
  for (std::size_t i = 0; i < r.service_levels.size(); ++i)
    overall[k::service_level_column(r.service_levels[i])] = o.service_level[i];
  const k::KaplanMeier& km = r.patience.kaplan_meier;
  const k::LognormalFit& f = r.handle_time;
  return {{"rows", r.rows},
          {"interval_length_s", r.interval_length_s},
          {"overall", overall},
          {"patience", {{"patience_s", num(r.patience.patience_s)},
                        {"status", wfm::to_string(r.patience.status)},
                        {"message", r.patience.message},
                        {"abandoned", r.patience.abandoned},
                        {"censored", r.patience.censored},
                        {"kaplan_meier_median_s", num(km.median_s)},
                        {"kaplan_meier_restricted_mean_s", km.restricted_mean_s},
                        {"kaplan_meier_largest_wait_s", km.largest_wait_s}}},
          {"handle_time", {{"distribution", "lognormal"},
                           {"status", wfm::to_string(f.status)},
                           {"message", f.message},
                           {"aht_s", f.sample_mean_s},
                           {"mean_s", f.mean_s},
                           {"cv", f.cv},
                           {"mu", f.mu},
                           {"sigma", f.sigma},
                           {"count", f.count},
                           {"zero_count", f.zero_count},
                           {"ks_statistic", f.ks_statistic},
                           {"ks_p_value", f.ks_p_value},
                           {"ks_sample", f.ks_sample}}}};
}

// The Kaplan-Meier curve of patience, one row per wait with abandons (waits on the whole-second
// grid of the streaming summaries: wfm/kpi/survival.hpp); shortest round-trip numbers.
std::string survival_csv(const k::KaplanMeier& km) {
  std::string csv = "wait_s,patience_survival,at_risk,abandoned\n";
  for (std::size_t j = 0; j < km.time.size(); ++j)
    csv += fmt::format("{},{},{},{}\n", km.time[j], km.survival[j], km.at_risk[j], km.events[j]);
  return csv;
}

nlohmann::json adherence_row_json(const k::AdherenceRow& r) {
  return {{"scheduled_s", r.scheduled_s}, {"adherent_s", r.adherent_s},
          {"work_scheduled_s", r.work_scheduled_s}, {"worked_s", r.worked_s},
          {"adherence", r.adherence}, {"conformance", r.conformance}};
}

nlohmann::json adherence_json(const k::AdherenceResult& r) {
  nlohmann::json days = nlohmann::json::array(), by_state = nlohmann::json::array();
  for (const auto& d : r.days) {
    nlohmann::json j = adherence_row_json(d);
    j["timestamp"] = wfm::format_timestamp(d.timestamp);
    days.push_back(j);
  }
  for (const auto& c : r.shrinkage_by_state)
    by_state.push_back(
        {{"state", c.state}, {"time_in_state_s", c.seconds}, {"shrinkage", c.shrinkage}});
  return {{"overall", adherence_row_json(r.overall)}, {"days", days},
          {"shrinkage", r.shrinkage}, {"shrinkage_by_state", by_state},
          {"exceptions", r.exceptions.size()}, {"unknown_agents", r.unknown_agents}};
}

// What was asked for on the command line.
struct Request {
  std::string contacts, agents, output = "-", summary, queue, schedule, states;
  std::string adherence, adherence_agents, adherence_days, exceptions, shrinkage;
  std::string plan, plan_vs_actual = "plan_vs_actual.csv", patience_survival;
  k::ContactKpiOptions opt;
  k::AdherenceOptions adh;
  std::vector<std::string> definitions;
  std::vector<double> targets;
};

// Everything computed, as the files to write. \throws InvalidArgument on bad input.
struct Computed {
  wfm::OutputSet outputs;
  std::string report;  // the summary line(s) for standard error
};

// Flags that cannot go together (CLI11 checks the single ones). \throws InvalidArgument.
void check_combination(Request& q) {
  if (q.schedule.empty() != q.states.empty())
    wfm::detail::throw_invalid("--schedule/--states", "adherence needs both files");
  if (q.contacts.empty() && q.schedule.empty())
    wfm::detail::throw_invalid("wfm-kpi", "give --contacts, or --schedule with --states");
  const bool adherence_output = !q.adherence.empty() || !q.adherence_agents.empty() ||
                                !q.adherence_days.empty() || !q.exceptions.empty() ||
                                !q.shrinkage.empty();
  if (adherence_output && q.schedule.empty())
    wfm::detail::throw_invalid("--adherence*/--exceptions/--shrinkage-by-state",
                               "adherence outputs need --schedule and --states");
  if (!q.patience_survival.empty() && q.contacts.empty())
    wfm::detail::throw_invalid("--patience-survival", "the patience curve needs --contacts");
  if (!q.plan.empty() && q.contacts.empty())
    wfm::detail::throw_invalid("--plan", "plan versus actual needs --contacts");
  if (q.contacts.empty() && q.adherence.empty()) q.adherence = q.output;
}

// Plan versus actual of the measured KPIs: the CSV and the summary's "plan_vs_actual".
void compare_with_plan(const Request& q, const k::ContactKpis& result, nlohmann::json& summary,
                       Computed& out) {
  const k::ServiceLevelKey key{q.opt.definitions.front(), q.opt.target_times_s.front()};
  const k::PlanVsActual r = k::plan_vs_actual(k::read_plan(q.plan),
                                              k::measured_intervals(result, key));
  out.outputs.add(q.plan_vs_actual, k::to_csv(r));
  summary["plan_vs_actual"] = {{"service_level_series", k::service_level_column(key)},
                               {"intervals", r.timestamp.size()},
                               {"wape", num(r.wape)},
                               {"volume", r.total_volume},
                               {"planned_volume", r.total_planned_volume},
                               {"service_level", r.overall_service_level},
                               {"planned_service_level", r.overall_planned_service_level},
                               {"service_level_gap", r.overall_service_level_gap},
                               {"unplanned_volume", r.unplanned_volume}};
  out.report += fmt::format("wfm-kpi: plan versus actual over {} intervals: volume {:g} vs {:g} "
                            "planned, WAPE {:.3f}, SL {:.3f} vs {:.3f} planned (gap {:+.3f}), "
                            "{:g} contacts outside the plan\n",
                            r.timestamp.size(), r.total_volume, r.total_planned_volume, r.wape,
                            r.overall_service_level, r.overall_planned_service_level,
                            r.overall_service_level_gap, r.unplanned_volume);
}


void compute(Request& q, Computed& out) {
  check_combination(q);
  if (!q.targets.empty()) q.opt.target_times_s = q.targets;
  if (!q.definitions.empty()) {
    q.opt.definitions.clear();
    for (const auto& d : q.definitions)
      q.opt.definitions.push_back(wfm::queueing::parse_service_level_definition(d, "--definition"));
  }
  nlohmann::json summary;
  std::optional<k::AdherenceResult> adh;
  if (!q.schedule.empty()) {
    q.adh.interval_length_s = q.opt.interval_length_s;
    adh = k::read_adherence(q.schedule, q.states, q.adh);
    const k::AdherenceRow& o = adh->overall;
    out.report += fmt::format("wfm-kpi: {} agents, adherence {:.3f}, conformance {:.3f}, "
                              "measured shrinkage {:.3f}, {} exceptions\n",
                              adh->agents.size(), o.adherence, o.conformance, adh->shrinkage,
                              adh->exceptions.size());
    if (!adh->unknown_agents.empty())
      out.report += fmt::format("wfm-kpi: {} agent(s) in the state log have no schedule, e.g. "
                                "'{}' (their time is unscheduled)\n",
                                adh->unknown_agents.size(), adh->unknown_agents.front());
    summary["adherence"] = adherence_json(*adh);
    const auto add = [&](const std::string& path, std::string text) {
      if (!path.empty()) out.outputs.add(path, std::move(text));
    };
    add(q.adherence, k::adherence_to_csv(adh->intervals, q.adh.interval_length_s));
    add(q.adherence_agents, k::agent_adherence_to_csv(*adh));
    add(q.adherence_days, k::adherence_to_csv(adh->days, wfm::seconds_per_day));
    add(q.exceptions, k::exceptions_to_csv(*adh));
    add(q.shrinkage, k::shrinkage_to_csv(*adh));
  }
  if (!q.contacts.empty()) {
    k::ContactKpiAccumulator acc(q.opt);
    k::read_contact_log(q.contacts, acc, {.queue = q.queue});
    if (!q.agents.empty()) {
      k::read_staffing(q.agents, acc, q.opt.interval_length_s);
    } else if (adh) {  // the state log's work-state time is the staffed time
      const auto len = static_cast<double>(q.opt.interval_length_s);
      for (const k::AdherenceRow& r : adh->intervals)
        acc.add_staffed_time(r.timestamp, len, r.worked_s / len);
    }
    const k::ContactKpis result = acc.finish();
    const nlohmann::json contacts_json = summary_json(result);  // (not a temporary: items())
    for (const auto& [key, value] : contacts_json.items()) summary[key] = value;
    out.outputs.add(q.output, k::to_csv(result));
    if (!q.patience_survival.empty())
      out.outputs.add(q.patience_survival, survival_csv(result.patience.kaplan_meier));
    out.report = fmt::format("wfm-kpi: {} contacts, {} intervals; offered {:g}, SL {:.3f}, ASA "
                             "{:.1f} s, AHT {:.1f} s, abandon rate {:.3f}, patience {:.1f} s\n",
                             result.rows, result.intervals.size(), result.overall.volume,
                             result.overall.service_level.at(0), result.overall.asa_s,
                             result.overall.aht_s, result.overall.abandon_rate,
                             result.patience.patience_s) + out.report;
    if (!q.plan.empty()) compare_with_plan(q, result, summary, out);
  }
  if (!q.summary.empty()) out.outputs.add(q.summary, summary.dump(2) + "\n");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wfm-kpi: KPIs per interval from a contact log (CSV, streamed): volume, "
               "answered, abandoned, abandon rates, aht_s, asa_s, service levels under each "
               "definition, transfer and FCR rates, CSAT, patience_s (censored-wait MLE) and, "
               "with --agents (or --states), occupancy; adherence, conformance, exceptions and "
               "measured shrinkage from --schedule and --states. Exit codes: 0 ok, 1 output not "
               "written, 2 bad input (nothing is written)."};
  Request q;
  app.add_option("--contacts", q.contacts,
                 "contact log CSV: arrival,outcome,wait_s[,talk_s,hold_s,acw_s,customer,"
                 "transferred,csat,queue]");
  app.add_option("--agents", q.agents,
                 "staffing CSV timestamp,agents (agents on the phones per interval): gives "
                 "occupancy");
  app.add_option("-o,--output", q.output,
                 "interval KPIs CSV of --contacts ('-' = standard output); without --contacts "
                 "the interval adherence goes here unless --adherence is given")
      ->capture_default_str();
  app.add_option("--summary", q.summary,
                 "whole-log KPIs, patience, handle-time fit and adherence (JSON)");
  app.add_option("--patience-survival", q.patience_survival,
                 "Kaplan-Meier curve of patience from --contacts (CSV wait_s,patience_survival,"
                 "at_risk,abandoned): wfm-staff --patience-distribution estimated reads it");
  app.add_option("--interval-length", q.opt.interval_length_s, "interval length [s]")
      ->capture_default_str();
  app.add_option("--short-abandon", q.opt.short_abandon_s,
                 "abandons with a wait below this [s] are short abandons")->capture_default_str();
  app.add_option("--target-time", q.targets, "service-level target time(s) [s]; default 20");
  app.add_option("--definition", q.definitions,
                 "service-level definition(s): answered_within | wait_within | "
                 "virtual_wait_within | answered_given_answered; default: all four");
  app.add_option("--fcr-window-days", q.opt.fcr_window_days,
                 "first-contact resolution: no repeat contact within this many days")
      ->capture_default_str();
  app.add_option("--queue", q.queue, "count only rows whose 'queue' column equals this");
  app.add_option("--schedule", q.schedule,
                 "agent schedule CSV: agent,start,end,activity (shift/work rows with nested "
                 "break, meeting, ... rows)");
  app.add_option("--states", q.states, "agent state log CSV: timestamp,agent,state");
  app.add_option("--grace", q.adh.grace_s,
                 "adherence: seconds after each change of scheduled activity counted adherent")
      ->capture_default_str();
  app.add_option("--max-state", q.adh.max_state_s,
                 "a state row lasts at most this [s]; beyond, the state is 'missing'")
      ->capture_default_str();
  app.add_option("--adherence", q.adherence, "adherence and conformance per interval (CSV)");
  app.add_option("--adherence-agents", q.adherence_agents, "adherence per agent (CSV)");
  app.add_option("--adherence-days", q.adherence_days, "adherence per day (CSV)");
  app.add_option("--exceptions", q.exceptions,
                 "adherence exceptions: agent,start,end,activity,state (CSV)");
  app.add_option("--shrinkage-by-state", q.shrinkage,
                 "measured shrinkage by state: state,time_in_state_s,shrinkage (CSV)");
  app.add_option("--plan", q.plan,
                 "plan CSV (wfm-plan's staffing.csv: timestamp,volume,service_level[,aht_s,"
                 "agents_required,agents]) or wfm-plan's output folder: plan versus actual");
  app.add_option("--plan-vs-actual", q.plan_vs_actual,
                 "plan versus actual per plan interval (CSV), with --plan")
      ->capture_default_str();
  return wfm::cli::run("wfm-kpi", app, argc, argv, [&] {
    Computed out;
    try {
      compute(q, out);
    } catch (const wfm::OutputError& e) {  // the same path given twice: a bad flag, not an I/O error
      throw wfm::InvalidArgument(e.what());
    }
    out.outputs.commit();
    std::cerr << out.report;
    return wfm::exit_code::ok;
  });
}
