#pragma once
// Private to src/schedule: the small LP/MIP interface the solver is written against. Only the
// back-end files (clp_backend.cpp, cbc_backend.cpp; highs_backend.cpp with WFM_WITH_HIGHS) see
// COIN-OR or HiGHS headers; lp_engine.cpp picks one by wfm::schedule::Engine.

#include <cstdint>
#include <memory>
#include <vector>
#include <wfm/schedule/solver.hpp>

namespace wfm::schedule::detail {

/// min obj.x s.t. row_lo <= A x <= row_up, col_lo <= x <= col_up; A column-major (CSC).
struct SparseLp {
  int num_cols = 0;
  int num_rows = 0;
  std::vector<int> col_start{0};  // num_cols + 1
  std::vector<int> row_index;
  std::vector<double> value;
  std::vector<double> col_lo, col_up, obj, row_lo, row_up;

  int add_col(double lo, double up, double c) {
    col_lo.push_back(lo);
    col_up.push_back(up);
    obj.push_back(c);
    col_start.push_back(col_start.back());
    return num_cols++;
  }
  void add_entry(int row, double v) {  // to the last column
    row_index.push_back(row);
    value.push_back(v);
    ++col_start.back();
  }
  int add_row(double lo, double up) {
    row_lo.push_back(lo);
    row_up.push_back(up);
    return num_rows++;
  }
};

enum class LpStatus { optimal, infeasible, unbounded, stopped, error };

class LpSolver {
 public:
  virtual ~LpSolver() = default;
  virtual void load(const SparseLp& lp) = 0;
  /// Solves from scratch (first call) or warm-started from the last basis (dual simplex).
  virtual LpStatus solve() = 0;
  /// `lp` is the loaded LP with rows appended from `first_row` on (columns unchanged): adds
  /// them, keeping the basis where the engine can (the next solve() warm-starts the dual
  /// simplex); the default loads `lp` anew.
  virtual void add_rows(const SparseLp& lp, int /*first_row*/) { load(lp); }
  virtual void set_col_bounds(int col, double lo, double up) = 0;
  [[nodiscard]] virtual double col_lo(int col) const = 0;
  [[nodiscard]] virtual double col_up(int col) const = 0;
  [[nodiscard]] virtual const double* col_values() const = 0;
  [[nodiscard]] virtual double objective() const = 0;
  virtual void set_time_limit(double seconds) = 0;
  /// Simplex iterations (and interior-point and crossover iterations) of every solve() since
  /// load(): a count of the work done that, unlike a timer, is the same for the same model and
  /// calls on any machine and under any load. Engines that do not report it return -1.
  [[nodiscard]] virtual long long iterations() const { return -1; }
  /// Iteration limit of each following solve() (< 0: none); a solve that reaches it returns
  /// LpStatus::stopped. Engines without one ignore it.
  virtual void set_iteration_limit(long long /*limit*/) {}
};

/// `barrier`: first solve by barrier + crossover (else dual simplex).
[[nodiscard]] std::unique_ptr<LpSolver> make_clp_solver(bool barrier = true);

struct MipResult {
  bool found = false;
  bool proven_optimal = false;
  bool proven_infeasible = false;
  std::vector<double> x;
  double objective = 0.0;
  double bound = 0.0;  // CBC's best possible objective
};

/// Branch-and-cut with CBC on `lp` with integer columns `is_int`, an optional MIP start
/// (a full column vector, may be empty), a wall-clock limit [s] and a relative gap.
[[nodiscard]] MipResult solve_mip_cbc(const SparseLp& lp, const std::vector<char>& is_int,
                                      const std::vector<double>& start, double time_limit,
                                      double rel_gap, std::uint64_t seed, bool cpu_time = false);

/// HiGHS behind the same two contracts (highs_backend.cpp, built only with WFM_WITH_HIGHS).
/// LP: dual simplex, warm-started from the last basis after bound changes; `barrier`: the first
/// solve by interior point + crossover. `cpu_time`: set_time_limit() counts process CPU seconds.
/// MIP: HiGHS branch-and-cut, one thread, the same arguments and result as solve_mip_cbc().
[[nodiscard]] std::unique_ptr<LpSolver> make_highs_solver(bool barrier, bool cpu_time);
[[nodiscard]] MipResult solve_mip_highs(const SparseLp& lp, const std::vector<char>& is_int,
                                        const std::vector<double>& start, double time_limit,
                                        double rel_gap, std::uint64_t seed, bool cpu_time = false);

/// The LP back end of `engine` (CLP for clp_cbc and clp_highs). \throws InvalidArgument when the
/// engine is not built in.
[[nodiscard]] std::unique_ptr<LpSolver> make_lp_solver(Engine engine, bool barrier, bool cpu_time);
/// The MIP back end of `engine` (CBC for clp_cbc, HiGHS for highs and clp_highs).
[[nodiscard]] MipResult solve_mip(Engine engine, const SparseLp& lp, const std::vector<char>& is_int,
                                  const std::vector<double>& start, double time_limit,
                                  double rel_gap, std::uint64_t seed, bool cpu_time);

}  // namespace wfm::schedule::detail
