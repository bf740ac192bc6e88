#include <cmath>
#include <numeric>
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
