// The generator and the variate generators of rng.hpp.
//
// Statistical checks compare a sample mean (or variance) with the exact value within 5 standard
// errors: for a correct generator and a random seed each fails with probability < 6e-7. The
// seeds are fixed, so outcomes are reproducible.
#include <wfm/simulation/rng.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "support/catch.hpp"

using namespace wfm::simulation;

namespace {
struct Moments {
  double mean = 0, var = 0;
};
template <class F>
Moments moments(int n, F&& draw) {
  double s = 0, ss = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    s += x;
    ss += x * x;
  }
  const double m = s / n;
  return {m, (ss - n * m * m) / (n - 1)};
}
}  // namespace

TEST_CASE("xoshiro256++ follows the reference algorithm", "[simulation][rng]") {
  // With state {1, 2, 3, 4} the first output is rotl(1 + 4, 23) + 1 = 5 * 2^23 + 1 (worked by
  // hand from Blackman & Vigna's reference code). The second follows from the state update:
  // s = {7, 0, 262146, 211106232532992}, output rotl(7 + 211106232532992, 23) + 7.
  Xoshiro256pp g(1, 2, 3, 4);
  CHECK(g() == 41943041ULL);
  const std::uint64_t s0 = 7, s3 = 211106232532992ULL;
  CHECK(g() == std::rotl(s0 + s3, 23) + s0);
}

TEST_CASE("streams are reproducible and distinct per (seed, replication, source)",
          "[simulation][rng]") {
  auto first = [](std::uint64_t seed, std::uint64_t rep, Source src) {
    auto g = Xoshiro256pp::stream(seed, rep, src);
    return g();
  };
  CHECK(first(1, 0, Source::arrivals) == first(1, 0, Source::arrivals));
  CHECK(first(1, 0, Source::arrivals) != first(1, 1, Source::arrivals));
  CHECK(first(1, 0, Source::arrivals) != first(2, 0, Source::arrivals));
  CHECK(first(1, 0, Source::arrivals) != first(1, 0, Source::handle_time));
  // Adjacent keys do not collide on the first 1,000 words of 100 streams.
  std::vector<std::uint64_t> seen;
  for (std::uint64_t r = 0; r < 100; ++r) {
    auto g = Xoshiro256pp::stream(5, r, Source::patience);
    for (int i = 0; i < 1000; ++i) seen.push_back(g());
  }
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

TEST_CASE("uniforms lie in their intervals and have mean 1/2", "[simulation][rng]") {
  Xoshiro256pp g(42);
  const int n = 200000;
  double s = 0;
  int bad = 0;
  for (int i = 0; i < n; ++i) {
    const double u = uniform01(g), v = uniform_open0(g);
    bad += (u < 0.0 || u >= 1.0 || v <= 0.0 || v > 1.0) ? 1 : 0;
    s += u;
  }
  CHECK(bad == 0);
  CHECK(std::abs(s / n - 0.5) < 5.0 * std::sqrt(1.0 / 12.0 / n));
}

TEST_CASE("variates have the right mean and variance", "[simulation][rng]") {
  Xoshiro256pp g(7);
  NormalGenerator normal;
  const int n = 200000;
  SECTION("exponential: mean 1, variance 1") {
    const auto m = moments(n, [&] { return standard_exponential(g); });
    CHECK(std::abs(m.mean - 1.0) < 5.0 * std::sqrt(1.0 / n));
    CHECK(std::abs(m.var - 1.0) < 5.0 * std::sqrt(8.0 / n));  // Var(s^2) ~ (mu4 - 1) / n, mu4 = 9
  }
  SECTION("normal: mean 0, variance 1, symmetric") {
    const auto m = moments(n, [&] { return normal(g); });
    CHECK(std::abs(m.mean) < 5.0 * std::sqrt(1.0 / n));
    CHECK(std::abs(m.var - 1.0) < 5.0 * std::sqrt(2.0 / n));
  }
  SECTION("lognormal(mean, cv) has that mean and cv") {
    const double mean = 300.0, cv = 0.5;
    const auto p = lognormal_parameters(mean, cv);
    const auto m = moments(n, [&] { return std::exp(p.mu + p.sigma * normal(g)); });
    CHECK(std::abs(m.mean - mean) < 5.0 * mean * cv / std::sqrt(n));
    CHECK(std::abs(std::sqrt(m.var) / m.mean - cv) < 0.02);
  }
  SECTION("gamma (Marsaglia-Tsang): mean = variance = shape, also for shape < 1") {
    for (double shape : {0.3, 1.0, 4.5, 50.0}) {
      const auto m = moments(n, [&] { return standard_gamma(g, normal, shape); });
      INFO("shape " << shape);
      CHECK(std::abs(m.mean - shape) < 5.0 * std::sqrt(shape / n));
      CHECK(std::abs(m.var / shape - 1.0) < 0.05);
    }
  }
  SECTION("Poisson: mean = variance, by inversion and by PTRS") {
    for (double mean : {0.5, 4.0, 9.9, 10.0, 37.0, 1000.0}) {
      const auto m = moments(n, [&] { return static_cast<double>(poisson(g, mean)); });
      INFO("mean " << mean);
      CHECK(std::abs(m.mean - mean) < 5.0 * std::sqrt(mean / n));
      CHECK(std::abs(m.var / mean - 1.0) < 0.05);
    }
    CHECK(poisson(g, 0.0) == 0);
  }
}

TEST_CASE("Poisson probabilities match the pmf", "[simulation][rng]") {
  // P(X = k) for k near the mean, within 5 binomial standard errors.
  Xoshiro256pp g(11);
  for (double mean : {3.0, 25.0}) {
    const int n = 200000;
    const auto k0 = static_cast<std::int64_t>(mean);
    int hits = 0;
    for (int i = 0; i < n; ++i) hits += poisson(g, mean) == k0 ? 1 : 0;
    const auto kd = static_cast<double>(k0);
    const double p = std::exp(-mean + kd * std::log(mean) - std::lgamma(kd + 1.0));
    CHECK(std::abs(static_cast<double>(hits) / n - p) < 5.0 * std::sqrt(p * (1 - p) / n));
  }
}
