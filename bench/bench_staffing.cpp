// Staffing benchmarks: required agents for one year of 15-minute intervals (35,040) at 80 %
// within 20 s, single core (targets: < 0.2 s Erlang C, < 0.5 s Erlang A), and one
// required_agents call at loads from 10 to 100,000 Erlangs.
//
//   build/release/bench/wfm_bench_staffing --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <utility>
#include <vector>
#include <wfm/core/units.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>

namespace q = wfm::queueing;

namespace {

// A deterministic 24/7 year: 365 days x 96 intervals. A double intraday peak (10:30, 14:00) over
// a night floor, a weekday pattern (Monday highest, weekends low) and a mild seasonal swing;
// ~4,000-15,000 calls a day. AHT 240-330 s by time of day, mean patience 120-200 s.
struct Year {
  std::vector<double> volume, aht, patience;
};

Year make_year() {
  Year y;
  const double weekday[7] = {1.15, 1.05, 1.0, 0.98, 0.9, 0.45, 0.32};
  for (int d = 0; d < 365; ++d) {
    const double season = 1.0 + 0.15 * std::sin(2.0 * M_PI * d / 365.0);
    for (int i = 0; i < 96; ++i) {
      const double h = (i + 0.5) / 4.0;  // hour of day
      auto g = [h](double mu, double sd) { return std::exp(-0.5 * (h - mu) * (h - mu) / (sd * sd)); };
      const double shape = 0.02 + g(10.5, 1.0) + 0.85 * g(14.25, 1.1) + 0.22 * g(12.5, 4.0);
      y.volume.push_back(std::round(480.0 * weekday[d % 7] * season * shape));
      y.aht.push_back(250.0 + 70.0 * g(10.5, 1.8) + 10.0 * g(14.5, 1.5));
      y.patience.push_back(195.0 - 70.0 * std::min(1.0, shape));
    }
  }
  return y;
}

const Year& year() {
  static const Year y = make_year();
  return y;
}

const q::StaffingGoal kGoal{.service_level = 0.8, .target_time = 20.0};

// Staffs the year on one thread in the timing loop (patience empty: Erlang C, else Erlang A);
// counters: the intervals and agents_required[500] of the last plan.
void time_year_one_thread(benchmark::State& state, const std::vector<double>& patience) {
  const Year& y = year();
  double agents = 0.0;
  for (auto _ : state) {
    const auto plan = q::plan_horizon(y.volume, y.aht, wfm::minutes(15), patience, kGoal, 0.0,
                                      q::PlanOptions{.threads = 1});
    agents = plan.agents_required[500];
    benchmark::DoNotOptimize(plan.agents_required.data());
  }
  state.counters["intervals"] = static_cast<double>(y.volume.size());
  state.counters["agents[500]"] = agents;
}

void BM_staff_year_15min_erlang_c(benchmark::State& state) {
  time_year_one_thread(state, std::vector<double>{});
}
BENCHMARK(BM_staff_year_15min_erlang_c)->Unit(benchmark::kMillisecond);

void BM_staff_year_15min_erlang_a(benchmark::State& state) {
  time_year_one_thread(state, year().patience);
}
BENCHMARK(BM_staff_year_15min_erlang_a)->Unit(benchmark::kMillisecond);

// The same year on every core TBB finds (2 on the development machine), for information.
void BM_staff_year_15min_erlang_a_parallel(benchmark::State& state) {
  const Year& y = year();
  for (auto _ : state) {
    const auto plan = q::plan_horizon(y.volume, y.aht, wfm::minutes(15), y.patience, kGoal, 0.0,
                                      q::PlanOptions{.threads = 0});
    benchmark::DoNotOptimize(plan.agents_required.data());
  }
}
BENCHMARK(BM_staff_year_15min_erlang_a_parallel)->Unit(benchmark::kMillisecond)->UseRealTime();

// One interval at offered load state.range(0) [Erl], AHT 240 s.
void BM_required_agents_erlang_c(benchmark::State& state) {
  const double load = static_cast<double>(state.range(0)), h = 240.0;
  const q::ErlangC m(load / h, h);
  q::StaffingResult r;
  for (auto _ : state) {
    r = q::required_agents(m, kGoal);
    benchmark::DoNotOptimize(std::as_const(r).agents_required);
  }
  state.counters["agents"] = r.agents_required;
  state.counters["evaluations"] = r.evaluations;
}
BENCHMARK(BM_required_agents_erlang_c)->RangeMultiplier(10)->Range(10, 100000)
    ->Unit(benchmark::kMicrosecond);

void BM_required_agents_erlang_a(benchmark::State& state) {
  const double load = static_cast<double>(state.range(0)), h = 240.0;
  const q::ErlangA m(load / h, h, 180.0);
  q::StaffingResult r;
  for (auto _ : state) {
    r = q::required_agents(m, kGoal);
    benchmark::DoNotOptimize(std::as_const(r).agents_required);
  }
  state.counters["agents"] = r.agents_required;
  state.counters["evaluations"] = r.evaluations;
}
BENCHMARK(BM_required_agents_erlang_a)->RangeMultiplier(10)->Range(10, 100000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
