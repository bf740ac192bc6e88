// wfm-schedule: shifts and breaks that cover a requirement at least cost.
//
//   wfm-schedule --model examples/data/schedule_day.json -i staff.csv --time-limit 5
//                -o shifts.csv --coverage coverage.csv
//
// The requirement is read by timestamp from -i (wfm-staff's output: column agents_required by
// default), onto the grid from its first to its last timestamp; intervals without a row are
// closed (requirement 0, and absent from the coverage output). Without -i the model's own
// "requirement" array is used. The model is JSON (see --help) or a minimum-shift-design .dzn.
// Outputs, committed together: the schedule (-o; CSV, or JSON when the name ends in .json), the
// coverage (--coverage: timestamp[,volume,aht_s,patience_s],agents_required,agents — the input
// columns carried through, agents = coverage net of breaks: wfm-simulate's input as it is), a
// JSON summary; a summary on stdout, progress on stderr.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

#include "cli_common.hpp"

namespace ws = wfm::schedule;
using json = nlohmann::json;

namespace {

struct Flags {
  std::string model, input, column = "agents_required", output, coverage, summary, time_zone;
  std::string agents, roster;  // named-agent rostering (--agents, --roster)
  std::optional<double> interval_length;
  ws::SolveOptions solve;
  bool quiet = false, no_cbc = false;
  std::string engine = "clp_cbc";
};

// The requirement by timestamp, on the grid first..last (closed intervals: no row).
struct Requirement {
  wfm::IntervalGrid grid;
  std::vector<double> agents;         // per grid interval (0 when closed)
  std::vector<std::ptrdiff_t> row;    // grid interval -> input row, -1 when closed
  wfm::CsvTable table{"", {}, {}};
  std::vector<std::size_t> carried;   // input columns carried to the coverage output
  [[nodiscard]] std::size_t size() const { return agents.size(); }
};

Requirement read_requirement(const Flags& f, double model_length) {
  Requirement r;
  r.table = wfm::read_csv(f.input);
  const wfm::CsvTable& t = r.table;
  const std::size_t cr = t.column(f.column);
  std::optional<std::int64_t> length;
  if (f.interval_length) length = wfm::cli::interval_length(*f.interval_length);
  if (model_length > 0) {
    if (length && static_cast<double>(*length) != model_length)
      wfm::detail::throw_invalid("--interval-length",
                                 fmt::format("differs from the model's interval_length_s {}",
                                             model_length),
                                 static_cast<double>(*length));
    length = static_cast<std::int64_t>(model_length);
  }
  wfm::TableOnGrid on = wfm::cli::table_grid(t, length, wfm::cli::time_zone(f.time_zone));
  r.grid = std::move(on.grid);
  if (r.grid.size() > 10'000'000)
    wfm::detail::throw_invalid(f.input, "spans more than 10 million intervals");
  r.agents.assign(r.grid.size(), 0.0);
  r.row.assign(r.grid.size(), -1);
  for (std::size_t k = 0; k < t.row_count(); ++k) {
    const std::size_t i = on.interval_of_row[k];
    const double v = t.number(k, cr);
    if (v < 0) t.fail(k, cr, fmt::format("the requirement must be >= 0 [agents], got {}", v));
    r.agents[i] = v;
    r.row[i] = static_cast<std::ptrdiff_t>(k);
  }
  for (const char* c : {"volume", "aht_s", "patience_s"})
    if (auto col = t.find_column(c)) r.carried.push_back(*col);
  return r;
}

// "HH:MM" or "HH:MM:SS" -> seconds after midnight.
std::int64_t time_of_day(const std::string& text, const std::string& where) {
  const auto t = wfm::parse_timestamp("1970-01-01 " + text);
  if (!t || *t < 0 || *t >= wfm::seconds_per_day)
    wfm::detail::throw_invalid(where, "must be a local time of day 'HH:MM'", text);
  return *t;
}

// Template starts given as local times of day ("start_times": ["07:00", ...] or
// {"from": "07:00", "to": "13:00", "step_s": 900}) become interval indices on the requirement's
// grid, on every day it spans (shifts that would end after the grid are dropped).
void convert_start_times(json& model, const std::string& src, const Requirement* req) {
  const char* tkey = model.contains("templates") ? "templates" : "shift_templates";
  if (!model.contains(tkey) || !model[tkey].is_array()) return;
  for (std::size_t k = 0; k < model[tkey].size(); ++k) {
    json& jt = model[tkey][k];
    if (!jt.is_object() || !jt.contains("start_times")) continue;
    const std::string where = fmt::format("{}: field '{}[{}].start_times'", src, tkey, k);
    if (!req) wfm::detail::throw_invalid(where, "needs the requirement by timestamp (-i)");
    std::vector<std::int64_t> tod;
    const json& js = jt["start_times"];
    if (js.is_array()) {
      for (const json& x : js)
        tod.push_back(time_of_day(x.is_string() ? x.get<std::string>() : std::string("?"), where));
    } else if (js.is_object() && js.contains("from") && js["from"].is_string()) {
      const std::int64_t from = time_of_day(js["from"].get<std::string>(), where);
      const std::int64_t to =
          js.contains("to") ? time_of_day(js["to"].get<std::string>(), where) : from;
      const std::int64_t step = js.value("step_s", req->grid.interval_length_s());
      if (step <= 0) wfm::detail::throw_invalid(where, "step_s must be > 0");
      for (std::int64_t s = from; s <= to; s += step) tod.push_back(s);
    } else {
      wfm::detail::throw_invalid(where, "must be a list of 'HH:MM' or {\"from\", \"to\", \"step_s\"}");
    }
    const int length = jt.value("length", 0);
    std::vector<std::int64_t> starts;
    const wfm::IntervalGrid& g = req->grid;
    const auto n = static_cast<std::int64_t>(g.size());
    for (std::int64_t day = wfm::day_of(g.local(0)); day <= wfm::day_of(g.local(g.size() - 1));
         ++day)
      for (const std::int64_t s : tod)  // both intervals of a repeated local time
        for (const std::size_t idx : g.indices_of_local(day * wfm::seconds_per_day + s))
          if (static_cast<std::int64_t>(idx) + length <= n)
            starts.push_back(static_cast<std::int64_t>(idx));
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    jt.erase("start_times");
    jt["starts"] = starts;
  }
}

ws::CoverageModel load_model(const Flags& f, std::optional<Requirement>& req) {
  const bool dzn = f.model.size() > 4 && f.model.substr(f.model.size() - 4) == ".dzn";
  if (dzn) {
    ws::CoverageModel m = ws::read_msd_dzn(f.model);
    if (!f.input.empty()) {
      req = read_requirement(f, m.interval_length);
      m.requirement = req->agents;
    }
    return m;
  }
  std::ifstream in(f.model, std::ios::binary);
  if (!in) wfm::detail::throw_invalid(f.model, "cannot open the file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  json j;
  try {
    j = json::parse(ss.str());
  } catch (const json::exception& e) {  // parse errors, and number overflow (406)
    wfm::detail::throw_invalid(f.model, fmt::format("not valid JSON: {}", e.what()));
  }
  if (!j.is_object()) wfm::detail::throw_invalid(f.model, "the model must be a JSON object");
  double len = 0.0;
  if (j.contains("interval_length_s") && j["interval_length_s"].is_number())
    len = j["interval_length_s"].get<double>();
  else if (j.contains("interval_minutes") && j["interval_minutes"].is_number())
    len = 60.0 * j["interval_minutes"].get<double>();
  if (!f.input.empty()) {
    req = read_requirement(f, len);
    j.erase("demand");
    j["requirement"] = req->agents;
    j["interval_length_s"] = static_cast<double>(req->grid.interval_length_s());
    j.erase("interval_minutes");
    j.erase("num_intervals");
  }
  convert_start_times(j, f.model, req ? &*req : nullptr);
  return ws::parse_model_json(j.dump(), f.model);
}

// The timestamp of interval i of `grid`, also past its end (a shift's end).
std::string stamp(const wfm::IntervalGrid& grid, std::size_t i) {
  if (i < grid.size()) return grid.timestamp(i);
  return grid.following(i - grid.size() + 1).timestamp(i - grid.size());
}

std::string coverage_csv(const ws::CoverageModel& m, const ws::Schedule& s,
                         const std::optional<Requirement>& req, const wfm::IntervalGrid& grid) {
  std::string out = "timestamp";
  if (req)
    for (std::size_t c : req->carried) out += "," + req->table.header()[c];
  out += ",agents_required,agents\n";
  for (std::size_t i = 0; i < m.requirement.size(); ++i) {
    if (req && req->row[i] < 0) continue;  // closed: no row
    out += stamp(grid, i);
    if (req)
      for (std::size_t c : req->carried)
        out += "," + req->table.text(static_cast<std::size_t>(req->row[i]), c);
    out += fmt::format(",{},{}\n", m.requirement[i], i < s.coverage.size() ? s.coverage[i] : 0.0);
  }
  return out;
}

std::string schedule_csv(const ws::CoverageModel& m, const ws::Schedule& s,
                         const wfm::IntervalGrid& grid) {
  std::string out = "template,start,end,agents,breaks\n";
  const auto n = static_cast<int>(m.requirement.size());
  auto at = [&](int interval) {
    return stamp(grid, static_cast<std::size_t>(m.cyclic ? interval % n : interval));
  };
  for (const auto& a : s.shifts) {
    const auto& t = m.templates[static_cast<std::size_t>(a.template_index)];
    std::string br;
    for (std::size_t k = 0; k < a.break_agents.size(); ++k) {
      if (k) br += '|';
      bool first = true;
      for (std::size_t p = 0; p < a.break_agents[k].size(); ++p)
        if (a.break_agents[k][p] > 0) {
          br += fmt::format("{}{}={}", first ? "" : ";",
                            at(a.start + t.breaks[k].earliest_offset + static_cast<int>(p)),
                            a.break_agents[k][p]);
          first = false;
        }
    }
    out += fmt::format("{},{},{},{},{}\n", t.name, at(a.start), at(a.start + t.length), a.agents,
                       br);
  }
  return out;
}

int exit_code_of(const ws::Schedule& s, const ws::CheckReport& chk) {
  if (!s.shifts.empty() && !(chk.valid && chk.consistent)) return wfm::exit_code::failure;
  switch (s.status) {
    case wfm::Status::time_limit:
    case wfm::Status::stopped:
      return s.shifts.empty() ? wfm::exit_code::time_limit : wfm::exit_code::ok;
    default: return wfm::exit_code_for(s.status);
  }
}

// Rosters the schedule for the agents of --agents (wfm::schedule::make_roster) and adds --roster
// to the outputs; returns the exit code of the roster (3 when infeasible) and its summary text.
std::pair<int, std::string> roster_step(const Flags& f, const ws::CoverageModel& model, const ws::Schedule& s,
                                        const wfm::IntervalGrid& grid, wfm::OutputSet& out) {
  const std::vector<ws::Agent> agents = ws::agents_from_table(wfm::read_csv(f.agents), model);
  ws::RosterOptions o;
  o.time_limit = f.solve.time_limit;
  o.seed = f.solve.seed;
  o.cpu_time = f.solve.cpu_time;
  o.first_weekday = wfm::weekday(grid.local(0));
  const ws::RosterResult r = ws::make_roster(model, s, agents, o);
  const ws::RosterCheck chk = ws::check_roster(model, s, agents, r);
  if (!f.roster.empty()) out.add(f.roster, ws::roster_to_csv(model, r, grid));
  std::string text = fmt::format("roster_status: {}\nagents: {}\nshifts: {}\nunassigned: {}\ncoverage_lost_s: {:.0f}\n"
             "preferences_granted: {} of {}\nweekends_off: {}..{}\nnights: {}..{}\n"
             "roster_checked: {}\nroster_message: {}\n",
             wfm::to_string(r.status), agents.size(), r.shifts, r.unassigned.size(), r.coverage_lost_s,
             r.preferences_granted, r.preferences_stated, r.min_weekends_off, r.max_weekends_off,
             r.min_nights, r.max_nights, chk.valid && chk.consistent ? "ok" : chk.problems.front(), r.message);
  return {chk.valid && chk.consistent ? wfm::exit_code_for(r.status) : wfm::exit_code::failure, text};
}

int schedule_main(Flags& f) {
  wfm::cli::time_limit(f.solve.time_limit);
  wfm::cli::fraction("--gap", f.solve.mip_gap);
  f.solve.use_cbc = !f.no_cbc;
  f.solve.engine = ws::engine_from_string(f.engine);
  std::optional<Requirement> req;
  const ws::CoverageModel model = load_model(f, req);
  std::int64_t start = wfm::days_from_civil(2000, 1, 3) * wfm::seconds_per_day;
  if (!req && f.model.ends_with(".json")) {
    std::ifstream in(f.model);
    const json j = json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("start") && j["start"].is_string()) {
      const auto t = wfm::parse_timestamp(j["start"].get<std::string>());
      if (!t) wfm::detail::throw_invalid(f.model + ": field 'start'", "not a timestamp",
                                         j["start"].get<std::string>());
      start = *t;
    }
  }
  const wfm::IntervalGrid grid =
      req ? req->grid
          : wfm::IntervalGrid::naive(start, static_cast<std::int64_t>(model.interval_length),
                                     model.requirement.size());
  if (!f.quiet)
    f.solve.progress = [](const wfm::Progress& p) {
      const double gap = (p.objective - p.bound) / std::max(std::abs(p.objective), 1e-12);
      fmt::print(stderr, "[{:7.2f} s] {:5} best {:>12.2f}  bound {:>12.2f}  gap {:.6f}\n",
                 p.elapsed_s, p.step, p.objective, p.bound, gap);
      return true;
    };
  const ws::Schedule s = ws::solve(model, f.solve);
  const ws::CheckReport chk = ws::check_schedule(model, s);
  wfm::OutputSet out;
  if (!f.output.empty())
    out.add(f.output, f.output.ends_with(".json") ? ws::schedule_to_json(model, s)
                                                  : schedule_csv(model, s, grid));
  if (!f.coverage.empty()) out.add(f.coverage, coverage_csv(model, s, req, grid));
  if (!f.summary.empty()) out.add(f.summary, ws::schedule_to_json(model, s));
  int code = exit_code_of(s, chk);
  std::string roster_text;
  if (!f.agents.empty()) {
    auto [roster_code, text] = roster_step(f, model, s, grid, out);
    code = std::max(code, roster_code);
    roster_text = std::move(text);
  }
  out.commit();
  fmt::print(
      "status: {}\ncost: {:.4f}\nlower_bound: {:.4f}\nlp_bound: {:.4f}\ngap: {:.6f}\n"
      "headcount: {}\nshift_cost: {:.4f}\npenalty_cost: {:.4f}\nfixed_cost: {:.4f}\n"
      "seconds: {:.3f}\nchecked: {}\nmessage: {}\n",
      wfm::to_string(s.status), s.cost, s.lower_bound, s.lp_bound, s.gap, s.headcount,
      s.shift_cost, s.penalty_cost, s.fixed_cost, s.seconds,
      s.shifts.empty() ? "no schedule" : (chk.valid && chk.consistent ? "ok" : chk.message),
      s.message);
  fmt::print("{}", roster_text);
  return code;
}

constexpr const char* model_help =
    "Model JSON: {\"interval_length_s\": 900 (old files: \"interval_minutes\": 15),\n"
    "  \"cyclic\": false, \"hard_cover\": true, \"under_cost\": 0, \"over_cost\": 0,\n"
    "  \"min_headcount\": 0, \"max_headcount\": -1, \"requirement\": [agents per interval]\n"
    "  (only without -i; then \"start\": \"YYYY-MM-DD HH:MM\" dates interval 0),\n"
    "  \"shift_templates\": [{\"name\": \"F8\", \"length\": 34, \"paid\": 32, \"cost\": 32,\n"
    "    \"start_times\": [\"07:00\", \"07:15\"] or {\"from\": \"07:00\", \"to\": \"13:00\",\n"
    "    \"step_s\": 900} (local times of day, on every day of the -i grid; or \"starts\":\n"
    "    interval indices from the first timestamp),\n"
    "    \"breaks\": [{\"length\": 2, \"earliest_offset\": 14, \"latest_offset\": 20}],\n"
    "    \"max_agents\": -1, \"max_agents_per_start\": -1, \"fixed_cost\": 0}]}\n"
    "Lengths and offsets are in intervals; costs per shift. Intervals with no row in -i are\n"
    "closed: requirement 0, and no coverage row.";

void add_flags(CLI::App& app, Flags& f) {
  app.add_option("--model", f.model, "model: JSON (below), or a minimum-shift-design .dzn")
      ->required();
  app.add_option("input,-i,--input", f.input,
                 "requirement CSV by timestamp (wfm-staff's output); default: the model's own");
  app.add_option("--column", f.column, "requirement column of the input [agents]")
      ->capture_default_str();
  app.add_option("--interval-length", f.interval_length,
                 "interval length [s], a whole number; default: the model's, else the smallest "
                 "spacing of the input's timestamps");
  app.add_option("--time-zone", f.time_zone, "IANA zone of the timestamps; default: wall clock");
  app.add_option("--time-limit", f.solve.time_limit, "wall-clock limit of the search [s]")
      ->capture_default_str();
  app.add_option("--seed", f.solve.seed, "seed of the search")->capture_default_str();
  app.add_option("--gap", f.solve.mip_gap, "stop at this relative gap (fraction)")
      ->capture_default_str();
  app.add_flag("--no-cbc", f.no_cbc, "do not run the MIP engine (CBC or HiGHS) after the heuristics");
  app.add_option("--engine", f.engine,
                 "LP/MIP engine: clp_cbc, highs or clp_highs (CLP for the LP, HiGHS for the MIP); "
                 "the HiGHS ones need a build with -DWFM_WITH_HIGHS=ON")
      ->capture_default_str();
  app.add_flag("--cpu-time", f.solve.cpu_time, "time limit in process CPU time (shared machines)");
  app.add_option("-o,--output", f.output,
                 "schedule output: CSV template,start,end,agents,breaks (breaks: "
                 "'timestamp=agents;...' per break, '|' between breaks), or JSON when the name "
                 "ends in .json; '-' = standard output");
  app.add_option("--coverage", f.coverage,
                 "coverage CSV: timestamp[,volume,aht_s,patience_s],agents_required,agents "
                 "(agents = on the phones, net of breaks): wfm-simulate's input");
  app.add_option("--summary", f.summary, "summary + schedule as JSON");
  app.add_flag("-q,--quiet", f.quiet, "no progress on standard error");
  auto* agents = app.add_option("--agents", f.agents,
                 "named agents CSV: agent[,skill,min_week_s,max_week_s,max_days_per_week,"
                 "max_consecutive_days,min_rest_s,templates ('F8;N8'),start_from_s,start_to_s,"
                 "days_off ('5;6'),unavailable ('2')] (days: 86,400 s blocks from the grid start): "
                 "roster the schedule for them");
  app.add_option("--roster", f.roster,
                 "roster output (with --agents): CSV agent,template,start,end,breaks "
                 "(breaks 'offset:1' per window, offsets in intervals)")
      ->needs(agents);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"wfm-schedule: cover a requirement with shifts and breaks at least cost."};
  app.footer(std::string(model_help) + "\n" + wfm::cli::exit_codes_help);
  Flags f;
  add_flags(app, f);
  return wfm::cli::run("wfm-schedule", app, argc, argv, [&] { return schedule_main(f); });
}
