// Demand -> paid FTE: the factors of requirement.hpp, each checked.
#include <wfm/capacity/requirement.hpp>
#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>

#include "support/catch.hpp"

using namespace wfm::capacity;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

TEST_CASE("requirement: one interval is the Erlang C worked example", "[capacity][requirement]") {
  // 100 calls per 30 min, AHT 180 s, 80/20: 14 agents (the README's Erlang C example; SL at 14
  // is 0.888, at 13 below 0.8). One interval of 1800 s -> 14 * 1800 s of agent time.
  RequirementInput in{.volume = {100.0}, .aht_s = {180.0}, .profile = {1.0},
                      .interval_length_s = 1800.0};
  in.fte_week_s = 3600.0;
  in.shrinkage = {{"breaks", {0.1}}, {"absence", {0.15}}};
  in.scheduling_efficiency = 1.1;
  const Requirement r = required_fte(in);
  REQUIRE(r.status == wfm::Status::ok);
  CHECK_THAT(r.agent_time_s[0], WithinRel(14.0 * 1800.0, 1e-12));
  CHECK_THAT(r.fte_productive_required[0], WithinRel(7.0, 1e-12));
  CHECK_THAT(r.shrinkage[0], WithinRel(0.25, 1e-12));
  CHECK_THAT(r.fte_required[0], WithinRel(7.0 * 1.1 / 0.75, 1e-12));
  REQUIRE(r.shrinkage_names == std::vector<std::string>{"breaks", "absence"});
  CHECK(r.shrinkage_by_category[1][0] == 0.15);
}

TEST_CASE("requirement: the profile spreads each week and sums per interval", "[capacity][requirement]") {
  RequirementInput in{.volume = {400.0, 800.0}, .aht_s = {180.0}, .profile = {0.25, 0.75},
                      .interval_length_s = 1800.0};
  const Requirement r = required_fte(in);
  using wfm::queueing::ErlangC;
  const wfm::queueing::StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  for (std::size_t w = 0; w < 2; ++w) {
    double agents = 0.0;
    for (double share : in.profile)
      agents += wfm::queueing::required_agents(ErlangC(in.volume[w] * share / 1800.0, 180.0), goal)
                    .agents_required;
    CHECK_THAT(r.agent_time_s[w], WithinRel(agents * 1800.0, 1e-12));
  }
  CHECK(r.fte_required[1] > r.fte_required[0]);
}

TEST_CASE("requirement: bad input names the field", "[capacity][requirement]") {
  RequirementInput in{.volume = {100.0}, .aht_s = {180.0}, .profile = {0.5, 0.4}};
  CHECK_THROWS_WITH(required_fte(in), Contains("profile"));
  in.profile = {1.0};
  in.shrinkage = {{"absence", {0.6}}, {"holidays", {0.5}}};
  CHECK_THROWS_WITH(required_fte(in), Contains("shrinkage (week 0)"));
  in.shrinkage = {{"absence", {30.0}}};  // percent
  CHECK_THROWS_WITH(required_fte(in), Contains("absence"));
  in.shrinkage = {};
  in.scheduling_efficiency = 0.9;
  CHECK_THROWS_WITH(required_fte(in), Contains("scheduling_efficiency"));
}
