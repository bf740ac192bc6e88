// The hiring integer programme: hand-checked cases, brute-force enumeration, a monotonicity
// property, infeasible goals and bad input.
#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <wfm/capacity/hiring.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::capacity;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

int total(const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); }

// Every combination of class sizes (0 or min..max per class), evaluated by evaluate_hiring:
// the cheapest cost of a plan that covers every week within the tolerance (inf if none).
double brute_force(const HiringProblem& p) {
  std::vector<int> size(p.classes.size(), 0);
  double best = std::numeric_limits<double>::infinity();
  while (true) {
    const HiringPlan e = evaluate_hiring(p, size);
    if (e.status == wfm::Status::feasible) best = std::min(best, e.cost);
    std::size_t k = 0;
    for (; k < size.size(); ++k) {  // next combination (odometer)
      const HiringClass& c = p.classes[k];
      if (size[k] < c.max_size) {
        size[k] = size[k] == 0 ? std::max(1, c.min_size) : size[k] + 1;
        break;
      }
      size[k] = 0;
    }
    if (k == size.size()) return best;
  }
}

HiringProblem random_problem(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  HiringProblem p;
  const int weeks = 8 + static_cast<int>(u(rng) * 8);
  p.supply.cohorts = {{.tenure_weeks = 30, .headcount = 8.0 + 4.0 * u(rng)},
                      {.tenure_weeks = 2, .headcount = 2.0 * u(rng)}};
  p.supply.attrition = {0.02 + 0.05 * u(rng), 0.01 + 0.02 * u(rng)};
  p.supply.training_weeks = static_cast<int>(u(rng) * 3);
  p.supply.ramp = {0.5, 0.8};
  for (int w = 0; w < weeks; ++w) p.fte_required.push_back(8.0 + 6.0 * u(rng) + 0.3 * w);
  const int classes = 2 + static_cast<int>(u(rng) * 2);
  for (int k = 0; k < classes; ++k)
    p.classes.push_back({.start_week = static_cast<int>(u(rng) * (weeks - 2)),
                         .min_size = u(rng) < 0.5 ? 0 : 2,
                         .max_size = 4 + static_cast<int>(u(rng) * 3)});
  p.costs = {.salary = 10.0 + 5 * u(rng), .hire_cost = 20.0 * u(rng), .training_cost = 10.0,
             .overtime = 15.0 + 10 * u(rng), .temp = 18.0 + 10 * u(rng),
             .understaffing = 30.0 * u(rng)};
  p.max_overtime = 0.1 * u(rng);
  p.max_temps.assign(static_cast<std::size_t>(weeks), u(rng) < 0.5 ? 0.0 : 1.5);
  p.gap_tolerance = 0.05 + 0.1 * u(rng);
  return p;
}

}  // namespace

TEST_CASE("hiring: a hand-checked plan", "[capacity][hiring]") {
  // 10 FTE, no attrition, requirement 12 every week of 10, one class in week 0: exactly 2 hires
  // (fewer leaves a gap the tolerance 0 forbids; more costs salary). Cost: salary 1 on 12 FTE
  // for 10 weeks + 2 * (100 + 50).
  HiringProblem p{.fte_required = std::vector<double>(10, 12.0),
                  .supply = {.cohorts = {{.tenure_weeks = 52, .headcount = 10.0}}},
                  .classes = {{.start_week = 0, .min_size = 0, .max_size = 10}},
                  .costs = {.salary = 1.0, .hire_cost = 100.0, .training_cost = 50.0,
                            .understaffing = 1000.0},
                  .gap_tolerance = 0.0};
  const HiringPlan r = plan_hiring(p);
  REQUIRE(r.status == wfm::Status::optimal);
  CHECK(r.class_size == std::vector<int>{2});
  CHECK_THAT(r.cost, WithinRel(120.0 + 300.0, 1e-9));
  CHECK_THAT(r.salary_cost, WithinRel(120.0, 1e-9));
  CHECK_THAT(r.hiring_cost, WithinRel(300.0, 1e-9));
  CHECK(r.gap <= 1e-6);
  CHECK(r.lower_bound <= r.cost);
  for (double g : r.fte_gap) CHECK_THAT(g, WithinAbs(0.0, 1e-9));
}

TEST_CASE("hiring: the integer programme equals brute-force enumeration", "[capacity][hiring]") {
  std::mt19937_64 rng(2026);
  int compared = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const HiringProblem p = random_problem(rng);
    const double best = brute_force(p);
    const HiringPlan r = plan_hiring(p);
    INFO("trial " << trial << ": " << r.message);
    if (best == std::numeric_limits<double>::infinity()) {
      CHECK(r.status == wfm::Status::infeasible);
      continue;
    }
    REQUIRE(r.status == wfm::Status::optimal);
    CHECK_THAT(r.cost, WithinRel(best, 1e-7));
    CHECK(r.lower_bound <= r.cost + 1e-9);
    ++compared;
  }
  CHECK(compared >= 20);  // most random cases are feasible; the comparison must really run
}

TEST_CASE("hiring: more attrition never needs fewer hires", "[capacity][hiring]") {
  // With hire cost only (no salary, overtime, temps; tolerance 0) the optimum is the fewest
  // hires that cover every week; higher attrition shrinks every plan's supply, so the set of
  // covering plans can only shrink and the fewest hires can only grow.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int compared = 0, hired = 0;
  for (int trial = 0; trial < 30; ++trial) {
    HiringProblem p = random_problem(rng);
    p.costs = {.hire_cost = 1.0, .understaffing = 1.0};
    p.max_overtime = 0.0;
    p.max_temps.clear();
    p.gap_tolerance = 0.0;
    p.supply.cohorts[0].headcount = 16.0;  // enough staff for the weeks before a class is trained
    for (auto& c : p.classes) c.max_size = 30;
    const HiringPlan low = plan_hiring(p);
    for (double& a : p.supply.attrition) a = std::min(0.99, a * (1.0 + 2.0 * u(rng)));
    const HiringPlan high = plan_hiring(p);
    if (low.status != wfm::Status::optimal || high.status != wfm::Status::optimal) continue;
    CHECK(total(high.class_size) >= total(low.class_size));
    ++compared;
    hired += total(low.class_size) > 0;
  }
  CHECK(compared >= 10);
  CHECK(hired >= 5);  // the property is exercised on plans that do hire
}

TEST_CASE("hiring: weeks no class can be trained for make the goal infeasible", "[capacity][hiring]") {
  // 10 FTE, requirement 20, training 3 weeks, first class in week 0: weeks 0-2 cannot be
  // covered (at most 10 of 20 FTE); week 3 on can.
  HiringProblem p{.fte_required = std::vector<double>(8, 20.0),
                  .supply = {.cohorts = {{.tenure_weeks = 52, .headcount = 10.0}},
                             .training_weeks = 3},
                  .classes = {{.start_week = 0, .min_size = 0, .max_size = 50}},
                  .costs = {.salary = 1.0, .understaffing = 5.0},
                  .gap_tolerance = 0.05};
  const HiringPlan r = plan_hiring(p);
  CHECK(r.status == wfm::Status::infeasible);
  CHECK(r.uncoverable_weeks == std::vector<int>{0, 1, 2});
  CHECK_THAT(r.message, Contains("weeks 0, 1, 2"));
  CHECK(r.class_size[0] >= 10);  // the plan shown still covers week 3 on
  CHECK(r.fte_gap[3] <= 0.05 * 20.0 + 1e-9);
}

TEST_CASE("hiring: bad input names the field", "[capacity][hiring]") {
  HiringProblem p{.fte_required = {5.0, 5.0},
                  .supply = {.cohorts = {{.tenure_weeks = 5, .headcount = 4.0}}},
                  .classes = {{.start_week = -1, .min_size = 0, .max_size = 3}}};
  CHECK_THROWS_WITH(plan_hiring(p), Contains("classes[0].start_week") && Contains("before the plan"));
  p.classes[0].start_week = 0;
  p.classes[0].min_size = 4;
  CHECK_THROWS_WITH(plan_hiring(p), Contains("classes[0].max_size"));
  p.classes[0].min_size = 0;
  p.supply.attrition = {1.0};
  CHECK_THROWS_WITH(plan_hiring(p), Contains("supply.attrition[0]"));
  p.supply.attrition = {0.01};
  p.supply.ramp = {0.5, 1.2};
  CHECK_THROWS_WITH(plan_hiring(p), Contains("supply.ramp[1]"));
  p.supply.ramp = {};
  p.fte_required[1] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(plan_hiring(p), Contains("fte_required[1]"));
  p.fte_required[1] = 1e308;  // absurd but finite: rejected, naming the week
  CHECK_THROWS_WITH(plan_hiring(p), Contains("fte_required[1]") && Contains("max_fte"));
  p.fte_required[1] = 1e8;  // huge but accepted: a result with a status, quickly
  CHECK(plan_hiring(p).status == wfm::Status::infeasible);
}
