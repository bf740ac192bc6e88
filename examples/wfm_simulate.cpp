// wfm-simulate: check a staffing plan or a roster by discrete-event simulation.
//
//   wfm-simulate --input examples/data/simulate_day.csv --replications 200 --output results.csv
//
// Input CSV, one row per interval: start (timestamp), volume [calls], aht_s [s], agents
// (unless --roster is given), optional patience_s [s]. Output CSV: one row per interval and a
// final "total" row; every measure with the half-width of its 95 % confidence interval (_hw).
//
// Bundled examples: examples/data/simulate_day.csv is a made-up Monday 08:00-18:00 (volumes
// written by hand, agents by the square-root rule ceil(a + sqrt(a))); simulate_roster.json is a
// made-up roster of three shift groups with breaks over the same 10 hours (times in seconds
// from 08:00):
//
//   wfm-simulate --input examples/data/simulate_day.csv
//                --roster examples/data/simulate_roster.json --patience exponential
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
      fmt::format("--{}: must be none, exponential, lognormal or empirical, got '{}'", what, kind));
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
      wfm::ShiftSpan sh{s.at("start").get<double>(), s.at("end").get<double>(), {},
                        s.value("agents", 1)};
      for (const auto& b : s.value("breaks", nlohmann::json::array()))
        sh.breaks.push_back({b.at("start").get<double>(), b.at("length").get<double>()});
      r.shifts.push_back(std::move(sh));
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw wfm::InvalidArgument(fmt::format("{}: not a roster: {}", path, e.what()));
  }
}

void add(std::string& line, const Estimate& e) {
  line += fmt::format(",{:.6g},{:.6g}", e.value, e.half_width);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wfm-simulate: discrete-event simulation of a contact centre's day or week"};
  std::string input, output = "-", roster_file, handle_kind = "exponential",
                     patience_kind = "none", handle_sample, patience_sample;
  std::vector<std::string> definitions{"answered_within"};
  std::vector<double> targets{20.0};
  double interval_length = 0.0, handle_cv = 1.0, patience_cv = 1.0, patience_mean = 0.0,
         busyness_cv = 0.0;
  RunOptions o;
  bool progress = false, quiet = false, cyclic = false;
  app.add_option("--input", input, "intervals CSV: start, volume, aht_s, agents[, patience_s]")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--output", output, "result CSV ('-' = standard output)");
  app.add_option("--interval-length", interval_length,
                 "[s]; default: the spacing of the 'start' column");
  app.add_option("--roster", roster_file, "roster JSON (shifts with breaks) instead of 'agents'");
  app.add_flag("--cyclic", cyclic, "the horizon repeats (a 24/7 week)");
  app.add_option("--handle", handle_kind, "exponential | lognormal | empirical");
  app.add_option("--handle-cv", handle_cv, "coefficient of variation (lognormal)");
  app.add_option("--handle-sample", handle_sample, "CSV with a duration_s column (empirical)");
  app.add_option("--patience", patience_kind, "none | exponential | lognormal | empirical");
  app.add_option("--patience-cv", patience_cv, "coefficient of variation (lognormal)");
  app.add_option("--patience-mean", patience_mean, "[s] when the CSV has no patience_s");
  app.add_option("--patience-sample", patience_sample, "CSV with a duration_s column");
  app.add_option("--busyness-cv", busyness_cv, "daily busyness factor cv (Poisson-gamma)");
  app.add_option("--replications", o.replications, "independent replications");
  app.add_option("--seed", o.seed, "master seed");
  app.add_option("--threads", o.threads, "worker threads (0 = all cores)");
  app.add_option("--warmup", o.warmup, "[s] simulated before the horizon, not counted");
  app.add_option("--target", targets, "service-level target time(s) [s]");
  app.add_option("--definition", definitions,
                 "answered_within | wait_within | virtual_wait_within | answered_given_answered");
  app.add_flag("--progress", progress, "progress bar on stderr (default: when stderr is a tty)");
  app.add_flag("--quiet", quiet, "no progress bar");
  CLI11_PARSE(app, argc, argv);

  try {
    const wfm::CsvTable t = wfm::read_csv(input);
    const std::size_t c_start = t.column("start"), c_vol = t.column("volume"),
                      c_aht = t.column("aht_s");
    const bool per_interval = roster_file.empty();
    const std::size_t c_agents = per_interval ? t.column("agents") : 0;
    const auto c_pat = t.find_column("patience_s");
    const std::size_t n = t.row_count();
    if (n == 0) throw wfm::InvalidArgument(fmt::format("{}: no intervals", input));
    std::vector<std::int64_t> starts;
    for (std::size_t r = 0; r < n; ++r) starts.push_back(t.timestamp(r, c_start));
    if (interval_length <= 0.0) {
      if (n < 2) throw wfm::InvalidArgument("--interval-length is required for a single interval");
      interval_length = static_cast<double>(starts[1] - starts[0]);
    }
    for (std::size_t r = 1; r < n; ++r)
      if (static_cast<double>(starts[r] - starts[r - 1]) != interval_length)
        t.fail(r, c_start, fmt::format("intervals must be evenly spaced by {} s", interval_length));

    Scenario s;
    s.interval_length = interval_length;
    s.cyclic = cyclic;
    std::vector<int> agents;
    for (std::size_t r = 0; r < n; ++r) {
      const double vol = t.number(r, c_vol);
      if (vol < 0.0) t.fail(r, c_vol, "volume must be >= 0");
      s.arrival_rate.push_back(wfm::arrival_rate(vol, interval_length));
      const double aht = t.number(r, c_aht);
      if (!(aht > 0.0)) t.fail(r, c_aht, "aht_s must be > 0");
      s.handle_time_mean.push_back(aht);
      if (c_pat) {
        const double p = t.number(r, *c_pat);
        if (!(p > 0.0)) t.fail(r, *c_pat, "patience_s must be > 0");
        s.patience_mean.push_back(p);
      }
      if (per_interval) {
        const double a = t.number(r, c_agents);
        if (a < 0.0 || a != std::floor(a)) t.fail(r, c_agents, "agents must be a whole number >= 0");
        agents.push_back(static_cast<int>(a));
      }
    }
    s.handle_time = make_distribution(handle_kind, s.handle_time_mean[0], handle_cv, handle_sample,
                                      "handle");
    if (patience_kind != "none" && !c_pat && !(patience_mean > 0.0) && patience_kind != "empirical")
      throw wfm::InvalidArgument("a patience distribution needs a patience_s column or --patience-mean");
    const double pm = c_pat ? s.patience_mean[0] : patience_mean;
    s.patience = make_distribution(patience_kind, pm, patience_cv, patience_sample, "patience");
    if (patience_kind == "none") s.patience_mean.clear();
    s.busyness.cv = busyness_cv;
    if (roster_file.empty())
      s.staffing = agents;
    else
      s.staffing = read_roster(roster_file);

    o.target_times = targets;
    o.definitions.clear();
    for (const auto& d : definitions)
      o.definitions.push_back(q::parse_service_level_definition(d, "--definition"));
    const bool show = !quiet && (progress || isatty(STDERR_FILENO));
    if (show)
      o.progress = [](const wfm::Progress& p) {
        const int done = static_cast<int>(p.done), total = static_cast<int>(p.total);
        const std::size_t width = 40;
        const std::size_t filled = width * static_cast<std::size_t>(done) /
                                   static_cast<std::size_t>(std::max(total, 1));
        std::fprintf(stderr, "\r[%s%s] %d/%d replications", std::string(filled, '#').c_str(),
                     std::string(width - filled, ' ').c_str(), done, total);
        if (done == total) std::fputc('\n', stderr);
        return true;
      };
    const SimulationResult res = simulate(s, o);

    std::string csv = "start,offered,offered_hw,answered,answered_hw,abandoned,abandoned_hw,"
                      "unserved,unserved_hw,abandon_fraction,abandon_fraction_hw,asa_all_s,"
                      "asa_all_s_hw,asa_answered_s,asa_answered_s_hw,occupancy_fraction,"
                      "occupancy_fraction_hw";
    for (const auto& k : res.service_levels)
      csv += fmt::format(",sl_{0}_{1:g}s_fraction,sl_{0}_{1:g}s_fraction_hw",
                         q::to_string(k.definition), k.target_time);
    csv += '\n';
    auto row = [&](const std::string& label, const Measures& m) {
      std::string line = label;
      for (const Estimate* e : {&m.volume, &m.answered, &m.abandoned, &m.unserved,
                                &m.abandon_rate, &m.asa_s, &m.asa_answered_s, &m.occupancy})
        add(line, *e);
      for (const auto& e : m.service_level) add(line, e);
      csv += line + '\n';
    };
    for (std::size_t i = 0; i < n; ++i) row(wfm::format_timestamp(starts[i]), res.intervals[i]);
    row("total", res.total);
    wfm::write_file_atomic(output, csv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wfm-simulate: %s\n", e.what());
    return 2;
  }
  return 0;
}
