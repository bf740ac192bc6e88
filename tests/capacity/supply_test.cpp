// Supply projection: cohort bookkeeping, survival, training and ramp-up.
//
// Reference values are computed by hand in the comments from the definitions in supply.hpp
// (expected values: survivors n * prod (1 - a)).
#include <numeric>
#include <random>
#include <wfm/capacity/supply.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::capacity;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("supply: hand-computed cohort of 100 with 10 % weekly attrition", "[capacity][supply]") {
  Supply s{.cohorts = {{.tenure_weeks = 0, .headcount = 100.0}},
           .attrition = {0.1},
           .training_weeks = 2,
           .ramp = {0.5}};
  const auto p = project_supply(s, 4, std::vector<double>(4, 0.0));
  // Present: 100, 90, 81, 72.9; productivity 0, 0, 0.5, 1 -> available 0, 0, 40.5, 72.9.
  CHECK_THAT(p.fte_paid[3], WithinRel(72.9, 1e-12));
  CHECK(p.fte_available[0] == 0.0);
  CHECK(p.fte_available[1] == 0.0);
  CHECK_THAT(p.fte_available[2], WithinRel(40.5, 1e-12));
  CHECK_THAT(p.fte_available[3], WithinRel(72.9, 1e-12));
  CHECK_THAT(p.headcount[3], WithinRel(65.61, 1e-12));  // 100 * 0.9^4
  CHECK_THAT(p.headcount_training[1], WithinRel(90.0, 1e-12));
  CHECK_THAT(p.headcount_ramp[2], WithinRel(81.0, 1e-12));
  CHECK_THAT(p.headcount_tenured[3], WithinRel(72.9, 1e-12));
}

TEST_CASE("supply: hires - leavers = change in headcount every week", "[capacity][supply]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 50; ++trial) {
    Supply s;
    for (int c = 0; c < 5; ++c) s.cohorts.push_back({static_cast<int>(u(rng) * 80), u(rng) * 40});
    s.attrition.clear();
    for (int t = 0; t < 1 + static_cast<int>(u(rng) * 30); ++t) s.attrition.push_back(u(rng) * 0.2);
    s.training_weeks = static_cast<int>(u(rng) * 6);
    s.ramp = {0.3, 0.6, 0.9};
    const int weeks = 60;
    std::vector<double> hires(weeks);
    for (auto& h : hires) h = u(rng) < 0.2 ? std::floor(u(rng) * 20) : 0.0;
    const auto p = project_supply(s, weeks, hires);
    double before = 0.0;
    for (const auto& c : s.cohorts) before += c.headcount;
    for (std::size_t w = 0; w < weeks; ++w) {
      CHECK_THAT(p.headcount[w] - before, WithinAbs(p.hires[w] - p.leavers[w], 1e-9));
      CHECK_THAT(p.headcount_training[w] + p.headcount_ramp[w] + p.headcount_tenured[w],
                 WithinRel(p.fte_paid[w], 1e-12));
      CHECK(p.fte_available[w] <= p.fte_paid[w] + 1e-12);
      before = p.headcount[w];
    }
  }
}

TEST_CASE("supply: attrition curve by tenure and planned leave", "[capacity][supply]") {
  // New hires leave at 5 % a week for 2 weeks, then 1 %; leave 20 % in week 1.
  Supply s{.attrition = {0.05, 0.05, 0.01}, .leave = {0.0, 0.2}};
  const auto p = project_supply(s, 4, std::vector<double>{10.0, 0.0, 0.0, 0.0});
  CHECK_THAT(p.leavers[0], WithinRel(0.5, 1e-12));           // 10 * 0.05
  CHECK_THAT(p.leavers[2], WithinRel(10 * 0.95 * 0.95 * 0.01, 1e-12));
  CHECK_THAT(p.fte_available[1], WithinRel(9.5 * 0.8, 1e-12));
}

TEST_CASE("supply: bad input names the field", "[capacity][supply]") {
  const std::vector<double> none(3, 0.0);
  Supply s;
  s.attrition = {0.01, 1.0};
  CHECK_THROWS_WITH(project_supply(s, 3, none), Contains("supply.attrition[1]"));
  s.attrition = {-0.1};
  CHECK_THROWS_AS(project_supply(s, 3, none), wfm::InvalidArgument);
  s.attrition = {0.01};
  s.ramp = {0.5, 75.0};  // percent instead of a fraction
  CHECK_THROWS_WITH(project_supply(s, 3, none), Contains("supply.ramp[1]"));
  s.ramp = {};
  s.cohorts = {{.tenure_weeks = -1, .headcount = 3}};
  CHECK_THROWS_WITH(project_supply(s, 3, none), Contains("supply.cohorts[0].tenure_weeks"));
  s.cohorts = {};
  s.leave = {0.1, 0.1, 0.1, 0.1};
  CHECK_THROWS_WITH(project_supply(s, 3, none), Contains("supply.leave"));
}
