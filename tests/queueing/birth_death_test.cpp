#include <cmath>
#include <cstdint>
#include <limits>

#include <wfm/queueing/birth_death.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/erlang_c.hpp>

#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

// Erlang B is the finite chain 0..n with ratios a / (k + 1); pi_n = B(n, a). Reference: the
// ErlangB class (its own scaled incomplete-gamma evaluation, checked against mpmath tables).
TEST_CASE("birth-death engine: finite chain 0..n is Erlang B", "[queueing][birth_death]") {
  for (double a : {0.5, 10.0, 300.0, 3000.0}) {
    for (std::int64_t n : {1, 5, 50, 350, 3100}) {
      const auto d = stationary_distribution(
          [a](std::int64_t k) { return a / static_cast<double>(k + 1); },
          {.last_state = n, .monotone_from = 0, .reference_state = n});
      REQUIRE(d.status == wfm::Status::ok);
      const double b = ErlangB(a, 1.0).blocking_probability(static_cast<double>(n));
      INFO("a=" << a << " n=" << n);
      if (b > 1e-290) CHECK_THAT(d[static_cast<std::size_t>(n)], WithinRel(b, 1e-12));
    }
  }
}

// M/M/n (infinite chain): P(k >= n) is Erlang C. At a = 3000 the weights reach e^3000.
TEST_CASE("birth-death engine: truncated M/M/n is Erlang C, no overflow at e^3000",
          "[queueing][birth_death]") {
  for (double a : {2.0, 80.0, 3000.0}) {
    const double n = std::ceil(a * 1.05) + 1.0;
    const auto nn = static_cast<std::int64_t>(n);
    const auto d = stationary_distribution(
        [a, n](std::int64_t k) { return a / std::min(static_cast<double>(k + 1), n); },
        {.monotone_from = nn, .reference_state = nn});
    REQUIRE(d.status == wfm::Status::ok);
    CHECK(d.tail_bound <= 1e-17);
    double waiting = 0.0, total = 0.0;
    for (std::size_t k = 0; k < d.size(); ++k) {
      total += d.probability[k];
      if (static_cast<double>(k) >= n) waiting += d.probability[k];
    }
    INFO("a=" << a);
    CHECK_THAT(total, WithinRel(1.0, 1e-13));
    CHECK_THAT(waiting, WithinRel(ErlangC(a, 1.0).wait_probability(n), 1e-11));
    // log sum w_k: for n > a and the Poisson part, ~ a (e^a); finite, never inf
    CHECK(std::isfinite(d.log_normaliser));
    CHECK(d.log_normaliser > 0.9 * a);
  }
}

// The tail is measured against the waiting states: P(wait) = 1e-40 keeps its relative accuracy.
TEST_CASE("birth-death engine: tiny waiting mass stays relatively exact",
          "[queueing][birth_death]") {
  const double a = 10.0, n = 60.0;
  const auto d = stationary_distribution(
      [a, n](std::int64_t k) { return a / std::min(static_cast<double>(k + 1), n); },
      {.monotone_from = 60, .reference_state = 60});
  double waiting = 0.0;
  for (std::size_t k = 60; k < d.size(); ++k) waiting += d.probability[k];
  const double c = ErlangC(a, 1.0).wait_probability(n);
  REQUIRE(c < 1e-20);
  CHECK_THAT(waiting, WithinRel(c, 1e-12));
}

TEST_CASE("birth-death engine: absurd chains stop in bounded time with a status",
          "[queueing][birth_death]") {
  // ratios 1e300 then falling slowly: the tail is never negligible within max_states
  BirthDeathPolicy policy;
  policy.max_states = 100'000;
  const auto d = stationary_distribution(
      [](std::int64_t k) { return 1e300 / (1.0 + 1e-12 * static_cast<double>(k)); }, {}, policy);
  CHECK(d.status == wfm::Status::not_converged);
  CHECK(!d.message.empty());
  CHECK(d.size() == 100'000);
  for (double p : d.probability) REQUIRE(std::isfinite(p));
  // a chain ending by a zero birth rate
  const auto e = stationary_distribution([](std::int64_t k) { return k < 3 ? 1.0 : 0.0; }, {});
  REQUIRE(e.size() == 4);
  CHECK_THAT(e[0], WithinRel(0.25, 1e-15));
  CHECK(e[7] == 0.0);
}
