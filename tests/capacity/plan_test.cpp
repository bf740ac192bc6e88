// The whole plan and the what-if table.
#include <wfm/capacity/plan.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::capacity;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

// 120 calls per 30 min, AHT 180 s (a load of 12 Erlangs), one interval a week of 1800 s and
// 1 FTE = 1800 s a week, so productive FTE = agents (the exact number comes from wfm::queueing,
// checked in requirement_test.cpp; here only relations are checked). 17 staff cover week 0,
// attrition makes a class necessary later.
CapacityInput small() {
  CapacityInput in;
  in.demand = {.volume = std::vector<double>(12, 120.0), .aht_s = {180.0}, .profile = {1.0},
               .interval_length_s = 1800.0, .fte_week_s = 1800.0};
  in.hiring.supply = {.cohorts = {{.tenure_weeks = 52, .headcount = 17.0}}, .attrition = {0.03},
                      .training_weeks = 1, .ramp = {}, .leave = {}};
  in.hiring.classes = {{0, 0, 10}, {4, 0, 10}};
  in.hiring.costs = {.salary = 10.0, .hire_cost = 30.0, .understaffing = 100.0};
  in.hiring.gap_tolerance = 0.0;
  return in;
}

}  // namespace

TEST_CASE("plan: scenarios side by side", "[capacity][plan]") {
  const CapacityInput in = small();
  const CapacityPlan base = plan_capacity(in);
  REQUIRE(base.hiring.status == wfm::Status::optimal);
  const auto sc = standard_scenarios(base.hiring);
  REQUIRE(sc.size() == 6);  // base runs a class, so one is cancelled
  const auto t = compare_scenarios(in, sc);
  REQUIRE(t.size() == 6);
  CHECK(t[0].name == "base");
  CHECK_THAT(t[0].cost, WithinRel(base.hiring.cost, 1e-12));
  CHECK(t[1].fte_required_mean > t[0].fte_required_mean);  // volume +10 %
  CHECK(t[2].fte_required_mean < t[0].fte_required_mean);  // volume -10 %
  CHECK(t[3].fte_required_mean >= t[0].fte_required_mean); // AHT +5 %
  CHECK(t[4].hires >= t[0].hires);                         // attrition x2
  CHECK(t[5].cost >= t[0].cost);                           // fewer options never cost less
}

TEST_CASE("plan: a goal that queueing cannot meet makes the plan infeasible", "[capacity][plan]") {
  CapacityInput in = small();
  in.demand.volume[3] = 1e16;  // absurd but finite: max_agents cannot serve it
  const CapacityPlan p = plan_capacity(in);
  CHECK(p.requirement.status == wfm::Status::infeasible);
  CHECK(p.hiring.status == wfm::Status::infeasible);
  CHECK_THAT(p.hiring.message, Contains("requirement"));
}

TEST_CASE("plan: bad scenarios name the field", "[capacity][plan]") {
  const CapacityInput in = small();
  CHECK_THROWS_WITH(compare_scenarios(in, {{.name = "x", .volume_factor = -1.0}}),
                    Contains("volume_factor"));
  CHECK_THROWS_WITH(compare_scenarios(in, {{.name = "y", .cancel_class = 7}}),
                    Contains("cancel_class"));
}
