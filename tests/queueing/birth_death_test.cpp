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
    CHECK(d.tail_bound <= BirthDeathPolicy{}.tail_tolerance);
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

// The mode-centred window (stationary_window) against the walk from state 0 (forced by
// monotone_from > 0 on the same chain, the engine's other code path): the probabilities agree
// state by state, the mass below the reference state keeps its relative accuracy when tiny
// (deep overload: nearly every arrival waits), and the states below `first` are negligible.
TEST_CASE("birth-death engine: the mode-centred window equals the walk from 0",
          "[queueing][birth_death]") {
  struct Chain {
    double a, n, theta;  // M/M/n+M in units of the AHT: ratio a / (min(k+1, n) + theta (k+1-n)^+)
  };
  for (const Chain c : {Chain{900.0, 1000.0, 0.5}, Chain{1200.0, 1000.0, 0.5},
                        Chain{3000.0, 1000.0, 0.05}, Chain{20.0, 60.0, 1.0},
                        Chain{5.0, 1.0, 2.0}}) {
    const auto nn = static_cast<std::int64_t>(c.n);
    auto ratio = [c](std::int64_t k) {
      const double next = static_cast<double>(k + 1);
      return c.a / (std::min(next, c.n) + c.theta * std::max(next - c.n, 0.0));
    };
    const auto w = stationary_window(ratio, {.monotone_from = 0, .reference_state = nn});
    const auto z = stationary_distribution(ratio, {.monotone_from = 1, .reference_state = nn});
    REQUIRE(w.status == wfm::Status::ok);
    REQUIRE(z.status == wfm::Status::ok);
    INFO("a=" << c.a << " n=" << c.n << " theta=" << c.theta << " first=" << w.first);
    double below_w = 0.0, below_z = 0.0, above_w = 0.0, above_z = 0.0, head = 0.0, tail = 0.0;
    for (std::size_t k = 0; k < std::max(w.size(), z.size()); ++k) {
      const double pz = z[k];
      (static_cast<std::int64_t>(k) < nn ? below_w : above_w) += w[k];
      (static_cast<std::int64_t>(k) < nn ? below_z : above_z) += pz;
      if (k < w.first) head += pz;
      if (k >= w.size()) tail += pz;
      if (k >= w.first && k < w.size() && pz > 1e-250) CHECK_THAT(w[k], WithinRel(pz, 1e-12));
    }
    CHECK_THAT(below_w, WithinRel(below_z, 1e-12));
    CHECK_THAT(above_w, WithinRel(above_z, 1e-12));
    // each cut is relative to the mass on its side of the reference state (tail_tolerance)
    // (a window that starts above R drops the states below R only when their mass is below
    // policy.negligible = 1e-300 of the peak)
    const double tol = BirthDeathPolicy{}.tail_tolerance;
    CHECK(head <= (static_cast<std::int64_t>(w.first) <= nn ? 10.0 * tol * below_z : 1e-290));
    CHECK(tail <= 10.0 * tol * above_z);
    CHECK(w.tail_bound <= 10.0 * tol);
  }
  // deep overload: sum_{k<n} pi_k ~ 1e-40, formed relatively exactly from the window
  auto over = [](std::int64_t k) {
    const double next = static_cast<double>(k + 1);
    return 3000.0 / (std::min(next, 1000.0) + 0.05 * std::max(next - 1000.0, 0.0));
  };
  const auto w = stationary_window(over, {.monotone_from = 0, .reference_state = 1000});
  const auto z = stationary_distribution(over, {.monotone_from = 1, .reference_state = 1000});
  double below_w = 0.0, below_z = 0.0;
  for (std::size_t k = 0; k < 1000; ++k) {
    below_w += w[k];
    below_z += z[k];
  }
  REQUIRE(below_z < 1e-30);
  CHECK(w.first > 0);
  CHECK_THAT(below_w, WithinRel(below_z, 1e-12));
}
