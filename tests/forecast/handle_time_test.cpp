// Issue 16, item 5: the AHT model (wfm/forecast/handle_time.hpp). Reference values are the
// generator's true effects and trend (aht_synth.hpp), recovered within the noise of ~2000
// calls a day, each with a coefficient of variation of 0.8.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>
#include <wfm/forecast/forecaster.hpp>
#include <wfm/forecast/handle_time.hpp>

#include "aht_synth.hpp"
#include "support/catch.hpp"

using namespace wfm;
using namespace wfm::forecast;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr int kFitDays = 154;  // 22 weeks fitted; the generator's 4 weeks after are held out

// The whole generated history and the part that is fitted.
const IntervalSeries& full_series() {
  static const IntervalSeries s = test::aht_series(test::aht_spec(182));
  return s;
}

IntervalSeries first_days(const IntervalSeries& s, int days) {
  const std::int64_t end = (test::aht_spec().first_day + days) * 86400;
  IntervalSeries out;
  out.interval_length = s.interval_length;
  for (std::size_t i = 0; i < s.size() && s.timestamps[i] < end; ++i) {
    out.timestamps.push_back(s.timestamps[i]);
    out.values.push_back(s.values[i]);
    if (s.has_aht()) out.aht.push_back(s.aht[i]);
  }
  return out;
}

const Forecaster& fitted(HandleTimeMethod method = HandleTimeMethod::effects) {
  static std::map<HandleTimeMethod, Forecaster> cache;
  auto it = cache.find(method);
  if (it == cache.end()) {
    FitOptions o;
    o.method = Method::top_down;
    o.backtest_origins = 2;
    o.handle_time.method = method;
    it = cache.emplace(method, Forecaster::fit(first_days(full_series(), kFitDays),
                                               test::aht_calendar(test::aht_spec(), 182), o))
             .first;
  }
  return it->second;
}

// Volume-weighted WAPE of AHT over the held-out days [kFitDays, 182), and the band's coverage.
struct HeldOut {
  double wape = 0.0, coverage = 0.0;
};
HeldOut held_out(const Forecaster& f) {
  const IntervalSeries& s = full_series();
  const std::int64_t from = (test::aht_spec().first_day + kFitDays) * 86400;
  std::vector<std::int64_t> at;
  std::vector<double> v, a;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.timestamps[i] >= from) at.push_back(s.timestamps[i]), v.push_back(s.values[i]), a.push_back(s.aht[i]);
  const std::vector<double> levels{0.8};
  const ForecastResult r = f.forecast(at, levels);
  double num = 0.0, den = 0.0, inside = 0.0, n = 0.0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    num += v[i] * std::abs(a[i] - r.aht_s[i]);
    den += v[i] * a[i];
    if (v[i] <= 0.0) continue;
    inside += a[i] >= r.aht_s_lower[0][i] && a[i] <= r.aht_s_upper[0][i];
    n += 1.0;
  }
  return {num / den, inside / n};
}

}  // namespace

TEST_CASE("AHT trend and weekday effects are recovered", "[forecast][handle_time]") {
  const HandleTimeReport& r = fitted().report().handle_time;
  const test::AhtTruth t;
  CHECK(r.method == "effects");
  CHECK(r.trend_weeks >= 20);
  // Truth: exp(0.01) - 1 = 0.01005 per week.
  CHECK_THAT(r.trend_per_week, WithinAbs(std::expm1(t.trend), 0.002));
  // Weekday effects are relative: Monday / Wednesday = 1.08 / 0.98, Friday / Thursday = 1.03 /
  // 0.97. Noise of one weekday's estimate: cv 0.8 over ~20,000 recency-weighted calls = 0.6 %,
  // so a ratio of two has a standard deviation of ~0.8 %: tolerance 2.5 % (3 sigma).
  CHECK_THAT(r.weekday_effect[0] / r.weekday_effect[2], WithinRel(1.08 / 0.98, 0.025));
  CHECK_THAT(r.weekday_effect[4] / r.weekday_effect[3], WithinRel(1.03 / 0.97, 0.025));
}

TEST_CASE("AHT special-day effects per name and per kind are recovered", "[forecast][handle_time]") {
  const test::AhtTruth t;
  const auto spec = test::aht_spec();
  // Held-out days: 157 = "Holiday 7" (a new name: its kind's effect), 156 = "Eve 7" (new
  // name, kind eve), 169 = "Billing run" (a name seen 6 times).
  for (const auto& [day, truth, source] :
       {std::tuple{157, t.holiday, EffectSource::kind}, std::tuple{156, t.eve, EffectSource::kind},
        std::tuple{169, t.billing, EffectSource::name}}) {
    const auto at = test::synth_targets(spec, day, day + 1);
    const auto x = fitted().explain(at);
    REQUIRE(x.size() == 1);
    INFO("day " << day << " " << x[0].special_name);
    CHECK(x[0].has_aht);
    CHECK(x[0].aht_special_source == source);
    CHECK_THAT(x[0].aht_special_effect, WithinRel(truth, 0.04));
    // A kind with 7 past days is nearly certain (k >= k_min = 0.25: weight 7 / 7.25); the
    // billing run's name is shrunk toward its kind (the names of a kind do not differ here).
    if (source == EffectSource::kind) CHECK(x[0].aht_evidence_weight > 0.9);
    CHECK(x[0].aht_evidence_weight > 0.0);
    CHECK(x[0].aht_evidence_weight <= 1.0);
    // The components multiply to the day's volume-weighted AHT.
    const double product = x[0].aht_level_s * x[0].aht_trend_effect * x[0].aht_weekday_effect *
                           x[0].aht_special_effect * x[0].aht_profile_effect;
    CHECK_THAT(product, WithinRel(x[0].aht_day_s, 1e-9));
    // The forecast of the day's intervals against the generator's truth (no noise). A quiet
    // slot's shape rests on ~400 recency-weighted calls of its weekday (cv 0.8: 4 % noise), so
    // per interval 12 % (3 sigma); the day's volume-weighted mean within 3 %.
    const std::vector<double> levels{0.8};
    const ForecastResult r = fitted().forecast(at, levels);
    double va = 0.0, vt = 0.0, vv = 0.0;
    for (std::size_t i = 0; i < at.size(); ++i) {
      const int slot = static_cast<int>((at[i] % 86400) / spec.interval_length);
      const double truth_s = test::aht_true(t, spec, day, slot);
      CHECK_THAT(r.aht_s[i], WithinRel(truth_s, 0.12));
      CHECK(r.aht_s_lower[0][i] <= r.aht_s[i]);
      CHECK(r.aht_s[i] <= r.aht_s_upper[0][i]);
      va += r.volume[i] * r.aht_s[i], vt += r.volume[i] * truth_s, vv += r.volume[i];
    }
    CHECK_THAT(va / vv, WithinRel(vt / vv, 0.03));
    CHECK_THAT(x[0].aht_day_s, WithinRel(va / vv, 1e-9));
  }
}

TEST_CASE("AHT beats the profile-only model and the 4-week rule on held-out weeks, with a "
          "calibrated band", "[forecast][handle_time]") {
  const HeldOut effects = held_out(fitted());
  const HeldOut profile = held_out(fitted(HandleTimeMethod::profile));
  const HeldOut rule = held_out(fitted(HandleTimeMethod::last_4_weeks));
  INFO("wape effects " << effects.wape << " profile " << profile.wape << " rule " << rule.wape);
  CHECK(effects.wape < 0.8 * profile.wape);
  CHECK(effects.wape < 0.8 * rule.wape);
  // The noise alone (cv 0.8 over ~80 calls an interval) is a WAPE of about 0.07.
  CHECK(effects.wape < 0.09);
  // Nominal 0.8 on 4 held-out weeks (~2300 intervals): within +-0.07.
  INFO("coverage " << effects.coverage);
  CHECK(effects.coverage > 0.73);
  CHECK(effects.coverage < 0.87);
}

TEST_CASE("AHT on a closed day is 0 with source closed", "[forecast][handle_time]") {
  // Day 45 of the generated calendar is closed; a closed day ahead (162) is forecast 0.
  const auto spec = test::aht_spec();
  SpecialDays c = test::aht_calendar(spec, 182);
  c.add(spec.first_day + 162, "Office move", *parse_day_kind("closed"));
  FitOptions o;
  o.method = Method::top_down;
  o.backtest_origins = 0;
  const Forecaster f = Forecaster::fit(first_days(full_series(), kFitDays), c, o);
  const auto at = test::synth_targets(spec, 162, 163);
  const std::vector<double> levels{0.8};
  const ForecastResult r = f.forecast(at, levels);
  for (std::size_t i = 0; i < at.size(); ++i) {
    CHECK(r.aht_s[i] == 0.0);
    CHECK(r.aht_s_lower[0][i] == 0.0);
    CHECK(r.aht_s_upper[0][i] == 0.0);
  }
  REQUIRE(r.explanation.size() == 1);
  CHECK(r.explanation[0].aht_special_source == EffectSource::closed);
  CHECK(r.explanation[0].aht_day_s == 0.0);
  // The report has no effect learned from the closed day in the history.
  for (const HandleTimeEffect& e : f.report().handle_time.special_days) CHECK(e.kind != "closed");
}

TEST_CASE("A history without AHT gives no AHT, no band and no AHT explanation",
          "[forecast][handle_time]") {
  IntervalSeries s = first_days(full_series(), 56);
  s.aht.clear();
  FitOptions o;
  o.method = Method::top_down;
  o.backtest_origins = 0;
  const Forecaster f = Forecaster::fit(s, {}, o);
  const auto at = test::synth_targets(test::aht_spec(), 56, 57);
  const std::vector<double> levels{0.8, 0.95};
  const ForecastResult r = f.forecast(at, levels);
  CHECK(r.aht_s.empty());
  CHECK(r.aht_s_lower.empty());
  CHECK(r.aht_s_upper.empty());
  REQUIRE(r.explanation.size() == 1);
  CHECK_FALSE(r.explanation[0].has_aht);
  CHECK(f.report().handle_time.method.empty());
  const History h(s, {});
  CHECK_THROWS_WITH(HandleTimeModel::fit(h), Contains("no AHT"));
}

TEST_CASE("AHT model: bad input is named", "[forecast][handle_time]") {
  const History h(first_days(full_series(), 56), {});
  HandleTimePolicy p;
  p.damping = 1.5;
  CHECK_THROWS_AS(HandleTimeModel::fit(h, p), InvalidArgument);
  CHECK_THROWS_WITH(HandleTimeModel::fit(h, p), Contains("damping") && Contains("1.5"));
  p = {};
  p.band_origins = -1;
  CHECK_THROWS_WITH(HandleTimeModel::fit(h, p), Contains("band_origins"));
  p = {};
  p.half_life_weeks = 0.0;
  CHECK_THROWS_WITH(HandleTimeModel::fit(h, p), Contains("half_life_weeks"));
  // Forecaster::fit checks the policy up front, even for a history without AHT.
  IntervalSeries plain = first_days(full_series(), 56);
  plain.aht.clear();
  FitOptions o;
  o.method = Method::top_down;
  o.handle_time.min_trend_weeks = 1;
  CHECK_THROWS_WITH(Forecaster::fit(plain, {}, o), Contains("min_trend_weeks"));
  CHECK_THROWS_WITH(parse_handle_time_method("trendy", "--aht-method"),
                    Contains("--aht-method") && Contains("trendy"));
  CHECK(parse_handle_time_method("profile") == HandleTimeMethod::profile);
  const HandleTimeModel m = HandleTimeModel::fit(h);
  std::vector<double> a{300.0}, v{10.0}, lo(1), hi(2);
  CHECK_THROWS_WITH(m.band(a, v, 0.8, lo, hi), Contains("differ in length"));
  hi.resize(1);
  CHECK_THROWS_WITH(m.band(a, v, 1.0, lo, hi), Contains("level"));
}

TEST_CASE("AHT model: constant AHT gives that AHT and a zero-width band; absurd values stay "
          "finite", "[forecast][handle_time]") {
  IntervalSeries s = first_days(full_series(), 70);
  std::fill(s.aht.begin(), s.aht.end(), 240.0);
  const History h(s, {});
  const HandleTimeModel m = HandleTimeModel::fit(h);
  const auto at_ts = test::synth_targets(test::aht_spec(), 70, 77);
  std::vector<DaySlot> at;
  for (const auto t : at_ts) at.push_back(h.locate(t));
  const std::vector<double> a = m.predict(h, at);
  for (const double x : a) CHECK_THAT(x, WithinRel(240.0, 1e-9));
  std::vector<double> v(a.size(), 50.0), lo(a.size()), hi(a.size());
  m.band(a, v, 0.8, lo, hi);
  CHECK_THAT(lo[0], WithinRel(240.0, 1e-6));
  CHECK_THAT(hi[0], WithinRel(240.0, 1e-6));
  // 1e300 s and 1e300 calls: scaled sums, no overflow, no NaN.
  for (double& x : s.aht) x = 1e300;
  for (double& x : s.values) x = x * 1e298;
  const History big(s, {});
  const HandleTimeModel mb = HandleTimeModel::fit(big);
  for (const double x : mb.predict(big, at)) CHECK_THAT(x, WithinRel(1e300, 1e-6));
}

TEST_CASE("forecast_on_grid carries the AHT band, 0 on closed intervals", "[forecast][handle_time]") {
  // History: the generated 8 weeks on a 30-minute grid open Mon-Fri 08-20; target: the next
  // day on the same grid (open 08-20), so grid intervals 0..15 and 40..47 are closed.
  const auto spec = test::aht_spec();
  const IntervalSeries s = first_days(full_series(), 56);
  const std::int64_t first = spec.first_day * 86400;
  IntervalGrid hist = IntervalGrid::naive(first, 1800, 56 * 48);
  std::vector<double> v(hist.size(), 0.0), a(hist.size(), 0.0);
  for (std::size_t k = 0; k < hist.size(); ++k) hist.set_open(k, false);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto k = static_cast<std::size_t>((s.timestamps[i] - first) / 1800);
    v[k] = s.values[i], a[k] = s.aht[i];
    hist.set_open(k, true);
  }
  IntervalGrid target = IntervalGrid::naive(first + 56 * 86400, 1800, 48);
  for (std::size_t k = 0; k < 48; ++k) target.set_open(k, k >= 16 && k < 40);
  FitOptions o;
  o.method = Method::top_down;
  o.backtest_origins = 0;
  const std::vector<double> levels{0.8};
  const ForecastResult r = forecast_on_grid(hist, v, a, target, levels, {}, o);
  REQUIRE(r.aht_s_lower.size() == 1);
  REQUIRE(r.aht_s_upper[0].size() == 48);
  for (std::size_t k = 0; k < 48; ++k) {
    if (!target.is_open(k)) {
      CHECK(r.aht_s[k] == 0.0);
      CHECK(r.aht_s_upper[0][k] == 0.0);
    } else {
      CHECK(r.aht_s_lower[0][k] < r.aht_s[k]);
      CHECK(r.aht_s[k] < r.aht_s_upper[0][k]);
    }
  }
}
