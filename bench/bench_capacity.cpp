// wfm::capacity timings: a year's hiring plan (integer programme) and a year's requirement.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <wfm/capacity/capacity.hpp>

namespace cap = wfm::capacity;

namespace {

// A 52-week centre like examples/data (requirement given in FTE): ~220 FTE with a yearly cycle,
// 252 staff by tenure, 13 classes of 8-20, 4 training weeks and a 12-week ramp.
cap::HiringProblem centre() {
  cap::HiringProblem p;
  for (int w = 0; w < 52; ++w)
    p.fte_required.push_back(220.0 * (1.0 + 0.08 * std::cos(2 * std::numbers::pi * (w - 9) / 52.0)));
  p.supply = {.cohorts = {{156, 150}, {80, 45}, {40, 30}, {20, 15}, {6, 12}},
              .attrition = {0.012, 0.012, 0.012, 0.012, 0.012, 0.012, 0.012, 0.012, 0.012, 0.012,
                            0.012, 0.012, 0.007},
              .training_weeks = 4,
              .ramp = {0.5, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 0.75, 0.9, 0.9, 0.9, 0.9},
              .leave = {}};
  for (int w = 0; w < 52; w += 4) p.classes.push_back({w, 8, 20});
  p.costs = {.salary = 900, .hire_cost = 2500, .training_cost = 1500, .overtime = 1350,
             .temp = 1200, .understaffing = 3000};
  p.max_overtime = 0.05;
  p.max_temps.assign(52, 6.0);
  return p;
}

void BM_hiring_plan_52_weeks_13_classes(benchmark::State& state) {
  const cap::HiringProblem p = centre();
  for (auto _ : state) benchmark::DoNotOptimize(cap::plan_hiring(p));
}
BENCHMARK(BM_hiring_plan_52_weeks_13_classes)->Unit(benchmark::kMillisecond);

void BM_requirement_52_weeks_of_672_quarter_hours(benchmark::State& state) {
  cap::RequirementInput in;
  in.volume.assign(52, 72000.0);
  in.aht_s = {280.0};
  in.profile.assign(672, 1.0 / 672.0);
  for (auto _ : state) benchmark::DoNotOptimize(cap::required_fte(in));
}
BENCHMARK(BM_requirement_52_weeks_of_672_quarter_hours)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
