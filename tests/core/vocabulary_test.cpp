// The one vocabulary: every column the library's CSV writers emit is in the table (issue 9:
// "a test can check the table against the bindings and the programs' headers"; the programs
// and the DataFrames are checked by their own tests).
#include <string>
#include <wfm/core/csv.hpp>
#include <wfm/core/interval_grid.hpp>
#include <wfm/core/vocabulary.hpp>
#include <wfm/schedule/schedule.hpp>

#include "support/catch.hpp"

using namespace wfm;

namespace {

void require_vocabulary_header(const std::string& csv, const std::string& what) {
  const CsvTable t = parse_csv(csv, what);
  REQUIRE_FALSE(t.header().empty());
  for (const std::string& column : t.header()) {
    INFO(what << ": column '" << column << "'");
    CHECK(in_vocabulary(column));
  }
}

}  // namespace

TEST_CASE("The vocabulary has unique names, units and meanings", "[core][vocabulary]") {
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    INFO(vocabulary[i].name);
    CHECK_FALSE(vocabulary[i].unit.empty());
    CHECK_FALSE(vocabulary[i].meaning.empty());
    for (std::size_t j = i + 1; j < vocabulary.size(); ++j) CHECK(vocabulary[i].name != vocabulary[j].name);
  }
  CHECK(in_vocabulary("volume_lower"));
  CHECK(in_vocabulary("service_level_wait_within_60s"));
  CHECK(in_vocabulary("service_level_answered_within_20s_upper"));
  CHECK_FALSE(in_vocabulary("abandon_probability"));
  CHECK_FALSE(in_vocabulary("service_level_bogus_20s"));
  CHECK_FALSE(in_vocabulary("volume_lower_upper"));
}

TEST_CASE("Every column of the library's CSV writers is in the vocabulary", "[core][vocabulary]") {
  schedule::CoverageModel m;
  m.interval_length = 900.0;
  m.requirement = {1, 2, 2, 1, 0, 0};
  schedule::ShiftTemplate t{.name = "S", .length = 2, .cost = 2.0, .starts = {0, 1, 2, 3}};
  t.breaks = {};
  m.templates = {t};
  const schedule::Schedule s = schedule::solve(m, {.time_limit = 5.0});
  REQUIRE(has_result(s.status));
  const IntervalGrid g = IntervalGrid::naive(*parse_timestamp("2026-01-05 08:00"), 900, 6);
  require_vocabulary_header(schedule::schedule_to_csv(m, s), "schedule_to_csv");
  require_vocabulary_header(schedule::coverage_to_csv(m, s), "coverage_to_csv");
  require_vocabulary_header(schedule::schedule_to_csv(m, s, g), "schedule_to_csv(grid)");
  require_vocabulary_header(schedule::coverage_to_csv(m, s, g), "coverage_to_csv(grid)");
  // Rows are written by timestamp of the grid.
  CHECK(schedule::coverage_to_csv(m, s, g).find("\n2026-01-05 08:15,2,") != std::string::npos);
}
