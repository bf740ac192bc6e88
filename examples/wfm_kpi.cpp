// wfm-kpi: measured KPIs per interval from a contact log (wfm::kpi), streamed.
//
//   wfm-kpi --contacts examples/data/kpi_contacts.csv --agents examples/data/kpi_agents.csv
//           --target-time 20 --output kpi.csv --summary kpi.json
//
// Contact log columns (see include/wfm/kpi/io.hpp): arrival, outcome (answered|abandoned),
// wait_s, and optionally talk_s, hold_s, acw_s, customer, transferred, csat, queue. Output: one
// row per interval keyed by timestamp, columns named by the vocabulary (volume, aht_s, asa_s,
// service_level_<definition>_<t>s, abandon_rate, patience_s, occupancy, ...): ready for
// wfm-forecast (volume, aht_s), wfm-staff (patience_s) and wfm-simulate. The summary (JSON): the
// whole log's KPIs, the patience estimate (exponential MLE and Kaplan-Meier) and the
// handle-time lognormal fit with its Kolmogorov-Smirnov statistic.
// Exit codes (wfm::exit_code): 0 done, 1 an output could not be written, 2 bad input or flags
// (the message names the file, line and column; nothing is written).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <wfm/core/error.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/calendar.hpp>
#include <wfm/core/status.hpp>
#include <wfm/kpi/kpi.hpp>

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wfm-kpi: KPIs per interval from a contact log (CSV, streamed): volume, "
               "answered, abandoned, abandon rates, aht_s, asa_s, service levels under each "
               "definition, transfer and FCR rates, CSAT, patience_s (censored-wait MLE) and, "
               "with --agents, occupancy. Exit codes: 0 ok, 1 output not written, 2 bad input "
               "(nothing is written)."};
  std::string contacts, agents, output = "-", summary, queue;
  k::ContactKpiOptions opt;
  std::vector<std::string> definitions;
  std::vector<double> targets;
  app.add_option("--contacts", contacts,
                 "contact log CSV: arrival,outcome,wait_s[,talk_s,hold_s,acw_s,customer,"
                 "transferred,csat,queue]")->required();
  app.add_option("--agents", agents,
                 "staffing CSV timestamp,agents (agents on the phones per interval): gives "
                 "occupancy");
  app.add_option("-o,--output", output, "interval KPIs CSV; '-' = standard output")
      ->capture_default_str();
  app.add_option("--summary", summary, "whole-log KPIs, patience and handle-time fit (JSON)");
  app.add_option("--interval-length", opt.interval_length_s, "interval length [s]")
      ->capture_default_str();
  app.add_option("--short-abandon", opt.short_abandon_s,
                 "abandons with a wait below this [s] are short abandons")->capture_default_str();
  app.add_option("--target-time", targets, "service-level target time(s) [s]; default 20");
  app.add_option("--definition", definitions,
                 "service-level definition(s): answered_within | wait_within | "
                 "virtual_wait_within | answered_given_answered; default: all four");
  app.add_option("--fcr-window-days", opt.fcr_window_days,
                 "first-contact resolution: no repeat contact within this many days")
      ->capture_default_str();
  app.add_option("--queue", queue, "count only rows whose 'queue' column equals this");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? wfm::exit_code::ok : wfm::exit_code::bad_input;
  }
  k::ContactKpis result;
  std::string csv, json;
  try {
    if (!targets.empty()) opt.target_times_s = targets;
    if (!definitions.empty()) {
      opt.definitions.clear();
      for (const auto& d : definitions)
        opt.definitions.push_back(wfm::queueing::parse_service_level_definition(d, "--definition"));
    }
    k::ContactKpiAccumulator acc(opt);
    k::read_contact_log(contacts, acc, {.queue = queue});
    if (!agents.empty()) k::read_staffing(agents, acc, opt.interval_length_s);
    result = acc.finish();
    csv = k::to_csv(result);
    json = summary_json(result).dump(2) + "\n";
  } catch (const wfm::InvalidArgument& e) {
    std::cerr << "wfm-kpi: " << e.what() << "\n";
    return wfm::exit_code::bad_input;
  }
  try {
    wfm::write_file_atomic(output, csv);
    if (!summary.empty()) wfm::write_file_atomic(summary, json);
  } catch (const std::exception& e) {
    std::cerr << "wfm-kpi: " << e.what() << "\n";
    return wfm::exit_code::failure;
  }
  std::cerr << fmt::format("wfm-kpi: {} contacts, {} intervals; offered {:g}, SL {:.3f}, ASA "
                           "{:.1f} s, AHT {:.1f} s, abandon rate {:.3f}, patience {:.1f} s\n",
                           result.rows, result.intervals.size(), result.overall.volume,
                           result.overall.service_level.at(0), result.overall.asa_s,
                           result.overall.aht_s, result.overall.abandon_rate,
                           result.patience.patience_s);
  return wfm::exit_code::ok;
}
