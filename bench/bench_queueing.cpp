// Google Benchmark: cost of one evaluation of the queueing models at n = 10 .. 100,000 agents.
// Real numbers are taken by hand (bench/RESULTS.md, "### models"):
//   cmake --preset release && cmake --build build/release -j2 --target wfm_bench_queueing
//   build/release/bench/wfm_bench_queueing --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
// The load is 0.9 n (a typical staffing point); Erlang A patience is 2 AHT, target 20 s.
#include <benchmark/benchmark.h>

#include <wfm/queueing/queueing.hpp>

namespace {

using namespace wfm::queueing;

constexpr double aht = 300.0;
constexpr double rho = 0.9;

double agents_of(const benchmark::State& state) { return static_cast<double>(state.range(0)); }

void BM_erlang_c_service_level(benchmark::State& state) {
  double n = agents_of(state);
  const ErlangC q(rho * n / aht, aht);
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(q.service_level(n, 20.0));
  }
}

void BM_erlang_a_service_level(benchmark::State& state) {
  double n = agents_of(state);
  const ErlangA q(rho * n / aht, aht, 2.0 * aht);
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(q.service_level(n, 20.0));
  }
}

void BM_erlang_a_service_level_overloaded(benchmark::State& state) {
  double n = agents_of(state);
  const ErlangA q(1.2 * n / aht, aht, 2.0 * aht);
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(q.service_level(n, 20.0));
  }
}

void BM_erlang_a_abandon_probability(benchmark::State& state) {
  double n = agents_of(state);
  const ErlangA q(rho * n / aht, aht, 2.0 * aht);
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(q.abandon_probability(n));
  }
}

void BM_erlang_a_asa_answered(benchmark::State& state) {
  double n = agents_of(state);
  const ErlangA q(rho * n / aht, aht, 2.0 * aht);
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(q.average_speed_of_answer(n, AsaOver::answered));
  }
}

void BM_erlang_b_blocking(benchmark::State& state) {
  double n = agents_of(state);
  const ErlangB q(rho * n / aht, aht);
  for (auto _ : state) {
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(q.blocking_probability(n));
  }
}

void sizes(benchmark::internal::Benchmark* b) {
  for (long n : {10L, 100L, 1000L, 10000L, 100000L}) b->Arg(n);
}

}  // namespace

BENCHMARK(BM_erlang_c_service_level)->Apply(sizes);
BENCHMARK(BM_erlang_a_service_level)->Apply(sizes);
BENCHMARK(BM_erlang_a_service_level_overloaded)->Apply(sizes);
BENCHMARK(BM_erlang_a_abandon_probability)->Apply(sizes);
BENCHMARK(BM_erlang_a_asa_answered)->Apply(sizes);
BENCHMARK(BM_erlang_b_blocking)->Apply(sizes);
BENCHMARK_MAIN();
