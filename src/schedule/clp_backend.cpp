// COIN-OR CLP behind wfm::schedule::detail::LpSolver.
#include <coin/ClpSimplex.hpp>
#include <coin/CoinMessageHandler.hpp>
#include <coin/ClpSolve.hpp>

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

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
    iterations_ = 0;
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
    iterations_ += clp_.numberIterations();  // CLP counts the iterations of the last call
    if (clp_.status() != 0 && clp_.status() != 3) {
      clp_.primal(1);  // re-check from scratch-ish
      iterations_ += clp_.numberIterations();
    }
    switch (clp_.status()) {
      case 0: return LpStatus::optimal;
      case 1: return LpStatus::infeasible;
      case 2: return LpStatus::unbounded;
      case 3: return LpStatus::stopped;
      default: return LpStatus::error;
    }
  }
  void add_rows(const SparseLp& lp, int first_row) override {
    // New rows in row-wise form; the existing rows keep their status, new ones enter basic.
    const int k = lp.num_rows - first_row;
    std::vector<std::vector<std::pair<int, double>>> rows(static_cast<std::size_t>(std::max(0, k)));
    for (int c = 0; c < lp.num_cols; ++c)
      for (int e = lp.col_start[static_cast<std::size_t>(c)]; e < lp.col_start[static_cast<std::size_t>(c) + 1]; ++e) {
        const int r = lp.row_index[static_cast<std::size_t>(e)];
        if (r >= first_row) rows[static_cast<std::size_t>(r - first_row)].push_back({c, lp.value[static_cast<std::size_t>(e)]});
      }
    std::vector<CoinBigIndex> start{0};
    std::vector<int> col;
    std::vector<double> val;
    for (const auto& row : rows) {
      for (auto [c, v] : row) {
        col.push_back(c);
        val.push_back(v);
      }
      start.push_back(static_cast<CoinBigIndex>(col.size()));
    }
    clp_.addRows(k, lp.row_lo.data() + first_row, lp.row_up.data() + first_row, start.data(),
                 col.data(), val.data());
  }
  void set_col_bounds(int col, double lo, double up) override {
    clp_.setColumnBounds(col, lo, up);
  }
  double col_lo(int col) const override { return clp_.getColLower()[col]; }
  double col_up(int col) const override { return clp_.getColUpper()[col]; }
  const double* col_values() const override { return clp_.getColSolution(); }
  double objective() const override { return clp_.objectiveValue(); }
  void set_time_limit(double seconds) override { clp_.setMaximumSeconds(seconds); }
  long long iterations() const override { return iterations_; }
  void set_iteration_limit(long long limit) override {
    constexpr long long kMax = std::numeric_limits<int>::max();
    clp_.setMaximumIterations(static_cast<int>(limit < 0 ? kMax : std::min(limit, kMax)));
  }

 private:
  ClpSimplex clp_;
  bool solved_ = false;
  bool barrier_ = true;
  long long iterations_ = 0;
};

}  // namespace

std::unique_ptr<LpSolver> make_clp_solver(bool barrier) { return std::make_unique<ClpLp>(barrier); }

}  // namespace wfm::schedule::detail
