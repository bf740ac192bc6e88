#pragma once
/// \file
/// Solving a CoverageModel: LP relaxation (COIN-OR CLP) for the bound, LP-guided primal
/// heuristics for integer schedules, CBC branch-and-cut to polish or prove when time allows.
///
/// Formulation (integer program):
///   x[s]      agents starting shift s = (template, start)
///   b[s,k,p]  agents of shift s taking break k at placement p, with sum_p b[s,k,p] = x[s]
///   coverage[i] = sum_{s covers i} x[s] - sum_{(s,k,p) breaks at i} b[s,k,p]
/// This is the implicit break model of Aykin (1996), "Optimal shift scheduling with multiple
/// break windows", Management Science 42(4):591-602: with independent (disjoint, ordered) break
/// windows it has the LP bound of the explicit set-covering model of Dantzig (1954), "A comment on
/// Edie's traffic delays at toll booths", Operations Research 2(3):339-341, with one column per
/// (start, break combination), and several times fewer variables.
///
/// Without breaks every column of the covering matrix has consecutive ones (an interval matrix),
/// which is totally unimodular (Veinott & Wagner 1962; Schrijver 1986, Thm 19.3 / Ex. 19.1): the
/// simplex optimum is integral when the requirement is integral and no side constraint couples
/// the templates. In a cyclic week the ones are circular, which is not TU in general (three arcs
/// each covering two of three intervals with requirement 1: LP 1.5, integer 2); there the LP is
/// solved, accepted when integral, and otherwise the heuristics and CBC take over. Fixing the
/// shifts that cross the week's wrap point leaves an interval matrix (Bartholdi, Orlin & Ratliff
/// 1980, Oper. Res. 28(5):1074-1085), which the dive exploits by fixing those first.

#include <cstdint>
#include <limits>
#include <functional>
#include <string_view>
#include <wfm/core/status.hpp>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>
#include <wfm/schedule/search_policy.hpp>

namespace wfm::schedule {

/// The LP/MIP engine under the search (issue 15). `clp_cbc`: COIN-OR CLP for the LP relaxation
/// and the dives, CBC branch-and-cut for the MIP runs (Debian packages; always built). `highs`:
/// HiGHS for both (Huangfu & Hall 2018, "Parallelizing the dual revised simplex method", Math.
/// Prog. Comp. 10:119-142, for the simplex; its own branch-and-cut for the MIP). `clp_highs`:
/// CLP for the LP and the dives, HiGHS for the MIP runs. The two with HiGHS exist only when wfm
/// is built with -DWFM_WITH_HIGHS=ON (HiGHS from PyPI's highsbox; see README); selecting one
/// otherwise throws InvalidArgument.
enum class Engine { clp_cbc, highs, clp_highs };

/// "clp_cbc", "highs", "clp_highs".
[[nodiscard]] constexpr std::string_view to_string(Engine engine) noexcept {
  switch (engine) {
    case Engine::highs: return "highs";
    case Engine::clp_highs: return "clp_highs";
    case Engine::clp_cbc: break;
  }
  return "clp_cbc";
}
/// The engine of that name. \throws InvalidArgument naming `engine` and the value when unknown.
[[nodiscard]] Engine engine_from_string(std::string_view name);
/// True when this build has the HiGHS back end (-DWFM_WITH_HIGHS=ON).
[[nodiscard]] bool highs_available() noexcept;

struct SolveOptions {
  double time_limit = 10.0;    ///< [s] wall clock, > 0
  double mip_gap = 1e-6;       ///< stop and report optimal when the relative gap is below this
  std::uint64_t seed = 0;      ///< the search is deterministic for a given seed (and limits)
  /// let the MIP engine (CBC, or HiGHS with `engine` highs / clp_highs) polish / prove in the
  /// remaining time and solve the sub-MIPs of the large-neighbourhood search
  bool use_cbc = true;
  int lns_iterations = -1;     ///< cap on large-neighbourhood rounds; < 0: until the time limit
  /// Measure time_limit in process CPU time instead of wall-clock time (benchmarks on a shared,
  /// loaded machine). Results are deterministic for a seed only when no time limit binds.
  bool cpu_time = false;
  /// LP/MIP engine (see Engine). The default stays clp_cbc: bench/RESULTS.md, issue 15 part 1.
  Engine engine = Engine::clp_cbc;
  /// Tuning of the search; plan_search() derives the per-instance plan from it (issue 15).
  SearchPolicy policy = {};
  /// Optional. Progress::step is the phase ("lp", "dive", "lns", "cbc"), `objective` the
  /// incumbent's cost (inf if none), `bound` the proven lower bound, `elapsed_s` the time;
  /// returning false stops the search.
  ProgressCallback progress = {};
};

/// The LP relaxation only (Aykin's implicit model). `shifts` are empty; lp_bound, lower_bound,
/// status (optimal / infeasible / error) and lp_integral are filled.
[[nodiscard]] Schedule solve_lp(const CoverageModel& model, const SolveOptions& options = {});

/// Solves the model: LP bound, integer schedule, gap. \throws InvalidArgument on a bad model.
[[nodiscard]] Schedule solve(const CoverageModel& model, const SolveOptions& options = {});

}  // namespace wfm::schedule
