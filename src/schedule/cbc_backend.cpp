// COIN-OR CBC branch-and-cut behind wfm::schedule::detail::solve_mip_cbc.
#include <coin/CbcModel.hpp>
#include <coin/CbcSolver.hpp>
#include <coin/ClpSolve.hpp>
#include <coin/OsiClpSolverInterface.hpp>
#include <fmt/format.h>

#include <mutex>
#include <string>

#include "lp_backend.hpp"

namespace wfm::schedule::detail {

namespace {
/// CbcMain0/CbcMain1 parse their command line into parameter tables that CBC 2.10 keeps in
/// static storage (CbcSolver.cpp: `parameters_` and friends), shared by every CbcModel in the
/// process: two solves at once corrupt each other's settings (seed, time limit, log level) and
/// can return a wrong "optimal". Every CBC call therefore runs under this one mutex; CLP
/// (clp_backend.cpp) keeps its state in its ClpSimplex object and runs concurrently.
std::mutex cbc_mutex;
// "-preprocess off": Debian's CBC 2.10 crashes (SIGSEGV in CglPreProcess::postProcess) when the
// time limit strikes during preprocessing, and on some models given a MIP start; every call here
// has both, so CglPreProcess is never run (the cuts and heuristics of branch-and-cut still are).

/// CLP's own choice for the root LP (dual or primal simplex, after its presolve), but never the
/// Idiot crash: its crossover (Idiot::crossOver -> ClpPresolve::gutsOfPresolvedModel) crashes
/// Debian's CLP 1.17 (SIGSEGV) on some models, a fixed-cost design week of the benchmark family
/// among them (bench/schedule_family.hpp, f37 at family seed 16). ClpSolve::setSpecialOption(1,
/// 5) = "startup in primal: use initiative but no idiot" (ClpSolve.hpp); CBC's "-idiotCrash 0"
/// does not reach this solve (CbcModel::initialSolve takes the solver's own options).
ClpSolve root_solve_options() {
  ClpSolve options;
  options.setSpecialOption(1, 5);
  return options;
}
}  // namespace

MipResult solve_mip_cbc(const SparseLp& lp, const std::vector<char>& is_int,
                        const std::vector<double>& start, double time_limit, double rel_gap,
                        std::uint64_t seed, bool cpu_time) {
  MipResult out;
  OsiClpSolverInterface osi;
  std::vector<CoinBigIndex> cs(lp.col_start.begin(), lp.col_start.end());
  osi.loadProblem(lp.num_cols, lp.num_rows, cs.data(), lp.row_index.data(), lp.value.data(),
                  lp.col_lo.data(), lp.col_up.data(), lp.obj.data(), lp.row_lo.data(),
                  lp.row_up.data());
  for (int j = 0; j < lp.num_cols; ++j)
    if (is_int[static_cast<std::size_t>(j)]) osi.setInteger(j);
  osi.messageHandler()->setLogLevel(0);
  osi.setSolveOptions(root_solve_options());
  std::vector<std::pair<std::string, double>> mipstart;
  if (!start.empty()) {
    for (int j = 0; j < lp.num_cols; ++j) osi.setColName(j, fmt::format("c{}", j));
    for (int j = 0; j < lp.num_cols; ++j)
      mipstart.emplace_back(fmt::format("c{}", j), start[static_cast<std::size_t>(j)]);
  }
  const std::lock_guard<std::mutex> lock(cbc_mutex);
  CbcModel model(osi);
  model.messageHandler()->setLogLevel(0);
  CbcMain0(model);
  if (!mipstart.empty()) model.setMIPStart(mipstart);
  const std::string sec = fmt::format("{:.3f}", time_limit > 0.01 ? time_limit : 0.01);
  const std::string gap = fmt::format("{:.3g}", rel_gap);
  const std::string sd = fmt::format("{}", static_cast<int>(seed % 1000000 + 1));
  const char* argv[] = {"wfm", "-log", "0", "-threads", "0", "-randomCbcSeed", sd.c_str(),
                        "-timeMode", cpu_time ? "cpu" : "elapsed", "-sec", sec.c_str(),
                        "-ratioGap", gap.c_str(), "-preprocess", "off", "-solve", "-quit"};
  CbcMain1(static_cast<int>(sizeof(argv) / sizeof(argv[0])), argv, model);
  out.proven_infeasible = model.isProvenInfeasible();
  out.bound = model.getBestPossibleObjValue();
  if (model.bestSolution() != nullptr) {
    out.found = true;
    out.x.assign(model.bestSolution(), model.bestSolution() + lp.num_cols);
    out.objective = model.getObjValue();
    out.proven_optimal = model.isProvenOptimal();
  }
  return out;
}

}  // namespace wfm::schedule::detail
