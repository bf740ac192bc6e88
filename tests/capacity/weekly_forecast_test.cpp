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

TEST_CASE("weekly forecast: holiday weeks in the history and ahead (calendar factors)",
          "[capacity][weekly_forecast]") {
  // 5000 a normal week; weeks with one of five days closed carry 4/5 of it (factor 0.8). On the
  // adjusted history the series is constant, so every model forecasts 5000 times the factor ahead.
  std::vector<double> h(30, 5000.0), hf(30, 1.0);
  for (std::size_t t : {5u, 13u, 21u, 29u}) {
    h[t] = 4000.0;
    hf[t] = 0.8;
  }
  std::vector<double> ahead(13, 1.0);
  ahead[2] = 0.8;
  const WeeklyForecast f = forecast_weekly(h, {.horizon = 13, .week_factor = ahead, .history_factor = hf});
  for (std::size_t k = 0; k < 13; ++k) CHECK_THAT(f.volume[k], WithinRel(5000.0 * ahead[k], 1e-9));
  // Without the history factors the last week's dip reads as a level shift.
  const WeeklyForecast g = forecast_weekly(h, {.horizon = 13, .week_factor = ahead});
  CHECK(g.volume[0] < 4990.0);
}

TEST_CASE("weekly forecast: rolling-origin validation chooses the model",
          "[capacity][weekly_forecast]") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> e(0.0, 0.05);
  // A steady 2 % a week growth with small noise: a trend model beats the naive, which lags it by
  // 2 % per week ahead.
  std::vector<double> trend, flat;
  for (int t = 0; t < 80; ++t) {
    trend.push_back(1000.0 * std::exp(0.02 * t + 0.2 * e(rng)));
    flat.push_back(1000.0 * std::exp(e(rng)));
  }
  const WeeklyForecast a = forecast_weekly(trend, {.horizon = 13});
  REQUIRE(a.validation_error.size() == 3);
  CHECK(a.model == WeeklyModel::damped_trend);
  CHECK(a.validation_error[2] < a.validation_error[0]);
  // White noise around a constant: the naive (error variance 2 s^2 ahead) loses to smoothing.
  const WeeklyForecast b = forecast_weekly(flat, {.horizon = 13});
  CHECK(b.model != WeeklyModel::naive);
  CHECK(b.validation_error[0] > std::min(b.validation_error[1], b.validation_error[2]));
  // A fixed model skips the validation.
  const WeeklyForecast c = forecast_weekly(flat, {.horizon = 13, .model = WeeklyModel::naive});
  CHECK(c.model == WeeklyModel::naive);
  CHECK(c.validation_error.empty());
  CHECK_THAT(c.volume[12], WithinRel(flat.back(), 1e-12));
  CHECK(c.alpha == 1.0);
}

TEST_CASE("weekly forecast: bad calendar factors and model names the field",
          "[capacity][weekly_forecast]") {
  const std::vector<double> h(10, 100.0);
  CHECK_THROWS_WITH(forecast_weekly(h, {.history_factor = std::vector<double>(9, 1.0)}),
                    Contains("history_factor"));
  std::vector<double> hf(10, 1.0);
  hf[3] = 0.0;
  CHECK_THROWS_WITH(forecast_weekly(h, {.history_factor = hf}), Contains("history_factor[3]"));
  CHECK_THROWS_WITH(weekly_model_from_string("holt", "model"), Contains("model"));
  CHECK(weekly_model_from_string("simple", "model") == WeeklyModel::simple);
}

TEST_CASE("weekly forecast: volume at a chosen probability", "[capacity][weekly_forecast]") {
  // Lognormal with median 1000 and sigma 0.1: the 80 % interval is 1000 exp(+-1.2816 * 0.1)
  // (z_0.9 = 1.2815516, standard normal table); its 95 % quantile is 1000 exp(1.6448536 * 0.1).
  const double lo = 1000.0 * std::exp(-0.12815516), hi = 1000.0 * std::exp(0.12815516);
  CHECK_THAT(volume_quantile(1000.0, lo, hi, 0.8, 0.95), WithinRel(1000.0 * std::exp(0.16448536), 1e-6));
  CHECK_THAT(volume_quantile(1000.0, lo, hi, 0.8, 0.5), WithinRel(1000.0, 1e-12));
  CHECK_THAT(volume_quantile(1000.0, lo, hi, 0.8, 0.9), WithinRel(hi, 1e-6));
  // Linear scale when the lower end is 0: 100 +- 1.2816 * 50 has lower end below 0.
  CHECK_THAT(volume_quantile(100.0, 0.0, 164.0776, 0.8, 0.9), WithinRel(100.0 + 164.0776 / 2.0, 1e-6));
  CHECK_THROWS_WITH(volume_quantile(1000.0, lo, hi, 0.8, 1.0), Contains("probability"));
  CHECK_THROWS_WITH(volume_quantile(1000.0, hi, lo, 0.8, 0.9, "volume[3]"), Contains("volume[3]"));
}
