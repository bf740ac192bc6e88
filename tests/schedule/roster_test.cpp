// Rosters for named agents. Every roster goes through check_roster(), the independent checker;
// the hand-made cases have answers derived by hand in their comments.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <pcg_random.hpp>
#include <random>
#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/roster.hpp>
#include <wfm/schedule/schedule.hpp>

#include "support/catch.hpp"

using namespace wfm::schedule;

namespace {

constexpr double kHour = 3600.0;

/// `weeks` weeks of hourly intervals (24 per day), templates given by (name, start hour, length
/// in hours); requirement zero (rostering reads only the schedule).
CoverageModel hourly_model(int weeks, const std::vector<std::tuple<const char*, int, int>>& tmpl) {
  CoverageModel m;
  m.interval_length = kHour;
  m.requirement.assign(static_cast<std::size_t>(weeks * 7 * 24), 0.0);
  for (const auto& [name, hour, len] : tmpl) {
    ShiftTemplate t;
    t.name = name;
    t.length = len;
    t.cost = len;
    for (int d = 0; d < weeks * 7; ++d)
      if (d * 24 + hour + len <= m.num_intervals()) t.starts.push_back(d * 24 + hour);
    m.templates.push_back(t);
  }
  return m;
}

/// A schedule with `agents` agents of template t at `hour` on each day in `days`.
void add_shifts(Schedule& s, int t, int hour, int agents, const std::vector<int>& days) {
  for (int d : days) s.shifts.push_back({t, d * 24 + hour, agents, {}});
}

std::vector<int> range(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

Agent agent(const std::string& id, int max_days = 7, double rest_h = 0.0) {
  Agent a;
  a.id = id;
  a.contract.max_days_per_week = max_days;
  a.contract.min_rest_s = rest_h * kHour;
  return a;
}

int assigned(const RosterResult& r) {
  int n = 0;
  for (const auto& a : r.agents) n += static_cast<int>(a.assignments.size());
  return n;
}

/// The checker's verdict must match the status, and every rule 1-6 must hold.
void require_checked(const CoverageModel& m, const Schedule& s, const std::vector<Agent>& ag,
                     const RosterResult& r) {
  INFO(r.message);
  const RosterCheck c = check_roster(m, s, ag, r);
  for (const auto& p : c.problems) UNSCOPED_INFO(p);
  REQUIRE(c.valid);
  REQUIRE(c.consistent);
  REQUIRE(c.complete == (r.status == wfm::Status::ok));
  REQUIRE(assigned(r) + static_cast<int>(r.unassigned.size()) == r.shifts);
}

}  // namespace

TEST_CASE("roster: capacity of days per week decides feasibility", "[schedule][roster]") {
  // 2 day shifts on each of 7 days = 14 agent-shifts. 3 agents x 5 days = 15 >= 14: all assigned.
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule s;
  add_shifts(s, 0, 8, 2, range(7));
  std::vector<Agent> ag{agent("a", 5), agent("b", 5), agent("c", 5)};
  RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::ok);
  CHECK(r.coverage_lost_s == 0.0);
  // 3 agents x 4 days = 12 < 14: exactly 2 shifts (2 x 8 h on the phones) are lost, explained.
  for (auto& a : ag) a.contract.max_days_per_week = 4;
  r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::infeasible);
  CHECK(r.unassigned.size() == 2);
  CHECK(r.coverage_lost_s == Approx(2 * 8 * kHour));
  REQUIRE_FALSE(r.conflicts.empty());
  CHECK_THAT(r.conflicts[0], Catch::Contains("may work only 12 days"));
  CHECK_THAT(r.unassigned[0].reason, Catch::Contains("at max days per week"));
  CHECK_THAT(r.message, Catch::Contains("2 of 14 agent-shifts unassigned"));
}

TEST_CASE("roster: look-ahead keeps capacity for the weekend", "[schedule][roster]") {
  // 5 agents with 5 days each = 25 days; the week needs 3 shifts Mon-Fri and 5 on Sat and Sun
  // (15 + 10 = 25): every agent must work both weekend days, so none may work more than 3
  // weekdays. A greedy that fills weekdays without looking ahead would strand weekend shifts.
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule s;
  add_shifts(s, 0, 8, 3, {0, 1, 2, 3, 4});
  add_shifts(s, 0, 8, 5, {5, 6});
  std::vector<Agent> ag;
  for (int i = 0; i < 5; ++i) ag.push_back(agent(fmt::format("a{}", i), 5));
  const RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::ok);
  CHECK(r.max_weekends_off == 0);
}

TEST_CASE("roster: minimum rest between a late and an early shift", "[schedule][roster]") {
  // Late 16:00-24:00 on day 0, early 06:00-14:00 on day 1: 6 h apart.
  const CoverageModel m = hourly_model(1, {{"L8", 16, 8}, {"E8", 6, 8}});
  Schedule s;
  add_shifts(s, 0, 16, 1, {0});
  add_shifts(s, 1, 6, 1, {1});
  std::vector<Agent> ag{agent("solo", 7, 11.0)};
  RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::infeasible);
  REQUIRE(r.unassigned.size() == 1);
  CHECK_THAT(r.unassigned[0].reason, Catch::Contains("1 too little rest"));
  ag[0].contract.min_rest_s = 6 * kHour;  // exactly 6 h: allowed
  r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::ok);
}

TEST_CASE("roster: consecutive days", "[schedule][roster]") {
  // One agent, one shift a day for 7 days, at most 3 days in a row: the best is 3 on, 1 off,
  // 3 on (6 shifts); any 7-day line with 7 shifts has a run of 7.
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule s;
  add_shifts(s, 0, 8, 1, range(7));
  std::vector<Agent> ag{agent("solo")};
  ag[0].contract.max_consecutive_days = 3;
  const RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(assigned(r) == 6);
  REQUIRE(r.unassigned.size() == 1);
  CHECK_THAT(r.unassigned[0].reason, Catch::Contains("consecutive"));
}

TEST_CASE("roster: templates and availability route shifts to the only agent who may", "[schedule][roster]") {
  const CoverageModel m = hourly_model(1, {{"E8", 6, 8}, {"L8", 14, 8}});
  Schedule s;
  add_shifts(s, 0, 6, 1, {0, 1, 2});
  add_shifts(s, 1, 14, 1, {0, 1, 2});
  std::vector<Agent> ag{agent("early"), agent("late"), agent("any")};
  ag[0].contract.templates = {0};
  ag[1].contract.templates = {1};
  ag[2].availability.assign(7, DayWindow{});
  ag[2].availability[1] = {0.0, 0.0};  // day 1 off
  ag[1].availability.assign(7, DayWindow{});
  ag[1].availability[2] = {15 * kHour, 2 * 86400.0};  // day 2: not before 15:00
  const RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::ok);
  for (const auto& x : r.agents[0].assignments) CHECK(x.template_index == 0);
  for (const auto& x : r.agents[1].assignments) CHECK(x.template_index == 1);
  for (const auto& x : r.agents[2].assignments) CHECK(x.day != 1);
  // Day 2's late shift starts at 14:00, before 'late' is available: it must be 'any''s.
  bool any_late_day2 = false;
  for (const auto& x : r.agents[2].assignments) any_late_day2 |= x.day == 2 && x.template_index == 1;
  CHECK(any_late_day2);
}

TEST_CASE("roster: weekly minimum hours", "[schedule][roster]") {
  // 10 day shifts of 8 h over the week, two agents needing 40 h each: both must get 5.
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule s;
  add_shifts(s, 0, 8, 2, {0, 1, 2, 3, 4});
  std::vector<Agent> ag{agent("a", 5), agent("b", 5), agent("c", 5)};
  ag[0].contract.min_week_s = ag[1].contract.min_week_s = 40 * kHour;
  RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::ok);
  CHECK(r.agents[0].week_paid_s[0] == Approx(40 * kHour));
  CHECK(r.agents[1].week_paid_s[0] == Approx(40 * kHour));
  CHECK(r.agents[2].assignments.empty());
  // Minimums of 3 x 40 h = 120 h against 80 h of shifts: a shortfall, and said so up front.
  ag[2].contract.min_week_s = 40 * kHour;
  r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::infeasible);
  CHECK_FALSE(r.shortfalls.empty());
  REQUIRE_FALSE(r.conflicts.empty());
  CHECK_THAT(r.conflicts[0], Catch::Contains("weekly minimums total 120.0 h"));
}

TEST_CASE("roster: preferences are granted when the shifts allow", "[schedule][roster]") {
  // An early and a late shift each day; 'ann' prefers to start 05:00-07:00, 'bob' 13:00-15:00,
  // 'cy' has no start preference but wishes days 5 and 6 off. Every preference can be granted:
  // ann takes the earlies, bob the lates, cy fills in (each at most 5 days).
  const CoverageModel m = hourly_model(1, {{"E8", 6, 8}, {"L8", 14, 8}});
  Schedule s;
  add_shifts(s, 0, 6, 1, range(7));
  add_shifts(s, 1, 14, 1, range(7));
  std::vector<Agent> ag{agent("ann", 5), agent("bob", 5), agent("cy", 5)};
  ag[0].preferences.start_from_s = 5 * kHour;
  ag[0].preferences.start_to_s = 7 * kHour;
  ag[1].preferences.start_from_s = 13 * kHour;
  ag[1].preferences.start_to_s = 15 * kHour;
  ag[2].preferences.days_off = {5, 6};
  // cy off on 5 and 6 leaves 4 shifts on those days for ann and bob: both work both weekend days.
  const RosterResult r = make_roster(m, s, ag, {.seed = 3});
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::ok);
  CHECK(r.preferences_stated == 5 + 5 + 2);
  CHECK(r.preferences_granted == r.preferences_stated);
}

TEST_CASE("roster: nights are shared", "[schedule][roster]") {
  // One night shift (22:00-06:00) and two day shifts every day for 4 weeks, 4 agents of 5 days:
  // 28 nights shared by 4 agents is 7 each when perfectly fair; allow a spread of 2.
  const CoverageModel m = hourly_model(4, {{"N8", 22, 8}, {"D8", 9, 8}});
  Schedule s;
  std::vector<int> nights = range(27);  // the last night would run past the horizon
  add_shifts(s, 0, 22, 1, nights);
  add_shifts(s, 1, 9, 2, range(28));
  std::vector<Agent> ag;
  for (int i = 0; i < 4; ++i) ag.push_back(agent(fmt::format("n{}", i), 5, 11.0));
  const RosterResult r = make_roster(m, s, ag, {.seed = 1});
  require_checked(m, s, ag, r);
  INFO("nights " << r.min_nights << ".." << r.max_nights);
  CHECK(r.max_nights - r.min_nights <= 2);
}

TEST_CASE("roster: randomized instances pass the independent checker", "[schedule][roster]") {
  pcg32 rng(20261204);
  for (int trial = 0; trial < 25; ++trial) {
    const int weeks = 1 + static_cast<int>(rng(3));
    const CoverageModel m = hourly_model(weeks, {{"E8", 6, 8}, {"D6", 10, 6}, {"L8", 14, 8}, {"N8", 22, 8}});
    Schedule s;
    const int days = 7 * weeks;
    for (int t = 0; t < 4; ++t) {
      const int hour = std::array{6, 10, 14, 22}[static_cast<std::size_t>(t)];
      for (int d = 0; d < days; ++d) {
        const int n = static_cast<int>(rng(4));
        if (n > 0 && !(t == 3 && d == days - 1)) add_shifts(s, t, hour, n, {d});
      }
    }
    const int n_agents = 4 + static_cast<int>(rng(10));
    std::vector<Agent> ag;
    for (int i = 0; i < n_agents; ++i) {
      Agent a = agent(fmt::format("r{}", i), 3 + static_cast<int>(rng(5)), rng(2) ? 11.0 : 0.0);
      a.contract.max_consecutive_days = 2 + static_cast<int>(rng(5));
      a.contract.min_week_s = rng(3) == 0 ? 16 * kHour : 0.0;
      a.contract.max_week_s = 32.0 * kHour + rng(3) * 8 * kHour;
      if (rng(3) == 0) a.contract.templates = {static_cast<int>(rng(4))};
      if (rng(2)) {
        a.availability.assign(static_cast<std::size_t>(days), DayWindow{});
        a.availability[rng(static_cast<std::uint32_t>(days))] = {0.0, 0.0};
        a.availability[rng(static_cast<std::uint32_t>(days))] = {8 * kHour, 20 * kHour};
      }
      if (rng(2)) {
        a.preferences.start_from_s = 6 * kHour;
        a.preferences.start_to_s = 10 * kHour;
      }
      a.preferences.days_off = {static_cast<int>(rng(static_cast<std::uint32_t>(days)))};
      ag.push_back(a);
    }
    INFO("trial " << trial);
    const RosterResult r = make_roster(m, s, ag, {.seed = static_cast<std::uint64_t>(trial)});
    require_checked(m, s, ag, r);
    CHECK(r.preferences_granted <= r.preferences_stated);
    if (r.status == wfm::Status::ok) CHECK(r.unassigned.empty());
  }
}

TEST_CASE("roster: the checker catches broken rosters", "[schedule][roster]") {
  const CoverageModel m = hourly_model(1, {{"L8", 16, 8}, {"E8", 6, 8}});
  Schedule s;
  add_shifts(s, 0, 16, 1, range(7));
  add_shifts(s, 1, 6, 1, range(7));
  std::vector<Agent> ag{agent("a", 5, 11.0), agent("b", 5, 11.0), agent("c", 5, 11.0)};
  const RosterResult good = make_roster(m, s, ag);
  require_checked(m, s, ag, good);
  REQUIRE(good.status == wfm::Status::ok);
  auto find = [](const RosterResult& r, int who, int day) {
    for (std::size_t i = 0; i < r.agents[static_cast<std::size_t>(who)].assignments.size(); ++i)
      if (r.agents[static_cast<std::size_t>(who)].assignments[i].day == day) return static_cast<int>(i);
    return -1;
  };
  SECTION("a shift given twice") {
    RosterResult bad = good;
    auto& from = bad.agents[0].assignments;
    auto& to = bad.agents[1].assignments;
    to.push_back(from.front());
    CHECK_FALSE(check_roster(m, s, ag, bad).valid);
  }
  SECTION("a shift dropped without being reported") {
    RosterResult bad = good;
    bad.agents[0].assignments.pop_back();
    const RosterCheck c = check_roster(m, s, ag, bad);
    CHECK(c.valid);
    CHECK_FALSE(c.consistent);
    CHECK_FALSE(c.complete);
  }
  SECTION("a contract tightened after the fact") {
    std::vector<Agent> strict = ag;
    for (auto& a : strict) a.contract.max_days_per_week = 1;
    CHECK_FALSE(check_roster(m, s, strict, good).valid);
    strict = ag;
    for (auto& a : strict) a.contract.max_consecutive_days = 1;
    strict[0].contract.min_rest_s = 20 * kHour;
    CHECK_FALSE(check_roster(m, s, strict, good).valid);
  }
  SECTION("a late followed by an early") {
    // Move agent b's day-1 shift to agent a, who works the late shift on day 0 if any.
    RosterResult bad = good;
    for (int who = 0; who < 3; ++who) {
      const int i0 = find(bad, who, 0);
      if (i0 < 0 || bad.agents[static_cast<std::size_t>(who)].assignments[static_cast<std::size_t>(i0)].template_index != 0) continue;
      for (int other = 0; other < 3; ++other) {
        const int i1 = find(bad, other, 1);
        if (other == who || i1 < 0) continue;
        auto& src = bad.agents[static_cast<std::size_t>(other)].assignments;
        if (src[static_cast<std::size_t>(i1)].template_index != 1) continue;
        if (find(bad, who, 1) >= 0) continue;
        bad.agents[static_cast<std::size_t>(who)].assignments.push_back(src[static_cast<std::size_t>(i1)]);
        src.erase(src.begin() + i1);
        const RosterCheck c = check_roster(m, s, ag, bad);
        CHECK_FALSE(c.valid);
        return;
      }
    }
    // No such pair in this roster: build one directly (late day 0 then early day 1 for 'a').
    RosterResult direct = good;
    for (auto& a : direct.agents) a.assignments.clear();
    RosterAssignment late{.day = 0, .template_index = 0, .start = 16, .start_s = 16 * kHour, .end_s = 24 * kHour};
    RosterAssignment early{.day = 1, .template_index = 1, .start = 30, .start_s = 30 * kHour, .end_s = 38 * kHour};
    direct.agents[0].assignments = {late, early};
    CHECK_FALSE(check_roster(m, s, ag, direct).valid);
  }
}

TEST_CASE("roster: outputs for the simulator and files", "[schedule][roster]") {
  CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  m.templates[0].breaks = {{.length = 1, .earliest_offset = 3, .latest_offset = 4}};
  Schedule s;
  for (int d = 0; d < 7; ++d) s.shifts.push_back({0, d * 24 + 8, 2, {{1, 1}}});
  std::vector<Agent> ag{agent("a", 5), agent("b", 5), agent("c", 5)};
  const RosterResult r = make_roster(m, s, ag);
  require_checked(m, s, ag, r);
  const wfm::Roster sim = to_roster(m, r);
  REQUIRE(sim.shifts.size() == 14);
  for (const auto& span : sim.shifts) {
    CHECK(span.agents == 1);
    REQUIRE(span.breaks.size() == 1);
    CHECK(span.breaks[0].length == kHour);
  }
  const auto grid = wfm::IntervalGrid::naive(0, 3600, 168);
  const std::string csv = roster_to_csv(m, r, grid);
  CHECK(csv.rfind("agent,template,start,end,breaks\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 15);
  CHECK_THAT(csv, Catch::Contains("D8,1970-01-01 08:00,1970-01-01 16:00,"));
}

TEST_CASE("roster: bad input is rejected naming the field", "[schedule][roster]") {
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule s;
  add_shifts(s, 0, 8, 1, {0});
  auto throws_with = [&](std::vector<Agent> ag, const char* text, RosterOptions o = {}) {
    CHECK_THROWS_WITH(make_roster(m, s, ag, o), Catch::Contains(text));
  };
  Agent a = agent("a");
  a.contract.max_days_per_week = 8;
  throws_with({a}, "agents[0].contract.max_days_per_week");
  a = agent("a");
  a.contract.templates = {3};
  throws_with({a}, "agents[0].contract.templates[0]");
  a = agent("a");
  a.availability.assign(3, DayWindow{});
  throws_with({a}, "agents[0].availability");
  a = agent("a");
  a.contract.min_week_s = 1e308 * 10;
  throws_with({a}, "agents[0].contract.min_week_s");
  a = agent("a,b");
  throws_with({a}, "agents[0].id");
  throws_with({agent("a")}, "options.time_limit", {.time_limit = -1.0});
  // A horizon of 30 hours has a partial second day: availability needs 2 windows.
  CoverageModel partial = m;
  partial.requirement.resize(30);
  partial.templates[0].starts = {8};
  a = agent("a");
  a.availability.assign(7, DayWindow{});
  CHECK_THROWS_WITH(make_roster(partial, s, {a}), Catch::Contains("one window per day (2)"));
  a.availability.assign(2, DayWindow{});
  const RosterResult r = make_roster(partial, s, {a});
  CHECK(r.status == wfm::Status::ok);
  CHECK(r.days == 2);
}

TEST_CASE("roster: no agents, no shifts", "[schedule][roster]") {
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule empty;
  RosterResult r = make_roster(m, empty, {agent("a")});
  require_checked(m, empty, {agent("a")}, r);
  CHECK(r.status == wfm::Status::ok);
  Schedule s;
  add_shifts(s, 0, 8, 1, {0});
  r = make_roster(m, s, {});
  require_checked(m, s, {}, r);
  CHECK(r.status == wfm::Status::infeasible);
  CHECK(r.unassigned.size() == 1);
}

TEST_CASE("roster: absurd sizes are rejected, time limits reported", "[schedule][roster]") {
  const CoverageModel m = hourly_model(1, {{"D8", 8, 8}});
  Schedule huge;
  add_shifts(huge, 0, 8, 1000000000, {0});
  CHECK_THROWS_WITH(make_roster(m, huge, {agent("a")}), Catch::Contains("too many agent-shifts"));
  Schedule s;
  add_shifts(s, 0, 8, 3, range(7));
  std::vector<Agent> ag{agent("a"), agent("b"), agent("c")};
  // A limit far below the time of the first day's assignment: the run stops at once and says so.
  const RosterResult r = make_roster(m, s, ag, {.time_limit = 1e-12});
  require_checked(m, s, ag, r);
  CHECK(r.status == wfm::Status::time_limit);
  CHECK_THAT(r.message, Catch::Contains("time limit"));
  CHECK(r.unassigned.size() + static_cast<std::size_t>(assigned(r)) == 21);
}

TEST_CASE("roster: agents from a CSV table", "[schedule][roster]") {
  const CoverageModel m = hourly_model(1, {{"E8", 6, 8}, {"L8", 14, 8}});
  const wfm::CsvTable t = wfm::parse_csv(
      "agent,max_days_per_week,min_rest_s,templates,start_from_s,start_to_s,days_off,unavailable\n"
      "ann,5,39600,E8;L8,21600,25200,5;6,\n"
      "bob,,,L8,,,,2\n",
      "agents.csv");
  const std::vector<Agent> ag = agents_from_table(t, m);
  REQUIRE(ag.size() == 2);
  CHECK(ag[0].id == "ann");
  CHECK(ag[0].contract.max_days_per_week == 5);
  CHECK(ag[0].contract.min_rest_s == 39600.0);
  CHECK(ag[0].contract.templates == std::vector<int>{0, 1});
  CHECK(ag[0].preferences.start_to_s == 25200.0);
  CHECK(ag[0].preferences.days_off == std::vector<int>{5, 6});
  CHECK(ag[0].availability.empty());
  CHECK(ag[1].contract.max_days_per_week == 7);
  CHECK(ag[1].contract.templates == std::vector<int>{1});
  REQUIRE(ag[1].availability.size() == 7);
  CHECK(ag[1].availability[2].is_off());
  CHECK_FALSE(ag[1].availability[3].is_off());
  const wfm::CsvTable bad = wfm::parse_csv("agent,templates,days_off\nann,X9,\nbob,,9\n", "agents.csv");
  CHECK_THROWS_WITH(agents_from_table(bad, m), Catch::Contains("agents.csv, line 2") && Catch::Contains("X9"));
  const wfm::CsvTable bad_day = wfm::parse_csv("agent,days_off\nbob,1;9\n", "agents.csv");
  CHECK_THROWS_WITH(agents_from_table(bad_day, m), Catch::Contains("line 2") && Catch::Contains("'9'"));
}
