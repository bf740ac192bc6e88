// Issue 16, item 5: AHT accuracy tables (a plain program, not timed).
//
// The real series in ../shared/data/forecasting have no handle times (its README), so the AHT
// models are compared on generated histories of known structure (tests/forecast/aht_synth.hpp):
// 26 weeks of 30-minute intervals, Mon-Fri 08-20, ~2000 calls a day, per-call handle times with
// a coefficient of variation of 0.8, holidays / eves / a monthly billing run with their own AHT
// effects, one closed day. Scenario "trend": +1 % AHT a week; "flat": no trend. Each scenario
// is pooled over 5 generated histories (seeds 1..5).
//
// Protocol: weekly rolling origins (weeks 18..25), each model fitted on the history before the
// origin (volume: top_down) and forecasting the following week; scored on the intervals with
// calls: volume-weighted AHT WAPE = sum v |a - f| / sum v a, overall and on the special days
// (calendar days that are not closed), and the coverage of the 80 % band.
//
//   build/release/bench/wfm_bench_forecast_aht
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>
#include <wfm/forecast/forecaster.hpp>

#include "forecast/aht_synth.hpp"

using namespace wfm::forecast;

namespace {

struct Score {
  double num = 0, den = 0, snum = 0, sden = 0, inside = 0, n = 0, sinside = 0, sn = 0;
  void add(double v, double a, double f, double lo, double hi, bool special) {
    num += v * std::abs(a - f), den += v * a;
    const bool in = a >= lo && a <= hi;
    inside += in, n += 1;
    if (special) snum += v * std::abs(a - f), sden += v * a, sinside += in, sn += 1;
  }
};

IntervalSeries slice(const IntervalSeries& s, std::int64_t from, std::int64_t to) {
  IntervalSeries out;
  out.interval_length = s.interval_length;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.timestamps[i] >= from && s.timestamps[i] < to) {
      out.timestamps.push_back(s.timestamps[i]);
      out.values.push_back(s.values[i]);
      out.aht.push_back(s.aht[i]);
    }
  return out;
}

// Adds the 8 weekly origins of one generated history (seed) to `sc`.
// oracle: score the generator's true AHT instead (the noise floor of the WAPE).
void score_history(const wfm::test::AhtTruth& truth, HandleTimeMethod m, std::uint64_t seed,
                   Score& sc, bool oracle = false) {
  auto spec = wfm::test::aht_spec(182);
  spec.seed = seed;
  const IntervalSeries all = wfm::test::aht_series(spec, truth, 100 + seed);
  const SpecialDays calendar = wfm::test::aht_calendar(spec, 182);
  const std::int64_t t0 = spec.first_day * 86400;
  for (int week = 18; week < 26; ++week) {
    const std::int64_t origin = t0 + week * 7 * 86400;
    FitOptions o;
    o.method = Method::top_down;
    o.backtest_origins = 0;
    o.handle_time.method = m;
    const Forecaster f = Forecaster::fit(slice(all, t0, origin), calendar, o);
    const IntervalSeries test = slice(all, origin, origin + 7 * 86400);
    const std::vector<double> levels{0.8};
    const ForecastResult r = f.forecast(test.timestamps, levels);
    for (std::size_t i = 0; i < test.size(); ++i) {
      if (test.values[i] <= 0.0) continue;
      const int d = static_cast<int>(test.timestamps[i] / 86400 - spec.first_day);
      const bool special = !wfm::test::aht_special(d).first.empty();
      const int slot = static_cast<int>((test.timestamps[i] % 86400) / spec.interval_length);
      const double f_s = oracle ? wfm::test::aht_true(truth, spec, d, slot) : r.aht_s[i];
      sc.add(test.values[i], test.aht[i], f_s, r.aht_s_lower[0][i], r.aht_s_upper[0][i], special);
    }
  }
}

// One scenario, pooled over 5 generated histories (seeds 1..5 of volumes and handle times).
void run(const std::string& scenario, const wfm::test::AhtTruth& truth) {
  for (HandleTimeMethod m :
       {HandleTimeMethod::effects, HandleTimeMethod::profile, HandleTimeMethod::last_4_weeks}) {
    Score sc;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) score_history(truth, m, seed, sc);
    fmt::print("| {} | {} | {:.4f} | {:.4f} | {:.3f} | {:.3f} | {:.0f} |\n", scenario, to_string(m),
               sc.num / sc.den, sc.snum / sc.sden, sc.inside / sc.n, sc.sinside / sc.sn, sc.n);
  }
  Score sc;
  for (std::uint64_t seed = 1; seed <= 5; ++seed)
    score_history(truth, HandleTimeMethod::effects, seed, sc, /*oracle=*/true);
  fmt::print("| {} | the true mean AHT (noise floor) | {:.4f} | {:.4f} | | | {:.0f} |\n", scenario,
             sc.num / sc.den, sc.snum / sc.sden, sc.n);
}

}  // namespace

int main() {
  fmt::print("| scenario | AHT method | WAPE | WAPE special days | band 80 % coverage | "
             "coverage special days | intervals |\n|---|---|---|---|---|---|---|\n");
  wfm::test::AhtTruth trend;
  run("trend +1 %/week", trend);
  wfm::test::AhtTruth flat;
  flat.trend = 0.0;
  run("flat", flat);
  return 0;
}
