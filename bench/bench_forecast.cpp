// Forecasting benchmarks: fit + forecast one week for one series, and the batch API on many.
//   build/release/bench/wfm_bench_forecast                  (single-series cases, batch of 20)
//   WFM_BENCH_FULL=1 build/release/bench/wfm_bench_forecast --benchmark_filter=batch
//       (adds the target case: 1,000 series x 1 year of 15-minute history, 2 threads)
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <pcg_random.hpp>
#include <random>
#include <wfm/core/calendar.hpp>
#include <wfm/core/csv.hpp>
#include <wfm/forecast/forecast.hpp>

namespace {

using namespace wfm::forecast;

// One year (2023) of 15-minute Poisson counts, open 07:00-21:00 every day, with weekday,
// intraday and day-of-month structure; `at` = the following week's open intervals.
BatchItem make_item(std::uint64_t seed) {
  pcg64 rng(seed);
  std::uniform_real_distribution<double> u(0.5, 2.0);
  const double level = 400.0 * u(rng);
  const std::int64_t first = wfm::days_from_civil(2023, 1, 1);
  static const double wf[7] = {1.2, 1.05, 1.0, 0.97, 0.9, 0.55, 0.45};
  BatchItem it;
  it.history.interval_length = 900;
  for (int d = 0; d < 365 + 7; ++d) {
    const std::int64_t day = first + d;
    const int w = wfm::weekday(day * 86400);
    const double dom = wfm::civil_from_days(day).day <= 5 ? 1.15 : 1.0;
    for (int k = 28; k < 84; ++k) {
      const double x = (k - 28 + 0.5) / 56.0;
      const double shape = (0.3 + std::exp(-std::pow((x - 0.3) / 0.15, 2)) +
                            0.8 * std::exp(-std::pow((x - 0.7) / 0.15, 2))) / 30.0;
      const std::int64_t t = day * 86400 + k * 900;
      if (d >= 365) {
        it.at.push_back(t);
        continue;
      }
      it.history.timestamps.push_back(t);
      it.history.values.push_back(
          static_cast<double>(std::poisson_distribution<long>(level * wf[w] * dom * shape)(rng)));
    }
  }
  return it;
}

void fit_forecast(benchmark::State& state, Method m) {
  const BatchItem it = make_item(1);
  FitOptions o;
  o.method = m;
  const std::vector<double> levels{0.8};
  for (auto _ : state) {
    const Forecaster f = Forecaster::fit(it.history, {}, o);
    benchmark::DoNotOptimize(f.forecast(it.at, levels));
  }
  state.SetLabel("1 year of 15-min history, forecast 1 week");
}
void BM_fit_forecast_week_auto(benchmark::State& s) { fit_forecast(s, Method::auto_select); }
void BM_fit_forecast_week_top_down(benchmark::State& s) { fit_forecast(s, Method::top_down); }
void BM_fit_forecast_week_svd(benchmark::State& s) { fit_forecast(s, Method::svd); }
void BM_fit_forecast_week_holt_winters(benchmark::State& s) { fit_forecast(s, Method::holt_winters); }
BENCHMARK(BM_fit_forecast_week_auto)->Unit(benchmark::kMillisecond);

// The same on one thread (the batch API with threads = 1 runs the fit's backtests serially).
void BM_fit_forecast_week_auto_1thread(benchmark::State& state) {
  const std::vector<BatchItem> items{make_item(1)};
  const std::vector<double> levels{0.8};
  for (auto _ : state) benchmark::DoNotOptimize(forecast_batch(items, levels, {}, 1));
  state.SetLabel("1 year of 15-min history, forecast 1 week, single core");
}
BENCHMARK(BM_fit_forecast_week_auto_1thread)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_fit_forecast_week_top_down)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fit_forecast_week_svd)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fit_forecast_week_holt_winters)->Unit(benchmark::kMillisecond);

// The shared US bank series at 15 minutes (skipped when ../shared/data is absent).
void BM_fit_forecast_week_us_bank(benchmark::State& state) {
  const std::string path = std::string(WFM_SHARED_DATA_DIR) + "/forecasting/bank_calls_2003_5min.csv";
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("shared data absent");
    return;
  }
  const wfm::CsvTable t = wfm::read_csv(path);
  const auto cd = t.column("date"), cs = t.column("start"), ci = t.column("interval"),
             cc = t.column("calls");
  std::vector<std::int64_t> ts;
  std::vector<double> v;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (t.number(r, ci) > 168) continue;
    const std::int64_t stamp = *wfm::parse_timestamp(t.text(r, cd) + " " + t.text(r, cs));
    const std::int64_t q = stamp - stamp % 900;
    if (!ts.empty() && ts.back() == q) {
      v.back() += t.number(r, cc);
    } else {
      ts.push_back(q);
      v.push_back(t.number(r, cc));
    }
  }
  const IntervalSeries s = make_series(ts, v, 900);
  std::vector<std::int64_t> at;
  const std::int64_t monday = wfm::day_of(ts.back()) + 3;  // the history ends on a Friday
  for (int d = 0; d < 5; ++d)
    for (int k = 0; k < 56; ++k) at.push_back((monday + d) * 86400 + 7 * 3600 + k * 900);
  const std::vector<double> levels{0.8};
  for (auto _ : state) {
    const Forecaster f = Forecaster::fit(s, {});
    benchmark::DoNotOptimize(f.forecast(at, levels));
  }
  state.SetLabel("US bank 15-min, auto, one week");
}
BENCHMARK(BM_fit_forecast_week_us_bank)->Unit(benchmark::kMillisecond);

void BM_batch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<BatchItem> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = make_item(1000 + i);
  const std::vector<double> levels{0.8};
  for (auto _ : state) {
    const BatchResult r = forecast_batch(items, levels, {}, 2);
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel("series x 1 year of 15-min history, auto, 2 threads");
}
BENCHMARK(BM_batch)->Arg(20)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

const bool full_registered = [] {
  if (const char* e = std::getenv("WFM_BENCH_FULL"); e && std::string(e) == "1")
    benchmark::RegisterBenchmark("BM_batch_full", [](benchmark::State& s) { BM_batch(s); })
        ->Arg(1000)
        ->Unit(benchmark::kSecond)
        ->Iterations(1)
        ->UseRealTime();
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
