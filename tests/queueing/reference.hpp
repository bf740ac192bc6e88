#pragma once
// Loads the mpmath reference tables of tests/data/queueing (see make_reference.py there) and
// compares with a stated relative tolerance.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <wfm/core/csv.hpp>

#include "support/catch.hpp"
#include "support/data.hpp"

namespace wfm::test {

/// One reference table: a cell by row and column name.
class ReferenceTable {
 public:
  explicit ReferenceTable(const std::string& name)
      : table_(read_csv(test_data("queueing/" + name).string())) {}
  [[nodiscard]] std::size_t size() const noexcept { return table_.row_count(); }
  [[nodiscard]] double operator()(std::size_t row, const std::string& col) const {
    return table_.number(row, table_.column(col));
  }
  [[nodiscard]] const std::string& text(std::size_t row, const std::string& col) const {
    return table_.text(row, table_.column(col));
  }
  [[nodiscard]] bool has(const std::string& col) const {
    return table_.find_column(col).has_value();
  }

 private:
  CsvTable table_;
};

/// |got - ref| <= rel |ref|, or <= abs_floor (for quantities that are tiny by nature).
[[nodiscard]] inline double relative_error(double got, double ref) {
  if (got == ref) return 0.0;
  return std::fabs(got - ref) / std::fabs(ref);
}

/// Tracks the worst relative error seen, for the summary printed by each reference test.
struct WorstError {
  double value = 0.0;
  std::string where;
  void update(double err, const std::string& at) {
    if (!(err <= value)) {  // NaN counts as worst
      value = err;
      where = at;
    }
  }
};

/// Compares a value with column `col` of reference row `row`: CHECKs a relative error <= `tol`,
/// where values both below 1e-280 count as equal (they are not representable to full
/// precision; tests/data/queueing/README.md), and records the error in `worst` under
/// "<where> <col>".
struct CellChecker {
  const ReferenceTable& ref;
  std::size_t row;
  const std::string& where;
  double tol;
  WorstError& worst;
  void operator()(const char* col, double got) const {
    const double expected = ref(row, col);
    const double err = std::fabs(expected) < 1e-280 && std::fabs(got) < 1e-280
                           ? 0.0
                           : relative_error(got, expected);
    worst.update(err, where + " " + col);
    INFO(where << " " << col << ": got " << got << ", expected " << expected);
    CHECK(err <= tol);
  }
};

}  // namespace wfm::test
