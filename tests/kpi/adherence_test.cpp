#include <wfm/kpi/adherence.hpp>

#include <algorithm>

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::kpi;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

std::int64_t ts(const char* s) { return *wfm::parse_timestamp(s); }

std::vector<ScheduledActivity> schedule() {
  return {{"a1", ts("2026-03-02 08:00"), ts("2026-03-02 12:00"), "shift"},
          {"a1", ts("2026-03-02 10:00"), ts("2026-03-02 10:15"), "break"}};
}

// Shuffled on purpose; a2 has no schedule (an unknown agent id).
std::vector<StateRecord> states() {
  return {{ts("2026-03-02 10:20"), "a1", "available"}, {ts("2026-03-02 07:58"), "a1", "available"},
          {ts("2026-03-02 09:00"), "a1", "offline"},   {ts("2026-03-02 08:30"), "a1", "on_contact"},
          {ts("2026-03-02 10:02"), "a1", "break"},     {ts("2026-03-02 09:10"), "a1", "available"},
          {ts("2026-03-02 12:05"), "a1", "offline"},   {ts("2026-03-02 08:00"), "a2", "available"},
          {ts("2026-03-02 08:30"), "a1", "on_contact"}};  // a harmless duplicate
}

}  // namespace

TEST_CASE("adherence, conformance, shrinkage and exceptions by hand", "[kpi][adherence]") {
  // Scheduled S = 08:00-12:00 = 14,400 s; work activity W = S - 15 min break = 13,500 s.
  // Not adherent (grace 60 s after 08:00, 10:00 and 10:15): 09:00-09:10 offline in the shift
  // (600 s), 10:01-10:02 available in the break (60 s), 10:16-10:20 still on break (240 s):
  // adherence = (14,400 - 900) / 14,400 = 0.9375.
  // Worked (work states, scheduled or not): 07:58-08:30 1,920 + 08:30-09:00 1,800 +
  // 09:10-10:02 3,120 + 10:20-12:05 6,300 (overtime counts; the last row, 12:05 offline,
  // lasts until the end of the schedule: no time) = 13,140 s -> conformance 13,140 / 13,500.
  // Shrinkage: offline 600 s + break 10:02-10:20 1,080 s of S.
  const AdherenceResult r = adherence(schedule(), states(), AdherenceOptions{});
  REQUIRE(r.agents.size() == 2);
  const AdherenceRow& a = r.agents[0];
  CHECK(a.agent == "a1");
  CHECK(a.scheduled_s == 14400.0);
  CHECK(a.work_scheduled_s == 13500.0);
  CHECK(a.adherent_s == 13500.0);
  CHECK(a.adherence == 0.9375);
  CHECK(a.worked_s == 13140.0);
  CHECK_THAT(a.conformance, WithinRel(13140.0 / 13500.0));
  REQUIRE(r.shrinkage_by_state.size() == 2);
  CHECK(r.shrinkage_by_state[0].state == "break");
  CHECK(r.shrinkage_by_state[0].seconds == 1080.0);
  CHECK(r.shrinkage_by_state[1].state == "offline");
  CHECK(r.shrinkage_by_state[1].seconds == 600.0);
  CHECK_THAT(r.shrinkage, WithinRel(1680.0 / 14400.0));
  REQUIRE(r.exceptions.size() == 3);
  CHECK(r.exceptions[0].from == ts("2026-03-02 09:00"));
  CHECK(r.exceptions[0].to == ts("2026-03-02 09:10"));
  CHECK(r.exceptions[0].activity == "shift");
  CHECK(r.exceptions[0].state == "offline");
  CHECK(r.exceptions[1].activity == "break");
  CHECK(r.exceptions[1].state == "available");
  CHECK(r.exceptions[2].from == ts("2026-03-02 10:16"));
  CHECK(r.exceptions[2].state == "break");
  CHECK(r.unknown_agents == std::vector<std::string>{"a2"});
  // Intervals: 07:45 has 120 s worked before the shift; 08:00 is fully adherent.
  REQUIRE(r.intervals.size() >= 2);
  CHECK(r.intervals[0].timestamp == ts("2026-03-02 07:45"));
  CHECK(r.intervals[0].worked_s == 120.0);
  CHECK(r.intervals[0].scheduled_s == 0.0);
  CHECK(r.intervals[1].adherence == 1.0);
  REQUIRE(r.days.size() == 1);
  CHECK(r.days[0].scheduled_s == 14400.0);
  CHECK(r.overall.adherence == 0.9375);
}

TEST_CASE("adherence: a lost logout becomes 'missing' after max_state_s", "[kpi][adherence]") {
  AdherenceOptions o;
  o.max_state_s = 3600.0;
  o.grace_s = 0.0;
  // One record at 08:00 for a 08:00-12:00 shift: known for 1 h, then missing for 3 h.
  const AdherenceResult r =
      adherence({{"a", ts("2026-03-02 08:00"), ts("2026-03-02 12:00"), "shift"}},
                {{ts("2026-03-02 08:00"), "a", "available"}}, o);
  CHECK(r.agents[0].adherent_s == 3600.0);
  REQUIRE(r.shrinkage_by_state.size() == 1);
  CHECK(r.shrinkage_by_state[0].state == "missing");
  CHECK(r.shrinkage_by_state[0].seconds == 3.0 * 3600.0);
}

TEST_CASE("adherence: bad rows are errors naming the row", "[kpi][adherence]") {
  auto s = schedule();
  s.push_back({"a1", ts("2026-03-02 11:00"), ts("2026-03-02 13:00"), "shift"});
  CHECK_THROWS_WITH(adherence(s, states()), Contains("schedule[2]") && Contains("overlaps"));
  s = schedule();
  s[1].end = s[1].start;
  CHECK_THROWS_WITH(adherence(s, states()), Contains("schedule[1]"));
  auto st = states();
  st.push_back({ts("2026-03-02 09:00"), "a1", "break"});  // conflicts with 'offline' at 09:00
  CHECK_THROWS_WITH(adherence(schedule(), st), Contains("states[9]") && Contains("two states"));
  AdherenceOptions bad;
  bad.grace_s = -1.0;
  CHECK_THROWS_AS(adherence(schedule(), states(), bad), wfm::InvalidArgument);
}
