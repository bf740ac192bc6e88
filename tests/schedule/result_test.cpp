// check_schedule(): the independent checker (schedule_check.cpp) catches corrupted schedules and
// agrees with every solver schedule on small generated instances (issue 15).
#include <wfm/schedule/schedule.hpp>

#include "../../bench/schedule_family.hpp"
#include "support.hpp"

using namespace wfm::schedule;
using Catch::Matchers::Contains;

namespace {

// A day of 16 intervals, one 8-interval template (cost 8) with one 1-interval break at offsets
// 3..4, hard cover of 1 everywhere.
CoverageModel small_day() {
  CoverageModel m;
  m.requirement = std::vector<double>(16, 1.0);
  ShiftTemplate t;
  t.name = "S8";
  t.length = 8;
  t.cost = 8.0;
  for (int s = 0; s + 8 <= 16; ++s) t.starts.push_back(s);
  t.breaks = {{.length = 1, .earliest_offset = 3, .latest_offset = 4}};
  m.templates = {t};
  return m;
}

// A schedule of the small generated instance `name`, solved briefly, known to pass the checker.
struct Solved { CoverageModel m; Schedule s; };
Solved solved(const std::string& name) {
  for (const auto& p : family::standard_family())
    if (p.name == name) {
      Solved out{family::generate(p), {}};
      out.s = solve(out.m, {.time_limit = 2.0, .lns_iterations = 2, .cpu_time = true});
      return out;
    }
  FAIL("no instance " << name);
  return {};
}

}  // namespace

TEST_CASE("checker recomputes coverage agent by agent", "[schedule][checker]") {
  const auto m = small_day();
  Schedule s;
  // Two agents 0-8 with breaks at 3 and 4, two agents 8-16 with breaks at 11 and 12: coverage 1
  // everywhere (2 present, 1 on break at 3, 4, 11, 12, else 2), computed by hand.
  s.shifts = {{0, 0, 2, {{1, 1}}}, {0, 8, 2, {{1, 1}}}};
  evaluate(m, s);
  const auto r = check_schedule(m, s);
  INFO(r.message);
  CHECK(r.valid);
  CHECK(r.consistent);
  CHECK(r.cost == 32.0);  // 4 agents x cost 8
  CHECK(r.coverage[3] == 1.0);
  CHECK(r.coverage[5] == 2.0);
  CHECK(r.headcount == 4);
}

TEST_CASE("checker catches each corruption of a schedule", "[schedule][checker]") {
  const auto m = small_day();
  Schedule good;
  good.shifts = {{0, 0, 2, {{1, 1}}}, {0, 8, 2, {{1, 1}}}};
  evaluate(m, good);
  REQUIRE(check_schedule(m, good).valid);

  SECTION("a break moved outside its window") {
    Schedule s = good;
    s.shifts[0].break_agents[0] = {1, 0, 1};  // offset 5: the window is 3..4
    const auto r = check_schedule(m, s);
    CHECK_FALSE(r.valid);
    CHECK_THAT(r.message, Contains("outside its window"));
  }
  SECTION("a shift count off by one (breaks unchanged)") {
    Schedule s = good;
    s.shifts[1].agents += 1;
    const auto r = check_schedule(m, s);
    CHECK_FALSE(r.valid);
    CHECK_THAT(r.message, Contains("must sum to agents"));
  }
  SECTION("a shift count off by one with its break, reported figures unchanged") {
    Schedule s = good;
    s.shifts[1].agents += 1;
    s.shifts[1].break_agents[0][0] += 1;
    const auto r = check_schedule(m, s);
    CHECK(r.valid);  // a legal schedule, but not the one whose cost was reported
    CHECK_FALSE(r.consistent);
    CHECK(r.cost == good.cost + 8.0);
  }
  SECTION("one agent fewer: hard cover broken") {
    Schedule s = good;
    s.shifts[0].agents = 1;
    s.shifts[0].break_agents[0] = {1, 0};
    const auto r = check_schedule(m, s);
    CHECK_FALSE(r.valid);
    CHECK_THAT(r.message, Contains("hard cover violated"));
  }
  SECTION("a wrong cost") {
    Schedule s = good;
    s.cost -= 8.0;
    s.shift_cost -= 8.0;
    const auto r = check_schedule(m, s);
    CHECK(r.valid);
    CHECK_FALSE(r.consistent);
    CHECK_THAT(r.message, Contains("cost"));
  }
  SECTION("a wrong coverage report") {
    Schedule s = good;
    s.coverage[5] += 1.0;
    CHECK_FALSE(check_schedule(m, s).consistent);
  }
  SECTION("an unknown template or a start not allowed") {
    Schedule s = good;
    s.shifts[0].template_index = 1;
    CHECK_THAT(check_schedule(m, s).message, Contains("does not exist"));
    s = good;
    s.shifts[1].start = 9;  // 9 + 8 > 16
    CHECK_THAT(check_schedule(m, s).message, Contains("not an allowed start"));
  }
}

TEST_CASE("checker agrees with solver schedules of generated instances and catches their "
          "corruption", "[schedule][checker][family]") {
  // Small instances of the family: 24/7 hard cover with three breaks, opening hours with soft
  // cover, shift design.
  for (const char* name : {"f01-247-hard-s-noisy", "f29-day-soft-s-fragmented",
                           "f44-design-day-s-fragmented"}) {
    INFO(name);
    auto [m, s] = solved(name);
    REQUIRE_FALSE(s.shifts.empty());
    const auto r = check_schedule(m, s);
    INFO(r.message);
    CHECK(r.valid);
    CHECK(r.consistent);
    Schedule bad = s;
    bad.cost += 1.0;
    CHECK_FALSE(check_schedule(m, bad).consistent);
    bad = s;
    bad.shifts.front().agents += 1;
    CHECK_FALSE(check_schedule(m, bad).valid);
    const auto& t = m.templates[static_cast<std::size_t>(s.shifts.front().template_index)];
    if (!t.breaks.empty()) {
      bad = s;
      auto& list = bad.shifts.front().break_agents[0];
      *std::find_if(list.begin(), list.end(), [](int v) { return v > 0; }) -= 1;
      list.push_back(1);  // that agent's break one step past the end of its window
      CHECK_THAT(check_schedule(m, bad).message, Contains("outside its window"));
    }
  }
}
