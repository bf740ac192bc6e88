#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_b.hpp>
#include <wfm/queueing/erlang_x.hpp>
#include <wfm/queueing/staffing.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

// Limit N = n, r = 0: no room to wait, so the blocking is Erlang B (reference: ErlangB, whose
// values are checked against mpmath in erlang_b_test.cpp).
TEST_CASE("ErlangX with lines = agents and no redials is Erlang B", "[queueing][erlang_x]") {
  for (double n : {1.0, 5.0, 40.0, 1000.0}) {
    for (double rho : {0.5, 1.0, 2.0}) {
      const double h = 200.0, rate = rho * n / h;
      const ErlangX x(rate, h, 90.0, static_cast<std::int64_t>(n), 0.0);
      const ErlangXMetrics m = x.metrics(n, 20.0);
      INFO("n=" << n << " rho=" << rho);
      CHECK_THAT(m.blocking_rate,
                 WithinRel(ErlangB(rate, h).blocking_probability(n), 1e-12));
      CHECK(m.abandon_rate == 0.0);
      CHECK(m.wait_probability == 0.0);
      CHECK_THAT(m.service_level, WithinRel(1.0 - m.blocking_rate, 1e-14));
      CHECK(m.iterations == 1);
    }
  }
}

// Limit N -> inf, r = 0: Erlang A (the lines never fill: their tail is below 1e-300). The
// tolerance is 4e-12 because ErlangA itself is exact to 2e-12 against mpmath
// (tests/data/queueing/README.md); ErlangX is checked against mpmath directly below.
TEST_CASE("ErlangX with many lines and no redials is Erlang A to 4e-12", "[queueing][erlang_x]") {
  wfm::test::WorstError worst;
  for (double n : {1.0, 10.0, 100.0, 1000.0}) {
    for (double rho : {0.6, 1.0, 1.4}) {
      const double h = 128.0, rate = rho * n / h, patience = 256.0;
      const auto lines = static_cast<std::int64_t>(n) + 100'000;
      const ErlangX x(rate, h, patience, lines, 0.0);
      const ErlangA a(rate, h, patience);
      const std::string at = fmt::format("n={} rho={}", n, rho);
      auto cmp = [&](const char* what, double got, double ref) {
        const double err = wfm::test::relative_error(got, ref);
        worst.update(err, at + " " + what);
        INFO(at << " " << what << ": " << got << " vs " << ref);
        CHECK(err <= 4e-12);
      };
      for (double t : {0.0, 20.0, 200.0}) {
        const ErlangXMetrics m = x.metrics(n, t);
        CHECK(m.blocking_rate == 0.0);
        cmp("wait", m.wait_probability, a.wait_probability(n));
        cmp("abandon", m.abandon_rate, a.abandon_probability(n));
        cmp("sl", m.service_level, a.service_level(n, t));
        cmp("asa_all", m.asa_s, a.average_speed_of_answer(n));
        cmp("occupancy", m.occupancy, a.occupancy(n));
      }
      cmp("asa_answered", x.average_speed_of_answer(n, AsaOver::answered),
          a.average_speed_of_answer(n, AsaOver::answered));
    }
  }
  WARN("ErlangX(N -> inf, r = 0) vs ErlangA: worst relative error " << worst.value << " at "
                                                                     << worst.where);
}

// The fixed point holds: lambda_eff = lambda + r lambda_eff L(lambda_eff), where L is
// recomputed independently from an r = 0 model fed with the attempt rate lambda_eff.
// The metrics at the fixed point come from a chain re-weighted from an earlier attempt rate
// (erlang_x.cpp, tilt_chain()) whenever the last step was small: `plain` walks the chain
// afresh at the final rate (no redials), so every metric must agree to rounding.
TEST_CASE("ErlangX redial fixed point is solved and consistent", "[queueing][erlang_x]") {
  for (double n : {20.0, 1000.0}) {
    for (double r : {0.1, 0.5, 0.9, 0.999}) {
      for (double rho : {0.8, 0.95, 1.2, 3.0}) {
        const double h = 180.0, lambda = rho * n / h;
        const auto lines = static_cast<std::int64_t>(1.5 * n);
        const ErlangX x(lambda, h, 120.0, lines, r);
        const ErlangXMetrics m = x.metrics(n, 20.0);
        INFO("n=" << n << " r=" << r << " rho=" << rho);
        REQUIRE(m.status == wfm::Status::ok);
        const double rate = m.effective_arrival_rate;
        CHECK(rate >= lambda);
        CHECK(rate <= lambda / (1.0 - r));
        const ErlangXMetrics plain = ErlangX(rate, h, 120.0, lines, 0.0).metrics(n, 20.0);
        const double lost = plain.blocking_rate + plain.abandon_rate;
        CHECK_THAT(rate, WithinRel(lambda + r * rate * lost, 1e-13));
        CHECK_THAT(m.lost_rate, WithinRel(lost * (1 - r) / (1 - r * lost), 1e-12));
        CHECK_THAT(m.service_level, WithinRel(plain.service_level, 1e-12));
        CHECK_THAT(m.wait_probability, WithinRel(plain.wait_probability, 1e-12));
        CHECK_THAT(m.queue_length, WithinRel(plain.queue_length, 1e-12));
        CHECK_THAT(m.occupancy, WithinRel(plain.occupancy, 1e-12));
        CHECK_THAT(m.asa_s, WithinRel(plain.asa_s, 1e-12));
        // flow balance: fresh = answered + lost customers
        const double answered_rate = rate * (1.0 - lost);
        CHECK_THAT(answered_rate + lambda * m.lost_rate, WithinRel(lambda, 1e-12));
        CHECK(m.iterations < 40);
        // Halley's iteration converges cubically (erlang_x.cpp): a handful of chain evaluations
        if (r <= 0.5) CHECK(m.iterations <= 6);
      }
    }
  }
}

TEST_CASE("ErlangX monotonicity in agents, lines and redials", "[queueing][erlang_x]") {
  const double lambda = 0.1, h = 180.0, patience = 120.0;
  double sl = -1.0, lost = 2.0;
  for (int n = 1; n <= 30; ++n) {  // more agents: better SL, fewer lost customers
    const ErlangXMetrics m = ErlangX(lambda, h, patience, 30, 0.3).metrics(n, 20.0);
    CHECK(m.service_level >= sl - 1e-15);
    CHECK(m.lost_rate <= lost + 1e-15);
    sl = m.service_level;
    lost = m.lost_rate;
  }
  double block = 2.0;
  for (std::int64_t lines : {15, 16, 18, 20, 25, 40}) {  // more lines: fewer busy signals
    const double b = ErlangX(lambda, h, patience, lines, 0.3).blocking_probability(15);
    CHECK(b <= block);
    block = b;
  }
  double attempts = 0.0;
  for (double r : {0.0, 0.2, 0.5, 0.8}) {  // more redials: more attempts, more blocking
    const ErlangXMetrics m = ErlangX(lambda, h, patience, 18, r).metrics(15, 20.0);
    CHECK(m.effective_arrival_rate >= attempts);
    attempts = m.effective_arrival_rate;
  }
}

TEST_CASE("ErlangX staffing and bad input", "[queueing][erlang_x]") {
  const ErlangX x(100.0 / 1800.0, 180.0, 120.0, 20, 0.5);
  const StaffingResult r = required_agents(x, StaffingGoal{.service_level = 0.8, .target_time = 20.0});
  CHECK(r.status == wfm::Status::ok);
  CHECK(x.service_level(r.agents_required, 20.0) >= 0.8);
  CHECK(x.service_level(r.agents_required - 1.0, 20.0) < 0.8);
  CHECK_THROWS_AS(ErlangX(0.1, 180.0, 120.0, 0, 0.5), wfm::InvalidArgument);
  CHECK_THROWS_AS(ErlangX(0.1, 180.0, 120.0, 10, 1.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(ErlangX(0.1, 0.0, 120.0, 10, 0.5), wfm::InvalidArgument);
  CHECK_THROWS_AS(ErlangX(0.1, 180.0, -1.0, 10, 0.5), wfm::InvalidArgument);
  CHECK_THROWS_AS(x.metrics(-1.0, 20.0), wfm::InvalidArgument);
  // Zero arrivals and zero agents are values.
  CHECK(ErlangX(0.0, 180.0, 120.0, 10, 0.5).service_level(3, 20.0) == 1.0);
  const ErlangXMetrics none = x.metrics(0.0, 20.0);
  CHECK(none.service_level == 0.0);
  CHECK(none.lost_rate > 0.99);
  // Absurd but finite: 1e16 lines, 1e6 calls per second; bounded time, finite values
  const ErlangXMetrics big = ErlangX(1e6, 180.0, 120.0, 10'000'000'000'000'000, 0.5).metrics(1000, 20.0);
  CHECK(std::isfinite(big.service_level));
}

// mpmath reference table (make_omnichannel_reference.py): the redial fixed point by two root
// finders (Anderson-Bjorck, bisection) and the metrics at the root by two methods (chain +
// beta law; Poisson terms + truncated Mandelbaum-Zeltyn integral), agreeing to 1e-25.
TEST_CASE("ErlangX matches the mpmath reference table to 1e-10", "[queueing][erlang_x]") {
  const wfm::test::ReferenceTable ref("erlang_x.csv");
  REQUIRE(ref.size() > 50);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double n = ref(i, "agents"), t = ref(i, "target_time");
    const ErlangX x(ref(i, "arrival_rate"), ref(i, "handle_time"), ref(i, "patience"),
                    static_cast<std::int64_t>(ref(i, "lines")), ref(i, "redial_probability"));
    const ErlangXMetrics m = x.metrics(n, t);
    REQUIRE(m.status == wfm::Status::ok);
    const std::string at = fmt::format("row {}: n={} N={} r={} t={}", i, n, x.lines(),
                                       x.redial_probability(), t);
    const wfm::test::CellChecker cmp{ref, i, at, 1e-10, worst};
    cmp("effective_arrival_rate", m.effective_arrival_rate);
    cmp("blocking_probability", m.blocking_rate);
    cmp("abandon_probability", m.abandon_rate);
    cmp("service_level", m.service_level);
    cmp("lost_probability", m.lost_rate);
  }
  WARN("ErlangX vs mpmath: worst relative error " << worst.value << " at " << worst.where);
}
