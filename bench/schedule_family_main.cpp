// The schedule-quality benchmark of issue 15: gap to the LP bound on the seeded instance family
// (schedule_family.hpp) and on the shared weeks, at given CPU-time limits, per back end.
//
//   wfm_bench_schedule_family --manifest FILE             write the manifest CSV and exit
//   wfm_bench_schedule_family [--solver wfm|cbc] [--limits 1,10] [--only SUBSTR[,SUBSTR...]]
//                             [--shared DIR|none] [--seed N] [--family-seed N] [--out FILE.csv]
//
// --seed is the solver's seed; --family-seed the generator's base seed (default 15, the
// standard family): other values give unseen weeks of the same kinds and names.
//
// One CSV row per (instance, limit): solver, instance, kind, limit_s, status, lp_bound,
// objective, gap (= (objective - lp_bound) / lp_bound, empty without a schedule), lower_bound,
// cpu_s, checked (1: check_schedule finds the schedule valid and consistent), planted_cost
// (design instances: cost of the planted shifts, an upper bound on the optimum). Summaries:
// scripts/bench-schedule-family.sh (bench/schedule_family_summary.py). Limits are CPU seconds
// of this process (SolveOptions::cpu_time), single thread.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include <wfm/schedule/schedule.hpp>

#include "../src/schedule/formulation.hpp"  // private: the "CBC / HiGHS alone" path only
#include "../src/schedule/lp_backend.hpp"
#include "schedule_family.hpp"

namespace ws = wfm::schedule;
namespace fs = std::filesystem;

namespace {

struct Instance {
  std::string name, kind;
  ws::CoverageModel model;
  double planted = std::nan("");
};

struct Outcome {
  std::string status;
  double lp_bound = std::nan(""), objective = std::nan(""), lower_bound = std::nan("");
  bool checked = false;
};

double cpu_now() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// wfm's search (LP, heuristics, CBC polishing) with a CPU-time limit, on an LP/MIP engine.
Outcome run_wfm_on(const ws::CoverageModel& m, double limit, std::uint64_t seed, ws::Engine e) {
  const ws::Schedule s =
      ws::solve(m, {.time_limit = limit, .seed = seed, .cpu_time = true, .engine = e});
  Outcome o;
  o.status = std::string(wfm::to_string(s.status));
  o.lp_bound = s.lp_bound;
  o.lower_bound = s.lower_bound;
  if (!s.shifts.empty() || std::isfinite(s.cost)) {
    o.objective = s.cost;
    const auto chk = ws::check_schedule(m, s);
    o.checked = chk.valid && chk.consistent;
  }
  return o;
}

Outcome run_wfm(const ws::CoverageModel& m, double limit, std::uint64_t seed) {
  return run_wfm_on(m, limit, seed, ws::Engine::clp_cbc);
}

// CBC 2.10 (or HiGHS) alone on the same implicit-break model (no MIP start, no wfm heuristics),
// same CPU limit; the LP bound comes from CLP outside the limit.
Outcome run_mip(const ws::CoverageModel& m, double limit, std::uint64_t seed, ws::Engine e) {
  Outcome o;
  o.lp_bound = ws::solve_lp(m, {.time_limit = 600.0, .cpu_time = true}).lp_bound;
  const auto f = ws::detail::build_formulation(m);
  const auto r = ws::detail::solve_mip(e, f.lp, f.is_int, {}, limit, 1e-6, seed, true);
  o.lower_bound = r.bound + f.offset;
  o.status = r.proven_optimal ? "optimal" : r.found ? "time_limit" : "no_solution";
  if (r.found) {
    ws::Schedule s = ws::detail::schedule_from_columns(m, f, r.x);
    o.objective = s.cost;
    const auto chk = ws::check_schedule(m, s);
    o.checked = chk.valid && chk.consistent;
  }
  return o;
}

Outcome run_cbc(const ws::CoverageModel& m, double limit, std::uint64_t seed) {
  return run_mip(m, limit, seed, ws::Engine::clp_cbc);
}

// The LP relaxation alone (its time is the cpu_s column), on CLP or HiGHS.
Outcome run_lp(const ws::CoverageModel& m, double limit, ws::Engine e) {
  const ws::Schedule s = ws::solve_lp(m, {.time_limit = limit, .cpu_time = true, .engine = e});
  Outcome o;
  o.status = std::string(wfm::to_string(s.status));
  o.lp_bound = s.lp_bound;
  o.lower_bound = s.lower_bound;
  return o;
}

using Runner = std::function<Outcome(const ws::CoverageModel&, double, std::uint64_t)>;

// Back ends by name; the HiGHS ones only in a build with -DWFM_WITH_HIGHS=ON (issue 15):
// highs = HiGHS MIP alone, wfm-highs / wfm-clp_highs = wfm's search on that engine,
// lp-clp / lp-highs = the LP bound alone.
const std::map<std::string, Runner>& solvers() {
  static const std::map<std::string, Runner> table = [] {
    std::map<std::string, Runner> t{
        {"wfm", run_wfm},
        {"cbc", run_cbc},
        {"lp-clp", [](const auto& m, double l, std::uint64_t) { return run_lp(m, l, ws::Engine::clp_cbc); }}};
    if (ws::highs_available()) {
      t["highs"] = [](const auto& m, double l, std::uint64_t s) { return run_mip(m, l, s, ws::Engine::highs); };
      t["wfm-highs"] = [](const auto& m, double l, std::uint64_t s) {
        return run_wfm_on(m, l, s, ws::Engine::highs);
      };
      t["wfm-clp_highs"] = [](const auto& m, double l, std::uint64_t s) {
        return run_wfm_on(m, l, s, ws::Engine::clp_highs);
      };
      t["lp-highs"] = [](const auto& m, double l, std::uint64_t) { return run_lp(m, l, ws::Engine::highs); };
    }
    return t;
  }();
  return table;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream is(s);
  std::string tok;
  while (std::getline(is, tok, ','))
    if (!tok.empty()) out.push_back(tok);
  return out;
}

// The shared weeks: cc/*.json (hard cover, breaks) and msd/**/*.dzn (shift design), if present.
std::vector<fs::path> shared_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".json" || ext == ".dzn")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Instance load_shared(const fs::path& dir, const fs::path& p) {
  Instance in;
  in.name = fs::relative(p, dir).replace_extension().string();
  if (p.extension() == ".dzn") {
    in.model = ws::read_msd_dzn(p.string());
    in.kind = "shared-msd";
  } else {
    in.model = ws::read_model_json(p.string());
    in.kind = in.model.cyclic ? "shared-cc-247" : "shared-cc-day";
  }
  return in;
}

bool selected(const std::string& name, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  for (const auto& o : only)
    if (name.find(o) != std::string::npos) return true;
  return false;
}

struct Args {
  std::string solver = "wfm", out, manifest, shared = WFM_SHARED_DATA_DIR "/sched";
  std::vector<double> limits{1.0, 10.0};
  std::vector<std::string> only;
  std::uint64_t seed = 0;
  std::uint64_t family_seed = 15;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + k);
      return argv[++i];
    };
    if (k == "--solver") a.solver = val();
    else if (k == "--limits") { a.limits.clear(); for (auto& t : split(val())) a.limits.push_back(std::stod(t)); }
    else if (k == "--only") a.only = split(val());
    else if (k == "--shared") a.shared = val();
    else if (k == "--seed") a.seed = std::stoull(val());
    else if (k == "--family-seed") a.family_seed = std::stoull(val());
    else if (k == "--out") a.out = val();
    else if (k == "--manifest") a.manifest = val();
    else throw std::runtime_error("unknown argument " + k);
  }
  return a;
}

int run(const Args& a) {
  const auto fam = ws::family::standard_family(a.family_seed);
  if (!a.manifest.empty()) {
    std::ofstream(a.manifest) << ws::family::manifest_csv(fam);
    return 0;
  }
  const auto it = solvers().find(a.solver);
  if (it == solvers().end()) throw std::runtime_error("unknown --solver " + a.solver);
  std::vector<std::function<Instance()>> todo;
  for (const auto& p : fam)
    if (selected(p.name, a.only))
      todo.push_back([p] {
        return Instance{p.name, p.kind, ws::family::generate(p), ws::family::planted_cost(p)};
      });
  if (a.shared != "none")
    for (const auto& f : shared_files(a.shared))
      if (selected(fs::relative(f, a.shared).string(), a.only))
        todo.push_back([dir = fs::path(a.shared), f] { return load_shared(dir, f); });
  std::ofstream file;
  if (!a.out.empty()) file.open(a.out, std::ios::app);
  std::ostream& os = a.out.empty() ? std::cout : file;
  if (a.out.empty() || fs::file_size(a.out) == 0)
    os << "solver,instance,kind,limit_s,status,lp_bound,objective,gap,lower_bound,cpu_s,checked,"
          "planted_cost\n";
  for (const auto& make : todo) {
    const Instance in = make();
    for (double limit : a.limits) {
      const double t0 = cpu_now();
      const Outcome o = it->second(in.model, limit, a.seed);
      const double gap = (o.objective - o.lp_bound) / std::abs(o.lp_bound);
      os << fmt::format("{},{},{},{:g},{},{:.6f},{:.6f},{},{:.6f},{:.2f},{},{:g}\n", a.solver,
                        in.name, in.kind, limit, o.status, o.lp_bound, o.objective,
                        std::isfinite(gap) ? fmt::format("{:.6g}", gap) : "", o.lower_bound,
                        cpu_now() - t0, o.checked ? 1 : 0, in.planted)
         << std::flush;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "wfm_bench_schedule_family: " << e.what() << "\n";
    return 2;
  }
}
