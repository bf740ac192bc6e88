#include <numeric>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

#include "schedule/support.hpp"
#include "support/catch.hpp"

using namespace wfm::schedule;

TEST_CASE("tours: 5 consecutive working days, every agent-shift dealt once", "[schedule][tours]") {
  // A cyclic week of hourly intervals, busier on weekdays; 8-hour shifts starting every hour.
  CoverageModel m;
  m.interval_length = 3600.0;
  m.cyclic = true;
  for (int d = 0; d < 7; ++d)
    for (int h = 0; h < 24; ++h) m.requirement.push_back((h >= 8 && h < 20) ? (d < 5 ? 6.0 : 2.0) : 1.0);
  m.templates = {wfm::test::make_template("E8", 8, 8.0, 168, true)};
  const Schedule s = solve(m, {.time_limit = 10.0});
  REQUIRE(check_schedule(m, s).valid);
  const TourPlan p = build_tours(m, s, {.working_days = 5});
  INFO(p.message);
  REQUIRE_FALSE(p.tours.empty());
  CHECK(p.days == 7);
  std::vector<int> dealt(p.shifts.size(), 0);
  std::vector<int> per_day(7, 0);
  for (const auto& a : p.shifts) ++per_day[static_cast<std::size_t>(a.start / 24)];
  for (const auto& t : p.tours) {
    int work = 0;
    for (int d = 0; d < 7; ++d) {
      const int off = ((d - t.first_day) % 7 + 7) % 7;
      const int sh = t.shift[static_cast<std::size_t>(d)];
      if (off >= 5) CHECK(sh == -1);  // the two consecutive days off
      if (sh >= 0) {
        ++dealt[static_cast<std::size_t>(sh)];
        CHECK(p.shifts[static_cast<std::size_t>(sh)].start / 24 == d);  // on its own day
        ++work;
      }
    }
    CHECK(work <= 5);
  }
  for (int c : dealt) CHECK(c == 1);
  // Lower bound on lines: a line works 5 of 7 days, and every day's shifts need distinct lines.
  const int total = std::accumulate(per_day.begin(), per_day.end(), 0);
  CHECK(static_cast<int>(p.tours.size()) >= (total + 4) / 5);
  CHECK(static_cast<int>(p.tours.size()) >= *std::max_element(per_day.begin(), per_day.end()));
  CHECK(p.status == wfm::Status::optimal);
  CHECK_THROWS_AS(build_tours(m, s, {.working_days = 8}), wfm::InvalidArgument);
  CoverageModel odd = m;
  odd.requirement.push_back(0.0);  // not whole days
  CHECK_THROWS_AS(build_tours(odd, s), wfm::InvalidArgument);
}
