// COIN-OR CLP behind wfm::schedule::detail::LpSolver.
#include <coin/ClpSimplex.hpp>
#include <coin/CoinMessageHandler.hpp>
#include <coin/ClpSolve.hpp>

#include "lp_backend.hpp"

namespace wfm::schedule::detail {
namespace {

class ClpLp final : public LpSolver {
 public:
  explicit ClpLp(bool barrier) : barrier_(barrier) {
    clp_.setLogLevel(0);
    clp_.messageHandler()->setLogLevel(0);
  }
  void load(const SparseLp& lp) override {
    std::vector<CoinBigIndex> start(lp.col_start.begin(), lp.col_start.end());
    clp_.loadProblem(lp.num_cols, lp.num_rows, start.data(), lp.row_index.data(), lp.value.data(),
                     lp.col_lo.data(), lp.col_up.data(), lp.obj.data(), lp.row_lo.data(),
                     lp.row_up.data());
    solved_ = false;
  }
  LpStatus solve() override {
    // Dual simplex; after bound changes it warm-starts from the current basis (status arrays).
    if (!solved_ && barrier_) {
      // Barrier (with crossover, for a basis to warm-start the dives from) is several times
      // faster than the simplex methods on the cyclic (24/7) weeks.
      ClpSolve how;
      how.setSolveType(ClpSolve::useBarrier);
      clp_.initialSolve(how);
    } else {
      clp_.dual();
    }
    solved_ = true;
    if (clp_.status() != 0 && clp_.status() != 3) clp_.primal(1);  // re-check from scratch-ish
    switch (clp_.status()) {
      case 0: return LpStatus::optimal;
      case 1: return LpStatus::infeasible;
      case 2: return LpStatus::unbounded;
      case 3: return LpStatus::stopped;
      default: return LpStatus::error;
    }
  }
  void set_col_bounds(int col, double lo, double up) override {
    clp_.setColumnBounds(col, lo, up);
  }
  double col_lo(int col) const override { return clp_.getColLower()[col]; }
  double col_up(int col) const override { return clp_.getColUpper()[col]; }
  const double* col_values() const override { return clp_.getColSolution(); }
  double objective() const override { return clp_.objectiveValue(); }
  void set_time_limit(double seconds) override { clp_.setMaximumSeconds(seconds); }

 private:
  ClpSimplex clp_;
  bool solved_ = false;
  bool barrier_ = true;
};

}  // namespace

std::unique_ptr<LpSolver> make_clp_solver(bool barrier) { return std::make_unique<ClpLp>(barrier); }

}  // namespace wfm::schedule::detail
