// wfm-schedule: shifts and breaks that cover a requirement at least cost.
//
//   wfm-schedule --model examples/data/schedule_day.json --time-limit 5
//                --schedule shifts.csv --coverage coverage.csv
//
// The model is JSON (see <wfm/schedule/io.hpp>) or a minimum-shift-design .dzn file; the
// requirement may come from a CSV column instead. Outputs: the schedule (CSV, or JSON when the
// name ends in .json), the per-interval coverage (CSV), a summary on stdout, progress on stderr.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

namespace ws = wfm::schedule;

int main(int argc, char** argv) {
  CLI::App app{"wfm-schedule: cover a requirement with shifts and breaks at least cost"};
  std::string model_path, requirement_path, column = "agents", schedule_path, coverage_path,
                                            summary_path;
  ws::SolveOptions opt;
  bool quiet = false, no_cbc = false;
  app.add_option("--model", model_path, "model: JSON, or a minimum-shift-design .dzn")->required();
  app.add_option("--requirement", requirement_path, "CSV with the requirement per interval");
  app.add_option("--column", column, "requirement column in the CSV")->capture_default_str();
  app.add_option("--time-limit", opt.time_limit, "wall-clock limit [s]")->capture_default_str();
  app.add_option("--seed", opt.seed, "seed of the search")->capture_default_str();
  app.add_option("--gap", opt.mip_gap, "stop at this relative gap (fraction)")->capture_default_str();
  app.add_flag("--no-cbc", no_cbc, "do not run CBC after the heuristics");
  app.add_flag("--cpu-time", opt.cpu_time, "time limit in process CPU time (shared machines)");
  app.add_option("--schedule", schedule_path, "schedule output (.csv or .json; '-' = stdout)");
  app.add_option("--coverage", coverage_path, "per-interval coverage output CSV");
  app.add_option("--summary", summary_path, "summary + schedule as JSON");
  app.add_flag("--quiet", quiet, "no progress on stderr");
  CLI11_PARSE(app, argc, argv);
  opt.use_cbc = !no_cbc;
  try {
    const bool dzn = model_path.size() > 4 && model_path.substr(model_path.size() - 4) == ".dzn";
    ws::CoverageModel model = dzn ? ws::read_msd_dzn(model_path) : ws::read_model_json(model_path);
    if (!requirement_path.empty()) model.requirement = ws::read_requirement_csv(requirement_path, column);
    if (!quiet)
      opt.progress = [](const wfm::Progress& p) {
        std::cerr << fmt::format("[{:7.2f} s] {:5} best {:>12.2f}  bound {:>12.2f}  gap {:7.4f} %\n",
                                 p.elapsed_s, p.step, p.objective, p.bound,
                                 100.0 * (p.objective - p.bound) / std::max(std::abs(p.objective), 1e-12));
        return true;
      };
    const ws::Schedule s = ws::solve(model, opt);
    const ws::CheckReport chk = ws::check_schedule(model, s);
    if (!schedule_path.empty()) {
      const bool js = schedule_path.size() > 5 && schedule_path.substr(schedule_path.size() - 5) == ".json";
      wfm::write_file_atomic(schedule_path, js ? ws::schedule_to_json(model, s) : ws::schedule_to_csv(model, s));
    }
    if (!coverage_path.empty()) wfm::write_file_atomic(coverage_path, ws::coverage_to_csv(model, s));
    if (!summary_path.empty()) wfm::write_file_atomic(summary_path, ws::schedule_to_json(model, s));
    std::cout << fmt::format(
        "status: {}\ncost: {:.4f}\nlower_bound: {:.4f}\nlp_bound: {:.4f}\ngap: {:.6f}\nheadcount: {}\n"
        "shift_cost: {:.4f}\npenalty_cost: {:.4f}\nfixed_cost: {:.4f}\nseconds: {:.3f}\nchecked: {}\n"
        "message: {}\n",
        wfm::to_string(s.status), s.cost, s.lower_bound, s.lp_bound, s.gap, s.headcount,
        s.shift_cost, s.penalty_cost, s.fixed_cost, s.seconds,
        s.shifts.empty() ? "no schedule" : (chk.valid && chk.consistent ? "ok" : chk.message),
        s.message);
    if (s.status == wfm::Status::infeasible || s.status == wfm::Status::error) return 2;
    return (s.shifts.empty() || (chk.valid && chk.consistent)) ? 0 : 3;
  } catch (const wfm::InvalidArgument& e) {
    std::cerr << "wfm-schedule: " << e.what() << "\n";
    return 1;
  }
}
