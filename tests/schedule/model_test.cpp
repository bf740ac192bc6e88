#include <cmath>
#include <limits>
#include <wfm/core/error.hpp>
#include <wfm/schedule/schedule.hpp>

#include "schedule/support.hpp"
#include "support/catch.hpp"

using namespace wfm::schedule;
using Catch::Matchers::Contains;

namespace {
CoverageModel day_model() {
  CoverageModel m;
  m.requirement = std::vector<double>(16, 2.0);
  auto t = wfm::test::make_template("F8", 8, 8.0, 16, false);
  t.breaks = {{.length = 1, .earliest_offset = 3, .latest_offset = 4}};
  m.templates = {t};
  return m;
}
}  // namespace

TEST_CASE("validate names the offending field", "[schedule][model]") {
  CHECK_NOTHROW(validate(day_model()));
  auto m = day_model();
  m.templates[0].breaks[0].latest_offset = 8;  // break window outside its shift
  CHECK_THROWS_WITH(validate(m), Contains("templates[0].breaks[0]") && Contains("outside its shift"));
  m = day_model();
  m.requirement[3] = -1.0;
  CHECK_THROWS_WITH(validate(m), Contains("requirement[3]"));
  m = day_model();
  m.requirement[5] = std::nan("");
  CHECK_THROWS_WITH(validate(m), Contains("requirement[5]"));
  m = day_model();
  m.templates.clear();
  CHECK_THROWS_WITH(validate(m), Contains("templates must not be empty"));
  m = day_model();
  m.templates[0].starts.push_back(16);  // outside the horizon
  CHECK_THROWS_WITH(validate(m), Contains("templates[0].starts[") && Contains("16"));
  m = day_model();
  m.templates[0].breaks.push_back({.length = 1, .earliest_offset = 4, .latest_offset = 5});
  CHECK_THROWS_WITH(validate(m), Contains("templates[0].breaks[1].earliest_offset"));
  m = day_model();
  m.interval_length = 0.0;
  CHECK_THROWS_AS(validate(m), wfm::InvalidArgument);
  m = day_model();
  m.cover.over_cost = -1.0;
  CHECK_THROWS_WITH(validate(m), Contains("cover.over_cost"));
  m = day_model();
  m.templates[0].length = 0;
  CHECK_THROWS_WITH(validate(m), Contains("templates[0].length"));
  m = day_model();
  CHECK_THROWS_AS(solve(m, {.time_limit = -1.0}), wfm::InvalidArgument);
}

TEST_CASE("checker recomputes coverage and cost from the shifts", "[schedule][checker]") {
  auto m = day_model();
  m.cover.over_cost = 0.25;
  Schedule s;
  // 3 agents from 0 (breaks at offsets 3, 3, 4) and 2 from 8 (breaks at 4, 4).
  s.shifts = {{0, 0, 3, {{2, 1}}}, {0, 8, 2, {{0, 2}}}};
  evaluate(m, s);
  // Interval 3: 3 present - 2 on break = 1; interval 4: 3 - 1 = 2; interval 12: 2 - 2 = 0.
  CHECK(s.coverage[0] == 3.0);
  CHECK(s.coverage[3] == 1.0);
  CHECK(s.coverage[4] == 2.0);
  CHECK(s.coverage[12] == 0.0);
  CHECK(s.headcount == 5);
  CHECK(s.shift_cost == 40.0);
  // over: intervals 0-2, 5-7 have 3 (over 1 each) = 6 agent-intervals
  CHECK(s.penalty_cost == 0.25 * 6);
  auto r = check_schedule(m, s);
  CHECK(r.consistent);
  CHECK_FALSE(r.valid);  // hard cover violated at interval 3
  CHECK_THAT(r.message, Contains("interval 3"));
  s.cost += 1.0;  // a tampered report is caught
  CHECK_FALSE(check_schedule(m, s).consistent);
  s.shifts[0].break_agents[0] = {2, 2};  // break placements must sum to the agents
  CHECK_THAT(check_schedule(m, s).message, Contains("must sum to agents"));
  s.shifts[0].break_agents[0] = {2, 1};
  s.shifts[0].start = 9;  // not an allowed start (9 + 8 > 16)
  CHECK_THAT(check_schedule(m, s).message, Contains("not an allowed start"));
}

TEST_CASE("checker enforces limits", "[schedule][checker]") {
  auto m = day_model();
  m.templates[0].max_agents_per_start = 2;
  Schedule s;
  s.shifts = {{0, 0, 3, {{3, 0}}}};
  evaluate(m, s);
  CHECK_THAT(check_schedule(m, s).message, Contains("max_agents_per_start"));
  m.templates[0].max_agents_per_start = -1;
  m.max_headcount = 2;
  CHECK_THAT(check_schedule(m, s).message, Contains("headcount"));
}

TEST_CASE("a cyclic shift wraps past the end of the horizon", "[schedule][checker]") {
  CoverageModel m;
  m.cyclic = true;
  m.requirement = std::vector<double>(8, 0.0);
  auto t = wfm::test::make_template("N", 4, 1.0, 8, true);
  m.templates = {t};
  Schedule s;
  s.shifts = {{0, 6, 1, {}}};
  evaluate(m, s);
  CHECK(s.coverage == std::vector<double>{1, 1, 0, 0, 0, 0, 1, 1});
  m.cyclic = false;  // opening hours: the part past the end is not covered
  m.templates[0].starts = {0, 6};
  evaluate(m, s);
  CHECK(s.coverage == std::vector<double>{0, 0, 0, 0, 0, 0, 1, 1});
}

TEST_CASE("to_roster gives shifts and breaks in seconds", "[schedule][roster]") {
  auto m = day_model();
  Schedule s;
  s.shifts = {{0, 2, 3, {{2, 1}}}};
  evaluate(m, s);
  const wfm::Roster r = to_roster(m, s);
  CHECK(r.horizon_length == 16 * 900.0);
  CHECK_FALSE(r.cyclic);
  REQUIRE(r.shifts.size() == 2);
  int agents = 0;
  for (const auto& sp : r.shifts) {
    agents += sp.agents;
    CHECK(sp.start == 2 * 900.0);
    CHECK(sp.end == 10 * 900.0);
    REQUIRE(sp.breaks.size() == 1);
    CHECK(sp.breaks[0].length == 900.0);
    CHECK((sp.breaks[0].start == 5 * 900.0 ? sp.agents == 2 : sp.agents == 1));
  }
  CHECK(agents == 3);
  // The roster reproduces the coverage: count agents present per interval.
  for (int i = 0; i < 16; ++i) {
    const double mid = (i + 0.5) * 900.0;
    int present = 0;
    for (const auto& sp : r.shifts) {
      if (mid < sp.start || mid >= sp.end) continue;
      bool on_break = false;
      for (const auto& b : sp.breaks) on_break = on_break || (mid >= b.start && mid < b.start + b.length);
      if (!on_break) present += sp.agents;
    }
    CHECK(present == s.coverage[static_cast<std::size_t>(i)]);
  }
}
