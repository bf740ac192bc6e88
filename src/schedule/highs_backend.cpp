// HiGHS behind wfm::schedule::detail::LpSolver and solve_mip_highs() (built with WFM_WITH_HIGHS).
// HiGHS: Huangfu & Hall (2018), "Parallelizing the dual revised simplex method", Math. Prog. Comp.
// 10:119-142 (the dual simplex used here); the MIP solver is HiGHS's own branch-and-cut.
//
// Only HiGHS's C API is used: the libhighs.so of PyPI's highsbox wheel is built with the old
// libstdc++ string ABI, so its C++ functions taking std::string do not link with GCC 12's default
// ABI, while the C functions (plain pointers and numbers) do.
#include <interfaces/highs_c_api.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>
#include <memory>
#include <vector>

#include "lp_backend.hpp"

namespace wfm::schedule::detail {
namespace {

/// Fixed settings of every HiGHS run (not tuning: they make runs comparable and repeatable).
struct HighsSettings {
  /// One thread, as the CBC path ("-threads 0"): the search is deterministic for a seed, and the
  /// benchmarks compare engines on one core. HiGHS's task scheduler is process-wide and keeps the
  /// thread count of its first run, so every run must ask for the same.
  int threads = 1;
  /// HiGHS's default relative MIP gap is 1e-4; wfm passes SolveOptions::mip_gap instead.
};
constexpr HighsSettings kHighs{};
constexpr double kInf = std::numeric_limits<double>::infinity();

struct HighsDeleter {
  void operator()(void* h) const noexcept { Highs_destroy(h); }
};
using HighsPtr = std::unique_ptr<void, HighsDeleter>;

/// A time limit in process CPU seconds: HiGHS's own `time_limit` is wall-clock, so with cpu_time
/// the interrupt callbacks stop the simplex, the interior point method and branch-and-cut.
struct CpuDeadline {
  bool active = false;
  std::clock_t end = 0;
};

void interrupt_at_deadline(int /*type*/, const char* /*message*/,
                           const HighsCallbackDataOut* /*out*/, HighsCallbackDataIn* in,
                           void* user) {
  const auto* d = static_cast<const CpuDeadline*>(user);
  if (in != nullptr && d->active && std::clock() >= d->end) in->user_interrupt = 1;
}

HighsPtr make_highs(CpuDeadline* deadline) {
  HighsPtr h(Highs_create());
  Highs_setBoolOptionValue(h.get(), "output_flag", 0);
  Highs_setIntOptionValue(h.get(), "threads", kHighs.threads);
  Highs_setCallback(h.get(), &interrupt_at_deadline, deadline);
  for (HighsInt type : {kHighsCallbackSimplexInterrupt, kHighsCallbackIpmInterrupt,
                        kHighsCallbackMipInterrupt})
    Highs_startCallback(h.get(), type);
  return h;
}

/// Arms the limit for the next Highs_run: wall-clock through HiGHS's option (its clocks zeroed,
/// or the limit would count every earlier run of this instance), CPU time through `deadline`.
void arm_time_limit(void* h, double seconds, bool cpu_time, CpuDeadline& deadline) {
  Highs_zeroAllClocks(h);
  deadline.active = cpu_time && std::isfinite(seconds);
  if (deadline.active) {
    const double ticks = std::min(seconds, 1e9) * static_cast<double>(CLOCKS_PER_SEC);
    deadline.end = std::clock() + static_cast<std::clock_t>(ticks);
  }
  Highs_setDoubleOptionValue(h, "time_limit", cpu_time ? kInf : seconds);
}

LpStatus lp_status(HighsInt model_status) {
  if (model_status == kHighsModelStatusOptimal || model_status == kHighsModelStatusModelEmpty)
    return LpStatus::optimal;
  if (model_status == kHighsModelStatusInfeasible) return LpStatus::infeasible;
  if (model_status == kHighsModelStatusUnbounded) return LpStatus::unbounded;
  if (model_status == kHighsModelStatusTimeLimit || model_status == kHighsModelStatusInterrupt ||
      model_status == kHighsModelStatusIterationLimit)
    return LpStatus::stopped;
  return LpStatus::error;
}

/// Iterations of the last Highs_run: simplex (the dives' dual simplex), interior point and
/// crossover (the first solve with `barrier`); HiGHS resets these counts at every run.
long long run_iterations(void* h) {
  long long total = 0;
  for (const char* name : {"simplex_iteration_count", "ipm_iteration_count",
                           "crossover_iteration_count"}) {
    HighsInt v = 0;
    if (Highs_getIntInfoValue(h, name, &v) == kHighsStatusOk && v > 0) total += v;
  }
  return total;
}

class HighsLp final : public LpSolver {
 public:
  HighsLp(bool barrier, bool cpu_time) : barrier_(barrier), cpu_time_(cpu_time) {}

  void load(const SparseLp& lp) override {
    h_ = make_highs(&deadline_);
    lo_ = lp.col_lo;
    up_ = lp.col_up;
    x_.assign(static_cast<std::size_t>(lp.num_cols), 0.0);
    dual_.assign(x_.size(), 0.0);
    rows_.assign(static_cast<std::size_t>(lp.num_rows), 0.0);
    row_dual_.assign(rows_.size(), 0.0);
    Highs_passLp(h_.get(), lp.num_cols, lp.num_rows, static_cast<HighsInt>(lp.value.size()),
                 kHighsMatrixFormatColwise, kHighsObjSenseMinimize, 0.0, lp.obj.data(),
                 lp.col_lo.data(), lp.col_up.data(), lp.row_lo.data(), lp.row_up.data(),
                 lp.col_start.data(), lp.row_index.data(), lp.value.data());
    Highs_setStringOptionValue(h_.get(), "solver", barrier_ ? "ipm" : "simplex");
    solved_ = false;
    iterations_ = 0;
  }

  LpStatus solve() override {
    // After the first solve HiGHS keeps the optimal basis: bound changes keep it valid, and the
    // next run is a dual simplex from it without presolve.
    arm_time_limit(h_.get(), limit_, cpu_time_, deadline_);
    Highs_run(h_.get());
    iterations_ += run_iterations(h_.get());
    HighsInt st = Highs_getModelStatus(h_.get());
    if (st == kHighsModelStatusUnboundedOrInfeasible) {  // presolve cannot tell: decide by simplex
      Highs_setStringOptionValue(h_.get(), "presolve", "off");
      arm_time_limit(h_.get(), limit_, cpu_time_, deadline_);
      Highs_run(h_.get());
      iterations_ += run_iterations(h_.get());
      st = Highs_getModelStatus(h_.get());
      Highs_setStringOptionValue(h_.get(), "presolve", "choose");
    }
    if (!solved_) Highs_setStringOptionValue(h_.get(), "solver", "simplex");
    solved_ = true;
    const LpStatus out = lp_status(st);
    if (out == LpStatus::optimal)
      Highs_getSolution(h_.get(), x_.data(), dual_.data(), rows_.data(), row_dual_.data());
    return out;
  }

  void set_col_bounds(int col, double lo, double up) override {
    Highs_changeColBounds(h_.get(), col, lo, up);
    lo_[static_cast<std::size_t>(col)] = lo;
    up_[static_cast<std::size_t>(col)] = up;
  }
  double col_lo(int col) const override { return lo_[static_cast<std::size_t>(col)]; }
  double col_up(int col) const override { return up_[static_cast<std::size_t>(col)]; }
  const double* col_values() const override { return x_.data(); }
  double objective() const override { return Highs_getObjectiveValue(h_.get()); }
  void set_time_limit(double seconds) override { limit_ = seconds; }
  long long iterations() const override { return iterations_; }
  void set_iteration_limit(long long limit) override {
    // HiGHS's simplex_iteration_limit counts the simplex iterations of each run.
    if (!h_) return;  // before load(): nothing to limit
    const long long cap = std::numeric_limits<HighsInt>::max();
    Highs_setIntOptionValue(h_.get(), "simplex_iteration_limit",
                            static_cast<HighsInt>(limit < 0 ? cap : std::min(limit, cap)));
  }

 private:
  HighsPtr h_;
  CpuDeadline deadline_;
  std::vector<double> lo_, up_, x_, dual_, rows_, row_dual_;
  double limit_ = kInf;
  bool barrier_ = false;
  bool cpu_time_ = false;
  bool solved_ = false;
  long long iterations_ = 0;
};

/// Row activities A x of a column vector (HiGHS takes a MIP start as a full primal solution).
std::vector<double> row_activity(const SparseLp& lp, const std::vector<double>& x) {
  std::vector<double> r(static_cast<std::size_t>(lp.num_rows), 0.0);
  for (int j = 0; j < lp.num_cols; ++j)
    for (int e = lp.col_start[static_cast<std::size_t>(j)];
         e < lp.col_start[static_cast<std::size_t>(j) + 1]; ++e)
      r[static_cast<std::size_t>(lp.row_index[static_cast<std::size_t>(e)])] +=
          lp.value[static_cast<std::size_t>(e)] * x[static_cast<std::size_t>(j)];
  return r;
}

}  // namespace

std::unique_ptr<LpSolver> make_highs_solver(bool barrier, bool cpu_time) {
  return std::make_unique<HighsLp>(barrier, cpu_time);
}

MipResult solve_mip_highs(const SparseLp& lp, const std::vector<char>& is_int,
                          const std::vector<double>& start, double time_limit, double rel_gap,
                          std::uint64_t seed, bool cpu_time) {
  MipResult out;
  CpuDeadline deadline;
  HighsPtr h = make_highs(&deadline);
  void* hp = h.get();
  std::vector<HighsInt> integrality(static_cast<std::size_t>(lp.num_cols), 0);
  for (std::size_t j = 0; j < integrality.size(); ++j) integrality[j] = is_int[j] ? 1 : 0;
  Highs_passMip(hp, lp.num_cols, lp.num_rows, static_cast<HighsInt>(lp.value.size()),
                kHighsMatrixFormatColwise, kHighsObjSenseMinimize, 0.0, lp.obj.data(),
                lp.col_lo.data(), lp.col_up.data(), lp.row_lo.data(), lp.row_up.data(),
                lp.col_start.data(), lp.row_index.data(), lp.value.data(), integrality.data());
  Highs_setDoubleOptionValue(hp, "mip_rel_gap", rel_gap);
  Highs_setIntOptionValue(hp, "random_seed", static_cast<HighsInt>(seed % 2147483647ULL));
  if (!start.empty()) {
    const std::vector<double> rows = row_activity(lp, start);
    const std::vector<double> col_dual(start.size(), 0.0), row_dual(rows.size(), 0.0);
    Highs_setSolution(hp, start.data(), rows.data(), col_dual.data(), row_dual.data());
  }
  arm_time_limit(hp, time_limit > 0.01 ? time_limit : 0.01, cpu_time, deadline);
  Highs_run(hp);
  const HighsInt st = Highs_getModelStatus(hp);
  out.proven_infeasible = st == kHighsModelStatusInfeasible;
  HighsInt primal = kHighsSolutionStatusNone;
  Highs_getIntInfoValue(hp, "primal_solution_status", &primal);
  double bound = -kInf;
  Highs_getDoubleInfoValue(hp, "mip_dual_bound", &bound);
  out.bound = bound;
  if (primal == kHighsSolutionStatusFeasible && !out.proven_infeasible) {
    out.found = true;
    out.x.assign(static_cast<std::size_t>(lp.num_cols), 0.0);
    std::vector<double> col_dual(out.x.size()), rows(static_cast<std::size_t>(lp.num_rows)),
        row_dual(rows.size());
    Highs_getSolution(hp, out.x.data(), col_dual.data(), rows.data(), row_dual.data());
    Highs_getDoubleInfoValue(hp, "objective_function_value", &out.objective);
    out.proven_optimal = st == kHighsModelStatusOptimal;
  }
  return out;
}

}  // namespace wfm::schedule::detail
