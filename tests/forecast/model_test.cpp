#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>
#include <wfm/core/calendar.hpp>
#include <wfm/forecast/model.hpp>
#include <wfm/forecast/metrics.hpp>

#include "support/catch.hpp"
#include "synth.hpp"

using namespace wfm;
using namespace wfm::forecast;

namespace {
// Forecast of the next week from a fitted model and the true means there.
struct Eval {
  std::vector<double> f, mu;
};
Eval next_week(Model& m, const test::SynthSpec& spec, const History& h) {
  REQUIRE(m.fit(h).converged);
  std::vector<DaySlot> at;
  Eval e;
  for (const std::int64_t t : test::synth_targets(spec, spec.days, spec.days + 7)) {
    at.push_back(h.locate(t));
    e.mu.push_back(test::synth_mean(spec, static_cast<int>(at.back().day - spec.first_day), at.back().slot));
  }
  e.f.resize(at.size());
  m.predict(at, e.f);
  return e;
}
}  // namespace

TEST_CASE("Baselines repeat a deterministic weekly pattern exactly", "[forecast][model]") {
  test::SynthSpec spec;
  spec.days = 35;
  spec.noise = false;
  spec.absent_days = {31};  // a holiday in the last week: naive must look a week further back
  const History h(test::synth_series(spec), {});
  for (Method method : {Method::seasonal_naive, Method::weekly_average}) {
    auto m = make_model(method);
    const Eval e = next_week(*m, spec, h);
    for (std::size_t i = 0; i < e.f.size(); ++i) REQUIRE(e.f[i] == Approx(e.mu[i]).epsilon(1e-12));
  }
}

TEST_CASE("Every method recovers a known level x weekday x profile structure",
          "[forecast][model]") {
  // Reference: the generator's true means; Poisson noise of ~100 calls per slot allows a WAPE
  // of a few per cent for methods that average over weeks. Seasonal naive carries one week's
  // noise (E|y - mu| / mu ~ sqrt(2 / (pi mu)) ~ 8 % per slot, times sqrt(2) for two weeks).
  test::SynthSpec spec;
  spec.days = 84;
  spec.level = 2400.0;
  const History h(test::synth_series(spec), {});
  const std::vector<std::pair<Method, double>> limits{{Method::seasonal_naive, 0.13},
                                                      {Method::weekly_average, 0.07},
                                                      {Method::top_down, 0.04},
                                                      {Method::svd, 0.05},
                                                      {Method::holt_winters, 0.08}};
  for (const auto& [method, limit] : limits) {
    auto m = make_model(method);
    const Eval e = next_week(*m, spec, h);
    INFO(to_string(method));
    CHECK(wape(e.mu, e.f) < limit);
    CHECK(m->clone_unfitted()->method() == method);
  }
}

TEST_CASE("Top-down follows a level shift through its smoothed daily total", "[forecast][model]") {
  test::SynthSpec spec;
  spec.days = 84;
  spec.noise = false;
  // The level rises by 30 % from day 56 on; a weekly average of 4 weeks lags, top-down follows.
  const auto s = test::synth_series(spec, [](int d, int) { return d >= 56 ? 1.3 : 1.0; });
  const History h(s, {});
  auto td = make_model(Method::top_down);
  Eval e = next_week(*td, spec, h);
  for (double& mu : e.mu) mu *= 1.3;
  CHECK(wape(e.mu, e.f) < 0.03);
}

TEST_CASE("Methods name their minimum history and parse", "[forecast][model]") {
  CHECK(parse_method("auto") == Method::auto_select);
  CHECK(parse_method("holt_winters") == Method::holt_winters);
  CHECK_THROWS_AS(parse_method("arima"), InvalidArgument);
  CHECK_THROWS_AS(make_model(Method::auto_select), InvalidArgument);
  CHECK(make_model(Method::svd)->min_history_days() == 21);
  ModelOptions bad;
  bad.average_weeks = 0;
  CHECK_THROWS_AS(make_model(Method::weekly_average, bad), InvalidArgument);
}

TEST_CASE("Top-down and svd learn a day-of-month effect from a long history", "[forecast][model]") {
  // Known structure: +20 % on days 1-5 of each month, -10 % on days 20-31 (a pay cycle), over
  // 26 weeks. The forecast of the next week (2024-07-01..05, all "early" days) should carry the
  // +20 %, which a model without the effect misses.
  test::SynthSpec spec;
  spec.days = 182;  // 2024-01-01 .. 2024-06-30
  auto mult = [&](int d) {
    const unsigned dom = civil_from_days(spec.first_day + d).day;
    return dom <= 5 ? 1.2 : dom >= 20 ? 0.9 : 1.0;
  };
  const History h(test::synth_series(spec, [&](int d, int) { return mult(d); }), {});
  for (Method method : {Method::top_down, Method::svd}) {
    ModelOptions with, without;
    without.day_of_month = false;
    auto a = make_model(method, with), b = make_model(method, without);
    Eval ea = next_week(*a, spec, h), eb = next_week(*b, spec, h);
    for (std::size_t i = 0; i < ea.mu.size(); ++i) ea.mu[i] *= 1.2, eb.mu[i] *= 1.2;
    INFO(to_string(method));
    // With the effect (shrunk by 2 pseudo-days towards none) most of the +20 % is carried.
    CHECK(wape(ea.mu, ea.f) < 0.08);
    CHECK(wape(eb.mu, eb.f) > 2.0 * wape(ea.mu, ea.f));
  }
}

namespace {
// A weekday series of 16 weeks whose daily totals carry day-to-day noise beyond Poisson
// (log-normal, sd `day_sd`) and a level that is `step` times higher from day `step_day` on.
struct NoisyLevel {
  test::SynthSpec spec;
  std::vector<double> day;  // the per-day multiplier applied
  IntervalSeries series;
  NoisyLevel(std::uint64_t seed, double day_sd, int step_day, double step) {
    spec.days = 112;
    spec.seed = seed;
    pcg64 rng(seed + 1000);
    std::normal_distribution<double> z(0.0, day_sd);
    for (int d = 0; d < spec.days; ++d) day.push_back(std::exp(z(rng)) * (d >= step_day ? step : 1.0));
    series = test::synth_series(spec, [&](int d, int) { return day[static_cast<std::size_t>(d)]; });
  }
};
// The smoothing weight top_down chose ("alpha=..." in its fit message).
double fitted_alpha(const FitStatus& s) {
  const auto at = s.message.find("alpha=");
  REQUIRE(at != std::string::npos);
  return std::stod(s.message.substr(at + 6));
}
}  // namespace

TEST_CASE("Top-down's level is as smooth as its backtest evidence allows (one-SE rule)",
          "[forecast][model]") {
  // Reference: a stable level with day-to-day noise (sd 0.12 in log, no trend): the best level
  // is the long mean, so the smoothest alpha is right. The lowest in-sample 1..7-day loss picks
  // a faster level on some seeds by the noise of a few days (a flat criterion); the one-SE rule
  // keeps the smoothest alpha within one standard error, and its next-week error is lower.
  ModelOptions lowest, rule;
  lowest.level_alpha_tolerance_se = 0.0;
  int changed = 0;
  double wape_lowest = 0.0, wape_rule = 0.0;
  constexpr int seeds = 12;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const NoisyLevel s(seed, 0.12, 1000, 1.0);
    const History h(s.series, {});
    auto a = make_model(Method::top_down, lowest), b = make_model(Method::top_down, rule);
    const double alpha_a = fitted_alpha(a->fit(h)), alpha_b = fitted_alpha(b->fit(h));
    CHECK(alpha_b <= alpha_a);  // the rule only ever picks a smoother level
    changed += alpha_b < alpha_a ? 1 : 0;
    const Eval ea = next_week(*a, s.spec, h), eb = next_week(*b, s.spec, h);
    wape_lowest += wape(ea.mu, ea.f) / seeds;
    wape_rule += wape(eb.mu, eb.f) / seeds;
  }
  INFO("changed on " << changed << " seeds; WAPE lowest " << wape_lowest << ", rule " << wape_rule);
  CHECK(changed >= 3);
  CHECK(wape_rule < wape_lowest);
}

TEST_CASE("Top-down's one-SE rule still follows a clear level step", "[forecast][model]") {
  // Same noise, the level 40 % higher over the last 4 weeks: the evidence for a responsive
  // level is far beyond one standard error, so alpha stays above the smoothest grid value and
  // the forecast follows the step (a level that ignored it would be ~25 % low).
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const NoisyLevel s(seed, 0.12, 84, 1.4);
    const History h(s.series, {});
    auto m = make_model(Method::top_down);
    CHECK(fitted_alpha(m->fit(h)) > 0.02);
    Eval e = next_week(*m, s.spec, h);
    for (double& mu : e.mu) mu *= 1.4;
    CHECK(wape(e.mu, e.f) < 0.10);
  }
}
