#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include <wfm/core/error.hpp>
#include <wfm/queueing/erlang_a.hpp>
#include <wfm/queueing/erlang_c.hpp>
#include <wfm/queueing/staffing.hpp>

#include "queueing/reference.hpp"
#include "support/catch.hpp"

using namespace wfm::queueing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {
constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr ServiceLevelDefinition all_definitions[] = {
    ServiceLevelDefinition::answered_within, ServiceLevelDefinition::wait_within,
    ServiceLevelDefinition::virtual_wait_within, ServiceLevelDefinition::answered_given_answered};

// Compares every Erlang A metric of one reference row. Tolerance 1e-10 relative, except
// that a value below 1e-280 may be returned as 0 (it is not representable to full precision).
void check_row(const wfm::test::ReferenceTable& ref, std::size_t i, wfm::test::WorstError& worst,
               double tol) {
  const double n = ref(i, "agents"), t = ref(i, "target_time");
  const ErlangA q(ref(i, "arrival_rate"), ref(i, "handle_time"), ref(i, "patience"));
  const std::string where = fmt::format("row {}: n={} a={} patience/AHT={} t/AHT={}", i, n,
                                        q.load(), q.patience() / q.handle_time(),
                                        t / q.handle_time());
  const wfm::test::CellChecker cmp{ref, i, where, tol, worst};
  cmp("wait_probability", q.wait_probability(n));
  cmp("abandon_probability", q.abandon_probability(n));
  cmp("mean_queue_length", q.mean_queue_length(n));
  cmp("asa_all", q.average_speed_of_answer(n, AsaOver::all));
  cmp("occupancy", q.occupancy(n));
  cmp("sl_answered_within", q.service_level(n, t, ServiceLevelDefinition::answered_within));
  cmp("sl_wait_within", q.service_level(n, t, ServiceLevelDefinition::wait_within));
  cmp("sl_virtual_wait_within", q.service_level(n, t, ServiceLevelDefinition::virtual_wait_within));
  cmp("sl_answered_given_answered",
      q.service_level(n, t, ServiceLevelDefinition::answered_given_answered));
  if (t == 0.0)  // ASA over answered does not depend on t: check it once per staffing level
    cmp("asa_answered", q.average_speed_of_answer(n, AsaOver::answered));
}
}  // namespace

// Closed forms (Mandelbaum & Zeltyn 2007) at 60 digits: agents 1 .. 100,000 (and real values),
// utilisation 0.1 .. 3 (overload included), patience 0.25 / 1 / 8 AHT, three targets.
TEST_CASE("ErlangA matches the mpmath reference table", "[queueing][erlang_a]") {
  const wfm::test::ReferenceTable ref("erlang_a.csv");
  REQUIRE(ref.size() > 1000);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) check_row(ref, i, worst, 1e-10);
  WARN("ErlangA worst relative error " << worst.value << " at " << worst.where);
}

// 400 random points (fixed seed): agents 0.5 .. 100,000 (real and integer), utilisation
// 0.05 .. 5 with a third within 1e-4 of 1, patience 2^-10 .. 2^10 AHT, targets 0 .. 3 AHT.
TEST_CASE("ErlangA matches the mpmath reference at random points", "[queueing][erlang_a]") {
  const wfm::test::ReferenceTable ref("erlang_a_random.csv");
  REQUIRE(ref.size() == 400);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) check_row(ref, i, worst, 1e-10);
  WARN("ErlangA (random) worst relative error " << worst.value << " at " << worst.where);
}

// The M/M/n+M birth-death chain itself, solved at 60 digits with a tail below 1e-40: an
// independent check of the closed forms and of the waiting-time laws behind every definition.
TEST_CASE("ErlangA matches its birth-death chain", "[queueing][erlang_a]") {
  const wfm::test::ReferenceTable ref("erlang_a_chain.csv");
  REQUIRE(ref.size() >= 40);
  wfm::test::WorstError worst;
  for (std::size_t i = 0; i < ref.size(); ++i) check_row(ref, i, worst, 1e-10);
  WARN("ErlangA (chain) worst relative error " << worst.value << " at " << worst.where);
}

TEST_CASE("ErlangA tends to ErlangC as patience grows", "[queueing][erlang_a]") {
  const double lam = 100.0 / 1800.0, h = 180.0;
  const ErlangC c(lam, h);
  // patience = +infinity is Erlang C exactly
  const ErlangA exact(lam, h, infinity);
  for (double n : {11.0, 14.0, 20.5}) {
    CHECK(exact.wait_probability(n) == c.wait_probability(n));
    for (auto d : all_definitions) CHECK(exact.service_level(n, 20.0, d) == c.service_level(n, 20.0));
    CHECK(exact.average_speed_of_answer(n) == c.average_speed_of_answer(n));
    CHECK(exact.abandon_probability(n) == 0.0);
  }
  // finite patience converges, with error shrinking like 1/patience
  double prev_err = 1.0;
  for (double patience : {1e3, 1e5, 1e7, 1e9, 1e11}) {
    const ErlangA a(lam, h, patience);
    const double err = std::fabs(a.service_level(14.0, 20.0) - c.service_level(14.0, 20.0));
    INFO("patience " << patience << ": |SL_A - SL_C| = " << err);
    CHECK(err < prev_err);
    CHECK(err < 10.0 * h / patience);
    CHECK(wfm::test::relative_error(a.wait_probability(14.0), c.wait_probability(14.0)) <
          20.0 * h / patience);
    prev_err = err;
  }
  CHECK(prev_err < 1e-8);
  // infinite patience and overload: the theta -> 0 limits
  CHECK(exact.wait_probability(8.0) == 1.0);
  CHECK(exact.service_level(8.0, 20.0) == 0.0);
  CHECK_THAT(exact.abandon_probability(8.0), WithinRel(0.2, 1e-14));
  CHECK(exact.average_speed_of_answer(8.0) == infinity);
}

TEST_CASE("ErlangA metrics are monotone, ordered and consistent", "[queueing][erlang_a]") {
  const ErlangA q(300.0 / 900.0, 200.0, 90.0);  // 66.7 Erl, patience 0.45 AHT
  double prev_sl[4] = {0, 0, 0, 0}, prev_ab = 1.0;
  for (double n = 0.0; n <= 110.0; n += 0.5) {
    double sl[4];
    for (int k = 0; k < 4; ++k) {
      sl[k] = q.service_level(n, 20.0, all_definitions[k]);
      INFO("n " << n << ", definition " << to_string(all_definitions[k]));
      CHECK(sl[k] >= prev_sl[k] - 1e-15);
      CHECK(sl[k] <= 1.0);
      prev_sl[k] = sl[k];
    }
    INFO("n " << n);
    // answered_within <= virtual_wait_within <= wait_within; answered_given >= answered_within
    CHECK(sl[0] <= sl[2] * (1.0 + 1e-14));
    CHECK(sl[2] <= sl[1] * (1.0 + 1e-14));
    CHECK(sl[3] >= sl[0]);
    const double ab = q.abandon_probability(n);
    CHECK(ab <= prev_ab);
    prev_ab = ab;
    if (n > 0.0) {
      // Little: E[Q] = lambda E[min(V, patience)]; theta E[Q] = lambda P(abandon)
      CHECK_THAT(q.mean_queue_length(n),
                 WithinRel(q.arrival_rate() * q.average_speed_of_answer(n), 1e-13));
      CHECK_THAT(q.occupancy(n), WithinRel(std::fmin(1.0, q.load() * (1.0 - ab) / n), 1e-13));
      CHECK(q.wait_probability(n) >= ab);
    }
  }
}

TEST_CASE("ErlangA limits and extreme inputs", "[queueing][erlang_a]") {
  const ErlangA idle(0.0, 200.0, 60.0);
  for (auto d : all_definitions) CHECK(idle.service_level(5.0, 0.0, d) == 1.0);
  CHECK(idle.wait_probability(0.0) == 0.0);
  CHECK(idle.average_speed_of_answer(3.0, AsaOver::answered) == 0.0);
  CHECK(idle.occupancy(3.0) == 0.0);
  const ErlangA q(0.05, 200.0, 60.0);  // 10 Erl
  CHECK(q.wait_probability(0.0) == 1.0);
  CHECK(q.abandon_probability(0.0) == 1.0);
  CHECK(q.service_level(0.0, 30.0) == 0.0);
  CHECK_THAT(q.service_level(0.0, 30.0, ServiceLevelDefinition::wait_within),
             WithinRel(1.0 - std::exp(-0.5), 1e-14));
  CHECK(q.average_speed_of_answer(0.0) == 60.0);
  CHECK(q.average_speed_of_answer(0.0, AsaOver::answered) == infinity);
  CHECK(q.mean_queue_length(0.0) == 0.05 * 60.0);
  CHECK(q.occupancy(0.0) == 1.0);
  // The limits are continuous: a tiny staff behaves like none.
  CHECK_THAT(q.abandon_probability(1e-9), WithinAbs(1.0, 1e-8));
  // Heavy overload, large scale: finite, in range, the abandon rate tends to 1 - n/a.
  const ErlangA over(1e5 / 256.0, 256.0, 64.0);  // 100,000 Erl
  for (double n : {1.0, 10.0, 1000.0, 50000.0, 99000.0}) {
    INFO("n " << n);
    CHECK(over.wait_probability(n) <= 1.0);
    CHECK(over.wait_probability(n) > 0.9);
    CHECK_THAT(over.abandon_probability(n), WithinRel(1.0 - n / 1e5, 1e-2));
    for (auto d : all_definitions) {
      const double sl = over.service_level(n, 20.0, d);
      CHECK(sl >= 0.0);
      CHECK(sl <= 1.0);
    }
    CHECK(std::isfinite(over.average_speed_of_answer(n, AsaOver::answered)));
  }
  // Far above the load: nobody waits; exactly representable limits, no NaN.
  const ErlangA light(1.0, 1.0, 30.0);
  CHECK(light.wait_probability(1e5) == 0.0);
  CHECK(light.abandon_probability(1e5) == 0.0);
  for (auto d : all_definitions) CHECK(light.service_level(1e5, 0.0, d) == 1.0);
  CHECK(light.average_speed_of_answer(1e5, AsaOver::answered) == 0.0);
}

TEST_CASE("ErlangA rejects bad input naming the argument", "[queueing][erlang_a]") {
  CHECK_THROWS_WITH(ErlangA(-1.0, 10.0, 60.0), Contains("arrival_rate") && Contains("-1"));
  CHECK_THROWS_WITH(ErlangA(1.0, not_a_number, 60.0), Contains("handle_time") && Contains("nan"));
  CHECK_THROWS_WITH(ErlangA(1.0, 10.0, 0.0), Contains("patience") && Contains("0"));
  CHECK_THROWS_WITH(ErlangA(1.0, 10.0, -60.0), Contains("patience") && Contains("-60"));
  CHECK_THROWS_WITH(ErlangA(1.0, 10.0, not_a_number), Contains("patience") && Contains("nan"));
  const ErlangA q(1.0, 10.0, 60.0);
  CHECK_THROWS_WITH(q.wait_probability(-2.0), Contains("agents") && Contains("-2"));
  CHECK_THROWS_WITH(q.service_level(12.0, -1.0), Contains("target_time") && Contains("-1"));
  CHECK_THROWS_WITH(q.service_level(not_a_number, 1.0), Contains("agents") && Contains("nan"));
  CHECK_THROWS_AS(q.service_level(12.0, infinity), wfm::InvalidArgument);
  CHECK_THROWS_AS(q.abandon_probability(infinity), wfm::InvalidArgument);
  CHECK_THROWS_AS(q.mean_queue_length(-1.0), wfm::InvalidArgument);
  CHECK_THROWS_AS(q.average_speed_of_answer(not_a_number, AsaOver::answered), wfm::InvalidArgument);
  CHECK_THROWS_AS(q.occupancy(-1e-9), wfm::InvalidArgument);
}

// Every metric of every model stays finite-or-limit and in range over a wide grid of loads,
// staffing (down to 1e-300 agents) and patience (1e-6 .. 1e6 AHT): no NaN anywhere.
TEST_CASE("Erlang B, C and A never return NaN or leave their range", "[queueing][erlang_a]") {
  const double h = 64.0;
  for (double a : {1e-12, 1e-3, 0.5, 10.0, 1e3, 1e5}) {
    const ErlangC c(a / h, h);
    for (double n : {1e-300, 1e-10, 0.3, 1.0, 7.7, 1e3, 1e5}) {
      for (double r : {1e-6, 0.01, 1.0, 100.0, 1e6}) {
        const ErlangA q(a / h, h, r * h);
        INFO("load " << a << ", agents " << n << ", patience/AHT " << r);
        const double probabilities[] = {
            q.wait_probability(n), q.abandon_probability(n), q.occupancy(n),
            q.service_level(n, 20.0), q.service_level(n, 20.0, all_definitions[1]),
            q.service_level(n, 20.0, all_definitions[2]),
            q.service_level(n, 20.0, all_definitions[3]), c.wait_probability(n),
            c.service_level(n, 20.0), c.occupancy(n)};
        for (double p : probabilities) {
          CHECK(p >= 0.0);
          CHECK(p <= 1.0);
        }
        CHECK(q.mean_queue_length(n) >= 0.0);
        CHECK(q.average_speed_of_answer(n) >= 0.0);
        CHECK(q.average_speed_of_answer(n, AsaOver::answered) >= 0.0);
        CHECK(c.average_speed_of_answer(n) >= 0.0);  // +inf when unstable
      }
    }
  }
}

TEST_CASE("ErlangA service level never decreases with agents or target, at scale",
          "[queueing][erlang_a]") {
  // 10,000 Erl with short patience, across the n = a transition, real-valued agents
  const ErlangA q(1e4 / 256.0, 256.0, 64.0);
  for (auto d : all_definitions) {
    double prev = 0.0;
    for (double n = 9000.0; n <= 10600.0; n += 7.3) {
      const double sl = q.service_level(n, 20.0, d);
      INFO(to_string(d) << ", n " << n);
      CHECK(sl >= prev * (1.0 - 1e-13));
      prev = sl;
    }
    prev = 0.0;
    for (double t = 0.0; t <= 2000.0; t += 25.0) {
      const double sl = q.service_level(10050.0, t, d);
      INFO(to_string(d) << ", t " << t);
      CHECK(sl >= prev * (1.0 - 1e-13));
      prev = sl;
    }
  }
}

TEST_CASE("very long patience: the Erlang C limit, stable and continuous", "[queueing][erlang_a]") {
  // Issue 14: patience >= ~1e200 gave P(wait) NaN, SL 0 and 20 agents instead of Erlang C's 14
  // (the published example of staffing.hpp: 100 calls / 30 min, AHT 180 s, 80 % in 20 s).
  using namespace wfm::queueing;
  const double rate = 100.0 / 1800.0, aht = 180.0;
  const ErlangC c(rate, aht);
  for (double patience : {1e16, 1e30, 1e100, 1e200, 1e300, 1.7e308}) {
    INFO(patience);
    const ErlangA a(rate, aht, patience);
    for (double n : {9.0, 10.0, 10.5, 11.0, 14.0, 30.0}) {
      INFO(n);
      CHECK(std::isfinite(a.wait_probability(n)));
      CHECK(std::isfinite(a.abandon_probability(n)));
      for (auto d : {ServiceLevelDefinition::answered_within, ServiceLevelDefinition::wait_within,
                     ServiceLevelDefinition::virtual_wait_within,
                     ServiceLevelDefinition::answered_given_answered}) {
        const double sl = a.service_level(n, 20.0, d);
        CHECK(sl >= 0.0);
        CHECK(sl <= 1.0);
      }
    }
    CHECK(a.wait_probability(14.0) == Approx(c.wait_probability(14.0)).epsilon(1e-9));
    CHECK(a.service_level(14.0, 20.0) == Approx(c.service_level(14.0, 20.0)).epsilon(1e-9));
    CHECK(required_agents(a, StaffingGoal{.service_level = 0.8}).agents_required == 14.0);
  }
  // Continuity where the computation switches to the limit (eps = (theta / (n mu)) / (1 - rho)^2
  // crosses erlang_c_limit_tolerance): Erlang A just below the switch, the limit just above,
  // agree to the tolerance.
  const double n = 14.0, rho = rate * aht / n;
  const double switch_patience =
      aht / (n * ErlangA::erlang_c_limit_tolerance * (1.0 - rho) * (1.0 - rho));
  const ErlangA below(rate, aht, switch_patience * 0.5), above(rate, aht, switch_patience * 2.0);
  CHECK(below.service_level(n, 20.0) == Approx(above.service_level(n, 20.0)).epsilon(1e-9));
  CHECK(below.wait_probability(n) == Approx(above.wait_probability(n)).epsilon(1e-9));
  // Overload: the theta -> 0 limits of the class comment (P(abandon) = 1 - n / a).
  const ErlangA over(rate, aht, 1e300);
  CHECK(over.abandon_probability(5.0) == Approx(0.5));
  CHECK(over.wait_probability(5.0) == 1.0);
}

TEST_CASE("subnormal agents: ASA over answered is +inf as for 0 agents, never NaN",
          "[queueing][erlang_a]") {
  // Found by the randomised bad-input suite (issue 14): agents = 1e-320 made the answered
  // fraction underflow to 0 and E[V | answered] = 0 / 0.
  using namespace wfm::queueing;
  const ErlangA q(100.0 / 1800.0, 180.0, 120.0);
  for (const double n0 : {0.0, 1e-320, 5e-324}) {
    volatile double opaque = n0;  // evaluated at run time, as from Python (not constant-folded)
    const double n = opaque;
    INFO(n);
    CHECK(std::isinf(q.average_speed_of_answer(n, AsaOver::answered)));
    CHECK(q.abandon_probability(n) == Approx(1.0));
  }
  // Just above the underflow the value is finite: the limit n -> 0+ of E[V | answered].
  CHECK(std::isfinite(q.average_speed_of_answer(1e-300, AsaOver::answered)));
}
