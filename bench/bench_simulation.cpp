// Throughput of the simulation engine: events per second on an Erlang A day.
//
//   cmake --preset release && cmake --build build/release -j2 --target wfm_bench_simulation
//   build/release/bench/wfm_bench_simulation --benchmark_repetitions=3
//
// The day: 48 half-hour intervals, a two-peak volume profile of ~14,700 calls, exponential
// handle time (AHT 300 s) and patience (mean 180 s), staffed by the square-root rule
// n = ceil(a + sqrt(a)) (Halfin-Whitt beta = 1). Events are arrivals, departures, abandonment
// timers (stale ones included), break ends and staffing/interval changes.
//
// The *_1_thread benchmarks run the replications on the calling thread and report events per
// CPU second (one core, robust to other load on the machine); the *_threads benchmark reports
// events per wall-clock second, for the scaling of replications with threads.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include <wfm/simulation/simulation.hpp>

using namespace wfm::simulation;

namespace {

Scenario erlang_a_day(double scale, bool lognormal) {
  Scenario s;
  s.interval_length = 1800.0;
  const double handle = 300.0;
  for (int i = 0; i < 48; ++i) {
    const double h = (i + 0.5) / 2.0;  // hour of day
    const double shape = std::exp(-0.5 * std::pow((h - 10.5) / 2.0, 2)) +
                         0.8 * std::exp(-0.5 * std::pow((h - 15.0) / 2.5, 2)) + 0.02;
    s.arrival_rate.push_back(scale * 700.0 * shape / 1800.0);
  }
  std::vector<int> agents;
  for (double r : s.arrival_rate) {
    const double a = r * handle;
    agents.push_back(static_cast<int>(std::ceil(a + std::sqrt(a))));
  }
  s.staffing = agents;
  s.handle_time = lognormal ? Distribution::lognormal(handle, 1.0) : Distribution::exponential(handle);
  s.patience = Distribution::exponential(180.0);
  return s;
}

void run(benchmark::State& state, const Scenario& s, int threads) {
  RunOptions o;
  o.replications = static_cast<int>(state.range(0));
  o.threads = threads;
  o.seed = 1;
  std::uint64_t events = 0;
  for (auto _ : state) {
    const auto r = simulate(s, o);
    events += r.events;
    benchmark::DoNotOptimize(r.total.service_level[0].value);
  }
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events/rep"] =
      static_cast<double>(events) / static_cast<double>(state.iterations() * state.range(0));
}

// "Simulate an Erlang A day (14,700 calls, 154 agents at the peak)" on one core.
void BM_erlang_a_day_1_thread(benchmark::State& state) {
  run(state, erlang_a_day(1.0, false), 1);
}
BENCHMARK(BM_erlang_a_day_1_thread)->Arg(8)->Unit(benchmark::kMillisecond);

// The same with lognormal handle times (cv 1): normal variates cost more than exponentials.
void BM_lognormal_day_1_thread(benchmark::State& state) {
  run(state, erlang_a_day(1.0, true), 1);
}
BENCHMARK(BM_lognormal_day_1_thread)->Arg(8)->Unit(benchmark::kMillisecond);

// A large centre (10x the volume, ~1,400 agents at the peak): a deeper heap.
void BM_large_centre_day_1_thread(benchmark::State& state) {
  run(state, erlang_a_day(10.0, false), 1);
}
BENCHMARK(BM_large_centre_day_1_thread)->Arg(2)->Unit(benchmark::kMillisecond);

// Scaling of replications with threads (wall-clock events/s).
void BM_erlang_a_day_threads(benchmark::State& state) {
  run(state, erlang_a_day(1.0, false), static_cast<int>(state.range(1)));
}
BENCHMARK(BM_erlang_a_day_threads)
    ->Args({16, 1})
    ->Args({16, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
