// wfm-simulate: check a staffing plan or a roster by discrete-event simulation.
//
//   wfm-simulate -i coverage.csv --replications 200 -o results.csv
//
// Input CSV, one row per open interval (wfm-schedule's coverage output as it is): timestamp
// (the old name 'start' is read too), volume [contacts per interval], aht_s [s], agents (unless
// --roster is given), optional patience_s [s]. Intervals without a row between the first and
// the last timestamp are closed: no arrivals, no agents. Output CSV: one row per input row, the
// same timestamps; every simulated mean with its 95 % confidence interval (<name>_lower,
// <name>_upper). Totals go to standard error.
//
// Bundled examples: examples/data/simulate_day.csv is a made-up Monday 08:00-18:00 (volumes
// written by hand, agents by the square-root rule ceil(a + sqrt(a))); simulate_roster.json is a
// made-up roster of three shift groups with breaks over the same 10 hours (times in seconds
// from 08:00):
//
//   wfm-simulate -i examples/data/simulate_day.csv
//                --roster examples/data/simulate_roster.json --patience-distribution exponential
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <wfm/core/core.hpp>
#include <wfm/simulation/simulation.hpp>

#include "cli_common.hpp"

using namespace wfm::simulation;
namespace q = wfm::queueing;

namespace {

Distribution make_distribution(const std::string& kind, double mean, double cv,
                               const std::string& sample_file, const char* what) {
  if (kind == "none") return Distribution::none();
  if (kind == "exponential") return Distribution::exponential(mean);
  if (kind == "lognormal") return Distribution::lognormal(mean, cv);
  if (kind == "empirical") {
    if (sample_file.empty())
      throw wfm::InvalidArgument(fmt::format("--{}-sample is required for 'empirical'", what));
    const wfm::CsvTable t = wfm::read_csv(sample_file);
    const std::size_t c = t.column("duration_s");
    std::vector<double> v;
    for (std::size_t r = 0; r < t.row_count(); ++r) v.push_back(t.number(r, c));
    return Distribution::empirical(std::move(v));
  }
  throw wfm::InvalidArgument(
      fmt::format("--{}-distribution: must be none, exponential, lognormal or empirical, got '{}'", what, kind));
}

wfm::Roster read_roster(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw wfm::InvalidArgument(fmt::format("{}: cannot be read", path));
  nlohmann::json j;
  try {
    in >> j;
    wfm::Roster r;
    r.horizon_length = j.at("horizon_length").get<double>();
    r.cyclic = j.value("cyclic", false);
    for (const auto& s : j.at("shifts")) {
      const double agents = s.value("agents", 1.0);
      if (!(agents >= 0.0 && agents <= 2147483647.0) || agents != std::floor(agents))
        throw wfm::InvalidArgument(fmt::format(
            "{}: shifts[{}].agents: must be a whole number in [0, 2147483647], got {}", path,
            r.shifts.size(), agents));
      wfm::ShiftSpan sh{s.at("start").get<double>(), s.at("end").get<double>(), {},
                        static_cast<int>(agents)};
      for (const auto& b : s.value("breaks", nlohmann::json::array()))
        sh.breaks.push_back({b.at("start").get<double>(), b.at("length").get<double>()});
      r.shifts.push_back(std::move(sh));
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw wfm::InvalidArgument(fmt::format("{}: not a roster: {}", path, e.what()));
  }
}

struct Flags {
  std::string input, output = "-", roster, handle_kind = "exponential", patience_kind,
                     handle_sample, patience_sample, time_zone;
  std::vector<std::string> definitions{"answered_within"};
  std::vector<double> target_times{20.0};
  std::optional<double> interval_length, patience;
  double handle_cv = 1.0, patience_cv = 1.0, busyness_cv = 0.0;
  // Multi-contact features (Scenario documents each): chat concurrency, lines and redials,
  // outbound blending work; all off by default.
  std::vector<double> handle_time_factors;
  std::int64_t lines = 0;
  double redial_probability = 0.0, redial_delay = 60.0;
  std::optional<double> outbound_aht;
  int reserve = 0;
  RunOptions run;
  bool progress = false, quiet = false, cyclic = false;
};

void add_flags(CLI::App& app, Flags& f) {
  app.add_option("input,-i,--input", f.input,
                 "intervals CSV: timestamp,volume,aht_s,agents[,patience_s] (wfm-schedule's "
                 "coverage output)")
      ->required();
  app.add_option("-o,--output", f.output, "result CSV; '-' = standard output")
      ->capture_default_str();
  app.add_option("--interval-length", f.interval_length,
                 "interval length [s], a whole number; default: the smallest spacing of the "
                 "timestamps");
  app.add_option("--time-zone", f.time_zone, "IANA zone of the timestamps; default: wall clock");
  app.add_option("--roster", f.roster, "roster JSON (shifts with breaks) instead of 'agents'");
  app.add_flag("--cyclic", f.cyclic, "the horizon repeats (a 24/7 week)");
  app.add_option("--handle-distribution", f.handle_kind, "exponential | lognormal | empirical")
      ->capture_default_str();
  app.add_option("--handle-cv", f.handle_cv, "coefficient of variation (lognormal)")
      ->capture_default_str();
  app.add_option("--handle-sample", f.handle_sample, "CSV with a duration_s column (empirical)");
  app.add_option("--patience-distribution", f.patience_kind,
                 "none | exponential | lognormal | empirical; default: exponential when the "
                 "input has patience_s or --patience is given, else none");
  app.add_option("--patience", f.patience, "mean patience [s] when the input has no patience_s");
  app.add_option("--patience-cv", f.patience_cv, "coefficient of variation (lognormal)")
      ->capture_default_str();
  app.add_option("--patience-sample", f.patience_sample, "CSV with a duration_s column");
  app.add_option("--busyness-cv", f.busyness_cv, "daily busyness factor cv (Poisson-gamma)")
      ->capture_default_str();
  app.add_option("--replications", f.run.replications, "independent replications")
      ->capture_default_str();
  app.add_option("--seed", f.run.seed, "master seed")->capture_default_str();
  app.add_option("--threads", f.run.threads, "worker threads (0 = all cores)")
      ->capture_default_str();
  app.add_option("--warmup", f.run.warmup, "[s] simulated before the horizon, not counted")
      ->capture_default_str();
  app.add_option("--target-time", f.target_times,
                 "service-level target time(s) [s]; the first (with the first --definition) is "
                 "the column service_level")
      ->capture_default_str();
  app.add_option("--definition", f.definitions,
                 "answered_within | wait_within | virtual_wait_within | answered_given_answered")
      ->capture_default_str();
  app.add_flag("--progress", f.progress, "progress bar on stderr (default: when stderr is a tty)");
  app.add_flag("-q,--quiet", f.quiet, "no progress bar and no totals on standard error");
  app.add_option("--handle-time-factors", f.handle_time_factors,
                 "chat: h_j / h_1 at concurrency j = 1..m (agents hold up to m contacts)");
  app.add_option("--lines", f.lines, "lines (trunks); an attempt finding all busy is blocked "
                 "(0: no limit)")->capture_default_str();
  app.add_option("--redial-probability", f.redial_probability,
                 "chance that a blocked or abandoned attempt redials")->capture_default_str();
  app.add_option("--redial-delay", f.redial_delay, "mean time to the redial [s] (exponential)")
      ->capture_default_str();
  app.add_option("--outbound-aht", f.outbound_aht,
                 "blending: mean outbound job time [s] (exponential, infinite supply)");
  app.add_option("--reserve", f.reserve, "blending: agents kept idle for inbound")
      ->capture_default_str();
}

// The input on its grid: rows by timestamp, closed intervals (no row) with no load.
struct Input {
  wfm::IntervalGrid grid;
  std::vector<std::size_t> grid_index;  // per input row
  Scenario scenario;
  std::vector<int> agents;  // per grid interval
  bool has_patience = false;
};

Input read_input(const Flags& f) {
  const wfm::CsvTable t = wfm::read_csv(f.input);
  const std::size_t cv = t.column("volume"), ca = t.column("aht_s");
  const bool per_interval = f.roster.empty();
  const std::size_t cg = per_interval ? t.column("agents") : 0;
  const auto cp = t.find_column("patience_s");
  Input in;
  std::optional<std::int64_t> length;
  if (f.interval_length) length = wfm::cli::interval_length(*f.interval_length);
  wfm::TableOnGrid on = wfm::cli::table_grid(t, length, wfm::cli::time_zone(f.time_zone));
  in.grid = std::move(on.grid);
  in.grid_index = std::move(on.interval_of_row);
  const std::size_t grid = in.grid.size();
  if (grid > 10'000'000) wfm::detail::throw_invalid(f.input, "spans more than 10 million intervals");
  Scenario& s = in.scenario;
  s.interval_length = static_cast<double>(in.grid.interval_length_s());
  s.cyclic = f.cyclic;
  s.arrival_rate.assign(grid, 0.0);
  s.handle_time_mean.assign(grid, 0.0);
  in.has_patience = cp.has_value();
  if (cp) s.patience_mean.assign(grid, 0.0);
  in.agents.assign(grid, 0);
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const std::size_t i = in.grid_index[r];
    const double vol = t.number(r, cv), aht = t.number(r, ca);
    if (vol < 0.0) t.fail(r, cv, "volume must be >= 0 [contacts]");
    if (!(aht > 0.0)) t.fail(r, ca, "aht_s must be > 0 [s]");
    s.arrival_rate[i] = wfm::arrival_rate(vol, s.interval_length);
    s.handle_time_mean[i] = aht;
    if (cp) {
      const double p = t.number(r, *cp);
      if (!(p > 0.0)) t.fail(r, *cp, "patience_s must be > 0 [s]");
      s.patience_mean[i] = p;
    }
    if (per_interval) in.agents[i] = static_cast<int>(t.integer(r, cg, 0, 2147483647));
  }
  // Closed intervals take the previous open interval's means (no arrivals there, so only
  // carried-over contacts see them).
  for (std::size_t i = 1; i < grid; ++i)
    if (s.handle_time_mean[i] == 0.0) {
      s.handle_time_mean[i] = s.handle_time_mean[i - 1];
      if (cp) s.patience_mean[i] = s.patience_mean[i - 1];
    }
  return in;
}

void add(std::string& line, const Estimate& e) {
  line += fmt::format(",{:.6g},{:.6g},{:.6g}", e.value, e.value - e.half_width,
                      e.value + e.half_width);
}

std::string result_csv(const Input& in, const SimulationResult& res) {
  std::string csv = "timestamp,agents";
  for (const char* name : {"volume", "answered", "abandoned", "abandon_rate", "asa_s",
                           "occupancy"})
    csv += fmt::format(",{0},{0}_lower,{0}_upper", name);
  for (std::size_t k = 0; k < res.service_levels.size(); ++k) {
    const std::string name =
        k == 0 ? std::string("service_level")
               : fmt::format("service_level_{}_{:g}s",
                             q::to_string(res.service_levels[k].definition),
                             res.service_levels[k].target_time);
    csv += fmt::format(",{0},{0}_lower,{0}_upper", name);
  }
  if (res.multi_contact)
    for (const char* name : {"blocking_rate", "effective_arrival_rate", "lost_rate",
                             "customer_service_level", "outbound_throughput"})
      csv += fmt::format(",{0},{0}_lower,{0}_upper", name);
  csv += '\n';
  for (std::size_t r = 0; r < in.grid_index.size(); ++r) {
    const std::size_t i = in.grid_index[r];
    const Measures& m = res.intervals[i];
    std::string line = fmt::format("{},{}", in.grid.timestamp(i),
                                   in.agents.empty() ? 0 : in.agents[i]);
    for (const Estimate* e : {&m.volume, &m.answered, &m.abandoned, &m.abandon_rate,
                              &m.asa_s, &m.occupancy})
      add(line, *e);
    for (const auto& e : m.service_level) add(line, e);
    if (res.multi_contact)
      for (const Estimate* e : {&m.blocking_rate, &m.effective_arrival_rate, &m.lost_rate,
                                &m.customer_service_level, &m.outbound_throughput})
        add(line, *e);
    csv += line + '\n';
  }
  return csv;
}

int simulate_main(Flags& f) {
  Input in = read_input(f);
  Scenario& s = in.scenario;
  s.handle_time = make_distribution(f.handle_kind, s.handle_time_mean[0], f.handle_cv,
                                    f.handle_sample, "handle");
  if (f.patience) {
    wfm::detail::require_positive("--patience", "the mean patience [s]", *f.patience);
    if (in.has_patience)
      wfm::detail::throw_invalid("--patience", "the input has a patience_s column already");
  }
  const std::string kind = !f.patience_kind.empty() ? f.patience_kind
                           : (in.has_patience || f.patience) ? "exponential"
                                                             : "none";
  if (kind != "none" && kind != "empirical" && !in.has_patience && !f.patience)
    wfm::detail::throw_invalid("--patience-distribution",
                               "needs a patience_s column or --patience [s]", kind);
  const double pm = in.has_patience ? s.patience_mean[0] : f.patience.value_or(0.0);
  s.patience = make_distribution(kind, pm, f.patience_cv, f.patience_sample, "patience");
  if (kind == "none") s.patience_mean.clear();
  s.busyness.cv = f.busyness_cv;
  s.handle_time_factors = f.handle_time_factors;
  s.lines = f.lines;
  s.redial_probability = f.redial_probability;
  if (f.redial_probability > 0.0) s.redial_delay = Distribution::exponential(f.redial_delay);
  if (f.outbound_aht) s.outbound_handle_time = Distribution::exponential(*f.outbound_aht);
  s.reserve = f.reserve;
  if (f.roster.empty())
    s.staffing = in.agents;
  else
    s.staffing = read_roster(f.roster);
  RunOptions& o = f.run;
  o.target_times = f.target_times;
  o.definitions.clear();
  for (const auto& d : f.definitions)
    o.definitions.push_back(q::parse_service_level_definition(d, "--definition"));
  if (!f.quiet && (f.progress || isatty(STDERR_FILENO)))
    o.progress = [](const wfm::Progress& p) {
      const auto done = static_cast<int>(p.done), total = static_cast<int>(p.total);
      const std::size_t width = 40;
      const std::size_t filled = width * static_cast<std::size_t>(std::max(done, 0)) /
                                 static_cast<std::size_t>(std::max(total, 1));
      std::fprintf(stderr, "\r[%s%s] %d/%d replications", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), done, total);
      if (done == total) std::fputc('\n', stderr);
      return true;
    };
  const SimulationResult res = simulate(s, o);
  wfm::write_file_atomic(f.output, result_csv(in, res));
  if (!f.quiet) {
    const Measures& m = res.total;
    fmt::print(stderr,
               "wfm-simulate: {} replications; total volume {:.1f} +- {:.1f}, abandon_rate "
               "{:.4f} +- {:.4f}, asa_s {:.2f} +- {:.2f}, occupancy {:.4f} +- {:.4f}",
               res.replications, m.volume.value, m.volume.half_width,
               m.abandon_rate.value, m.abandon_rate.half_width, m.asa_s.value,
               m.asa_s.half_width, m.occupancy.value, m.occupancy.half_width);
    if (!m.service_level.empty())
      fmt::print(stderr, ", service_level {:.4f} +- {:.4f}", m.service_level[0].value,
                 m.service_level[0].half_width);
    fmt::print(stderr, " (95 % confidence)\n");
  }
  return wfm::exit_code::ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "wfm-simulate: discrete-event simulation of a contact centre's day or week, per interval.\n"
      "Output: timestamp,agents, then volume, answered, abandoned, abandon_rate, asa_s,\n"
      "occupancy and service_level, each with <name>_lower,<name>_upper (95 % confidence\n"
      "interval of the mean over replications); one row per input row."};
  app.footer(wfm::cli::exit_codes_help);
  Flags f;
  add_flags(app, f);
  return wfm::cli::run("wfm-simulate", app, argc, argv, [&] { return simulate_main(f); });
}
