// Plan versus actual on a hand-computed case (the same as python-bindings/tests/test_kpi.py's
// test_plan_vs_actual_hand_case), its limit values, bad input, and the plan CSV reader.
#include <wfm/kpi/plan_vs_actual.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"
#include "support/data.hpp"

using namespace wfm::kpi;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

std::int64_t ts(const char* s) { return *wfm::parse_timestamp(s); }

// The hand case. Measured (the hand log of contacts_test.cpp at 20 s, answered_within):
// 08:00 4 contacts, 1 answered within 20 s -> SL 0.25, AHT 195 s; 08:15 2 contacts, both within
// 20 s -> SL 1; 08:30 nothing; 2026-03-10 09:00 one contact (not in the plan).
MeasuredIntervals hand_actual() {
  MeasuredIntervals m;
  m.timestamp = {ts("2026-03-02 08:00"), ts("2026-03-02 08:15"), ts("2026-03-10 09:00")};
  m.volume = {4, 2, 1};
  m.service_level = {0.25, 1.0, 1.0};
  m.aht_s = {195, 85, 50};
  return m;
}

PlanIntervals hand_plan() {
  PlanIntervals p;
  p.timestamp = {ts("2026-03-02 08:00"), ts("2026-03-02 08:15"), ts("2026-03-02 08:30")};
  p.planned_volume = {5, 2, 1};
  p.planned_service_level = {0.8, 0.9, 0.85};
  p.planned_aht_s = {180, 180, 180};
  p.agents_required = {2, 2, 1};
  p.agents = {2, 3, 1};
  return p;
}

using wfm::test::write_temp;

}  // namespace

TEST_CASE("plan versus actual: hand-computed case", "[kpi][plan_vs_actual]") {
  const PlanVsActual r = plan_vs_actual(hand_plan(), hand_actual());
  CHECK(r.timestamp == hand_plan().timestamp);
  CHECK(r.volume == std::vector<double>{4, 2, 0});  // 08:30: no measured row -> 0 contacts
  CHECK(r.forecast_error == std::vector<double>{-1, 0, -1});
  CHECK(r.service_level == std::vector<double>{0.25, 1.0, 1.0});  // 08:30: the limit 1
  CHECK_THAT(r.service_level_gap[0], WithinAbs(-0.55, 1e-15));
  CHECK_THAT(r.service_level_gap[1], WithinAbs(0.1, 1e-15));
  CHECK_THAT(r.service_level_gap[2], WithinAbs(0.15, 1e-15));
  CHECK(r.aht_s == std::vector<double>{195, 85, 0});  // 08:30: the limit 0
  CHECK(r.agents == std::vector<double>{2, 3, 1});
  CHECK(r.asa_s.empty());  // not measured: no column
  CHECK_THAT(r.wape, WithinAbs(2.0 / 6.0, 1e-15));  // (1 + 0 + 1) / (4 + 2 + 0)
  CHECK(r.total_volume == 6);
  CHECK(r.total_planned_volume == 8);
  CHECK(r.unplanned_volume == 1);  // 2026-03-10 09:00
  CHECK_THAT(r.overall_service_level, WithinAbs((0.25 * 4 + 1 * 2) / 6.0, 1e-15));
  CHECK_THAT(r.overall_planned_service_level,
             WithinAbs((0.8 * 5 + 0.9 * 2 + 0.85 * 1) / 8.0, 1e-15));
  CHECK_THAT(r.overall_service_level_gap,
             WithinAbs(r.overall_service_level - r.overall_planned_service_level, 1e-15));
  std::vector<std::string> names;
  for (const auto& c : r.columns()) names.emplace_back(c.first);
  CHECK(names == std::vector<std::string>{"planned_volume", "volume", "forecast_error",
                                          "planned_aht_s", "aht_s", "agents_required", "agents",
                                          "planned_service_level", "service_level",
                                          "service_level_gap"});
  const std::string csv = to_csv(r);
  CHECK_THAT(csv, Contains("timestamp,planned_volume,volume,forecast_error,planned_aht_s,aht_s,"
                           "agents_required,agents,planned_service_level,service_level,"
                           "service_level_gap\n2026-03-02 08:00,5,4,-1,180,195,2,2,0.8,0.25,"));
}

TEST_CASE("plan versus actual: from ContactKpis", "[kpi][plan_vs_actual]") {
  // Two contacts at 08:00 (waits 10 s answered, 30 s abandoned) and none elsewhere: SL at 20 s
  // (answered_within) = 1/2, abandon_rate 1/2, aht 100 s, asa 10 s.
  std::vector<Contact> log(2);
  log[0].arrival = ts("2026-03-02 08:01");
  log[0].wait_s = 10;
  log[0].talk_s = 100;
  log[1].arrival = ts("2026-03-02 08:02");
  log[1].outcome = Outcome::abandoned;
  log[1].wait_s = 30;
  const ContactKpis k = contact_kpis(log);
  const MeasuredIntervals m = measured_intervals(k, {});
  REQUIRE(m.timestamp == std::vector<std::int64_t>{ts("2026-03-02 08:00")});
  CHECK(m.service_level == std::vector<double>{0.5});
  CHECK(m.abandon_rate == std::vector<double>{0.5});
  CHECK(m.asa_s == std::vector<double>{10});
  CHECK(m.occupancy.empty());  // no staffed time
  ServiceLevelKey missing{wfm::queueing::ServiceLevelDefinition::wait_within, 30.0};
  CHECK_THROWS_WITH(measured_intervals(k, missing), Contains("service_level_wait_within_30s"));
}

TEST_CASE("plan versus actual: limits, never NaN", "[kpi][plan_vs_actual]") {
  PlanIntervals p;
  p.timestamp = {ts("2026-03-02 08:00")};
  p.planned_volume = {3};
  p.planned_service_level = {0.8};
  const PlanVsActual none = plan_vs_actual(p, MeasuredIntervals{});
  CHECK(std::isinf(none.wape));  // forecast 3, nothing measured
  CHECK(none.total_volume == 0);
  CHECK(none.overall_service_level == 1.0);
  p.planned_volume = {0};
  CHECK(plan_vs_actual(p, MeasuredIntervals{}).wape == 0.0);
  const PlanVsActual empty = plan_vs_actual(PlanIntervals{}, hand_actual());
  CHECK(empty.unplanned_volume == 7);
  CHECK(empty.overall_service_level == 1.0);
  CHECK(empty.wape == 0.0);
}

TEST_CASE("plan versus actual: bad input names the column and row", "[kpi][plan_vs_actual]") {
  PlanIntervals p = hand_plan();
  p.planned_service_level[1] = 80;  // percent instead of a fraction
  CHECK_THROWS_WITH(plan_vs_actual(p, hand_actual()),
                    Contains("plan.planned_service_level[1] must be in [0, 1]"));
  p = hand_plan();
  p.timestamp[2] = p.timestamp[0];
  CHECK_THROWS_WITH(plan_vs_actual(p, hand_actual()), Contains("plan.timestamp[2]"));
  p = hand_plan();
  p.agents.pop_back();
  CHECK_THROWS_WITH(plan_vs_actual(p, hand_actual()), Contains("plan.agents has 2 entries"));
  MeasuredIntervals m = hand_actual();
  m.volume[0] = std::nan("");
  CHECK_THROWS_AS(plan_vs_actual(hand_plan(), m), wfm::InvalidArgument);
  m = hand_actual();
  m.aht_s[2] = std::nan("");
  CHECK_THROWS_WITH(plan_vs_actual(hand_plan(), m), Contains("actual.aht_s[2] is NaN"));
}

TEST_CASE("plan CSV: wfm-plan's staffing.csv and its folder", "[kpi][plan_vs_actual]") {
  // The shape wfm-plan writes: ISO timestamps with a UTC offset (the wall clock is used).
  const std::string staffing = write_temp("wfm_plan_vs_actual_test/staffing.csv",
        "timestamp,volume,aht_s,agents_required,agents_required_gross,service_level,status\n"
        "2026-03-02T08:00:00+01:00,5,180,2,3,0.8,ok\n"
        "2026-03-02T08:15:00+01:00,2,180,2,3,0.9,ok\n");
  write_temp("wfm_plan_vs_actual_test/coverage.csv",
        "timestamp,agents_required,agents_required_gross,agents\n"
        "2026-03-02T08:15:00+01:00,2,3,4\n");
  const std::string dir = std::filesystem::path(staffing).parent_path().string();
  const PlanIntervals file = read_plan(staffing);
  CHECK(file.timestamp == std::vector<std::int64_t>{ts("2026-03-02 08:00"),
                                                    ts("2026-03-02 08:15")});
  CHECK(file.planned_volume == std::vector<double>{5, 2});
  CHECK(file.planned_service_level == std::vector<double>{0.8, 0.9});
  CHECK(file.planned_aht_s == std::vector<double>{180, 180});
  CHECK(file.agents.empty());
  const PlanIntervals folder = read_plan(dir);  // + coverage.csv's agents (08:00: no row -> 0)
  CHECK(folder.agents == std::vector<double>{0, 4});
  const std::string bad = write_temp("wfm_plan_bad.csv",
                                "timestamp,volume,service_level\n2026-03-02 08:00,5,0.8\n"
                                "2026-03-02 08:15,2,80\n");
  CHECK_THROWS_WITH(read_plan(bad), Contains("wfm_plan_bad.csv, line 3, column 'service_level'"));
  const std::string twice = write_temp("wfm_plan_twice.csv",
                                  "timestamp,volume,service_level\n2026-03-02 08:00,5,0.8\n"
                                  "2026-03-02 08:00,2,0.8\n");
  CHECK_THROWS_WITH(read_plan(twice), Contains("line 3, column 'timestamp'"));
  CHECK_THROWS_WITH(read_plan(bad + ".absent"), Contains("absent"));
}
