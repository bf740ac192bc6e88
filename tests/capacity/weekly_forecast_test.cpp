// Long-range weekly forecasts: exact on noiseless shapes, intervals widen, bad input.
#include <cmath>
#include <numbers>
#include <random>
#include <wfm/capacity/weekly_forecast.hpp>
#include <wfm/core/error.hpp>

#include "support/catch.hpp"

using namespace wfm::capacity;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

TEST_CASE("weekly forecast: a constant series is forecast as itself", "[capacity][weekly_forecast]") {
  const std::vector<double> h(30, 5000.0);
  const WeeklyForecast f = forecast_weekly(h, {.horizon = 13});
  REQUIRE(f.volume.size() == 13);
  for (double v : f.volume) CHECK_THAT(v, WithinRel(5000.0, 1e-9));
}

TEST_CASE("weekly forecast: yearly cycle recovered from three years", "[capacity][weekly_forecast]") {
  // 1000 * exp(0.1 sin(2 pi t / 52.18)): log scale, one Fourier pair, no trend, no noise.
  auto truth = [](double t) { return 1000.0 * std::exp(0.1 * std::sin(2 * std::numbers::pi * t / (365.25 / 7))); };
  std::vector<double> h;
  for (int t = 0; t < 156; ++t) h.push_back(truth(t));
  const WeeklyForecast f = forecast_weekly(h, {.horizon = 52, .fourier_terms = 1});
  CHECK(f.fourier_terms == 1);
  CHECK(f.log_scale);
  for (int k = 0; k < 52; ++k) CHECK_THAT(f.volume[static_cast<std::size_t>(k)], WithinRel(truth(156 + k), 0.01));
}

TEST_CASE("weekly forecast: intervals widen with the horizon", "[capacity][weekly_forecast]") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> e(0.0, 0.05);
  std::vector<double> h;
  for (int t = 0; t < 60; ++t) h.push_back(2000.0 * std::exp(0.003 * t + e(rng)));
  const WeeklyForecast f = forecast_weekly(h, {.horizon = 26, .level = 0.8, .week_factor = {}});
  for (std::size_t k = 0; k < 26; ++k) {
    CHECK(f.volume_lower[k] < f.volume[k]);
    CHECK(f.volume[k] < f.volume_upper[k]);
    if (k > 0) CHECK(std::log(f.volume_upper[k] / f.volume_lower[k]) >= std::log(f.volume_upper[k - 1] / f.volume_lower[k - 1]) - 1e-12);
  }
  std::vector<double> factor(26, 1.0);
  factor[3] = 0.7;  // a holiday week ahead
  const WeeklyForecast g = forecast_weekly(h, {.horizon = 26, .level = 0.8, .week_factor = factor});
  CHECK_THAT(g.volume[3], WithinRel(0.7 * f.volume[3], 1e-12));
}

TEST_CASE("weekly forecast: bad input names the field", "[capacity][weekly_forecast]") {
  std::vector<double> h(10, 100.0);
  h[4] = -1.0;
  CHECK_THROWS_WITH(forecast_weekly(h), Contains("history[4]"));
  h[4] = 100.0;
  CHECK_THROWS_WITH(forecast_weekly(h, {.level = 80.0}), Contains("level"));
  CHECK_THROWS_WITH(forecast_weekly(std::vector<double>(5, 1.0)), Contains("history"));
}
