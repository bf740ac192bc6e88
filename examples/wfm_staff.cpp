// wfm-staff: required agents per interval from a CSV of intervals, with any model of the
// registry (wfm/queueing/model_registry.hpp: erlang_c, erlang_a, chat, erlang_x,
// general_patience, blending) or backlog.
//
//   wfm-staff -i examples/data/sample_week.csv --service-level 0.8 --target-time 20
//             --shrinkage 0.3 --summary -o staff.csv
//
// Input columns: timestamp (YYYY-MM-DD HH:MM; the old name 'start' is read too), volume
// [contacts per interval], aht_s [s], and optionally patience_s (mean patience [s]; empty or
// "inf" = no abandonment); other columns (volume_lower, ...) are ignored, so wfm-forecast's
// output is read as it is. Output, per interval: timestamp,volume,aht_s[,patience_s],
// agents_required,agents_required_gross,service_level,asa_s,abandon_rate,occupancy,status:
// wfm-schedule's requirement as it is. --model general_patience takes a law of patience by
// name, or from a file: --patience-hazard (wait_s,patience_hazard) or --patience-survival
// (wait_s,patience_survival, e.g. wfm-kpi --patience-survival), whose mean replaces patience_s.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/core/units.hpp>
#include <wfm/queueing/backlog.hpp>
#include <wfm/queueing/model_registry.hpp>
#include <wfm/queueing/staffing.hpp>
#include <wfm/queueing/time_varying.hpp>

#include "cli_common.hpp"

namespace q = wfm::queueing;

namespace {

struct Intervals {
  wfm::IntervalGrid grid;            // the input's grid (closed intervals: no row)
  std::vector<std::size_t> interval;  // grid interval of each row
  std::vector<double> volume, aht, patience;
  bool has_patience = false;
  [[nodiscard]] std::size_t size() const { return volume.size(); }
};

Intervals read_intervals(const std::string& path, std::optional<std::int64_t> length,
                         const std::optional<wfm::TimeZone>& zone) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t c_vol = t.column("volume"), c_aht = t.column("aht_s");
  const auto c_pat = t.find_column("patience_s");
  Intervals in;
  wfm::TableOnGrid on = wfm::cli::table_grid(t, length, zone);
  in.grid = std::move(on.grid);
  in.interval = std::move(on.interval_of_row);
  in.has_patience = c_pat.has_value();
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (r > 0 && in.interval[r] <= in.interval[r - 1])
      t.fail(r, t.column(wfm::cli::timestamp_column(t)),
             "timestamps must increase from row to row");
    const double v = t.number(r, c_vol), h = t.number(r, c_aht);
    if (v < 0.0) t.fail(r, c_vol, fmt::format("volume must be >= 0 [contacts], got {}", v));
    if (h < 0.0 || (v > 0.0 && h == 0.0))
      t.fail(r, c_aht, fmt::format("aht_s must be > 0 [s] when volume > 0, got {}", h));
    double p = std::numeric_limits<double>::infinity();
    if (c_pat && !t.text(r, *c_pat).empty() && t.text(r, *c_pat) != "inf") {
      p = t.number(r, *c_pat);
      if (p <= 0.0) t.fail(r, *c_pat, fmt::format("patience_s must be > 0 [s], got {}", p));
    }
    in.volume.push_back(v);
    in.aht.push_back(h);
    in.patience.push_back(p);
  }
  return in;
}

/// The law `make` builds from a file's columns; its remaining errors (the law as a whole, e.g. a
/// mean beyond 1e12 s) are prefixed with the file's name.
template <class Make>
q::PatienceDistribution law_of_file(const std::string& path, Make make) {
  try {
    return make();
  } catch (const wfm::InvalidArgument& e) {
    throw wfm::InvalidArgument(path + ": " + e.what());
  }
}

/// --patience-hazard FILE: rows wait_s,patience_hazard, the hazard [1/s] from wait_s [s] on
/// (PatienceDistribution::piecewise_hazard: knots = wait_s of rows 2.., hazard = every row).
q::PatienceDistribution read_hazard(const std::string& path) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t c_t = t.column("wait_s"), c_h = t.column("patience_hazard");
  if (t.row_count() == 0) wfm::detail::throw_invalid(path, "holds no row of wait_s,patience_hazard");
  std::vector<double> knots, hazard;
  double prev = 0.0;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const double w = t.number(r, c_t);
    if (r == 0 && w != 0.0) t.fail(r, c_t, fmt::format("the first piece starts at 0 [s], got {}", w));
    if (r > 0 && !(w > prev))
      t.fail(r, c_t, fmt::format("wait_s must increase from row to row, got {}", w));
    prev = w;
    const bool last = r + 1 == t.row_count();
    const double h = last && t.text(r, c_h) == "inf" ? std::numeric_limits<double>::infinity()
                                                     : t.number(r, c_h);
    if (!(h >= 0.0)) t.fail(r, c_h, fmt::format("a hazard must be >= 0 [1/s], got {}", h));
    if (last && h == 0.0)
      t.fail(r, c_h, "the last hazard must be > 0 [1/s] (or inf), else the mean patience is "
                     "infinite, got 0");
    if (r > 0) knots.push_back(w);
    hazard.push_back(h);
  }
  return law_of_file(path, [&] { return q::PatienceDistribution::piecewise_hazard(knots, hazard); });
}

/// --patience-survival FILE: rows wait_s,patience_survival (other columns ignored: wfm-kpi's
/// Kaplan-Meier curve as it is), PatienceDistribution::from_survival. A row at wait_s 0 must
/// say S(0) = 1 (it is then the curve's start); a patience of 0 is no law M/M/n+G takes.
q::PatienceDistribution read_survival(const std::string& path) {
  const wfm::CsvTable t = wfm::read_csv(path);
  const std::size_t c_t = t.column("wait_s"), c_s = t.column("patience_survival");
  std::vector<double> times, survival;
  double prev_t = -1.0, prev_s = 1.0;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const double w = t.number(r, c_t), p = t.number(r, c_s);
    if (!(w > prev_t) || w < 0.0)
      t.fail(r, c_t, fmt::format("wait_s must be >= 0 [s] and increase from row to row, got {}",
                                 w));
    if (!(p >= 0.0 && p <= prev_s))
      t.fail(r, c_s, fmt::format("must be a fraction in [0, 1], at most the previous row's {}, "
                                 "got {}", prev_s, p));
    if (w == 0.0 && p != 1.0)
      t.fail(r, c_s, fmt::format("P(patience > 0) must be 1 (a patience of 0 is no law of "
                                 "M/M/n+G), got {}", p));
    prev_t = w;
    prev_s = p;
    if (w == 0.0) continue;
    times.push_back(w);
    survival.push_back(p);
  }
  if (times.empty())
    wfm::detail::throw_invalid(path, "holds no row of wait_s,patience_survival with wait_s > 0");
  return law_of_file(path, [&] { return q::PatienceDistribution::from_survival(times, survival); });
}

struct Flags {
  std::string input, output = "-", model_name, definition = "answered_within", over = "all",
                     method = "sipp",
                     time_zone;
  std::optional<double> interval_length, service_level, max_asa, max_abandon_rate, max_occupancy,
      patience;
  double target_time = 20.0, shrinkage = 0.0, tolerance = 1e-6;
  std::int64_t max_agents = 1'000'000;
  // model parameters (vocabulary: handle_time_factors, lines, redial_probability)
  std::vector<double> handle_time_factors;
  std::optional<std::int64_t> lines;
  std::optional<double> redial_probability;
  std::optional<double> redial_delay;  // erlang_x exact retrial chain (vocabulary: redial_delay_s)
  std::optional<std::string> patience_distribution;
  std::optional<double> patience_shape;
  // general_patience laws from files (vocabulary: patience_hazard, patience_survival)
  std::optional<std::string> patience_hazard, patience_survival;
  std::optional<std::int64_t> reserve;    // blending (vocabulary: reserve)
  std::optional<double> outbound_aht;     // blending (vocabulary: outbound_aht_s)
  std::optional<double> deadline;         // backlog (vocabulary: deadline_s)
  bool fractional = false, summary = false, quiet = false;
};

std::vector<std::string> model_choices() {
  const std::vector<std::string_view> names = q::model_names();
  std::vector<std::string> out(names.begin(), names.end());
  out.emplace_back("backlog");  // email and back office: not a queue model (backlog.hpp)
  return out;
}

void add_flags(CLI::App& app, Flags& f) {
  app.add_option("input,-i,--input", f.input,
                 "CSV of intervals: timestamp,volume,aht_s[,patience_s]")
      ->required();
  app.add_option("-o,--output", f.output, "output CSV; '-' = standard output")
      ->capture_default_str();
  app.add_option("--model", f.model_name,
                 "queueing model: erlang_c (no abandonment), erlang_a (needs patience), chat "
                 "(agents hold several chats; needs patience, --handle-time-factors) or erlang_x "
                 "(busy signals and redials; needs patience, --lines); default: erlang_a when "
                 "the input has patience_s or --patience is given, else erlang_c; "
                 "general_patience: M/M/n+G, see --patience-distribution; blending (see "
                 "--reserve); backlog: email and back-office work with a --deadline")
      ->check(CLI::IsMember(model_choices()));
  app.add_option("--method", f.method,
                 "time-varying staffing: sipp (each interval at its own rate), lagged_sipp "
                 "(rate one AHT earlier) or mol (modified offered load); lagged_sipp and mol "
                 "take erlang_a or erlang_c, one aht_s and patience_s, consecutive intervals")
      ->check(CLI::IsMember({"sipp", "lagged_sipp", "mol"}))
      ->capture_default_str();
  app.add_option("--handle-time-factors", f.handle_time_factors,
                 "chat: handle time at concurrency j = 1..m over aht_s (h_j / h_1, the first is "
                 "1), e.g. 1,1.4,1.8 for 300/420/540 s at aht_s 300; m = their count")
      ->delimiter(',');
  app.add_option("--lines", f.lines,
                 "erlang_x: trunk lines N >= 1 (an attempt finding all busy hears a busy signal)");
  app.add_option("--redial-probability", f.redial_probability,
                 "erlang_x: fraction in [0, 1) of blocked or abandoned attempts redialled "
                 "(default 0)");
  app.add_option("--redial-delay", f.redial_delay,
                 "erlang_x: mean time [s] from a busy signal or abandonment to the redial; "
                 "given: the exact retrial chain (small n and lines), else redials are a "
                 "Poisson stream (the fixed point)");
  app.add_option("--patience-distribution", f.patience_distribution,
                 "general_patience: law of patience with mean patience_s: exponential "
                 "(= erlang_a), deterministic, lognormal, weibull or gamma (Erlang-k) (M/M/n+G); "
                 "or a law of its own mean, which replaces patience_s: piecewise_hazard (see "
                 "--patience-hazard) or estimated (see --patience-survival)")
      ->check(CLI::IsMember({"exponential", "deterministic", "lognormal", "weibull", "gamma",
                             "piecewise_hazard", "estimated"}));
  app.add_option("--patience-shape", f.patience_shape,
                 "general_patience: lognormal coefficient of variation, or Weibull or gamma shape k");
  app.add_option("--patience-hazard", f.patience_hazard,
                 "--patience-distribution piecewise_hazard: CSV wait_s,patience_hazard: the "
                 "hazard rate [1/s] from wait_s [s] on, the first row at 0, wait_s increasing; "
                 "the last hazard > 0 or inf (nobody waits longer)");
  app.add_option("--patience-survival", f.patience_survival,
                 "--patience-distribution estimated: CSV wait_s,patience_survival: P(patience > "
                 "wait_s), e.g. the Kaplan-Meier curve of wfm-kpi --patience-survival (other "
                 "columns ignored); joined log-linearly, an exponential tail beyond the last row");
  app.add_option("--reserve", f.reserve,
                 "blending: agents kept idle for inbound (>= 0); a free agent takes outbound "
                 "work only if at least this many others stay idle; agents_required is the "
                 "least n meeting the inbound goal at this reserve");
  app.add_option("--outbound-aht", f.outbound_aht,
                 "blending: mean handle time of an outbound / back-office job [s] > 0 "
                 "(default: aht_s of the interval's inbound calls)");
  app.add_option("--deadline", f.deadline,
                 "--model backlog: an item is on time if done within this of arriving [s], a "
                 "whole number of intervals; --service-level is then the share on time (1, the "
                 "default: every item, least staffing per interval; below 1: least level)");
  app.add_option("--interval-length", f.interval_length,
                 "interval length [s], a whole number; default: the smallest spacing of the "
                 "timestamps");
  app.add_option("--time-zone", f.time_zone, "IANA zone of the timestamps; default: wall clock");
  app.add_option("--service-level", f.service_level,
                 "goal: fraction in (0, 1) answered within --target-time (default 0.8 when no "
                 "other goal is given)");
  app.add_option("--target-time", f.target_time, "target time of the service level [s]")
      ->capture_default_str();
  app.add_option("--definition", f.definition,
                 "service level definition: answered_within | wait_within | "
                 "virtual_wait_within | answered_given_answered")
      ->capture_default_str();
  app.add_option("--max-asa", f.max_asa, "goal: average speed of answer <= this [s]");
  app.add_option("--asa-over", f.over, "ASA averaged over 'all' contacts or 'answered' only")
      ->capture_default_str();
  app.add_option("--max-abandon-rate", f.max_abandon_rate,
                 "goal: abandon_rate <= this fraction in (0, 1]");
  app.add_option("--max-occupancy", f.max_occupancy,
                 "goal: occupancy <= this fraction in (0, 1]");
  app.add_option("--patience", f.patience,
                 "mean patience [s] of every interval when the input has no patience_s column; "
                 "written to the output as patience_s");
  app.add_option("--shrinkage", f.shrinkage,
                 "fraction of paid time not on contacts, in [0, 1): agents_required_gross = "
                 "agents_required / (1 - shrinkage)")
      ->capture_default_str();
  app.add_option("--max-agents", f.max_agents,
                 "largest staffing tried per interval [agents]; beyond it the interval is "
                 "'infeasible' (exit code 3)")
      ->capture_default_str();
  app.add_flag("--fractional", f.fractional, "real-valued required agents (continuous extension)");
  app.add_option("--tolerance", f.tolerance, "precision of --fractional [agents]")
      ->capture_default_str();
  app.add_flag("--summary", f.summary, "print a summary of the plan on standard error");
  app.add_flag("-q,--quiet", f.quiet, "no messages on standard error except errors");
}

q::StaffingGoal make_goal(const Flags& f) {
  q::StaffingGoal goal{
      .service_level = f.service_level, .target_time = f.target_time,
      .definition = q::parse_service_level_definition(f.definition, "--definition"),
      .max_asa = f.max_asa, .asa_over = q::parse_asa_over(f.over, "--asa-over"),
      .max_abandon = f.max_abandon_rate, .max_occupancy = f.max_occupancy};
  if (!f.service_level && !f.max_asa && !f.max_abandon_rate && !f.max_occupancy)
    goal.service_level = 0.8;
  // Check the flags here so that errors name them (the library names the goal's fields).
  if (f.service_level) wfm::cli::fraction("--service-level", *f.service_level, /*open=*/true);
  wfm::detail::require_nonnegative("--target-time", "the target time [s]", f.target_time);
  if (f.max_asa) wfm::detail::require_positive("--max-asa", "the ASA goal [s]", *f.max_asa);
  if (f.max_abandon_rate && !(*f.max_abandon_rate > 0.0 && *f.max_abandon_rate <= 1.0))
    wfm::detail::throw_invalid("--max-abandon-rate", "must be a fraction in (0, 1]",
                               *f.max_abandon_rate);
  if (f.max_occupancy && !(*f.max_occupancy > 0.0 && *f.max_occupancy <= 1.0))
    wfm::detail::throw_invalid("--max-occupancy", "must be a fraction in (0, 1]",
                               *f.max_occupancy);
  if (!(f.shrinkage >= 0.0 && f.shrinkage < 1.0))
    wfm::detail::throw_invalid("--shrinkage", "must be a fraction in [0, 1)", f.shrinkage);
  goal.validate("wfm-staff: goal");
  return goal;
}

std::string plan_csv(const Intervals& in, const q::HorizonPlan& plan, bool patience) {
  std::string csv = patience ? "timestamp,volume,aht_s,patience_s," : "timestamp,volume,aht_s,";
  csv += "agents_required,agents_required_gross,service_level,asa_s,abandon_rate,occupancy,"
         "status\n";
  for (std::size_t i = 0; i < plan.size(); ++i) {
    csv += fmt::format("{},{},{},", in.grid.timestamp(in.interval[i]), in.volume[i], in.aht[i]);
    if (patience) csv += fmt::format("{},", in.patience[i]);
    csv += fmt::format("{},{:.4f},{:.6f},{:.3f},{:.6f},{:.6f},{}\n", plan.agents_required[i],
                       plan.agents_required_gross[i], plan.service_level[i],
                       plan.asa_s[i], plan.abandon_rate[i],
                       plan.occupancy[i], wfm::to_string(plan.status[i]));
  }
  return csv;
}

void print_summary(const Flags& f, const Intervals& in, const q::HorizonPlan& plan, double len,
                   const q::StaffingGoal& goal, const std::string& model) {
  double volume = 0.0, agent_s = 0.0, sched_s = 0.0, sl_w = 0.0, asa_w = 0.0, ab_w = 0.0;
  std::size_t peak = 0;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    volume += in.volume[i];
    agent_s += plan.agents_required[i] * len;
    sched_s += plan.agents_required_gross[i] * len;
    sl_w += in.volume[i] * plan.service_level[i];
    asa_w += in.volume[i] * plan.asa_s[i];
    ab_w += in.volume[i] * plan.abandon_rate[i];
    if (plan.agents_required[i] > plan.agents_required[peak]) peak = i;
  }
  const double w = volume > 0.0 ? volume : 1.0;
  std::vector<std::string> goal_text;
  if (goal.service_level)
    goal_text.push_back(fmt::format("service_level >= {:g} within {:g} s ({})",
                                    *goal.service_level, f.target_time,
                                    q::to_string(goal.definition)));
  if (f.max_asa) goal_text.push_back(fmt::format("asa_s <= {:g} (over {})", *f.max_asa, f.over));
  if (f.max_abandon_rate)
    goal_text.push_back(fmt::format("abandon_rate <= {:g}", *f.max_abandon_rate));
  if (f.max_occupancy) goal_text.push_back(fmt::format("occupancy <= {:g}", *f.max_occupancy));
  fmt::print(stderr,
             "wfm-staff: {} intervals of {:g} s, model {}, goal: {}\n"
             "  total volume            {:.0f} contacts\n"
             "  peak agents             {:g} at {}\n"
             "  agent-hours required    {:.1f}\n"
             "  agent-hours gross       {:.1f} (shrinkage {:g})\n"
             "  weighted service level  {:.4f} (within {:g} s, {})\n"
             "  weighted ASA            {:.2f} s (over {})\n"
             "  weighted abandon rate   {:.4f}\n"
             "  intervals infeasible    {}\n",
             plan.size(), len, model, fmt::join(goal_text, ", "), volume, plan.agents_required[peak],
             in.grid.timestamp(in.interval[peak]), agent_s / 3600.0, sched_s / 3600.0,
             f.shrinkage, sl_w / w, f.target_time, q::to_string(goal.definition), asa_w / w,
             q::to_string(goal.asa_over), ab_w / w, plan.infeasible_count());
}

/// Blending takes a finite patience or none (like erlang_a).
bool blend_model(const std::string& model) { return model == "blending"; }

/// --patience-distribution piecewise_hazard or estimated: a law of its own mean, from a file.
bool own_patience_law(const Flags& f) {
  return f.patience_distribution == "piecewise_hazard" || f.patience_distribution == "estimated";
}

/// The law of --patience-hazard or --patience-survival, each only with its distribution.
std::optional<q::PatienceDistribution> patience_law_of_files(const Flags& f,
                                                             const std::string& law) {
  if (f.patience_hazard && law != "piecewise_hazard")
    wfm::detail::throw_invalid("--patience-hazard",
                               "applies to --patience-distribution piecewise_hazard only", law);
  if (f.patience_survival && law != "estimated")
    wfm::detail::throw_invalid("--patience-survival",
                               "applies to --patience-distribution estimated only", law);
  if (law == "piecewise_hazard") {
    if (!f.patience_hazard)
      wfm::detail::throw_invalid("--patience-hazard", "is required by --patience-distribution",
                                 law);
    return read_hazard(*f.patience_hazard);
  }
  if (law == "estimated") {
    if (!f.patience_survival)
      wfm::detail::throw_invalid("--patience-survival", "is required by --patience-distribution",
                                 law);
    return read_survival(*f.patience_survival);
  }
  return std::nullopt;
}

/// The registry's spec from the flags; each model parameter only with its model.
q::ModelSpec make_spec(const Flags& f, const std::string& model, bool has_patience) {
  q::ModelSpec spec{.name = model};
  const bool chat = model == "chat", x = model == "erlang_x", g = model == "general_patience";
  const bool blend = model == "blending";
  if (model != "erlang_c" && !blend && !has_patience && !own_patience_law(f))
    wfm::detail::throw_invalid("--model", "needs a patience_s column or --patience", model);
  if (!chat && !f.handle_time_factors.empty())
    wfm::detail::throw_invalid("--handle-time-factors", "applies to --model chat only", model);
  if (!x && (f.lines || f.redial_probability || f.redial_delay))
    wfm::detail::throw_invalid(f.lines ? "--lines" : f.redial_delay ? "--redial-delay"
                                                                    : "--redial-probability",
                               "applies to --model erlang_x only", model);
  if (!g && (f.patience_distribution || f.patience_shape || f.patience_hazard ||
             f.patience_survival))
    wfm::detail::throw_invalid(f.patience_shape        ? "--patience-shape"
                               : f.patience_hazard     ? "--patience-hazard"
                               : f.patience_survival   ? "--patience-survival"
                                                       : "--patience-distribution",
                               "applies to --model general_patience only", model);
  if (!blend && (f.reserve || f.outbound_aht))
    wfm::detail::throw_invalid(f.reserve ? "--reserve" : "--outbound-aht",
                               "applies to --model blending only", model);
  if (blend) {
    if (!f.reserve) wfm::detail::throw_invalid("--reserve", "is required by --model blending");
    if (*f.reserve < 0)
      wfm::detail::throw_invalid("--reserve", "must be >= 0", static_cast<double>(*f.reserve));
    spec.reserve = *f.reserve;
    if (f.outbound_aht) wfm::detail::require_positive("--outbound-aht", "[s]", *f.outbound_aht);
    spec.outbound_handle_time = f.outbound_aht.value_or(0.0);  // 0: the inbound aht_s
  }
  if (g) {
    spec.patience_distribution = f.patience_distribution.value_or("exponential");
    const bool shaped = spec.patience_distribution == "lognormal" ||
                        spec.patience_distribution == "weibull" ||
                        spec.patience_distribution == "gamma";
    if (shaped && !f.patience_shape)
      wfm::detail::throw_invalid("--patience-shape", "is required by --patience-distribution",
                                 spec.patience_distribution);
    spec.patience_shape = f.patience_shape.value_or(1.0);
    if (shaped) wfm::detail::require_positive("--patience-shape", "the shape", spec.patience_shape);
    spec.patience_law = patience_law_of_files(f, spec.patience_distribution);
  }
  if (chat) {
    for (double h : f.handle_time_factors)
      wfm::detail::require_positive("--handle-time-factors", "each factor", h);
    if (!f.handle_time_factors.empty() && f.handle_time_factors.front() != 1.0)
      wfm::detail::throw_invalid("--handle-time-factors", "the first factor must be 1 (h_1 / h_1)",
                                 f.handle_time_factors.front());
    spec.handle_time_factors = f.handle_time_factors;
  }
  if (x) {
    if (!f.lines) wfm::detail::throw_invalid("--lines", "is required by --model erlang_x");
    if (*f.lines < 1)
      wfm::detail::throw_invalid("--lines", "must be >= 1", static_cast<double>(*f.lines));
    spec.lines = *f.lines;
    spec.redial_probability = f.redial_probability.value_or(0.0);
    if (!(spec.redial_probability >= 0.0 && spec.redial_probability < 1.0))
      wfm::detail::throw_invalid("--redial-probability", "must be a fraction in [0, 1)",
                                 spec.redial_probability);
    if (f.redial_delay) wfm::detail::require_positive("--redial-delay", "[s]", *f.redial_delay);
    spec.redial_delay = f.redial_delay.value_or(0.0);
  }
  return spec;
}

/// --method lagged_sipp | mol: one AHT and patience, consecutive intervals (time_varying.hpp).
q::HorizonPlan time_varying_plan(const Flags& f, const Intervals& in, const std::string& model,
                                 double len, const q::StaffingGoal& goal,
                                 const q::PlanOptions& opt) {
  if (model != "erlang_a" && model != "erlang_c")
    wfm::detail::throw_invalid("--method", "lagged_sipp and mol take --model erlang_a or erlang_c",
                               model);
  std::vector<double> rates;
  double aht = 0.0, patience = in.patience.empty() ? 0.0 : in.patience[0];
  for (std::size_t r = 0; r < in.size(); ++r) {
    if (in.interval[r] != in.interval[0] + r)
      wfm::detail::throw_invalid(f.input, fmt::format("--method {} needs consecutive intervals; "
                                                      "row {} follows a gap", f.method, r + 1));
    if (in.volume[r] > 0.0 && aht == 0.0) aht = in.aht[r];
    if (in.volume[r] > 0.0 && in.aht[r] != aht)
      wfm::detail::throw_invalid(f.input, fmt::format("--method {} needs one aht_s; row {} has",
                                                      f.method, r + 1), in.aht[r]);
    if (model == "erlang_a" && in.patience[r] != patience)
      wfm::detail::throw_invalid(f.input, fmt::format("--method {} needs one patience_s; row {} "
                                                      "has", f.method, r + 1), in.patience[r]);
    rates.push_back(in.volume[r] / len);
  }
  if (aht == 0.0) aht = 1.0;  // no volume at all: any AHT staffs 0 agents
  const double theta = model == "erlang_c" ? std::numeric_limits<double>::infinity() : patience;
  q::HorizonPlan plan = q::staff_time_varying(rates, len, aht, theta, goal,
                                              q::parse_staffing_method(f.method, "--method"), opt)
                            .plan;
  for (std::size_t i = 0; i < plan.size(); ++i)
    plan.agents_required_gross[i] = q::scheduled_agents(plan.agents_required[i], f.shrinkage);
  return plan;
}

/// --model backlog: email and back-office work over consecutive intervals (backlog.hpp).
/// Goal 1 (the default): every item within the deadline, the least staffing of each interval
/// (required_backlog_agents); below 1: the least level meeting the share over the horizon
/// (required_backlog_agents_share). Output per interval: the staffing and the backlog it leaves.
int backlog_main(const Flags& f, const Intervals& in, double len) {
  if (!f.deadline) wfm::detail::throw_invalid("--deadline", "is required by --model backlog");
  wfm::detail::require_positive("--deadline", "[s]", *f.deadline);
  if (std::fmod(*f.deadline, len) != 0.0)
    wfm::detail::throw_invalid("--deadline", fmt::format("must be a whole number of intervals "
                                                         "({} s) [s]", len), *f.deadline);
  const std::pair<const char*, bool> others[] = {
      {"--method", f.method != "sipp"}, {"--max-asa", f.max_asa.has_value()},
      {"--max-abandon-rate", f.max_abandon_rate.has_value()},
      {"--max-occupancy", f.max_occupancy.has_value()}, {"--patience", f.patience.has_value()},
      {"--lines", f.lines.has_value()}, {"--reserve", f.reserve.has_value()},
      {"--handle-time-factors", !f.handle_time_factors.empty()},
      {"--patience-distribution", f.patience_distribution.has_value()},
      {"--patience-hazard", f.patience_hazard.has_value()},
      {"--patience-survival", f.patience_survival.has_value()}};
  for (const auto& [flag, given] : others)
    if (given) wfm::detail::throw_invalid(flag, "does not apply to --model backlog");
  const double goal = f.service_level.value_or(1.0);
  if (!(goal > 0.0 && goal <= 1.0))
    wfm::detail::throw_invalid("--service-level", "must be a share in (0, 1] for --model backlog",
                               goal);
  double aht = 0.0;
  for (std::size_t r = 0; r < in.size(); ++r) {
    if (in.interval[r] != in.interval[0] + r)
      wfm::detail::throw_invalid(f.input, fmt::format("--model backlog needs consecutive "
                                                      "intervals; row {} follows a gap", r + 1));
    if (in.volume[r] > 0.0 && aht == 0.0) aht = in.aht[r];
    if (in.volume[r] > 0.0 && in.aht[r] != aht)
      wfm::detail::throw_invalid(f.input, fmt::format("--model backlog needs one aht_s; row {} "
                                                      "has", r + 1), in.aht[r]);
  }
  const q::BacklogWork work{.volumes = in.volume, .handle_time = aht > 0.0 ? aht : 1.0,
                            .interval_length = len, .deadline = *f.deadline};
  const q::BacklogStaffing st = goal >= 1.0 ? q::required_backlog_agents(work)
                                            : q::required_backlog_agents_share(work, goal);
  const q::BacklogResult res = q::evaluate_backlog(work, st.agents_required);
  std::string csv = "timestamp,volume,aht_s,agents_required,agents_required_gross,handled,"
                    "backlog,oldest_age_s,within_deadline,occupancy\n";
  for (std::size_t i = 0; i < in.size(); ++i)
    csv += fmt::format("{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.1f},{:.6f},{:.6f}\n",
                       in.grid.timestamp(in.interval[i]), in.volume[i], in.aht[i],
                       st.agents_required[i], q::scheduled_agents(st.agents_required[i], f.shrinkage),
                       res.handled[i], res.backlog[i], res.oldest_age_s[i],
                       res.within_deadline[i], res.occupancy[i]);
  wfm::write_file_atomic(f.output, csv);
  if (f.summary)
    fmt::print(stderr, "wfm-staff: backlog, deadline {} s: {:.4f} of the items on time over the "
               "horizon, {:.1f} still waiting at its end\n", *f.deadline,
               res.within_deadline_total, res.carried_over);
  if (st.status != wfm::Status::ok) {
    if (!f.quiet) fmt::print(stderr, "wfm-staff: {}\n", st.message);
    return wfm::exit_code::infeasible;
  }
  return wfm::exit_code::ok;
}

/// A law of its own mean (--patience-hazard, --patience-survival) replaces patience_s: the
/// output's patience_s is the law's mean [s]; --patience with it is a contradiction.
void use_law_mean(const Flags& f, double mean, Intervals& in) {
  const char* file = f.patience_hazard ? "--patience-hazard" : "--patience-survival";
  if (f.patience)
    wfm::detail::throw_invalid("--patience", fmt::format("{} gives the law and its mean ({} s); "
                                                         "drop --patience", file, mean),
                               *f.patience);
  if (in.has_patience && !f.quiet)
    fmt::print(stderr, "wfm-staff: the input's patience_s column is replaced by the mean of the "
               "law of {} ({:g} s)\n", file, mean);
  std::fill(in.patience.begin(), in.patience.end(), mean);
  in.has_patience = true;
}

int staff_main(const Flags& f) {
  const std::optional<std::int64_t> length =
      f.interval_length ? std::optional(wfm::cli::interval_length(*f.interval_length))
                        : std::nullopt;
  Intervals in = read_intervals(f.input, length, wfm::cli::time_zone(f.time_zone));
  if (f.patience) {
    wfm::detail::require_positive_or_inf("--patience", "the mean patience [s]", *f.patience);
    if (in.has_patience)
      wfm::detail::throw_invalid("--patience", "the input has a patience_s column already");
    std::fill(in.patience.begin(), in.patience.end(), *f.patience);
    in.has_patience = true;
  }
  const std::string model =
      !f.model_name.empty() ? f.model_name : (in.has_patience ? "erlang_a" : "erlang_c");
  if (model == "backlog")
    return backlog_main(f, in, static_cast<double>(in.grid.interval_length_s()));
  if (f.deadline) wfm::detail::throw_invalid("--deadline", "applies to --model backlog only", model);
  const q::ModelSpec spec = make_spec(f, model, in.has_patience);
  if (spec.patience_law) use_law_mean(f, spec.patience_law->mean, in);
  if (model != "erlang_c")
    for (std::size_t r = 0; r < in.size(); ++r)
      if ((model != "erlang_a" && !blend_model(model) && std::isinf(in.patience[r])) &&
          in.volume[r] > 0.0)
        wfm::detail::throw_invalid(f.input, fmt::format("--model {} needs a finite patience_s, "
                                                        "row {} ({}) has none",
                                                        model, r + 1,
                                                        in.grid.timestamp(in.interval[r])));
  const auto len = static_cast<double>(in.grid.interval_length_s());
  const q::StaffingGoal goal = make_goal(f);
  if (f.max_agents < 1) wfm::detail::throw_invalid("--max-agents", "must be >= 1",
                                                     static_cast<double>(f.max_agents));
  const q::PlanOptions opt{.staffing = {.max_agents = f.max_agents, .fractional = f.fractional,
                                        .tolerance = f.tolerance}};
  const std::vector<double> none{std::numeric_limits<double>::infinity()};
  const q::HorizonPlan plan =
      f.method == "sipp"
          ? q::plan_horizon(spec, in.volume, in.aht, len, model == "erlang_c" ? none : in.patience,
                            goal, f.shrinkage, opt)
          : time_varying_plan(f, in, model, len, goal, opt);
  wfm::write_file_atomic(f.output, plan_csv(in, plan, in.has_patience));
  if (f.summary) print_summary(f, in, plan, len, goal, model);
  if (plan.infeasible_count() > 0) {
    if (!f.quiet)
      fmt::print(stderr, "wfm-staff: {} interval(s) cannot meet the goal within --max-agents {}\n",
                 plan.infeasible_count(), f.max_agents);
    return wfm::exit_code::infeasible;
  }
  return wfm::exit_code::ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "wfm-staff: required agents per interval from a CSV of intervals, with the model of\n"
      "--model (erlang_c, erlang_a, chat with concurrency, erlang_x with busy signals and\n"
      "redials, general_patience: M/M/n+G, blending, backlog: email and back office with a\n"
      "--deadline). Input: columns timestamp, volume [contacts per interval], aht_s [s] and optionally\n"
      "patience_s [s] (wfm-forecast's output is read as it is). Without --service-level,\n"
      "--max-asa, --max-abandon-rate or --max-occupancy the goal is 0.8 answered within 20 s.\n"
      "Output: timestamp,volume,aht_s[,patience_s],agents_required,agents_required_gross,\n"
      "service_level,asa_s,abandon_rate,occupancy,status (wfm-schedule's requirement)."};
  app.footer(wfm::cli::exit_codes_help);
  Flags f;
  add_flags(app, f);
  return wfm::cli::run("wfm-staff", app, argc, argv, [&] { return staff_main(f); });
}
