// Benchmarks of wfm::schedule. Real numbers: bench/RESULTS.md (schedule section).
//   build/release/bench/wfm_bench_schedule --benchmark_filter=break_free
//   WFM_SCHED_BENCH_LIMIT=10 build/release/bench/wfm_bench_schedule --benchmark_filter=cc_
// The cc solves run once per instance with the time limit WFM_SCHED_BENCH_LIMIT [s] (default 1,
// so the ctest smoke run stays short); counters give the cost, the LP bound and the gap to it.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <pcg_random.hpp>
#include <string>
#include <wfm/schedule/schedule.hpp>

// Private solver internals, for the "CBC alone" comparison only.
#include "../src/schedule/formulation.hpp"

namespace ws = wfm::schedule;

namespace {

ws::ShiftTemplate every_start(const char* name, int length, double cost, int n, bool cyclic) {
  ws::ShiftTemplate t;
  t.name = name;
  t.length = length;
  t.cost = cost;
  for (int s = 0; s < n; ++s)
    if (cyclic || s + length <= n) t.starts.push_back(s);
  return t;
}

// A break-free week of 672 quarter-hours: 3 templates starting at every interval
// (1,947 shifts with opening hours, 2,016 in the cyclic 24/7 week).
ws::CoverageModel break_free_week(bool cyclic) {
  const int n = 672;
  ws::CoverageModel m;
  m.cyclic = cyclic;
  pcg32 rng(2026);
  for (int i = 0; i < n; ++i) {
    const int h = (i % 96) / 4;
    const double base = (h >= 8 && h < 20) ? 40.0 : 8.0;
    m.requirement.push_back(base + static_cast<double>(rng(10)));
  }
  m.templates = {every_start("F8", 32, 32.0, n, cyclic), every_start("F6", 24, 24.0, n, cyclic),
                 every_start("P4", 16, 17.6, n, cyclic)};
  return m;
}

// Solves the break-free week in the timing loop and sets the counters both variants report.
ws::Schedule time_break_free_week(benchmark::State& state, bool cyclic, int shifts) {
  const auto m = break_free_week(cyclic);
  ws::Schedule s;
  for (auto _ : state) {
    s = ws::solve(m, {.time_limit = 10.0});
    benchmark::DoNotOptimize(&s);  // a pointer: GCC 12 + "+m,r" may clobber a double lvalue
  }
  state.counters["shifts"] = shifts;
  state.counters["optimal"] = s.status == wfm::Status::optimal ? 1 : 0;
  state.counters["gap"] = s.gap;
  return s;
}

void BM_break_free_week_opening_hours(benchmark::State& state) {
  time_break_free_week(state, false, 1947);
}
BENCHMARK(BM_break_free_week_opening_hours)->Unit(benchmark::kMillisecond);

void BM_break_free_week_cyclic(benchmark::State& state) {
  const ws::Schedule s = time_break_free_week(state, true, 2016);
  state.counters["lp_integral"] = s.lp_integral ? 1 : 0;
}
BENCHMARK(BM_break_free_week_cyclic)->Unit(benchmark::kMillisecond);

double bench_limit() {
  const char* e = std::getenv("WFM_SCHED_BENCH_LIMIT");
  return e ? std::atof(e) : 1.0;
}
// WFM_SCHED_BENCH_CPU=1: limits in process CPU time (the development machine is shared).
bool bench_cpu() {
  const char* e = std::getenv("WFM_SCHED_BENCH_CPU");
  return e && std::string(e) == "1";
}

// The path of instance `file` under ../shared/data/sched/<folder>, or "" after skipping the
// benchmark when that folder is not on this machine.
std::string shared_instance(benchmark::State& state, const std::string& folder,
                            const std::string& file) {
  const std::string dir = std::string(WFM_SHARED_DATA_DIR) + "/sched/" + folder;
  const std::string path = dir + "/" + file;
  if (std::filesystem::exists(path)) return path;
  state.SkipWithError(("../shared/data/sched/" + folder + " is not on this machine").c_str());
  return {};
}

void BM_cc_lp(benchmark::State& state, const std::string& name) {
  const std::string path = shared_instance(state, "cc", name + ".json");
  if (path.empty()) return;
  const auto m = ws::read_model_json(path);
  ws::Schedule s;
  for (auto _ : state) {
    s = ws::solve_lp(m, {.time_limit = 60.0});
    benchmark::DoNotOptimize(&s);
  }
  state.counters["lp_bound"] = s.lp_bound;
}

void BM_cc_solve(benchmark::State& state, const std::string& name) {
  const std::string path = shared_instance(state, "cc", name + ".json");
  if (path.empty()) return;
  const auto m = ws::read_model_json(path);
  ws::Schedule s;
  for (auto _ : state) {
    s = ws::solve(m, {.time_limit = bench_limit(), .seed = 0, .cpu_time = bench_cpu()});
    benchmark::DoNotOptimize(&s);  // a pointer: GCC 12 + "+m,r" may clobber a double lvalue
  }
  const auto chk = ws::check_schedule(m, s);
  state.counters["cost"] = s.cost;
  state.counters["lp_bound"] = s.lp_bound;
  state.counters["gap_to_lp_pct"] = 100.0 * (s.cost - s.lp_bound) / s.lp_bound;
  state.counters["lower_bound"] = s.lower_bound;
  state.counters["checked"] = chk.valid && chk.consistent ? 1 : 0;
}

// CBC 2.10 alone on the whole implicit-break model (no MIP start, no wfm heuristics).
void BM_cbc_alone(benchmark::State& state, const std::string& name) {
  const std::string path = shared_instance(state, "cc", name + ".json");
  if (path.empty()) return;
  const auto m = ws::read_model_json(path);
  const auto f = ws::detail::build_formulation(m);
  ws::detail::MipResult r;
  for (auto _ : state) {
    r = ws::detail::solve_mip_cbc(f.lp, f.is_int, {}, bench_limit(), 1e-6, 0, bench_cpu());
    benchmark::DoNotOptimize(&r);
  }
  state.counters["found"] = r.found ? 1 : 0;
  state.counters["cost"] = r.found ? r.objective + f.offset : -1;
  state.counters["bound"] = r.bound + f.offset;
}

void BM_msd_solve(benchmark::State& state, const std::string& name) {
  const std::string path = shared_instance(state, "msd", name + ".dzn");
  if (path.empty()) return;
  const auto m = ws::read_msd_dzn(path);
  ws::Schedule s;
  for (auto _ : state) {
    s = ws::solve(m, {.time_limit = bench_limit(), .cpu_time = bench_cpu()});
    benchmark::DoNotOptimize(&s);  // a pointer: GCC 12 + "+m,r" may clobber a double lvalue
  }
  state.counters["cost"] = s.cost;
  state.counters["lower_bound"] = s.lower_bound;
  state.counters["optimal"] = s.status == wfm::Status::optimal ? 1 : 0;
}

// Global service level vs per-interval covering on cc-day-s, with arrival rates derived from its
// requirement (rate = 0.8 * agents / AHT, AHT 300 s), 80 % in 20 s globally, floor 50 %.
void BM_global_service_level_cc_day_s(benchmark::State& state) {
  const std::string path = shared_instance(state, "cc", "cc-day-s.json");
  if (path.empty()) return;
  const auto m = ws::read_model_json(path);
  std::vector<double> rate;
  for (double r : m.requirement) rate.push_back(0.8 * r / 300.0);
  ws::GlobalServiceResult r;
  for (auto _ : state) {
    r = ws::solve_global_service_level(m, rate, 300.0, {.fraction = 0.8, .target_time = 20.0, .floor = 0.5},
                                       {.time_limit = 2.0 * bench_limit(), .cpu_time = bench_cpu()});
    benchmark::DoNotOptimize(&r);
  }
  state.counters["global_sl"] = r.global_service_level;
  state.counters["per_interval_sl"] = r.per_interval_global_service_level;
  state.counters["cost"] = r.schedule.cost;
  state.counters["per_interval_cost"] = r.per_interval.cost;
  state.counters["saving_pct"] = 100.0 * r.saving;
}

// Registers family/instance, run once per instance (each run is a whole solve).
void once(const std::string& family, void (*run)(benchmark::State&, const std::string&),
          const char* instance) {
  benchmark::RegisterBenchmark((family + instance).c_str(), run, std::string(instance))
      ->Unit(benchmark::kMillisecond)->Iterations(1);
}

const int registered = [] {
  benchmark::RegisterBenchmark("BM_global_service_level/cc-day-s", BM_global_service_level_cc_day_s)
      ->Unit(benchmark::kMillisecond)->Iterations(1);
  for (const char* n : {"cc-day-s", "cc-day-m", "cc-day-l", "cc-247-s", "cc-247-m", "cc-247-l"}) {
    once("BM_cc_lp/", BM_cc_lp, n);
    once("BM_cc_solve/", BM_cc_solve, n);
    once("BM_cbc_alone/", BM_cbc_alone, n);
  }
  for (const char* n : {"DataSet1/RandomExample1", "DataSet1/RandomExample2", "DataSet2/RandomExample26",
                        "DataSet3/RandomExample23"})
    once("BM_msd_solve/", BM_msd_solve, n);
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
