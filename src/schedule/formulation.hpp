#pragma once
// Private to src/schedule: the implicit-break integer program built from a CoverageModel.
#include <vector>
#include <wfm/schedule/model.hpp>
#include <wfm/schedule/result.hpp>

#include "lp_backend.hpp"

namespace wfm::schedule::detail {

struct Formulation {
  struct Shift {
    int tmpl = 0;
    int start = 0;
    int col = 0;         // x column
    int break_col = 0;   // first b column; break k placement p is break_col + break_base[tmpl][k] + p
    bool crosses = false;  // cyclic: covers both the last and the first interval of the horizon
  };
  SparseLp lp;
  int n = 0;
  std::vector<Shift> shifts;
  std::vector<std::vector<int>> break_base;  // per template, per break
  std::vector<int> col_shift;                // per column: shift index of x/b columns, else -1
  std::vector<char> col_is_x;                // per column
  std::vector<int> under_col, over_col;      // per interval, -1 if absent
  std::vector<int> fixed_col;                // per template, -1 if absent
  std::vector<char> is_int;
  std::vector<double> rhs;                   // coverage row right-hand side (ceil'd if hard)
  double offset = 0.0;                       // constant objective term
  double granularity = 0.0;                  // > 0: integer costs are offset + k * granularity
  bool side_rows = false;                    // template max, headcount or fixed-cost rows exist
  /// One step row of a fixed-cost model (add_step_cuts in formulation.cpp), kept for the
  /// separation of its flow-cover form (separate_step_covers): the requirement steps by `d` > 0
  /// (in absolute value) at a boundary; `fixed` per fixed-cost template with an edge there: its
  /// switch, its coefficient bound B_t and its columns (column, coverage change) on the edge.
  struct StepTemplate {
    int y = 0;
    double bound = 0.0;
    std::vector<std::pair<int, double>> cols;
  };
  struct StepRow {
    double d = 0.0;
    std::vector<std::pair<int, double>> other;  // deviation and non-fixed-cost columns
    std::vector<StepTemplate> fixed;
  };
  std::vector<StepRow> steps;
};

Formulation build_formulation(const CoverageModel& m);

/// Separates violated flow-cover forms of the step rows at the LP point `v` (f.steps; see
/// formulation.cpp) and appends them to f.lp, at most `max_rows`. Returns the number added.
int separate_step_covers(Formulation& f, const double* v, int max_rows);

/// Rounds an LP bound up to the next attainable integer objective when costs share a unit.
double round_bound_up(const Formulation& f, double lp_objective_with_offset);

/// Schedule (assignments + evaluation) from column values (x and b rounded to integers).
Schedule schedule_from_columns(const CoverageModel& m, const Formulation& f,
                               const std::vector<double>& col);

}  // namespace wfm::schedule::detail
