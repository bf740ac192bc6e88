// Contact-log KPIs (CSV reading, streamed, + per-15-minute summary) and adherence of a month.
//
//   cmake --preset release && cmake --build build/release -j2 --target wfm_bench_kpi
//   WFM_BENCH_KPI_ROWS=10000000 build/release/bench/wfm_bench_kpi --benchmark_repetitions=3
//
// The log: WFM_BENCH_KPI_ROWS contacts (default 1,000,000, so the ctest smoke run stays small),
// written once to a temporary file (not timed) in arrival order over 30 days of 24 hours, 88 %
// answered, columns arrival,outcome,wait_s,talk_s,hold_s,acw_s,customer (about 60 bytes a row).
// BM_contact_log_csv times read_contact_log + finish(): parsing every field, all four
// service-level definitions at 20 s, first-contact resolution by customer id (records kept in 256
// buckets of a mixed customer key, each sorted in cache at the end), the patience and
// handle-time fits. Memory is bounded by the intervals (2,880) and the FCR table (16 bytes per
// contact with a customer id, plus one bucket while sorting); the file is read through a 1 MiB
// buffer.
// Times are CPU time of one thread.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <vector>

#include <wfm/core/calendar.hpp>
#include <wfm/kpi/kpi.hpp>

namespace {

std::size_t rows_wanted() {
  const char* env = std::getenv("WFM_BENCH_KPI_ROWS");
  return env != nullptr ? static_cast<std::size_t>(std::strtoull(env, nullptr, 10)) : 1000000;
}

// Writes the log once per process; returns its path.
const std::string& log_file() {
  static const std::string path = [] {
    const std::size_t n = rows_wanted();
    const auto p = std::filesystem::temp_directory_path() / fmt::format("wfm_bench_kpi_{}.csv", n);
    if (std::filesystem::exists(p)) return p.string();
    const std::string tmp = p.string() + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    std::mt19937_64 g(5);
    std::exponential_distribution<double> wait(1.0 / 15.0), talk(1.0 / 200.0), acw(1.0 / 30.0);
    std::uniform_int_distribution<int> customer(1, 2000000);
    const std::int64_t start = *wfm::parse_timestamp("2026-03-01 00:00");
    const double step = 30.0 * 86400.0 / static_cast<double>(n);
    fmt::memory_buffer buf;
    std::fputs("arrival,outcome,wait_s,talk_s,hold_s,acw_s,customer\n", f);
    for (std::size_t i = 0; i < n; ++i) {
      const auto t = start + static_cast<std::int64_t>(static_cast<double>(i) * step);
      const bool answered = g() % 100 < 88;
      if (answered)
        fmt::format_to(std::back_inserter(buf), "{},answered,{:.1f},{:.1f},{},{:.1f},C{}\n",
                       wfm::format_timestamp(t), wait(g), talk(g), g() % 4 == 0 ? 20 : 0, acw(g),
                       customer(g));
      else
        fmt::format_to(std::back_inserter(buf), "{},abandoned,{:.1f},,,,C{}\n",
                       wfm::format_timestamp(t), wait(g), customer(g));
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), f);
        buf.clear();
      }
    }
    std::fwrite(buf.data(), 1, buf.size(), f);
    std::fclose(f);
    std::filesystem::rename(tmp, p);
    return p.string();
  }();
  return path;
}

void BM_contact_log_csv(benchmark::State& state) {
  const std::string& path = log_file();
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
  for (auto _ : state) {
    wfm::kpi::ContactKpiAccumulator acc(wfm::kpi::ContactKpiOptions{});
    wfm::kpi::read_contact_log(path, acc);
    const wfm::kpi::ContactKpis k = acc.finish();
    benchmark::DoNotOptimize(k.overall.volume);
  }
  state.counters["rows"] = static_cast<double>(rows_wanted());
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows_wanted()));
}
BENCHMARK(BM_contact_log_csv)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// Adherence of 1,000 agents over 30 days: a 08:00-16:30 shift with two 15-minute breaks and a
// 30-minute lunch per day (4 schedule rows) and 24 state changes per day (available / on_contact
// / acw cycles, the breaks taken a few minutes late), 120,000 schedule rows and 720,000 states,
// built once (not timed); timed: adherence() including its copies of the inputs.
void BM_adherence_month(benchmark::State& state) {
  using namespace wfm::kpi;
  static std::vector<ScheduledActivity> schedule;
  static std::vector<StateRecord> states;
  if (schedule.empty()) {
    std::mt19937_64 g(9);
    const std::int64_t day0 = *wfm::parse_timestamp("2026-03-02 00:00");
    const char* cycle[] = {"available", "on_contact", "acw"};
    for (int a = 0; a < 1000; ++a) {
      const std::string id = "agent" + std::to_string(a);
      for (int d = 0; d < 30; ++d) {
        const std::int64_t t0 = day0 + d * 86400 + 8 * 3600;
        schedule.push_back({id, t0, t0 + 8 * 3600 + 1800, "shift"});
        schedule.push_back({id, t0 + 7200, t0 + 8100, "break"});
        schedule.push_back({id, t0 + 4 * 3600, t0 + 4 * 3600 + 1800, "lunch"});
        schedule.push_back({id, t0 + 6 * 3600 + 1800, t0 + 7 * 3600, "break"});
        // Cycle changes at even seconds, the others at odd ones: never two states at once.
        std::int64_t t = t0 + 2 * static_cast<std::int64_t>(g() % 150);
        for (int k = 0; k < 21; ++k, t += 1200 + 2 * static_cast<std::int64_t>(g() % 60))
          states.push_back({t, id, cycle[k % 3]});
        states.push_back({t0 + 7201 + 2 * static_cast<std::int64_t>(g() % 120), id, "break"});
        states.push_back({t0 + 4 * 3600 + 61, id, "lunch"});
        states.push_back({t0 + 8 * 3600 + 1801, id, "offline"});
      }
    }
  }
  for (auto _ : state) {
    const AdherenceResult r = adherence(schedule, states);
    benchmark::DoNotOptimize(r.overall.adherence);
  }
  state.counters["states"] = static_cast<double>(states.size());
}
BENCHMARK(BM_adherence_month)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
