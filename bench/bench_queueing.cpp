// Google Benchmark: cost of one evaluation of the queueing models at n = 10 .. 100,000 agents.
// Real numbers are taken by hand (bench/RESULTS.md, "### models"):
//   cmake --preset release && cmake --build build/release -j2 --target wfm_bench_queueing
//   build/release/bench/wfm_bench_queueing --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
// The load is 0.9 n (a typical staffing point); Erlang A patience is 2 AHT, target 20 s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <wfm/queueing/blending.hpp>
#include <wfm/queueing/model_registry.hpp>
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

// ---- omnichannel models (chat_concurrency.hpp, erlang_x.hpp): one service level, whole chain
// Chat: m = 3 at 300/420/540 s, slot load 0.9 of n m / h_m, patience 120 s, target 60 s.
// (agents are read through a volatile: the inline chain is otherwise hoisted out of the loop)
void BM_chat_service_level(benchmark::State& state) {
  const double n = agents_of(state);
  volatile double agents = n;
  const ChatConcurrency q(rho * n * 3.0 / 540.0, {300.0, 420.0, 540.0}, 120.0);
  for (auto _ : state) benchmark::DoNotOptimize(q.service_level(agents, 60.0));
}

// Erlang X: lines = 1.2 n, redial probability 0.5, load 0.9 n: redial fixed point included.
void BM_erlang_x_service_level(benchmark::State& state) {
  const double n = agents_of(state);
  volatile double agents = n;
  const ErlangX q(rho * n / aht, aht, 2.0 * aht, static_cast<std::int64_t>(1.2 * n), 0.5);
  for (auto _ : state) benchmark::DoNotOptimize(q.service_level(agents, 20.0));
}

// Staff a week of 15-minute intervals (672) of chat through the model registry, on one
// thread: a daily double peak between 0 and 2 * mean volume, mean 300 chats per interval.
void BM_chat_staff_week(benchmark::State& state) {
  std::vector<double> volumes(672);
  for (std::size_t i = 0; i < volumes.size(); ++i)
    volumes[i] = 300.0 * (1.0 + std::sin(static_cast<double>(i % 96) * 6.283185307179586 / 48.0));
  const std::vector<double> aht_s{300.0};
  const ModelSpec spec{.name = "chat", .patience = 120.0, .handle_time_factors = {1.0, 1.4, 1.8}};
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  for (auto _ : state)
    benchmark::DoNotOptimize(
        plan_horizon(spec, volumes, aht_s, 900.0, goal, 0.0, PlanOptions{.threads = 1}));
}

// Staff a year of 15-minute intervals (35,040) through the model registry, one model per
// argument, on one thread: the daily double peak above (mean 300 contacts per interval, AHT
// 300 s: ~100 agents, up to ~200), 80 % answered within 60 s. The issue's "required agents for
// a year of 15-minute intervals in seconds".
const ModelSpec& year_spec(std::int64_t i) {
  static const std::vector<ModelSpec> specs{
      {.name = "chat", .patience = 120.0, .handle_time_factors = {1.0, 1.4, 1.8}},
      {.name = "erlang_x", .patience = 120.0, .lines = 400, .redial_probability = 0.3},
      {.name = "general_patience", .patience = 120.0, .patience_distribution = "lognormal"},
      {.name = "general_patience", .patience = 120.0, .patience_distribution = "weibull",
       .patience_shape = 1.5},
      {.name = "blending", .patience = 120.0, .reserve = 2}};  // equal handle times
  return specs.at(static_cast<std::size_t>(i));
}
void BM_model_staff_year_long(benchmark::State& state) {
  const ModelSpec& spec = year_spec(state.range(0));
  state.SetLabel(spec.name + (spec.name == "general_patience" ? " " + spec.patience_distribution
                                                              : std::string()));
  std::vector<double> volumes(35040);
  for (std::size_t i = 0; i < volumes.size(); ++i)
    volumes[i] = 300.0 * (1.0 + std::sin(static_cast<double>(i % 96) * 6.283185307179586 / 48.0));
  const std::vector<double> aht_s{300.0};
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  for (auto _ : state)
    benchmark::DoNotOptimize(
        plan_horizon(spec, volumes, aht_s, 900.0, goal, 0.0, PlanOptions{.threads = 1}));
}

// A day (96 intervals) of the same chat queue at 1e6 times its volume (3e8 chats per interval):
// every requirement lies beyond max_agents and every chain beyond max_states (fluid limit).
void BM_chat_staff_day_absurd(benchmark::State& state) {
  std::vector<double> volumes(96);
  for (std::size_t i = 0; i < volumes.size(); ++i)
    volumes[i] = 3e8 * (1.0 + std::sin(static_cast<double>(i) * 6.283185307179586 / 48.0));
  const std::vector<double> aht_s{300.0};
  const ModelSpec spec{.name = "chat", .patience = 120.0, .handle_time_factors = {1.0, 1.4, 1.8}};
  const StaffingGoal goal{.service_level = 0.8, .target_time = 60.0};
  for (auto _ : state)
    benchmark::DoNotOptimize(
        plan_horizon(spec, volumes, aht_s, 900.0, goal, 0.0, PlanOptions{.threads = 1}));
}

// M/M/n+G (general_patience.hpp): one service level (answered within 20 s), load 0.9 n,
// patience of mean 2 AHT, under each law. Quadrature-based.
void time_general_patience_sl(benchmark::State& state, const PatienceDistribution& law) {
  const double n = agents_of(state);
  volatile double agents = n;
  const GeneralPatience q(rho * n / aht, aht, law);
  for (auto _ : state) benchmark::DoNotOptimize(q.service_level(agents, 20.0));
}
void BM_general_patience_lognormal_sl(benchmark::State& state) {  // cv 1
  time_general_patience_sl(state, PatienceDistribution::lognormal(2.0 * aht, 1.0));
}
void BM_general_patience_deterministic_sl(benchmark::State& state) {
  time_general_patience_sl(state, PatienceDistribution::deterministic(2.0 * aht));
}
void BM_general_patience_weibull_sl(benchmark::State& state) {  // shape 1.5
  time_general_patience_sl(state, PatienceDistribution::weibull(2.0 * aht, 1.5));
}
void BM_general_patience_erlang4_sl(benchmark::State& state) {  // gamma, k = 4
  time_general_patience_sl(state, PatienceDistribution::gamma(2.0 * aht, 4.0));
}
void BM_general_patience_piecewise_sl(benchmark::State& state) {
  const double m = 2.0 * aht;  // hazard 0 to m/4, then 1/m, 2/m, 1/m: mean of the order of m
  time_general_patience_sl(
      state, PatienceDistribution::piecewise_hazard({m / 4, m, 3 * m}, {0.0, 1.0 / m, 2.0 / m, 1.0 / m}));
}
// Patience estimated from data: a survival curve of 48 points (PatiencePolicy::max_pieces, what
// a Kaplan-Meier curve of many abandons is thinned to), here the Weibull (shape 1.5) above
// sampled every 20 s.
void BM_general_patience_estimated_sl(benchmark::State& state) {
  const double k = 1.5, scale = 2.0 * aht / std::tgamma(1.0 + 1.0 / k);
  std::vector<double> t, s;
  for (int j = 1; j <= 48; ++j) {
    t.push_back(20.0 * j);
    s.push_back(std::exp(-std::pow(t.back() / scale, k)));
  }
  time_general_patience_sl(state, PatienceDistribution::from_survival(t, s));
}

// Email / back office (backlog.hpp): evaluate and staff a year of 15-minute intervals (35,040)
// with a 4-hour deadline, open 08-20, a daily peak.
void BM_backlog_year(benchmark::State& state) {
  std::vector<double> volumes(35040);
  std::vector<bool> open(volumes.size());
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    volumes[i] = 40.0 * (1.0 + std::sin(static_cast<double>(i % 96) * 6.283185307179586 / 96.0));
    open[i] = i % 96 >= 32 && i % 96 < 80;
  }
  const BacklogWork work{volumes, 240.0, 900.0, 4 * 3600.0};
  for (auto _ : state) benchmark::DoNotOptimize(required_backlog_agents(work, open));
}

// Blending (issue 12): n agents at load 0.9 n inbound, reserve 2 % of n, patience 120 s.
// Arg 0: equal handle times (the 1-D chain); arg 1: outbound 600 s vs inbound 240 s (the level
// method, plus uniformization for the service level).
void BM_blending_service_level(benchmark::State& state) {
  const auto n = static_cast<double>(state.range(0));
  const double outbound = state.range(1) == 0 ? 240.0 : 600.0;
  const Blending b(0.9 * n / 240.0, 240.0, outbound, 120.0,
                   std::max<std::int64_t>(1, state.range(0) / 50));
  volatile double agents = n;
  for (auto _ : state) benchmark::DoNotOptimize(b.service_level(agents, 20.0));
}
void BM_blending_best_threshold(benchmark::State& state) {
  const auto n = state.range(0);
  const Blending b(0.8 * static_cast<double>(n) / 240.0, 240.0, 600.0, 120.0, 0);
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  for (auto _ : state) benchmark::DoNotOptimize(best_threshold(b, n, goal));
}

void sizes(benchmark::internal::Benchmark* b) {
  for (long n : {10L, 100L, 1000L, 10000L, 100000L}) b->Arg(n);
}

// Issue 12, time-varying load: the exact evaluator over a day of 96 15-min intervals at about
// 1,000 agents (AHT 300 s, patience 600 s, a sinusoidal day between 0.7 and 1.3 of the mean),
// staffed by SIPP; and the staffing of that day by each method.
std::vector<double> tv_day_rates() {
  std::vector<double> rates;
  for (int i = 0; i < 96; ++i)
    rates.push_back(900.0 / aht * (1.0 + 0.3 * std::sin(6.283185307179586 * i / 96.0)));
  return rates;
}

void BM_time_varying_evaluate_day(benchmark::State& state) {
  const auto rates = tv_day_rates();
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const auto plan = staff_time_varying(rates, 900.0, aht, 600.0, goal, StaffingMethod::sipp);
  for (auto _ : state) {
    auto e = evaluate_staffing(rates, 900.0, aht, 600.0, plan.plan.agents_required, goal);
    benchmark::DoNotOptimize(e.service_level.data());
  }
  state.counters["max_agents"] = *std::max_element(plan.plan.agents_required.begin(),
                                                   plan.plan.agents_required.end());
}

// the same day with the callers waiting at a boundary held at their interval's staffing
// (TransientPolicy::boundary_callers = false: the evaluator before it followed them)
void BM_time_varying_evaluate_day_held(benchmark::State& state) {
  const auto rates = tv_day_rates();
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const auto plan = staff_time_varying(rates, 900.0, aht, 600.0, goal, StaffingMethod::sipp);
  EvaluationOptions o;
  o.policy.boundary_callers = false;
  for (auto _ : state) {
    auto e = evaluate_staffing(rates, 900.0, aht, 600.0, plan.plan.agents_required, goal, o);
    benchmark::DoNotOptimize(e.service_level.data());
  }
}

void BM_time_varying_evaluate_day_exact(benchmark::State& state) {  // uniformization
  const auto rates = tv_day_rates();
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  const auto plan = staff_time_varying(rates, 900.0, aht, 600.0, goal, StaffingMethod::sipp);
  for (auto _ : state) {
    auto e = evaluate_staffing(rates, 900.0, aht, 600.0, plan.plan.agents_required, goal,
                               {.integrator = TransientIntegrator::uniformization});
    benchmark::DoNotOptimize(e.service_level.data());
  }
}

void BM_time_varying_staff_day_mol(benchmark::State& state) {
  const auto rates = tv_day_rates();
  const StaffingGoal goal{.service_level = 0.8, .target_time = 20.0};
  for (auto _ : state) {
    auto s = staff_time_varying(rates, 900.0, aht, 600.0, goal, StaffingMethod::mol,
                                PlanOptions{.threads = 1});
    benchmark::DoNotOptimize(s.plan.agents_required.data());
  }
}

}  // namespace

BENCHMARK(BM_erlang_c_service_level)->Apply(sizes);
BENCHMARK(BM_erlang_a_service_level)->Apply(sizes);
BENCHMARK(BM_erlang_a_service_level_overloaded)->Apply(sizes);
BENCHMARK(BM_erlang_a_abandon_probability)->Apply(sizes);
BENCHMARK(BM_erlang_a_asa_answered)->Apply(sizes);
BENCHMARK(BM_erlang_b_blocking)->Apply(sizes);
BENCHMARK(BM_chat_service_level)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_erlang_x_service_level)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_general_patience_lognormal_sl)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_general_patience_deterministic_sl)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_general_patience_erlang4_sl)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_general_patience_piecewise_sl)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_general_patience_weibull_sl)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_general_patience_estimated_sl)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);
BENCHMARK(BM_backlog_year)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_blending_service_level)
    ->Args({100, 0})->Args({1000, 0})->Args({100, 1})->Args({1000, 1})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_blending_best_threshold)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_chat_staff_week)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_model_staff_year_long)->DenseRange(0, 4)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_chat_staff_day_absurd)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_time_varying_evaluate_day)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_time_varying_evaluate_day_held)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_time_varying_evaluate_day_exact)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_time_varying_staff_day_mol)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
